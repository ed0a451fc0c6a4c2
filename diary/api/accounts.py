"""Account endpoints: register, token, me, contacts."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.web import client_ip, user_agent
from diary.api.permissions import TokenRequestThrottle
from diary.api.schema import errors
from diary.api.serializers import (
    ContactSerializer,
    MeSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from diary.models import Contact, SecurityEvent
from diary.services import accounts as account_services


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RegisterSerializer, responses={201: RegisterSerializer, **errors(400)})
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = account_services.user_register(**serializer.validated_data)
        return Response(
            {"id": user.pk, "email": user.email, "timezone": user.timezone},
            status=status.HTTP_201_CREATED,
        )


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenRequestThrottle]

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer, **errors(400, 401, 429)}
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        ip = client_ip(request)
        if account_services.login_is_locked(email=email, ip=ip):
            return Response(
                {
                    "detail": (
                        "Too many failed attempts. Try again in 15 minutes or reset your password."
                    )
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request, username=email, password=serializer.validated_data["password"])
        if user is None:
            account_services.login_failed(email=email, ip=ip, user_agent=user_agent(request))
            return Response(
                {"detail": "E-mail or password is not correct."},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        account_services.login_succeeded(email=email)
        token, _ = Token.objects.get_or_create(user=user)
        account_services.security_event_record(
            user=user, kind=SecurityEvent.Kind.TOKEN_ISSUED, ip=ip, user_agent=user_agent(request)
        )
        return Response({"token": token.key})

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer, **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer, **errors(400, 401)})
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = account_services.user_update(user=request.user, **serializer.validated_data)
        return Response(MeSerializer(user).data)

    @extend_schema(responses={204: None, **errors(401)})
    def delete(self, request: Request) -> Response:
        account_services.user_erase(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactListView(APIView):
    @extend_schema(responses={200: ContactSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        contacts = Contact.objects.filter(user=request.user)
        return Response(ContactSerializer(contacts, many=True).data)

    @extend_schema(
        request=ContactSerializer, responses={201: ContactSerializer, **errors(400, 401)}
    )
    def post(self, request: Request) -> Response:
        serializer = ContactSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        contact = account_services.contact_create(user=request.user, **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(APIView):
    def _contact(self, request: Request, pk: int) -> Contact:
        return get_object_or_404(Contact, pk=pk, user=request.user)

    @extend_schema(responses={200: ContactSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ContactSerializer(self._contact(request, pk)).data)

    @extend_schema(
        request=ContactSerializer, responses={200: ContactSerializer, **errors(400, 401, 404)}
    )
    def patch(self, request: Request, pk: int) -> Response:
        contact = self._contact(request, pk)
        serializer = ContactSerializer(
            contact, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        contact = account_services.contact_update(contact=contact, **serializer.validated_data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        account_services.contact_delete(contact=self._contact(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
