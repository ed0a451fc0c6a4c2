"""A patient back from an export document: check everything, then write it in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction

from diary.models import Contact, Entry, Follow, User
from diary.services.accounts import user_erase
from reports.portability import parsers as p
from reports.portability.spec import (
    FOLLOW,
    FOLLOWS_KEY,
    FOLLOWS_SINCE,
    FORMAT,
    READABLE_VERSIONS,
    TABLES,
    Table,
    keys_of,
    tables_of,
    user_fields_of,
)


@dataclass
class _Row:
    """One checked, unsaved row and the rows nested under it, by table key."""

    obj: models.Model
    children: dict[str, list[_Row]] = field(default_factory=dict)


@dataclass(frozen=True)
class Restored:
    """The restored account, and what became of the clinicians who followed the patient."""

    user: User
    follows_restored: int
    # One line per follow left out, saying whom and why.
    follows_skipped: tuple[str, ...]


def _read_rows(
    table: Table, value: object, path: str, owner: models.Model | None, version: int
) -> list[_Row]:
    rows = []
    for where, item in p.items(value, path):
        fields = p.parse_object(
            item, where, table.fields_of(version), *(c.key for c in table.children)
        )
        if table.derive is not None:
            fields |= table.derive(fields, owner, where)  # type: ignore[arg-type]
        obj = table.model(**fields)
        children = {
            c.key: _read_rows(c, item[c.key], f"{where}.{c.key}", obj, version)
            for c in table.children
        }
        rows.append(_Row(obj, children))
    if table.unique is not None:
        key, what = table.unique
        p.no_repeats([key(row.obj, i) for i, row in enumerate(rows)], path, what)
    return rows


def _read_follows(value: object, contacts: list[_Row]) -> list[dict]:
    emails = {row.obj.email.lower() for row in contacts}  # type: ignore[attr-defined]
    follows = []
    for where, item in p.items(value, FOLLOWS_KEY):
        follow = p.parse_object(item, where, FOLLOW)
        if follow["contact_email"].lower() not in emails:
            raise p.fail(f"{where}.contact_email", "names no contact in contacts")
        follows.append(follow)
    # The database allows one live follow per clinician; say which one comes twice.
    p.no_repeats(
        [f["clinician_public_id"] if f["ended_at"] is None else i for i, f in enumerate(follows)],
        FOLLOWS_KEY,
        "live follow of the clinician",
    )
    return follows


def _read(document: object) -> tuple[User, dict[str, list[_Row]], list[dict]]:
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
        *keys_of(version),
    )
    # A field the version does not have keeps the model's default (a new public_id).
    user = User(**p.parse_object(document["user"], "user", user_fields_of(version)))
    user.email = user.email.lower()
    # A table the version does not have restores as an empty one.
    read = {t.key: _read_rows(t, document[t.key], t.key, None, version) for t in tables}
    rows = {t.key: read.get(t.key, []) for t in TABLES}
    follows = (
        _read_follows(document[FOLLOWS_KEY], rows["contacts"]) if version >= FOLLOWS_SINCE else []
    )
    return user, rows, follows


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


def _save_follows(follows: list[dict], user: User) -> tuple[int, tuple[str, ...]]:
    """Re-create each follow whose clinician account is here and is a clinician; say the rest.

    Matching the e-mail alone would hand the diary to whoever registered that address on this
    server; the public id is the clinician account's own, carried over only by its own backup.
    """
    contacts = {c.email.lower(): c for c in Contact.objects.filter(user=user)}
    wanted = {f["clinician_public_id"] for f in follows}
    accounts = {u.public_id: u for u in User.objects.filter(public_id__in=wanted)}
    created, skipped = [], []
    for follow in follows:
        who = follow["clinician_email"]
        account = accounts.get(follow["clinician_public_id"])
        if account is None or account.email.lower() != who.lower():
            skipped.append(f"Skipped the follow by {who}: no such clinician account here.")
        elif not account.is_clinician:
            skipped.append(f"Skipped the follow by {who}: that account is not a clinician.")
        elif account.pk == user.pk:
            skipped.append(f"Skipped the follow by {who}: nobody follows themselves.")
        else:
            created.append(
                Follow(
                    patient=user,
                    clinician=account,
                    contact=contacts[follow["contact_email"].lower()],
                    share_notes=follow["share_notes"],
                    created_at=follow["created_at"],
                    ended_at=follow["ended_at"],
                )
            )
    Follow.objects.bulk_create(created)
    return len(created), tuple(skipped)


def user_restore(*, document: dict, replace: bool = False) -> Restored:
    """Restore a patient from a `user_export` document in one transaction, follows reported."""
    user, tables, follows = _read(document)
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
            restored, skipped = _save_follows(follows, user)
    except IntegrityError as exc:
        raise p.PortabilityError(
            f"The database refused the data; nothing was imported ({exc})."
        ) from exc
    return Restored(user=user, follows_restored=restored, follows_skipped=skipped)


def user_import(*, document: dict, replace: bool = False) -> User:
    """Restore a patient from a `user_export` document in one transaction; returns the new user."""
    return user_restore(document=document, replace=replace).user
