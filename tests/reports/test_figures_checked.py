"""Pages build their Plotly figures without Plotly's property checks (reports.figures.style
.unchecked); here every figure of full, sparse and empty reports is rebuilt with the checks on
and must come out as the very same JSON. A misspelt property or a value Plotly would coerce
fails here."""

from __future__ import annotations

import json
from datetime import timedelta

import plotly.graph_objects as go
import pytest
from django.utils import timezone

from diary.services.scan import scan_chunk
from reports.figures import figure_json, figures_for_report
from reports.figures.outcomes import figure_checkins
from reports.selectors import period_ending_today, report_data
from tests.factories import CheckInFactory, TreatmentEventFactory
from tests.support.entries import log, night_pattern, seed

pytestmark = pytest.mark.django_db


def _checked_json(fig: go.Figure) -> dict:
    # The validating constructor raises on any property Plotly does not know.
    return json.loads(go.Figure(fig.to_plotly_json()).to_json())


def _figures(user, days: int) -> list[tuple[str, go.Figure]]:
    start, end = period_ending_today(user=user, days=days, now=timezone.now())
    series = report_data(user=user, start=start, end=end).series
    return [(slug, fig) for slug, _, fig in figures_for_report(series)] + [
        ("check-ins", figure_checkins(series))
    ]


@pytest.fixture
def busy_diary(user):
    today = timezone.now().astimezone(user.zone).date()
    seed(user, days=120, per_day=3)
    night_pattern(user, end=today)
    log(user, today - timedelta(days=2), intensity=9, locations=[("thigh_back", "right")])
    log(user, today, intensity=7, red_flags=["saddle_numbness"], locations=[("saddle", "center")])
    scan_chunk(user_ids=[user.pk])  # flags on the chart
    TreatmentEventFactory(user=user, started_on=today - timedelta(days=20), name="Epidural")
    TreatmentEventFactory(user=user, kind="medicine", started_on=today - timedelta(days=3))
    for weeks in range(4):
        CheckInFactory(user=user, week_of=today - timedelta(days=today.weekday() + 7 * weeks))
    return user


@pytest.mark.parametrize("days", [1, 7, 30, 90, 365])
def test_every_figure_of_a_busy_diary_passes_plotlys_checks_unchanged(busy_diary, days):
    for slug, fig in _figures(busy_diary, days):
        assert json.loads(fig.to_json()) == _checked_json(fig), slug


def test_the_empty_figures_pass_the_checks_unchanged(user):
    for slug, fig in _figures(user, 30):
        assert json.loads(fig.to_json()) == _checked_json(fig), slug


def test_an_unknown_property_is_caught_by_the_check():
    fig = go.Figure(_validate=False, data=[go.Scatter(_validate=False, markr={"size": 3})])
    with pytest.raises(ValueError, match="markr"):
        _checked_json(fig)


def test_the_page_json_is_the_checked_figure_json(busy_diary):
    for slug, fig in _figures(busy_diary, 30):
        assert json.loads(figure_json(fig)) == _checked_json(fig), slug
