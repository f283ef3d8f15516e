from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congress.loop import reminders_sweep


class Command(BaseCommand):
    help = "Run the reminder sweep once (what the periodic task does)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")
        parser.add_argument("--limit", type=int, default=20_000)

    def handle(self, *args: Any, dry_run: bool, limit: int, **options: Any) -> None:
        result = reminders_sweep(limit=limit, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for line in result.reminders:
            self.stdout.write(f"  {verb} {line}")
        self.stdout.write(
            f"{result.examined} assignments due, {len(result.reminders)} reminder stages {verb}."
        )
