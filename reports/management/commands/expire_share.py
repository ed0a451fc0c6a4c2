"""`manage.py expire_share --id ID`: end a share link now (operators, tests)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.models import ShareLink
from reports.services import share_link_expire


class Command(BaseCommand):
    help = "End a share link now: its address answers 404 from this moment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", dest="link_id", type=int, required=True, help="share link id")

    def handle(self, *args: object, link_id: int, **options: object) -> None:
        try:
            link = ShareLink.objects.get(pk=link_id)
        except ShareLink.DoesNotExist as exc:
            raise CommandError(f"No share link with id {link_id}.") from exc
        share_link_expire(link=link)
        self.stdout.write(f"Share link {link.pk} expired at {link.expires_at.isoformat()}.")
