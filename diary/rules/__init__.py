"""Pure pattern rules over diary entry snapshots (CONTRACT §5); no ORM, no clock."""

from .base import CLINICIAN, NOT_A_DIAGNOSIS, PATIENT, EntrySnapshot, Finding, Location, Rule, Voice
from .registry import (
    ALERT_RULES,
    LOOKBACK_DAYS,
    RED_FLAG_CODES,
    RED_FLAG_RULES,
    RULES,
    evaluate_all,
    evaluate_rules,
    red_flag_findings,
)

__all__ = [
    "ALERT_RULES",
    "CLINICIAN",
    "LOOKBACK_DAYS",
    "NOT_A_DIAGNOSIS",
    "PATIENT",
    "RED_FLAG_CODES",
    "RED_FLAG_RULES",
    "RULES",
    "EntrySnapshot",
    "Finding",
    "Location",
    "Rule",
    "Voice",
    "evaluate_all",
    "evaluate_rules",
    "red_flag_findings",
]
