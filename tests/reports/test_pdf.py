"""The clinician summary PDF: exactly one A4 page for any period of 1–365 days (CONTRACT §7).

Pages are counted by pypdf on real WeasyPrint output for dense diaries (three entries a day
naming many places, kinds of pain, context tags and red flags, with every pattern flagged)
and sparse ones (one entry every five days).
"""

from __future__ import annotations

import io
import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from diary import vocabulary as vocab
from diary.models import Entry, EntryLocation, Flag
from diary.rules.registry import RULES
from diary.services.entries import entry_location_rows
from reports import pdf, selectors
from reports.views import _report_context

pytestmark = pytest.mark.django_db
A4_POINTS = (595, 842)
# Set PDF_OUT=/some/dir to keep the rendered files for a look (pdftoppm -png).
PDF_OUT = os.environ.get("PDF_OUT")

_SIDES = ("left", "right", "both")


def diary(user, *, days: int, dense: bool) -> None:
    """A diary over the last `days` days: dense (3 a day, everything varied) or sparse."""
    zone = user.zone
    today = timezone.now().astimezone(zone).date()
    entries, locations = [], []
    regions = [r.code for r in vocab.REGIONS if r.code not in ("lower_back", "saddle")]
    pains = [p.code for p in vocab.PAIN_TYPES]
    for offset in range(days):
        if not dense and offset % 5:
            continue
        day = today - timedelta(days=offset)
        for n in range(3 if dense else 1):
            moment = datetime.combine(day, time((7 + 6 * n) % 24, 10), tzinfo=zone)
            k = offset * 3 + n
            entry = Entry(
                user=user,
                occurred_at=moment,
                local_date=day,
                timezone=user.timezone,
                timing=vocab.timing_for(moment),
                intensity=(k * 7) % 11,
                pain_types=pains[k % len(pains) : k % len(pains) + (5 if dense else 1)],
                activity=vocab.ACTIVITIES[k % len(vocab.ACTIVITIES)].code,
                red_flags=[vocab.RED_FLAGS[k % len(vocab.RED_FLAGS)].code] if dense else [],
                context=[c.code for c in vocab.CONTEXT_TAGS][: k % 4] if dense else [],
                notes="",
            )
            entries.append(entry)
            picked = [
                (regions[(k + i * 5) % len(regions)], _SIDES[(k + i) % 3])
                for i in range(6 if dense else 1)
            ]
            locations += entry_location_rows(entry=entry, locations=list(dict.fromkeys(picked)))
    Entry.objects.bulk_create(entries)
    EntryLocation.objects.bulk_create(locations)
    if dense:
        now = timezone.now()
        for index, rule in enumerate(RULES):
            code = getattr(rule, "code", None) or f"rule_{index}"
            for status in ("active", "resolved", "acknowledged"):
                Flag.objects.create(
                    user=user,
                    code=code,
                    severity=("emergency", "urgent", "warning", "info")[index % 4],
                    title=f"A long pattern title number {index} for {code.replace('_', ' ')}",
                    explanation=(
                        "The patient logged entries that match this pattern over the last "
                        "fourteen days, with intensities well above the rest of the diary; "
                        "this is a pattern in the diary, not a diagnosis. " * 2
                    ),
                    source="Patient guide: a passage with a fairly long name",
                    status=status,
                    first_detected_at=now - timedelta(days=index),
                    last_seen_at=now - timedelta(hours=index),
                )


def render(user, days: int, paper: str = "A4") -> bytes:
    start, end = selectors.period_ending_today(user=user, days=days, now=timezone.now())
    data = selectors.report_data(user=user, start=start, end=end)
    return pdf.summary_pdf({**_report_context(data), "label": "", "figures": []}, paper=paper)


def pages(content: bytes) -> list:
    return PdfReader(io.BytesIO(content)).pages


@pytest.mark.parametrize("dense", [True, False], ids=["dense", "sparse"])
@pytest.mark.parametrize("days", [1, 7, 90, 365])
def test_the_summary_is_exactly_one_a4_page(user, days, dense):
    diary(user, days=days, dense=dense)

    content = render(user, days)

    if PDF_OUT:
        Path(PDF_OUT, f"summary-{days}-{'dense' if dense else 'sparse'}.pdf").write_bytes(content)
    (page,) = pages(content)
    assert (round(page.mediabox.width), round(page.mediabox.height)) == A4_POINTS


def test_an_empty_diary_is_one_page(user):
    assert len(pages(render(user, 90))) == 1


def test_us_letter_is_one_page_too(user):
    diary(user, days=365, dense=True)
    (page,) = pages(render(user, 365, paper="letter"))
    assert round(page.mediabox.height) == 792


def test_the_pdf_lists_flags_by_severity_and_counts_the_rest(user):
    diary(user, days=30, dense=True)
    start, end = selectors.period_ending_today(user=user, days=30, now=timezone.now())
    summary = selectors.report_data(user=user, start=start, end=end).summary

    sections = pdf.pdf_sections(summary, pdf.PDF_LIMITS[0])

    shown = sections["pdf_flags"]
    total = len(summary.active_flags) + len(summary.past_flags)
    assert len(shown) == pdf.PDF_LIMITS[0].flags
    assert sections["more_flags"] == total - len(shown)
    ranks = [("emergency", "urgent", "warning", "info").index(f.severity) for f in shown]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert shown[0].is_active
    assert len(sections["pdf_red_flags"]) == pdf.PDF_LIMITS[0].red_flags
    assert sections["pdf_red_flags"][0].occurred_at >= sections["pdf_red_flags"][-1].occurred_at
    assert len(sections["pdf_locations"]) + sections["more_locations"] == len(summary.locations)
