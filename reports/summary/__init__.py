"""The clinician summary's numbers: a pure function over one period's entry snapshots.

No ORM and no clock. The selector passes the period's snapshots (times already in the
patient's zone) and the patient's flags as plain `FlagNote`s. `values` holds what the summary
is made of, `build` computes it, `flags` lists the flags and `text` words the figures.
"""

from reports.summary.build import (
    location_counts,
    period_change,
    root_areas,
    summary_from_entries,
)
from reports.summary.flags import FlagNote, flags_by_status
from reports.summary.text import ROOT_AREA_NOTE, figure_labels
from reports.summary.values import (
    MIN_GROUP_ENTRIES,
    Change,
    ClinicianSummary,
    Contrast,
    Count,
    GroupMean,
    LocationCount,
    RedFlagOccurrence,
    RootArea,
)

__all__ = [
    "MIN_GROUP_ENTRIES",
    "ROOT_AREA_NOTE",
    "Change",
    "ClinicianSummary",
    "Contrast",
    "Count",
    "FlagNote",
    "GroupMean",
    "LocationCount",
    "RedFlagOccurrence",
    "RootArea",
    "figure_labels",
    "flags_by_status",
    "location_counts",
    "period_change",
    "root_areas",
    "summary_from_entries",
]
