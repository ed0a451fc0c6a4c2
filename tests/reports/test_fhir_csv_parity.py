"""The CSV and FHIR exports carry the same entries, locations with sides, and red flags."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from diary import vocabulary as vocab
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
SIDE_CODE = {"7771000": "left", "24028007": "right", "51440002": "both"}
REGION_BY_LABEL = {r.label: r.code for r in vocab.REGIONS}
SIDE_BY_LABEL = {s.label.lower(): s.code for s in vocab.SIDES}
RED_FLAG_BY_LABEL = {f.label: f.code for f in vocab.RED_FLAGS}


@pytest.fixture
def diary(user):
    """Every region once, sides rotating, red flags spread over the entries, one pain-free day."""
    sides = ("left", "right", "both")
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    for i, region in enumerate(vocab.REGIONS):
        side = "center" if region.code in vocab.CENTER_REGIONS else sides[i % 3]
        other = vocab.REGIONS[(i + 7) % len(vocab.REGIONS)].code
        other_side = "center" if other in vocab.CENTER_REGIONS else sides[(i + 1) % 3]
        EntryFactory(
            user=user,
            occurred_at=start + timedelta(hours=9 * i),
            intensity=i % 11,
            locations=[(region.code, side), (other, other_side)],
            red_flags=[f.code for f in vocab.RED_FLAGS[: i % (len(vocab.RED_FLAGS) + 1)]],
        )
    EntryFactory(user=user, occurred_at=start - timedelta(days=1), intensity=0, locations=[])


def csv_view(response) -> dict[str, tuple[int, set[tuple[str, str]], set[str]]]:
    # CONTRACT §7: the label columns are for people; the `_codes` columns carry the codes.
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {
        row["id"]: (
            int(row["intensity"]),
            {tuple(pair.split(":")) for pair in row["location_codes"].split(";") if pair},
            {code for code in row["red_flag_codes"].split(";") if code},
        )
        for row in rows
    }


def _location(component: dict) -> tuple[str, str]:
    value = component["valueCodeableConcept"]
    region_label, side_label = value["text"].rsplit(", ", 1)
    side = SIDE_BY_LABEL[side_label]
    # The coded side, where there is one, must say the same as the text.
    extension = value.get("extension")
    if extension:
        assert SIDE_CODE[extension[0]["valueCodeableConcept"]["coding"][0]["code"]] == side
    else:
        assert side == "center"
    return REGION_BY_LABEL[region_label], side


def fhir_view(bundle: dict) -> dict[str, tuple[int, set[tuple[str, str]], set[str]]]:
    by_url = {item["fullUrl"]: item["resource"] for item in bundle["entry"]}
    view = {}
    for resource in by_url.values():
        if resource.get("code", {}).get("coding", [{}])[0].get("code") != "72514-3":
            continue
        locations = {
            _location(c) for c in resource.get("component", []) if c["code"]["text"] == "Location"
        }
        flags = {
            RED_FLAG_BY_LABEL[by_url[member["reference"]]["code"]["text"]]
            for member in resource.get("hasMember", [])
        }
        view[resource["id"]] = (resource["valueInteger"], locations, flags)
    return view


def test_csv_and_fhir_carry_the_same_entries_sides_and_red_flags(api_client, diary) -> None:
    from_csv = csv_view(api_client.get("/api/export/entries.csv"))
    from_fhir = fhir_view(api_client.get("/api/export/fhir/").json())

    assert len(from_csv) == len(vocab.REGIONS) + 1
    assert from_fhir == from_csv
    # The diary exercises what the comparison is about.
    assert {side for _, locs, _ in from_csv.values() for _, side in locs} == {
        "left",
        "right",
        "both",
        "center",
    }
    assert set().union(*(flags for _, _, flags in from_csv.values())) == {
        f.code for f in vocab.RED_FLAGS
    }


def test_the_red_flag_observations_are_exactly_those_the_csv_lists(api_client, diary) -> None:
    bundle = api_client.get("/api/export/fhir/").json()
    rows = csv_view(api_client.get("/api/export/entries.csv"))

    critical = [
        r
        for r in (i["resource"] for i in bundle["entry"])
        if r.get("interpretation", [{}])[0].get("coding", [{}])[0].get("code") == "AA"
    ]

    assert len(critical) == sum(len(flags) for _, _, flags in rows.values())
    for resource in critical:
        entry_id = resource["derivedFrom"][0]["reference"].removeprefix("urn:uuid:")
        assert RED_FLAG_BY_LABEL[resource["code"]["text"]] in rows[entry_id][2]
