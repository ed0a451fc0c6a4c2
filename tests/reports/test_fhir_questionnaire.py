"""The check-in Questionnaire: its fixed canonical URL, version 1's items, answers that fit it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest

from diary import outcomes as terms
from reports.fhir import bundle_build, questionnaire
from reports.fhir.questionnaire import questionnaire_resource
from reports.fhir.resources import checkin_resources
from tests.support.fhir import export_of
from tests.support.snapshots import checkin_snapshot as checkin

# Version 1 as published: changing any of this means a new `questionnaire.VERSION`.
VERSION_1_ITEMS = [
    ("scale", "display", questionnaire.SCALE_TEXT),
    ("leg_pain", "integer", "How much did pain in your leg bother you?"),
    (
        "numbness_tingling",
        "integer",
        "How much did numbness or tingling in your leg or foot bother you?",
    ),
    ("weakness", "integer", "How much did weakness in your leg or foot bother you?"),
    ("sitting_pain", "integer", "How much did pain when you sit bother you?"),
    ("total", "integer", "Total of the four answers (0-24)"),
    ("global_change", "choice", "Compared with when this began, how is your sciatica now?"),
]
VERSION_1_SCALE = (
    "Each answer from 0 to 6: 0 = Not at all, 1 = Hardly, 2 = A little, 3 = Somewhat, "
    "4 = Quite a lot, 5 = Very much, 6 = Extremely bothersome"
)
VERSION_1_CHANGES = [
    ("completely_recovered", "Completely better"),
    ("much_better", "Much better"),
    ("better", "A bit better"),
    ("no_change", "About the same"),
    ("worse", "A bit worse"),
    ("much_worse", "Much worse"),
    ("worst_ever", "Worse than ever"),
]


def test_version_1_asks_what_it_asked_when_published() -> None:
    resource = questionnaire_resource()

    assert resource["version"] == "1"
    assert [(i["linkId"], i["type"], i["text"]) for i in resource["item"]] == VERSION_1_ITEMS
    assert questionnaire.SCALE_TEXT == VERSION_1_SCALE
    (change,) = [i for i in resource["item"] if i["linkId"] == "global_change"]
    assert [
        (o["valueCoding"]["code"], o["valueCoding"]["display"]) for o in change["answerOption"]
    ] == VERSION_1_CHANGES


def test_the_canonical_url_is_a_fixed_urn_whatever_the_site(settings) -> None:
    settings.SITE_URL = "https://diary.clinic.example"
    export = export_of(checkins=(checkin(),))

    text = json.dumps(
        bundle_build(
            export,
            bundle_type="collection",
            bundle_id=str(uuid.uuid4()),
            now=datetime(2026, 2, 1, tzinfo=UTC),
        )
    )

    assert questionnaire.URL == "urn:uuid:94b75f8a-92d4-444c-8b64-17e9367c84d2"
    assert questionnaire_resource()["url"] == questionnaire.URL
    assert questionnaire.GLOBAL_CHANGE_SYSTEM.startswith("urn:uuid:")
    assert "clinic.example" not in text
    assert "127.0.0.1" not in text and "localhost" not in text


def test_integer_items_are_bounded_and_required_but_the_total_is_read_only() -> None:
    items = {i["linkId"]: i for i in questionnaire_resource()["item"]}

    def bounds(item: dict) -> list[int]:
        return [e["valueInteger"] for e in item["extension"]]

    for code in terms.CHECKIN_ITEM_CODES:
        assert bounds(items[code]) == [0, 6]
        assert items[code]["required"] is True
    assert bounds(items["total"]) == [0, 24]
    assert items["total"]["readOnly"] is True
    assert "required" not in items["total"]
    assert items["global_change"]["required"] is True


@pytest.mark.parametrize(
    ("answers", "change"), [((0, 0, 0, 0), "completely_recovered"), ((6, 6, 6, 6), "worst_ever")]
)
def test_every_answer_fits_its_item(answers, change) -> None:
    items = {i["linkId"]: i for i in questionnaire_resource()["item"]}
    export = export_of(
        checkins=(checkin(week_of=date(2026, 3, 2), items=answers, global_change=change),)
    )

    (response,) = checkin_resources(export)

    for answered in response["item"]:
        item = items[answered["linkId"]]
        assert answered["text"] == item["text"]
        (answer,) = answered["answer"]
        if item["type"] == "integer":
            low, high = (e["valueInteger"] for e in item["extension"])
            assert low <= answer["valueInteger"] <= high
        else:
            assert answer in item["answerOption"]
    assert {a["linkId"] for a in response["item"]} == set(items) - {"scale"}
