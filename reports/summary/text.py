"""Words around the clinician summary: figure text alternatives and the root-area caveat."""

from __future__ import annotations

from reports.summary.values import ClinicianSummary

ROOT_AREA_NOTE = (
    "Typical textbook areas only, not a finding: where pain is felt predicts the affected "
    "nerve root poorly, so this is not a diagnosis."
)


def figure_labels(summary: ClinicianSummary) -> dict[str, str]:
    """One-sentence text alternatives for the figures, keyed by figure slug."""
    if summary.is_empty:
        return {}
    mean = f"{summary.mean_intensity:.1f}" if summary.mean_intensity is not None else "–"
    night = summary.night_vs_day
    top_region = ", ".join(summary.most_distal_regions[:3]) or "no location given"
    top_pain = ", ".join(c.label for c in summary.pain_types[:3]) or "none chosen"
    top_activity = ", ".join(c.label for c in summary.activities[:3]) or "none given"
    return {
        "daily-intensity": (
            f"Daily pain intensity over {summary.days_in_period} days: average {mean}/10, "
            f"worst {summary.worst_intensity}/10, logged on {summary.days_logged} days."
        ),
        "time-of-day": (
            f"Pain by time of day: {night.first.count} evening or night entries, "
            f"{night.second.count} morning or afternoon entries."
        ),
        "regions": f"Where it hurts, by side. Furthest down the leg: {top_region}.",
        "pain-types": f"Kinds of pain by week. Most often: {top_pain}.",
        "activity": f"Pain by activity. Most often logged: {top_activity}.",
        "distal-level": (
            f"How far down the leg symptoms reached each day; furthest: "
            f"{summary.most_distal_label or 'not recorded'}."
        ),
    }
