"""API for share links and exports (CONTRACT §4)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.web import client_ip, user_agent
from diary.api.schema import errors
from diary.models import SecurityEvent
from diary.services.accounts import security_event_record
from reports import exports, fhir, selectors, services
from reports.models import ShareLink


class ShareCreateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(
        min_value=1,
        max_value=services.SHARE_DAYS_MAX,
        required=False,
        default=services.SHARE_DAYS_DEFAULT,
    )
    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=services.EXPIRES_IN_DAYS_MAX,
        required=False,
        default=services.EXPIRES_IN_DAYS_DEFAULT,
    )


class ShareLinkSerializer(serializers.ModelSerializer):
    """A share link; `url` is only filled in the create response (the token is shown once)."""

    url = serializers.SerializerMethodField()
    revoked = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "label",
            "url",
            "expires_at",
            "period_start",
            "period_end",
            "view_count",
            "last_viewed_at",
            "created_at",
            "revoked",
        ]
        read_only_fields = fields

    def get_url(self, link: ShareLink) -> str | None:
        return self.context.get("url")

    def get_revoked(self, link: ShareLink) -> bool:
        return link.revoked_at is not None


class ShareListView(APIView):
    @extend_schema(responses={200: ShareLinkSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        links = selectors.share_link_list(user=request.user)
        return Response(ShareLinkSerializer(links, many=True).data)

    @extend_schema(
        request=ShareCreateSerializer, responses={201: ShareLinkSerializer, **errors(400, 401)}
    )
    def post(self, request: Request) -> Response:
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.share_link_create(
            user=request.user,
            ip=client_ip(request),
            user_agent=user_agent(request),
            **serializer.validated_data,
        )
        data = ShareLinkSerializer(created.link, context={"url": created.url}).data
        response = Response(data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class ShareDetailView(APIView):
    def _link(self, request: Request, pk: int) -> ShareLink:
        link = selectors.share_link_get(user=request.user, pk=pk)
        if link is None:
            raise Http404
        return link

    @extend_schema(responses={200: ShareLinkSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ShareLinkSerializer(self._link(request, pk)).data)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        services.share_link_revoke(
            link=self._link(request, pk), ip=client_ip(request), user_agent=user_agent(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _record_export(request: Request, what: str) -> None:
    security_event_record(
        user=request.user,
        kind=SecurityEvent.Kind.EXPORT,
        ip=client_ip(request),
        user_agent=user_agent(request),
        detail=what,
    )


class ExportCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, **errors(401)})
    def get(self, request: Request) -> HttpResponse:
        entries = selectors.entries_for_export(user=request.user)
        body = exports.entries_csv(entries, request.user.zone)
        _record_export(request, "entries.csv")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        today = timezone.now().astimezone(request.user.zone).date().isoformat()
        response["Content-Disposition"] = f'attachment; filename="symptom-diary-{today}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class FhirQuerySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=fhir.BUNDLE_TYPES, required=False, default="collection")


class ExportFhirView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                enum=fhir.BUNDLE_TYPES,
                description="`transaction` for a Bundle a FHIR server loads as is",
            )
        ],
        responses={(200, "application/fhir+json"): OpenApiTypes.OBJECT, **errors(400, 401)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = FhirQuerySerializer(data=request.query_params)
        if not query.is_valid():
            # An authenticated answer, even an error, is never stored by caches (CONTRACT §4).
            return Response(query.errors, status=400, headers={"Cache-Control": "no-store"})
        bundle = fhir.bundle_build(
            selectors.fhir_export_data(user=request.user),
            bundle_type=query.validated_data["type"],
            bundle_id=str(uuid.uuid4()),
            now=timezone.now(),
        )
        _record_export(request, "fhir")
        response = JsonResponse(bundle, content_type="application/fhir+json")
        response["Cache-Control"] = "no-store"
        return response
