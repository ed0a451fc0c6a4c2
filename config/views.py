from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers; also the trivial baseline view of `make bench`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (CONTRACT §4: errors are JSON), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
