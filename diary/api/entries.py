"""Entry endpoints and the vocabulary."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary import vocabulary
from diary.api.schema import errors
from diary.api.serializers import EntrySerializer
from diary.models import Entry
from diary.selectors.entries import entry_get, entry_list
from diary.services.entries import EntryIdTaken, entry_create, entry_delete, entry_update


class VocabularyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(vocabulary.as_api())


class DateRangeSerializer(serializers.Serializer):
    # `from` is a Python keyword, so the field is renamed below.
    to = serializers.DateField(required=False)

    def get_fields(self) -> dict:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs: dict) -> dict:
        start: date | None = attrs.get("from")
        end: date | None = attrs.get("to")
        if start and end and start > end:
            raise serializers.ValidationError({"from": "“from” must not be after “to”."})
        return attrs


class EntryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _context(request: Request) -> dict:
    return {"request": request, "zone": request.user.zone}


class EntryListView(APIView):
    pagination_class = EntryPagination  # read by drf-spectacular: the list is paginated

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local date (inclusive)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (inclusive)"),
        ],
        responses={200: EntrySerializer(many=True), **errors(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        dates = DateRangeSerializer(data=request.query_params)
        dates.is_valid(raise_exception=True)
        entries = entry_list(
            user=request.user,
            date_from=dates.validated_data.get("from"),
            date_to=dates.validated_data.get("to"),
        )
        paginator = EntryPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        data = EntrySerializer(page, many=True, context=_context(request)).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=EntrySerializer,
        responses={201: EntrySerializer, 200: EntrySerializer, **errors(400, 401, 409)},
    )
    def post(self, request: Request) -> Response:
        serializer = EntrySerializer(data=request.data, context=_context(request))
        serializer.is_valid(raise_exception=True)
        try:
            entry, created = entry_create(
                user=request.user,
                data=serializer.to_entry_input(),
                entry_id=serializer.validated_data.get("id"),
            )
        except EntryIdTaken:
            return Response(
                {"id": ["This id is already in use; let the server choose one."]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            EntrySerializer(entry, context=_context(request)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class EntryDetailView(APIView):
    def _entry(self, request: Request, pk: str) -> Entry:
        entry = entry_get(user=request.user, entry_id=pk)
        if entry is None:
            raise Http404
        return entry

    @extend_schema(responses={200: EntrySerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        return Response(EntrySerializer(self._entry(request, pk), context=_context(request)).data)

    @extend_schema(
        request=EntrySerializer, responses={200: EntrySerializer, **errors(400, 401, 404)}
    )
    def patch(self, request: Request, pk: str) -> Response:
        entry = self._entry(request, pk)
        serializer = EntrySerializer(
            entry, data=request.data, partial=True, context=_context(request)
        )
        serializer.is_valid(raise_exception=True)
        entry = entry_update(entry=entry, data=serializer.to_entry_input())
        entry = entry_get(user=request.user, entry_id=entry.pk)
        return Response(EntrySerializer(entry, context=_context(request)).data)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: str) -> Response:
        entry_delete(entry=self._entry(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
