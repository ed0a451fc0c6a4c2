"""What the patient's context tags suggest: a nerve pressed outside the spine.

Interpretation of CONTRACT §5 `entrapment_context`: last 28 days; a tag qualifies when >= 2
entries (intensity >= 1, so their locations are symptoms) carry it together with a knee,
lower-leg, ankle or foot location (level >= 3). One finding names every qualifying tag, in
vocabulary order; its evidence is those entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from diary.vocabulary import CONTEXT_TAGS, region_level

from .base import INFO, EntrySnapshot, Finding, Rule, Voice, in_window, is_painful, plural

ENTRAPMENT_WINDOW_DAYS = 28
ENTRAPMENT_MIN_ENTRIES = 2
ENTRAPMENT_MIN_LEVEL = 3  # knee / lower leg and below
SOURCE = "Patient guide: Nerve entrapment outside the spine"

# What patient guides describe for each tag; worded as a description, never a diagnosis.
ENTRAPMENT_TEXTS: dict[str, str] = {
    "new_shoes": (
        "pressure from shoes or crossing the legs pressing the peroneal nerve near the knee "
        "(top of the foot, trouble lifting the foot) or the sural nerve at the outer ankle and foot"
    ),
    "hip_injection_or_surgery": (
        "the sciatic nerve irritated at the hip after an injection or surgery there"
    ),
    "recent_injury": "a nerve hurt where the injury happened, which then locates the trouble",
}


def _qualifies(entry: EntrySnapshot, tag: str) -> bool:
    return (
        tag in entry.context
        and is_painful(entry)
        and any(region_level(loc.region) >= ENTRAPMENT_MIN_LEVEL for loc in entry.locations)
    )


def entrapment_context(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """At least 2 entries tagged with a context that can press a nerve, below the knee."""
    window = in_window(entries, as_of, ENTRAPMENT_WINDOW_DAYS)
    hits: dict[str, list[EntrySnapshot]] = {}
    for term in CONTEXT_TAGS:
        if term.code not in ENTRAPMENT_TEXTS:
            continue
        tagged = [e for e in window if _qualifies(e, term.code)]
        if len(tagged) >= ENTRAPMENT_MIN_ENTRIES:
            hits[term.code] = tagged
    if not hits:
        return None
    labels = {t.code: t.label.lower() for t in CONTEXT_TAGS}

    def text(v: Voice) -> str:
        tagged = "; ".join(
            f"“{labels[code]}” in {plural(len(found), 'entry', 'entries')}"
            for code, found in hits.items()
        )
        described = "; ".join(f"for {labels[code]}, {ENTRAPMENT_TEXTS[code]}" for code in hits)
        return (
            f"Over the last {ENTRAPMENT_WINDOW_DAYS} days {v.you} tagged symptoms at or below "
            f"the knee with {tagged}. Patient guides describe nerves pressed outside the spine "
            f"that can cause leg and foot symptoms: {described}. Mention this to a health "
            "professional, who can tell these apart from a nerve root in the back."
        )

    return ENTRAPMENT_CONTEXT.finding(
        title="Symptoms logged with a possible nerve-pressure context",
        explanation=text,
        source=SOURCE,
        evidence=[e for found in hits.values() for e in found],
    )


ENTRAPMENT_CONTEXT = Rule("entrapment_context", INFO, ENTRAPMENT_WINDOW_DAYS, entrapment_context)
