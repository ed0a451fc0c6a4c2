"""Treatment events and weekly check-ins over the API (CONTRACT §8)."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary import outcomes as terms
from diary.api.schema import errors
from diary.models import CheckIn, TreatmentEvent, User
from diary.selectors import outcomes as selectors
from diary.services import outcomes as services


def patient_today(user: User) -> date:
    """Today on the patient's own calendar."""
    return timezone.now().astimezone(user.zone).date()


class TreatmentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=[t.code for t in terms.TREATMENT_KINDS])
    kind_label = serializers.SerializerMethodField()
    name = serializers.CharField(max_length=terms.TREATMENT_NAME_MAX)
    notes = serializers.CharField(
        max_length=terms.TREATMENT_NOTES_MAX, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = TreatmentEvent
        fields = ["id", "kind", "kind_label", "name", "started_on", "notes"]
        read_only_fields = ["id"]

    def get_kind_label(self, event: TreatmentEvent) -> str:
        return terms.TREATMENT_KIND_LABEL.get(event.kind, event.kind)

    def validate_started_on(self, value: date) -> date:
        # "Today" is the patient's: at 00:30 in Sydney it is already tomorrow there.
        if value > patient_today(self.context["request"].user):
            raise serializers.ValidationError("This date is in the future; use today or earlier.")
        return value


class CheckInSerializer(serializers.ModelSerializer):
    leg_pain = serializers.IntegerField(min_value=terms.ITEM_MIN, max_value=terms.ITEM_MAX)
    numbness_tingling = serializers.IntegerField(min_value=terms.ITEM_MIN, max_value=terms.ITEM_MAX)
    weakness = serializers.IntegerField(min_value=terms.ITEM_MIN, max_value=terms.ITEM_MAX)
    sitting_pain = serializers.IntegerField(min_value=terms.ITEM_MIN, max_value=terms.ITEM_MAX)
    global_change = serializers.ChoiceField(choices=[t.code for t in terms.GLOBAL_CHANGES])
    total = serializers.IntegerField(read_only=True, min_value=0, max_value=terms.TOTAL_MAX)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "week_of",
            *terms.CHECKIN_ITEM_CODES,
            "global_change",
            "total",
        ]
        read_only_fields = ["id", "total"]
        # The one-per-week rule is an upsert in the service, not a 400 from the serializer.
        validators: list = []

    def validate_week_of(self, value: date) -> date:
        if value.weekday() != 0:
            raise serializers.ValidationError("Give the Monday that starts the week.")
        if value > selectors.week_monday(patient_today(self.context["request"].user)):
            raise serializers.ValidationError("This week has not started yet.")
        return value


def _context(request: Request) -> dict:
    return {"request": request}


class TreatmentListView(APIView):
    @extend_schema(responses={200: TreatmentSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        events = selectors.treatment_list(user=request.user)
        return Response(TreatmentSerializer(events, many=True, context=_context(request)).data)

    @extend_schema(
        request=TreatmentSerializer, responses={201: TreatmentSerializer, **errors(400, 401)}
    )
    def post(self, request: Request) -> Response:
        serializer = TreatmentSerializer(data=request.data, context=_context(request))
        serializer.is_valid(raise_exception=True)
        event = services.treatment_create(user=request.user, **serializer.validated_data)
        return Response(
            TreatmentSerializer(event, context=_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class TreatmentDetailView(APIView):
    def _event(self, request: Request, pk: int) -> TreatmentEvent:
        event = selectors.treatment_get(user=request.user, pk=pk)
        if event is None:
            raise Http404
        return event

    @extend_schema(responses={200: TreatmentSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        event = self._event(request, pk)
        return Response(TreatmentSerializer(event, context=_context(request)).data)

    @extend_schema(
        request=TreatmentSerializer, responses={200: TreatmentSerializer, **errors(400, 401, 404)}
    )
    def patch(self, request: Request, pk: int) -> Response:
        event = self._event(request, pk)
        serializer = TreatmentSerializer(
            event, data=request.data, partial=True, context=_context(request)
        )
        serializer.is_valid(raise_exception=True)
        event = services.treatment_update(treatment=event, **serializer.validated_data)
        return Response(TreatmentSerializer(event, context=_context(request)).data)

    @extend_schema(responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, pk: int) -> Response:
        services.treatment_delete(treatment=self._event(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckInListView(APIView):
    @extend_schema(responses={200: CheckInSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        checkins = selectors.checkin_list(user=request.user)
        return Response(CheckInSerializer(checkins, many=True, context=_context(request)).data)

    @extend_schema(
        request=CheckInSerializer,
        responses={201: CheckInSerializer, 200: CheckInSerializer, **errors(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = CheckInSerializer(data=request.data, context=_context(request))
        serializer.is_valid(raise_exception=True)
        checkin, created = services.checkin_save(user=request.user, **serializer.validated_data)
        return Response(
            CheckInSerializer(checkin, context=_context(request)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
