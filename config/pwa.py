"""The installable app (CONTRACT §6): the web manifest, the service worker at /sw.js, the favicon.

The worker's script names every app-shell file by its hashed static URL and carries a version
made from them (and `DEPLOY_VERSION`), so any deploy that changes the shell changes the bytes
of /sw.js: the browser installs the new worker, which takes over (see templates/pwa/sw.js).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

APP_NAME = "Back & leg pain diary"
SHORT_NAME = "Pain diary"
THEME_COLOR = "#0b57d0"  # --accent in static/css/app.css
SW_TEMPLATE = "pwa/sw.js"
# Every file the log page needs to open and work with the network off.
SHELL_STATIC = (
    "css/app.css",
    "css/diary.css",
    "js/log.js",
    "js/when.js",
    "js/offline.js",
    "js/keys.js",
    "icons/icon-192.png",
    "icons/favicon.ico",
)


def shell_urls() -> list[str]:
    """The app shell's URLs as this deploy serves them (hashed names in production)."""
    return [static(path) for path in SHELL_STATIC] + [reverse("manifest")]


def shell_version() -> str:
    """A short fingerprint of this deploy's app shell and worker code."""
    source = get_template(SW_TEMPLATE).template.source
    parts = [getattr(settings, "DEPLOY_VERSION", ""), source, *shell_urls()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, at the root so its scope can be the whole site."""
    body = get_template(SW_TEMPLATE).render(
        {
            "version": json.dumps(shell_version()),
            "shell": json.dumps(shell_urls()),
            "log_page": json.dumps(reverse("diary:log")),
            "login_page": json.dumps(reverse("diary:login")),
            "static_prefix": json.dumps(settings.STATIC_URL),
            "offline_js": json.dumps(static("js/offline.js")),
        }
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Always asked afresh, so a new deploy is noticed on the next page load.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what a phone needs to install the diary on its home screen."""
    data = {
        "id": "/",
        "name": APP_NAME,
        "short_name": SHORT_NAME,
        "description": "Log back-related leg and foot pain in seconds, even offline.",
        "start_url": reverse("diary:log"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico for browsers and tools that ask for it without reading the page."""
    return redirect(static("icons/favicon.ico"), permanent=True)
