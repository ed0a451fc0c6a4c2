"""Pure pattern rules over diary entry snapshots (CONTRACT §5); no ORM, no clock."""

from .base import NOT_A_DIAGNOSIS, EntrySnapshot, Finding, Location, Rule
from .registry import (
    LOOKBACK_DAYS,
    RED_FLAG_CODES,
    RED_FLAG_RULES,
    RULES,
    evaluate_all,
    evaluate_rules,
    red_flag_findings,
)

__all__ = [
    "LOOKBACK_DAYS",
    "NOT_A_DIAGNOSIS",
    "RED_FLAG_CODES",
    "RED_FLAG_RULES",
    "RULES",
    "EntrySnapshot",
    "Finding",
    "Location",
    "Rule",
    "evaluate_all",
    "evaluate_rules",
    "red_flag_findings",
]
