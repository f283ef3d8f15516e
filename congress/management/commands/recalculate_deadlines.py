from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from congress.loop import deadlines_recalculate, deadlines_settle_calendar


class Command(BaseCommand):
    help = (
        "Count open deadlines again on the current calendar (after a holiday notice or "
        "an upgrade of the calendar package), with a timeline event for each change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            type=datetime.date.fromisoformat,
            help="Every open deadline due on or after this day (YYYY-MM-DD), changed or "
            "not; without it, only what the calendar's recorded changes reach.",
        )

    def handle(self, *args: Any, since: datetime.date | None, **options: Any) -> None:
        if since is not None:
            result = deadlines_recalculate(since=since)
        else:
            settled = deadlines_settle_calendar()
            if settled is None:
                self.stdout.write("The calendar has not changed since the last recalculation.")
                return
            result = settled
        for pk, old, new in result.changed:
            self.stdout.write(f"  assignment {pk}: {old} -> {new}")
        self.stdout.write(
            f"{result.examined} open deadlines examined, {len(result.changed)} moved "
            f"(today is {timezone.localdate()})."
        )
