"""The weekly check-in as a FHIR Questionnaire, carried in every export that holds a check-in.

Its canonical URL is a fixed `urn:uuid`, never one made from `SITE_URL`. A canonical URL names
the questionnaire, not the server it came from: two deployments of the app ask the same
questions, so their answers must point at the same Questionnaire, and a URL that changes with
the host (or is a plain-http loopback address) would tell a receiving system that every
deployment asks something different. We own no domain that would keep an `http` address alive,
and a made-up one would look resolvable without being so; FHIR allows a URN where a canonical
URL cannot be a literal address. The export carries the Questionnaire itself, so a receiver
resolves `QuestionnaireResponse.questionnaire` inside the Bundle (or, after a transaction, by
`Questionnaire?url=`) without fetching anything.

The urn and `VERSION` go together: change an item's wording, its answers or its link id and
`VERSION` must change too (tests pin version 1's items), so stored answers keep pointing at the
questions they answered. The global change answers are codes of the app's own (the
`GLOBAL_CHANGE_SYSTEM` urn, the same in every deployment), with the app's words as display;
the wording is the app's own, never an instrument's (DOMAIN.md "Outcomes and treatments").
"""

from __future__ import annotations

from typing import Any

from diary import outcomes as terms
from reports.fhir import codes

QUESTIONNAIRE_ID = "94b75f8a-92d4-444c-8b64-17e9367c84d2"
URL = f"urn:uuid:{QUESTIONNAIRE_ID}"
VERSION = "1"
CANONICAL = f"{URL}|{VERSION}"
GLOBAL_CHANGE_SYSTEM = "urn:uuid:f67d63d2-ea22-43f3-8ac4-676a0c5d3724"
TOTAL_LINK_ID = "total"
TOTAL_TEXT = f"Total of the four answers (0-{terms.TOTAL_MAX})"
SCALE_TEXT = "Each answer from 0 to 6: " + ", ".join(
    f"{value} = {label}" for value, label in enumerate(terms.BOTHER_SCALE)
)
# FHIR core extensions (published, fixed): the bounds of an integer item.
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"


def global_change_coding(code: str) -> dict[str, str]:
    """The answer to the global change question as a Coding in the app's own code system."""
    return codes.coding(GLOBAL_CHANGE_SYSTEM, code, terms.GLOBAL_CHANGE_LABEL.get(code, code))


def _bounded_integer(link_id: str, text: str, *, high: int, **more: Any) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "text": text,
        "type": "integer",
        "extension": [
            {"url": MIN_VALUE, "valueInteger": terms.ITEM_MIN},
            {"url": MAX_VALUE, "valueInteger": high},
        ],
        **more,
    }


def questionnaire_resource() -> dict[str, Any]:
    """The check-in Questionnaire: the four 0-6 items, their total, the global change."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "identifier": [codes.uri_identifier(QUESTIONNAIRE_ID)],
        "url": URL,
        "version": VERSION,
        "name": "WeeklySciaticaCheckIn",
        "title": "Weekly check-in",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "How much four symptoms bothered the patient in the past week, and how the "
            "patient's sciatica has changed since it began. The app's own wording."
        ),
        "item": [
            {"linkId": "scale", "text": SCALE_TEXT, "type": "display"},
            *(
                _bounded_integer(item.code, item.question, high=terms.ITEM_MAX, required=True)
                for item in terms.CHECKIN_ITEMS
            ),
            _bounded_integer(TOTAL_LINK_ID, TOTAL_TEXT, high=terms.TOTAL_MAX, readOnly=True),
            {
                "linkId": "global_change",
                "text": terms.GLOBAL_CHANGE_QUESTION,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": global_change_coding(t.code)} for t in terms.GLOBAL_CHANGES
                ],
            },
        ],
    }
