"""`manage.py export_user EMAIL [--output FILE]`: one patient's whole account as JSON."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary.models import User
from reports.portability import FORMAT_VERSION, READABLE_VERSIONS, document_counts, user_export


class Command(BaseCommand):
    help = (
        f"Write all of one patient's data as one JSON document (format version {FORMAT_VERSION}; "
        f"import_user reads versions {' and '.join(map(str, READABLE_VERSIONS))}) "
        "for backup or moving to another server; restore it with import_user. The document "
        "holds the account's password hash, so the restored account logs in with the same "
        "password, and the hashes of share-link tokens: keep the file as secret as the database. "
        "Clinicians following the patient are listed by their account's e-mail and public id; "
        "invitations are left out (their links are one-time)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The patient's log-in e-mail.")
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="Write here (mode 0600) instead of stdout."
        )

    def handle(self, *args: Any, email: str, output: str | None, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail {email}.")
        document = user_export(user=user)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        _write_private(Path(output), text)
        self.stderr.write(f"Exported {user.email} to {output}: {document_counts(document)}.")


def _write_private(path: Path, text: str) -> None:
    # Written beside the target and renamed, so a failed run never leaves half a backup.
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
