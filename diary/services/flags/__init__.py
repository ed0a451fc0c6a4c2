"""The flag lifecycle: the pure planning (`lifecycle`) and the loading and saving (`refresh`)."""

from .refresh import (
    FlagEvent,
    RefreshResult,
    flag_acknowledge,
    patterns_refresh,
    patterns_refresh_many,
    red_flags_raise,
)

__all__ = [
    "FlagEvent",
    "RefreshResult",
    "flag_acknowledge",
    "patterns_refresh",
    "patterns_refresh_many",
    "red_flags_raise",
]
