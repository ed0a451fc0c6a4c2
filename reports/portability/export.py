"""One patient's rows, table by table as the spec lists them, as a JSON-ready document."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.utils import timezone

from diary.models import Follow, User
from reports.portability.spec import (
    FOLLOWS_KEY,
    FORMAT,
    FORMAT_VERSION,
    TABLES,
    USER,
    Table,
)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _with_children(table: Table, rows: models.QuerySet) -> models.QuerySet:
    return rows.order_by(*table.order_by).prefetch_related(
        *(
            models.Prefetch(child.key, _with_children(child, child.model.objects.all()))
            for child in table.children
        )
    )


def _rows(table: Table, rows: models.QuerySet) -> list[dict[str, Any]]:
    return [
        {name: _plain(getattr(obj, name)) for name in table.fields}
        | {child.key: _rows(child, getattr(obj, child.key).all()) for child in table.children}
        for obj in rows
    ]


def _follows(user: User) -> list[dict[str, Any]]:
    follows = (
        Follow.objects.filter(patient=user)
        .select_related("contact", "clinician")
        .order_by("created_at", "id")
    )
    values = {
        "contact_email": lambda f: f.contact.email,
        "clinician_email": lambda f: f.clinician.email,
        "clinician_public_id": lambda f: f.clinician.public_id,
        "share_notes": lambda f: f.share_notes,
        "created_at": lambda f: f.created_at,
        "ended_at": lambda f: f.ended_at,
    }
    return [{name: _plain(value(f)) for name, value in values.items()} for f in follows]


def user_export(*, user: User) -> dict[str, Any]:
    """Every row that belongs to the patient, as a JSON-ready document of FORMAT_VERSION."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "user": {name: _plain(getattr(user, name)) for name in USER},
        **{
            table.key: _rows(table, _with_children(table, table.model.objects.filter(user=user)))
            for table in TABLES
        },
        FOLLOWS_KEY: _follows(user),
    }


def document_counts(document: dict[str, Any]) -> str:
    """How many rows of each main kind a document holds, for the commands' summary lines."""
    return (
        f"{len(document['entries'])} entries, {len(document['flags'])} flags, "
        f"{len(document['share_links'])} share links, "
        f"{len(document.get('treatments', []))} treatments, "
        f"{len(document.get('checkins', []))} check-ins, "
        f"{len(document.get(FOLLOWS_KEY, []))} follows"
    )
