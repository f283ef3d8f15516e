"""Anonymise citizens' personal data on cases closed longer ago than the retention period.

    manage.py anonymise_expired [--days N] [--limit N] [--dry-run]

The Celery beat runs the same thing daily (congress.tasks.anonymise_expired_personal_data).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from congress import registry
from congress.retention import personal_data_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise personal data on cases closed longer ago than PERSONAL_DATA_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"retention in days (default: the setting, {settings.PERSONAL_DATA_RETENTION_DAYS})",
        )
        parser.add_argument("--limit", type=int, default=10_000, help="rows per kind of data")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        result = personal_data_anonymise_expired(
            days=options["days"], limit=options["limit"], dry_run=options["dry_run"]
        )
        verb = "would anonymise" if options["dry_run"] else "anonymised"
        self.stdout.write(f"cutoff {result.cutoff:%Y-%m-%d %H:%M} UTC")
        for name, count in result.counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if not registry.anonymisers:  # the edit history is swept all the same
            self.stdout.write("no anonymisers are registered")
        self.stdout.write(f"total: {verb} {result.total}")
