"""Give the representatives' records (contacts, duty shifts, activity participations)
and their monthly summaries (closes handled, suggestions signed) their
representative's area columns again (``HolderAreaColumns``; docs/dashboard.md,
"代表工作").

    manage.py record_areas_rebuild           # repair
    manage.py record_areas_rebuild --check   # count the rows that differ; exit 1 if any

The services and the region-move signal keep them in step; this is for repair
(representatives moved by SQL or a restored backup) and safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from representatives.record_areas import records_area_differences, records_areas_rebuild


class Command(BaseCommand):
    help = "Copy each representative's area columns onto their records and monthly summaries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only count rows that differ; exit 1 if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = {table: n for table, n in records_area_differences().items() if n}
            for table, n in wrong.items():
                self.stdout.write(f"{table}: {n:,}")
            if wrong:
                raise CommandError(
                    f"{sum(wrong.values()):,} records do not keep their representative's area."
                )
            self.stdout.write(self.style.SUCCESS("Every record keeps its representative's area."))
            return
        changed = records_areas_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{changed:,} records given their area."))
