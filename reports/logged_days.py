"""Split a period's entries into its first and last logged days (CONTRACT §7).

"Change over the period" compares the first and the last 14 *logged* days: a period that
starts before the patient began logging, or has gaps, still compares like with like. Pure:
entry snapshots in, two groups out.
"""

from __future__ import annotations

from collections.abc import Sequence

from diary.rules.base import EntrySnapshot

LOGGED_DAYS_COMPARED = 14
# Below two logged days a side, one odd day would decide the comparison.
MIN_LOGGED_DAYS_A_SIDE = 2


def split_logged_days(
    entries: Sequence[EntrySnapshot], days: int = LOGGED_DAYS_COMPARED
) -> tuple[list[EntrySnapshot], list[EntrySnapshot], int] | None:
    """(entries of the first `days` logged days, of the last `days`, how many days a side).

    With fewer than 2 × `days` logged days, each side takes half of them (the middle day of
    an odd count is left out), so the two sides never share a day. None below two days a side.
    """
    logged = sorted({e.local_date for e in entries})
    stretch = min(days, len(logged) // 2)
    if stretch < MIN_LOGGED_DAYS_A_SIDE:
        return None
    first_days = set(logged[:stretch])
    last_days = set(logged[-stretch:])
    first = [e for e in entries if e.local_date in first_days]
    last = [e for e in entries if e.local_date in last_days]
    return first, last, stretch
