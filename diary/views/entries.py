"""Web pages for logging, listing, editing and deleting diary entries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from diary import bodymap
from diary import vocabulary as vocab
from diary.forms.entries import EntryForm, values_from_entry
from diary.forms.entry_display import intensity_band
from diary.models import Entry, User
from diary.rules.signs import codes_for
from diary.selectors import entries as entry_selectors
from diary.services import entries as entry_services

DAYS_PER_PAGE = 30


@dataclass(frozen=True)
class EntryRow:
    """One entry in words, for the diary list and the delete confirmation."""

    entry: Entry
    time: str
    timing: str
    intensity: int
    band: str
    word: str
    locations: list[str]
    pain_types: list[str]
    activity: str
    emergency_flags: list[str]
    urgent_flags: list[str]
    context: list[str]
    notes: str


def entry_row(entry: Entry) -> EntryRow:
    """Codes of an entry turned into labels, the time in the zone it was logged in."""
    labels = vocab.labels(vocab.TIMINGS, vocab.ACTIVITIES, vocab.CONTEXT_TAGS)
    band, word = intensity_band(entry.intensity)
    flags = [vocab.RED_FLAG_BY_CODE[c] for c in entry.red_flags if c in vocab.RED_FLAG_BY_CODE]
    return EntryRow(
        entry=entry,
        time=entry.occurred_at.astimezone(ZoneInfo(entry.timezone)).strftime("%H:%M"),
        # "Evening (17–22)" reads as plain "Evening" next to the clock time.
        timing=labels.get(entry.timing, entry.timing).partition(" (")[0],
        intensity=entry.intensity,
        band=band,
        word=word,
        locations=[bodymap.location_label(loc.region, loc.side) for loc in entry.locations.all()],
        pain_types=[vocab.PAIN_TYPE_BY_CODE[c].label for c in entry.pain_types],
        activity=labels.get(entry.activity, ""),
        **_sign_labels(entry, flags),
        context=[labels.get(c, c) for c in entry.context],
        notes=entry.notes,
    )


def _sign_labels(entry: Entry, flags: list[vocab.RedFlag]) -> dict[str, list[str]]:
    """Emergency and urgent signs to advise on: ticked boxes, and what the body map says."""
    emergency = [f.label for f in flags if f.severity == "emergency"]
    urgent = [f.label for f in flags if f.severity != "emergency"]
    codes = codes_for(
        red_flags=entry.red_flags,
        pain_types=entry.pain_types,
        regions=[loc.region for loc in entry.locations.all()],
    )
    if "red_flag_saddle_numbness" in codes and "saddle_numbness" not in entry.red_flags:
        emergency.append("Numbness or tingling marked in the saddle area")
    if "motor_weakness" in codes and not urgent:
        urgent.append("Weakness or heaviness in the ankle or foot")
    return {"emergency_flags": emergency, "urgent_flags": urgent}


def _day_label(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%A} {day.day} {day:%B %Y}"


def _list_url(saved: uuid.UUID, *, again: bool = False) -> str:
    query = {"saved": saved, **({"again": 1} if again else {})}
    return f"{reverse('diary:entry-list')}?{urlencode(query)}"


def _own_entry_or_404(user: User, pk: uuid.UUID) -> Entry:
    # Another patient's id looks exactly like a missing one.
    entry = entry_selectors.entry_get(user=user, entry_id=pk)
    if entry is None:
        raise Http404("No such entry.")
    return entry


@login_required
def log_entry(request: HttpRequest) -> HttpResponse:
    """The home page: log how it feels now; `?same=1` pre-fills the previous entry."""
    user = request.user
    if user.is_clinician:
        return redirect("/clinician/")  # a clinician's home is their patient list
    latest = entry_selectors.entry_latest(user=user)
    initial = None
    if request.method == "POST":
        form = EntryForm(user=user, data=request.POST)
        if form.is_valid():
            try:
                entry, created = entry_services.entry_create(
                    user=user, data=form.entry_input(), entry_id=form.entry_uuid
                )
            except entry_services.EntryIdTaken:
                form.renew_id("This form had expired; please save again.")
            else:
                # The diary page confirms the save itself (see entry_list.html).
                return redirect(_list_url(saved=entry.pk, again=not created))
    else:
        if request.GET.get("same") and latest is not None:
            initial = values_from_entry(latest, user=user, with_time=False)
        form = EntryForm(user=user, initial=initial)
    return render(
        request,
        "diary/log.html",
        {
            "nav": "log",
            "form": form,
            "latest": entry_row(latest) if latest else None,
            "prefilled": initial is not None,
            "nothing_to_copy": bool(request.GET.get("same")) and latest is None,
        },
    )


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """The diary grouped by the patient's local day, newest first, 30 days a page."""
    user = request.user
    dates = (
        entry_selectors.entry_list(user=user)
        .order_by("-local_date")
        .values_list("local_date", flat=True)
        .distinct()
    )
    page = Paginator(dates, DAYS_PER_PAGE).get_page(request.GET.get("page"))
    page_dates = list(page.object_list)
    days = []
    if page_dates:
        entries = entry_selectors.entry_list(
            user=user, date_from=page_dates[-1], date_to=page_dates[0]
        ).order_by("-local_date", "-occurred_at", "-created_at")
        today = timezone.now().astimezone(user.zone).date()
        days = [
            {"date": day, "label": _day_label(day, today), "rows": [entry_row(e) for e in group]}
            for day, group in groupby(entries, key=lambda e: e.local_date)
        ]
    saved = None
    try:
        saved_id = uuid.UUID(request.GET.get("saved", ""))
    except ValueError:
        saved_id = None
    if saved_id is not None:
        found = entry_selectors.entry_get(user=user, entry_id=saved_id)
        saved = entry_row(found) if found else None
    return render(
        request,
        "diary/entry_list.html",
        {
            "nav": "diary",
            "days": days,
            "page": page,
            "saved": saved,
            "saved_again": saved is not None and bool(request.GET.get("again")),
        },
    )


@login_required
def entry_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The logging form pre-filled with one of the patient's entries."""
    entry = _own_entry_or_404(request.user, pk)
    form = EntryForm(
        user=request.user, instance=entry, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        entry_services.entry_update(entry=entry, data=form.entry_input())
        return redirect(_list_url(saved=entry.pk))
    return render(request, "diary/entry_edit.html", {"nav": "diary", "form": form, "entry": entry})


@login_required
def entry_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST deletes the entry."""
    entry = _own_entry_or_404(request.user, pk)
    if request.method == "POST":
        entry_services.entry_delete(entry=entry)
        messages.success(request, "Entry deleted.")
        return redirect("diary:entry-list")
    return render(
        request,
        "diary/entry_confirm_delete.html",
        {"nav": "diary", "entry": entry, "row": entry_row(entry)},
    )
