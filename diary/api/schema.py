"""OpenAPI pieces shared by the API views: the documented error answers."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT, description='An error: {"detail": "..."} or {"field": ["message", ...]}.'
)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an operation documents, by status code (CONTRACT §4)."""
    return dict.fromkeys(codes, ERROR)
