"""Flag endpoints: list the caller's flags, acknowledge one (CONTRACT §4 Flag)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary.api.schema import errors
from diary.models import Flag
from diary.selectors.flags import flag_get, flag_list
from diary.services.flags import flag_acknowledge


class FlagSerializer(serializers.ModelSerializer):
    evidence = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "code",
            "severity",
            "title",
            "explanation",
            "source",
            "evidence",
            "first_detected_at",
            "last_seen_at",
            "status",
            "acknowledged_at",
        ]
        read_only_fields = fields


class FlagQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Flag.Status.choices, required=False)


class FlagListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=Flag.Status.values, description="Only this status"
            )
        ],
        responses={200: FlagSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        query = FlagQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        flags = flag_list(user=request.user, status=query.validated_data.get("status"))
        return Response(FlagSerializer(flags, many=True).data)


class FlagAcknowledgeView(APIView):
    @extend_schema(request=None, responses={200: FlagSerializer, **errors(401, 404, 409)})
    def post(self, request: Request, pk: int) -> Response:
        if flag_get(user=request.user, flag_id=pk) is None:
            raise Http404  # another patient's flag looks exactly like a missing one
        flag = flag_acknowledge(user=request.user, flag_id=pk)
        if flag is None:
            raise Http404
        if flag.status == Flag.Status.RESOLVED:
            return Response(
                {"detail": "This flag is resolved; there is nothing to acknowledge."},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(FlagSerializer(flag).data)
