"""API for clinicians and for the patient's side of following (CONTRACT §7).

Patients: invite a contact (`POST /api/contacts/{id}/invite/`), see, change or end that
contact's follow (`/api/contacts/{id}/follow/`). Clinicians: accept, list their patients,
read one patient's report, leave. A patient account gets 403 on every `/api/clinician/` path;
a clinician reaching a patient who does not follow-link them gets 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.web import client_ip, user_agent
from diary.api.schema import errors
from diary.models import Contact, Follow
from diary.selectors import clinicians as clinician_selectors
from diary.services import clinicians as clinician_services
from reports import selectors
from reports.clinician import clinician_days_parse, patient_row_json, report_json
from reports.clinician_emails import InvitationNotSent, invitation_send


class IsClinician(BasePermission):
    """Clinician accounts only; a patient account is refused with 403."""

    message = "Only clinician accounts can use this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_clinician)


class ClinicianView(APIView):
    permission_classes = [IsAuthenticated, IsClinician]


class MailUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The invitation e-mail could not be sent. Please try again later."


class InvitationSerializer(serializers.Serializer):
    contact = serializers.IntegerField()
    email = serializers.EmailField()
    expires_at = serializers.DateTimeField()


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField(read_only=True)
    since = serializers.DateTimeField(read_only=True, allow_null=True)
    share_notes = serializers.BooleanField()


class AcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128)


class AcceptedSerializer(serializers.Serializer):
    patient = serializers.DictField()


class FlagBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    title = serializers.CharField()
    first_detected_at = serializers.DateTimeField()


class PatientRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    last_entry_at = serializers.DateTimeField(allow_null=True)
    days_logged_14 = serializers.IntegerField()
    mean_intensity_7 = serializers.FloatField(allow_null=True)
    change_7 = serializers.FloatField(allow_null=True)
    active_flags = FlagBriefSerializer(many=True)


def _contact(request: Request, pk: int) -> Contact:
    contact = clinician_selectors.contact_get(user=request.user, pk=pk)
    if contact is None:
        raise Http404
    return contact


class ContactInviteView(APIView):
    @extend_schema(request=None, responses={201: InvitationSerializer, **errors(401, 404)})
    def post(self, request: Request, pk: int) -> Response:
        contact = _contact(request, pk)
        try:
            invitation = invitation_send(
                contact=contact, ip=client_ip(request), user_agent=user_agent(request)
            )
        except InvitationNotSent as exc:
            raise MailUnavailable from exc
        return Response(
            {"contact": contact.pk, "email": contact.email, "expires_at": invitation.expires_at},
            status=status.HTTP_201_CREATED,
        )


class ContactFollowView(APIView):
    def _follow(self, request: Request, pk: int) -> Follow:
        follow = clinician_selectors.follow_for_contact(contact=_contact(request, pk))
        if follow is None:
            raise Http404
        return follow

    @extend_schema(responses={200: FollowSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        follow = self._follow(request, pk)
        return Response(
            {"following": True, "since": follow.created_at, "share_notes": follow.share_notes}
        )

    @extend_schema(
        request=FollowSerializer, responses={200: FollowSerializer, **errors(400, 401, 404)}
    )
    def patch(self, request: Request, pk: int) -> Response:
        follow = self._follow(request, pk)
        serializer = FollowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow = clinician_services.follow_update(
            follow=follow, share_notes=serializer.validated_data["share_notes"]
        )
        return Response(
            {"following": True, "since": follow.created_at, "share_notes": follow.share_notes}
        )

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        clinician_services.follow_revoke(
            follow=self._follow(request, pk), ip=client_ip(request), user_agent=user_agent(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClinicianAcceptView(ClinicianView):
    @extend_schema(
        request=AcceptSerializer, responses={200: AcceptedSerializer, **errors(400, 401, 403, 404)}
    )
    def post(self, request: Request) -> Response:
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            follow = clinician_services.invitation_accept(
                token=serializer.validated_data["token"],
                clinician=request.user,
                ip=client_ip(request),
                user_agent=user_agent(request),
            )
        except clinician_services.InvitationNotFound as exc:
            raise Http404 from exc
        patient = follow.patient
        return Response({"patient": {"id": patient.pk, "name": patient.shown_name}})


class ClinicianPatientListView(ClinicianView):
    @extend_schema(responses={200: PatientRowSerializer(many=True), **errors(401, 403)})
    def get(self, request: Request) -> Response:
        rows = clinician_selectors.workspace_rows(clinician=request.user, now=timezone.now())
        clinician_services.follow_record_views(
            clinician=request.user,
            what="patient list (API)",
            ip=client_ip(request),
            user_agent=user_agent(request),
        )
        return Response([patient_row_json(row) for row in rows])


def _follow(request: Request, pk: int) -> Follow:
    follow = clinician_selectors.follow_get(clinician=request.user, patient_id=pk)
    if follow is None:
        raise Http404
    return follow


class ClinicianPatientView(ClinicianView):
    @extend_schema(responses={204: None, **errors(401, 403, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        """The clinician leaves: they stop following this patient."""
        clinician_services.follow_leave(
            follow=_follow(request, pk), ip=client_ip(request), user_agent=user_agent(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClinicianPatientReportView(ClinicianView):
    @extend_schema(
        parameters=[OpenApiParameter("days", int, description="1–365, default 90")],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        follow = _follow(request, pk)
        days = clinician_days_parse(request.query_params.get("days"))
        if days is None:
            raise ValidationError({"days": ["A whole number of days from 1 to 365."]})
        patient = follow.patient
        start, end = selectors.period_ending_today(user=patient, days=days, now=timezone.now())
        data = selectors.report_data(user=patient, start=start, end=end)
        notes = (
            clinician_selectors.notes_shared(follow=follow, start=start, end=end)
            if follow.share_notes
            else None
        )
        clinician_services.follow_record_view(
            follow=follow,
            what=f"report (API), {start.isoformat()}–{end.isoformat()}",
            ip=client_ip(request),
            user_agent=user_agent(request),
        )
        return Response(report_json(data, patient=patient, notes=notes))
