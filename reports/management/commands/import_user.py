"""`manage.py import_user FILE [--replace]`: restore a patient written by export_user."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.portability import (
    READABLE_VERSIONS,
    AccountExists,
    PortabilityError,
    document_counts,
    user_restore,
)


class Command(BaseCommand):
    help = (
        "Restore one patient from an export_user JSON document (reads versions "
        f"{' and '.join(map(str, READABLE_VERSIONS))}) in a single transaction: on any error "
        "nothing is imported. Entry ids, timestamps and the password hash are kept, so the "
        "patient logs in with the old password. Refuses an e-mail that already has an account "
        "unless --replace is given. A clinician's follow comes back only if the same clinician "
        "account (e-mail and public id) is on this server; each one skipped is printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON document, or - for stdin.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete an existing account with the same e-mail first (in the same transaction).",
        )

    def handle(self, *args: Any, file: str, replace: bool, **options: Any) -> None:
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}. Nothing was imported.") from exc
        try:
            restored = user_restore(document=document, replace=replace)
        except AccountExists as exc:
            raise CommandError(f"Conflict: {exc} Use --replace to overwrite it.") from exc
        except PortabilityError as exc:
            raise CommandError(f"Invalid export document, nothing was imported. {exc}") from exc
        for line in restored.follows_skipped:
            self.stdout.write(line)
        self.stdout.write(
            f"Imported {restored.user.email}: {document_counts(document)} "
            f"({restored.follows_restored} restored)."
        )
