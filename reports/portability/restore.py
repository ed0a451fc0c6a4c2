"""A patient back from an export document: check everything, then write it in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction

from diary.models import Entry, User
from diary.services.accounts import user_erase
from reports.portability import parsers as p
from reports.portability.spec import (
    FORMAT,
    READABLE_VERSIONS,
    TABLES,
    Table,
    tables_of,
    user_fields_of,
)


@dataclass
class _Row:
    """One checked, unsaved row and the rows nested under it, by table key."""

    obj: models.Model
    children: dict[str, list[_Row]] = field(default_factory=dict)


def _read_rows(table: Table, value: object, path: str, owner: models.Model | None) -> list[_Row]:
    rows = []
    for where, item in p.items(value, path):
        fields = p.parse_object(item, where, table.fields, *(c.key for c in table.children))
        if table.derive is not None:
            fields |= table.derive(fields, owner, where)  # type: ignore[arg-type]
        obj = table.model(**fields)
        children = {
            c.key: _read_rows(c, item[c.key], f"{where}.{c.key}", obj) for c in table.children
        }
        rows.append(_Row(obj, children))
    if table.unique is not None:
        key, what = table.unique
        p.no_repeats([key(row.obj, i) for i, row in enumerate(rows)], path, what)
    return rows


def _read(document: object) -> tuple[User, dict[str, list[_Row]]]:
    """Check the whole document before anything is written; raises PortabilityError."""
    if not isinstance(document, dict):
        raise p.PortabilityError("The document is not a JSON object.")
    if document.get("format") != FORMAT:
        raise p.fail("format", f"expected {FORMAT!r}, got {document.get('format')!r}")
    version = document.get("version")
    # `True == 1` in Python: a boolean is no version number.
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise p.fail(
            "version",
            f"unsupported format version {version!r}; this program reads versions "
            + ", ".join(map(str, READABLE_VERSIONS)),
        )
    tables = tables_of(version)
    p.parse_object(
        document,
        "document",
        {"exported_at": p.moment},
        "format",
        "version",
        "user",
        *(t.key for t in tables),
    )
    # A field the version does not have keeps the model's default (a new public_id).
    user = User(**p.parse_object(document["user"], "user", user_fields_of(version)))
    user.email = user.email.lower()
    # A table the version does not have restores as an empty one.
    read = {t.key: _read_rows(t, document[t.key], t.key, None) for t in tables}
    return user, {t.key: read.get(t.key, []) for t in TABLES}


def _create(rows: Sequence[models.Model]) -> None:
    if not rows:
        return
    manager = type(rows[0])._default_manager
    auto_times = [
        f.name
        for f in type(rows[0])._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    # bulk_create lets auto_now/auto_now_add overwrite the document's times; write them back.
    kept = [[getattr(row, name) for name in auto_times] for row in rows]
    # Primary keys come back (SQLite >= 3.35, PostgreSQL), so nested rows can point at them.
    manager.bulk_create(rows, batch_size=500)
    if auto_times:
        for row, values in zip(rows, kept, strict=True):
            for name, value in zip(auto_times, values, strict=True):
                setattr(row, name, value)
        manager.bulk_update(rows, auto_times, batch_size=500)


def _save(table: Table, owned: list[tuple[models.Model, _Row]], user: User) -> None:
    """Write a table's rows under their owners, then the tables nested in it."""
    has_user = any(f.name == "user" for f in table.model._meta.concrete_fields)
    for owner, row in owned:
        setattr(row.obj, table.parent, owner)
        if has_user:
            row.obj.user = user  # type: ignore[attr-defined]
    _create([row.obj for _, row in owned])
    for child in table.children:
        _save(child, [(row.obj, c) for _, row in owned for c in row.children[child.key]], user)


def user_import(*, document: dict, replace: bool = False) -> User:
    """Restore a patient from a `user_export` document in one transaction; returns the new user."""
    user, tables = _read(document)
    try:
        with transaction.atomic():
            existing = User.objects.filter(email__iexact=user.email).first()
            if existing is not None and not replace:
                raise p.AccountExists(
                    f"An account with the e-mail {user.email} already exists; nothing was imported."
                )
            if existing is not None:
                user_erase(user=existing)
            ids = [row.obj.pk for row in tables["entries"]]
            if any(
                Entry.objects.filter(id__in=ids[i : i + 500]).exists()
                for i in range(0, len(ids), 500)
            ):
                raise p.PortabilityError(
                    "Some entry ids already belong to another account; nothing was imported."
                )
            if User.objects.filter(public_id=user.public_id).exists():
                raise p.PortabilityError(
                    "The account's public id already belongs to another account; "
                    "nothing was imported."
                )
            user.save()
            for table in TABLES:
                _save(table, [(user, row) for row in tables[table.key]], user)
    except IntegrityError as exc:
        raise p.PortabilityError(
            f"The database refused the data; nothing was imported ({exc})."
        ) from exc
    return user
