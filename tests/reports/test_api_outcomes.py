"""GET /api/export/treatments.csv and /api/export/checkins.csv (CONTRACT §8)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine

from diary.models import SecurityEvent
from reports.outcome_exports import CHECKIN_COLUMNS, TREATMENT_COLUMNS
from tests.factories import CheckInFactory, TreatmentEventFactory

pytestmark = pytest.mark.django_db
SUMMER = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 Jul in London


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_treatments_csv_has_labels_codes_and_local_times(api_client, user):
    with time_machine.travel(SUMMER, tick=False):
        event = TreatmentEventFactory(
            user=user,
            kind="medication_change",
            name="Pregabalin 75 mg → 150 mg",
            started_on=date(2026, 6, 20),
            notes="=cmd|' /C calc'!A0",
        )
    response = api_client.get("/api/export/treatments.csv")
    found = rows(response)
    assert response.content.decode().splitlines()[0] == ",".join(TREATMENT_COLUMNS)
    assert found == [
        {
            "id": str(event.pk),
            "started_on": "2026-06-20",
            "kind": "Changed a medicine or its dose",
            "kind_code": "medication_change",
            "name": "Pregabalin 75 mg → 150 mg",
            "notes": "'=cmd|' /C calc'!A0",  # a spreadsheet formula is defused
            "created_at": "2026-07-02T00:30:00+01:00",
            "updated_at": "2026-07-02T00:30:00+01:00",
        }
    ]


def test_checkins_csv_has_items_total_and_the_global_change(api_client, user):
    CheckInFactory(
        user=user,
        week_of=date(2026, 6, 22),
        leg_pain=5,
        numbness_tingling=4,
        weakness=0,
        sitting_pain=6,
        global_change="much_worse",
    )
    CheckInFactory(user=user, week_of=date(2026, 6, 15))
    response = api_client.get("/api/export/checkins.csv")
    found = rows(response)
    assert response.content.decode().splitlines()[0] == ",".join(CHECKIN_COLUMNS)
    assert [r["week_of"] for r in found] == ["2026-06-15", "2026-06-22"]
    latest = found[1]
    assert {k: latest[k] for k in CHECKIN_COLUMNS[1:10]} == {
        "week_of": "2026-06-22",
        "week_to": "2026-06-28",
        "leg_pain": "5",
        "numbness_tingling": "4",
        "weakness": "0",
        "sitting_pain": "6",
        "total": "15",
        "global_change": "Much worse",
        "global_change_code": "much_worse",
    }


def test_empty_exports_are_a_header_only(api_client):
    for path, columns in (
        ("/api/export/treatments.csv", TREATMENT_COLUMNS),
        ("/api/export/checkins.csv", CHECKIN_COLUMNS),
    ):
        response = api_client.get(path)
        assert response.content.decode() == ",".join(columns) + "\r\n"


def test_exports_are_logged(api_client, user):
    api_client.get("/api/export/treatments.csv")
    api_client.get("/api/export/checkins.csv")
    details = set(
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).values_list(
            "detail", flat=True
        )
    )
    assert details == {"treatments.csv", "checkins.csv"}


@pytest.mark.parametrize("path", ["/api/export/treatments.csv", "/api/export/checkins.csv"])
def test_strangers_get_401(anon_client, path):
    assert anon_client.get(path).status_code == 401


def test_an_outsiders_exports_hold_none_of_the_patients_rows(other_api_client, user):
    TreatmentEventFactory(user=user, name="zebra-private-treatment")
    CheckInFactory(user=user)
    assert rows(other_api_client.get("/api/export/treatments.csv")) == []
    assert rows(other_api_client.get("/api/export/checkins.csv")) == []
