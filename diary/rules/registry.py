"""Every pattern rule of CONTRACT §5, and how to run them safely over one patient's entries."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from .base import EntrySnapshot, Finding, Rule
from .context import ENTRAPMENT_CONTEXT
from .course import PERSISTENT_PAIN, WORSENING_TREND
from .red_flags import ALERT_RULES, MOTOR_WEAKNESS, RED_FLAG_RULES
from .signs import RED_FLAG_CODES
from .spread import BILATERAL_SYMPTOMS, LOCAL_FOOT_PATTERN, SPREADING_SYMPTOMS
from .timing import ACTIVITY_WORSE_PAIN, NIGHT_WORSE_NERVE_PAIN, WALKING_WORSE_NERVE_PAIN

logger = logging.getLogger(__name__)

# Adding a rule: write its function and Rule in its family module, then add one line here.
RULES: tuple[Rule, ...] = (
    *RED_FLAG_RULES,
    MOTOR_WEAKNESS,
    NIGHT_WORSE_NERVE_PAIN,
    WALKING_WORSE_NERVE_PAIN,
    ACTIVITY_WORSE_PAIN,
    SPREADING_SYMPTOMS,
    BILATERAL_SYMPTOMS,
    WORSENING_TREND,
    PERSISTENT_PAIN,
    LOCAL_FOOT_PATTERN,
    ENTRAPMENT_CONTEXT,
)

# How many days of entries (ending at as_of) the service loads so that every rule sees its window.
LOOKBACK_DAYS: int = max(rule.window_days for rule in RULES)

__all__ = [
    "ALERT_RULES",
    "LOOKBACK_DAYS",
    "RED_FLAG_CODES",
    "RED_FLAG_RULES",
    "RULES",
    "evaluate_all",
    "evaluate_rules",
    "red_flag_findings",
]


def evaluate_rules(
    rules: Sequence[Rule], entries: Sequence[EntrySnapshot], as_of: date
) -> dict[str, Finding]:
    """Findings keyed by code for the given rules; a rule that fails is logged and skipped."""
    findings: dict[str, Finding] = {}
    for rule in rules:
        try:
            finding = rule.evaluate(entries, as_of)
        except Exception:
            # Odd data must not hide the other patterns, least of all a red flag.
            logger.exception("Pattern rule %s failed (as of %s)", rule.code, as_of)
            continue
        if finding is not None:
            findings[rule.code] = finding
    return findings


def evaluate_all(entries: Sequence[EntrySnapshot], as_of: date) -> dict[str, Finding]:
    """Findings keyed by code for every rule whose condition holds on `as_of`."""
    return evaluate_rules(RULES, entries, as_of)


def red_flag_findings(entries: Sequence[EntrySnapshot], as_of: date) -> dict[str, Finding]:
    """Findings of the emergency red-flag rules only, for the instant path after a save."""
    return evaluate_rules(RED_FLAG_RULES, entries, as_of)
