"""`manage.py scan_patterns`: the scheduled pattern scan, run here and now."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diary.models import User
from diary.services.scan import scan_patterns


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"“{value}” is not a date like 2026-11-20") from error


class Command(BaseCommand):
    help = "Run the pattern rules and print one line per flag raised or resolved."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--user", metavar="EMAIL", help="only this patient")
        parser.add_argument(
            "--as-of", type=_day, metavar="YYYY-MM-DD", help="scan day (default: today)"
        )
        parser.add_argument(
            "--changed-only",
            action="store_true",
            help="only patients whose diary changed since their last scan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"].strip()).first()
            if user is None:
                raise CommandError(f"No patient with the e-mail {options['user']}.")
        result = scan_patterns(
            user=user, changed_only=options["changed_only"], as_of=options["as_of"]
        )
        for event in result.events:
            self.stdout.write(str(event))
        if options["verbosity"] >= 2:
            self.stderr.write(
                f"Scanned {result.patients} patients and {result.entries} entries; "
                f"{len(result.events)} flags raised or resolved; {len(result.failed)} failed."
            )
        if result.failed:
            raise CommandError(f"The scan failed for {len(result.failed)} patients; see the log.")
