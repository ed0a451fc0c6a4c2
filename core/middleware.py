"""Request limits and cache headers applied to every request (CONTRACT §4)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse


def _too_large() -> JsonResponse:
    limit_kb = settings.REQUEST_BODY_MAX_BYTES // 1024
    return JsonResponse(
        {"detail": f"The request body is larger than {limit_kb} KB."},
        status=413,
    )


class RequestLimitsMiddleware:
    """Refuse an oversized body from its Content-Length, before anything reads or parses it.

    Always JSON, for pages too: the refusal must cost nothing, and a browser never sends a
    form this large. A body sent without a length is read as empty by Django's WSGI handler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return _too_large()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Django's own net (DATA_UPLOAD_MAX_MEMORY_SIZE) answers HTML 400 otherwise.
        if isinstance(exception, RequestDataTooBig):
            return _too_large()
        return None


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that sets no caching of its own, and on every
    authenticated answer whatever it set: nothing private may stay in a shared or browser cache.

    Static files keep WhiteNoise's long caching (it answers before authentication runs).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
            return response
        # Only now look at the user: for answers without their own caching this costs nothing.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
