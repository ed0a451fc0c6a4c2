"""The installable app: web manifest, service worker at /sw.js, favicon (CONTRACT §6)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from config import pwa

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_starts_on_the_log_page_and_runs_standalone(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Back & leg pain diary"
    assert manifest["short_name"] == "Pain diary"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"


def test_the_manifest_icons_are_real_pngs_of_the_sizes_they_claim(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    found = set()
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, f"{icon['src']} is not a static file"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        found.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= found


def test_the_service_worker_is_javascript_allowed_the_whole_site_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_the_service_worker_caches_the_log_page_and_every_file_it_needs(client):
    body = client.get("/sw.js").content.decode()
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", body).group(1))
    for path in ("css/app.css", "css/diary.css", "js/log.js", "js/when.js", "js/offline.js"):
        assert f"/static/{path}" in shell
    assert "/manifest.webmanifest" in shell
    assert 'var LOG_PAGE = "/";' in body
    assert 'importScripts("/static/js/offline.js");' in body
    assert "{{" not in body and "{%" not in body


def test_a_new_deploy_version_changes_the_workers_bytes(client, settings):
    settings.DEPLOY_VERSION = "deploy-1"
    first = client.get("/sw.js").content
    assert client.get("/sw.js").content == first  # stable while nothing changes
    settings.DEPLOY_VERSION = "deploy-2"
    second = client.get("/sw.js").content
    assert second != first
    assert pwa.shell_version() in second.decode()


def test_the_favicon_is_served_so_no_page_logs_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/icons/favicon.ico"
    assert finders.find("icons/favicon.ico")


def test_every_page_links_the_manifest_and_favicon_and_has_a_description(client):
    html = client.get("/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<link rel="icon" href="/static/icons/favicon\.ico"', html)
    assert re.search(r'<meta name="description" content="[^"]{50,}">', html)


def test_logged_in_pages_register_the_worker_and_carry_the_outbox(web_client, user):
    html = web_client.get("/entries/").content.decode()
    assert f'data-user="{user.email}"' in html
    assert 'data-sw="/sw.js"' in html
    assert re.search(r'<script src="/static/js/offline\.js" defer>', html)
    assert "data-outbox " in html


def test_pages_of_no_one_register_no_worker(client):
    html = client.get("/login/").content.decode()
    assert "data-sw=" not in html and "offline.js" not in html and "data-outbox" not in html
