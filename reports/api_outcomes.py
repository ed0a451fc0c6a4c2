"""The patient's treatment events and check-ins as CSV downloads (CONTRACT §8)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from core.web import client_ip, user_agent
from diary.api.schema import errors
from diary.models import SecurityEvent
from diary.selectors.outcomes import checkin_snapshots, treatment_snapshots
from diary.services.accounts import security_event_record
from reports.outcome_exports import checkins_csv, treatments_csv


def _csv_download(request: Request, what: str, build: Callable[[], str]) -> HttpResponse:
    body = build()
    security_event_record(
        user=request.user,
        kind=SecurityEvent.Kind.EXPORT,
        ip=client_ip(request),
        user_agent=user_agent(request),
        detail=f"{what}.csv",
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    today = timezone.now().astimezone(request.user.zone).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="symptom-diary-{what}-{today}.csv"'
    response["Cache-Control"] = "no-store"
    return response


class ExportTreatmentsCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, **errors(401)})
    def get(self, request: Request) -> HttpResponse:
        user = request.user
        return _csv_download(
            request, "treatments", lambda: treatments_csv(treatment_snapshots(user=user), user.zone)
        )


class ExportCheckinsCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, **errors(401)})
    def get(self, request: Request) -> HttpResponse:
        user = request.user
        return _csv_download(
            request, "checkins", lambda: checkins_csv(checkin_snapshots(user=user), user.zone)
        )
