"""Recount the dashboard's seats summary (``SeatCount``: active seats by level and
serving representatives per area, and each representative's ``serving`` flag) from
the seats (docs/dashboard.md, "代表工作").

    manage.py seat_counts_rebuild           # repair, or after seats were written in bulk
    manage.py seat_counts_rebuild --check   # compare the summary with a plain count

The services keep it in step; this is for repair (a restored backup, seats written
by the admin or in bulk, a region moved in the tree) and safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from representatives.seat_counts import (
    seat_counts_differences,
    seat_counts_rebuild,
    serving_differences,
)


class Command(BaseCommand):
    help = "Recount the dashboard's summary of active seats per area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only report areas that differ; exit 1 if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = seat_counts_differences()
            for area, (kept, counted) in sorted(wrong.items()):
                off = {
                    name: (kept[name], counted[name])
                    for name in kept
                    if kept[name] != counted[name]
                }
                self.stdout.write(f"area {area}: {off}")
            unmarked = serving_differences()
            if unmarked:
                self.stdout.write(f"{unmarked:,} representatives' serving flag is wrong")
            if wrong or unmarked:
                raise CommandError(
                    f"{len(wrong)} seat summary rows and {unmarked} serving flags "
                    "differ from the seats."
                )
            self.stdout.write(self.style.SUCCESS("The seats summary matches the seats."))
            return
        rows = seat_counts_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows:,} areas' seats counted."))
