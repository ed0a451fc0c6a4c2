"""The emergency number every page and e-mail offers as a call button (CONTRACT §6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from config.context_processors import emergency_phone_href, site

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); "
    "from django.conf import settings; print(settings.EMERGENCY_PHONE)"
)


def phone_under(env: dict[str, str], tmp_path: Path) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "EMERGENCY_PHONE"}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env})
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "112"), ({"EMERGENCY_PHONE": "999"}, "999"), ({"EMERGENCY_PHONE": " "}, "112")],
)
def test_the_number_comes_from_the_environment_with_112_by_default(tmp_path, env, expected):
    assert phone_under(env, tmp_path) == expected


@pytest.mark.parametrize(
    ("number", "href"),
    [("112", "tel:112"), ("+44 20 7946 0000", "tel:+442079460000"), ("911<script>", "tel:911")],
)
def test_the_call_link_keeps_only_what_a_dialler_reads(number, href):
    assert emergency_phone_href(number) == href


@override_settings(EMERGENCY_PHONE="000")
def test_every_page_gets_the_number_and_its_link():
    found = site(RequestFactory().get("/"))
    assert (found["EMERGENCY_PHONE"], found["EMERGENCY_PHONE_HREF"]) == ("000", "tel:000")
