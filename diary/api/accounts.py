"""Account endpoints: register, token, logout, password, me, contacts."""

from __future__ import annotations

from django.contrib.auth import (
    authenticate,
    logout,
    password_validation,
    update_session_auth_hash,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, serializers, status
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
from diary.models import User
from diary.selectors.accounts import contact_get, contact_list
from diary.services import accounts as account_services

LOCKED = "Too many failed attempts. Try again in 15 minutes or reset your password."


def _password_confirmed(request: Request, password: str | None, field: str) -> None:
    """Re-authentication for what a stolen token must not do alone (CONTRACT §4).

    Wrong passwords count towards the same lock-out as the log-in, so a token cannot be used
    to guess the password.
    """
    user: User = request.user
    ip = client_ip(request)
    if account_services.login_is_locked(email=user.email, ip=ip):
        raise exceptions.Throttled(detail=LOCKED)
    if not password:
        raise exceptions.ValidationError({field: ["Your current password is required for this."]})
    if not user.check_password(password):
        account_services.login_failed(email=user.email, ip=ip, user_agent=user_agent(request))
        raise exceptions.ValidationError({field: ["That password is not correct."]})


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class MeUpdateSerializer(MeSerializer):
    current_password = serializers.CharField(
        write_only=True,
        required=False,
        max_length=128,
        style={"input_type": "password"},
        help_text="Required when alert_email changes.",
    )

    class Meta(MeSerializer.Meta):
        fields = [*MeSerializer.Meta.fields, "current_password"]


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=RegisterSerializer, responses={201: RegisterSerializer, **errors(400, 429)}
    )
    def post(self, request: Request) -> Response:
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not account_services.signup_allowed(
            email=str(email or "").strip().lower(), ip=client_ip(request)
        ):
            raise exceptions.Throttled(detail="Too many sign-ups from here. Try again later.")
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
            return Response({"detail": LOCKED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        user = authenticate(request, username=email, password=serializer.validated_data["password"])
        if user is None:
            account_services.login_failed(email=email, ip=ip, user_agent=user_agent(request))
            return Response(
                {"detail": "E-mail or password is not correct."},
                status=status.HTTP_401_UNAUTHORIZED,
            )
        account_services.login_succeeded(email=email)
        token = account_services.token_issue(user=user, ip=ip, user_agent=user_agent(request))
        return Response({"token": token})

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None, **errors(401)})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            account_services.token_revoke(
                token=request.auth, ip=client_ip(request), user_agent=user_agent(request)
            )
        else:
            logout(request._request)  # a web session calling the API logs the session out
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(APIView):
    @extend_schema(
        request=PasswordChangeSerializer, responses={200: TokenSerializer, **errors(400, 401, 429)}
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _password_confirmed(
            request, serializer.validated_data["current_password"], "current_password"
        )
        new = serializer.validated_data["new_password"]
        try:
            password_validation.validate_password(new, request.user)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"new_password": error.messages}) from error
        ip, agent = client_ip(request), user_agent(request)
        account_services.user_password_set(user=request.user, password=new, ip=ip, user_agent=agent)
        if not isinstance(request.auth, AuthToken):
            update_session_auth_hash(request._request, request.user)  # keep only this session
        token = account_services.token_issue(user=request.user, ip=ip, user_agent=agent)
        return Response({"token": token})


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer, **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=MeUpdateSerializer, responses={200: MeSerializer, **errors(400, 401, 429)}
    )
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        password = data.pop("current_password", None)
        if "alert_email" in data:
            if data["alert_email"].lower() == request.user.alert_email:
                del data["alert_email"]  # unchanged: nothing to confirm
            else:
                _password_confirmed(request, password, "current_password")
        user = account_services.user_update(user=request.user, **data)
        return Response(MeSerializer(user).data)

    @extend_schema(request=PasswordSerializer, responses={204: None, **errors(400, 401, 429)})
    def delete(self, request: Request) -> Response:
        serializer = PasswordSerializer(data=request.data)
        if not serializer.is_valid():
            raise exceptions.ValidationError({"password": ["Your password is required for this."]})
        _password_confirmed(request, serializer.validated_data["password"], "password")
        account_services.user_erase(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactListView(APIView):
    @extend_schema(responses={200: ContactSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        return Response(ContactSerializer(contact_list(user=request.user), many=True).data)

    @extend_schema(
        request=ContactSerializer, responses={201: ContactSerializer, **errors(400, 401)}
    )
    def post(self, request: Request) -> Response:
        serializer = ContactSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        contact = account_services.contact_create(user=request.user, **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(APIView):
    @extend_schema(responses={200: ContactSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ContactSerializer(contact_get(user=request.user, pk=pk)).data)

    @extend_schema(
        request=ContactSerializer, responses={200: ContactSerializer, **errors(400, 401, 404)}
    )
    def patch(self, request: Request, pk: int) -> Response:
        contact = contact_get(user=request.user, pk=pk)
        serializer = ContactSerializer(
            contact, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        contact = account_services.contact_update(contact=contact, **serializer.validated_data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        account_services.contact_delete(contact=contact_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
