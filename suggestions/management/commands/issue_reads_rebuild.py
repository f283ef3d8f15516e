"""Recompute what the problem lists, 督办提醒 and the dashboard read: the area columns
(of problems and of assignments), the earliest open due date, the ``IssueCount``
summary, the dashboard's monthly summaries (``IssueMonthCount`` and, per station,
``IssueStationMonthCount``; the closes per handler, ``HandledMonthCount``) and the departments' handling summary (``HandlingCount``,
kept by the engine, with every case type's ratings of the departments' answers), and
the departments each problem was
handed to (``IssueDepartment``, the clerks' scope) (docs/architecture.md,
"Reads that do not grow with the data"; docs/dashboard.md).

    manage.py issue_reads_rebuild           # repair, or after rows were written in bulk
    manage.py issue_reads_rebuild --check   # compare the summary with a plain COUNT

The services keep all of it in step; this is for repair (a restored backup, a
bulk import, ``generate_city``) and safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress.areas import assignments_fill_areas
from congress.loop.handling import handling_counts_differences, handling_counts_rebuild
from suggestions.citizen import services


class Command(BaseCommand):
    help = "Rebuild the citizen problems' area columns, due dates and count summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only report counts that differ; exit 1 if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = services.issue_counts_differences()
            for (area, status, flag), (kept, counted) in sorted(wrong.items()):
                self.stdout.write(
                    f"area {area} {status} 督办={flag}: kept {kept}, counted {counted}"
                )
            monthly = services.issue_month_counts_differences()
            for (area, month, category), (had, found) in sorted(monthly.items()):
                off = {name: (had[name], found[name]) for name in had if had[name] != found[name]}
                self.stdout.write(f"area {area} {month:%Y-%m} category {category}: {off}")
            areas = services.issue_month_areas_differences()
            for (table, area), (columns, expected) in sorted(areas.items()):
                self.stdout.write(f"{table} area {area}'s area columns: {columns}, not {expected}")
            stations = services.issue_station_counts_differences()
            for (station, area, month), (had, found) in sorted(stations.items()):
                off = {name: (had[name], found[name]) for name in had if had[name] != found[name]}
                self.stdout.write(f"station {station} area {area} {month:%Y-%m}: {off}")
            handling = handling_counts_differences()
            for (department, area, month, case_type), (had, found) in sorted(handling.items()):
                self.stdout.write(
                    f"department {department} area {area} {month:%Y-%m} {case_type}: "
                    f"kept {had}, counted {found}"
                )
            closes = services.handled_month_counts_differences()
            for (representative, month), (kept_n, counted_n) in sorted(closes.items()):
                self.stdout.write(
                    f"representative {representative} {month:%Y-%m} closed: "
                    f"kept {kept_n}, counted {counted_n}"
                )
            if wrong or monthly or areas or stations or handling or closes:
                differ = len(wrong) + len(monthly) + len(areas) + len(stations)
                differ += len(handling) + len(closes)
                raise CommandError(f"{differ} summary rows differ from the table.")
            self.stdout.write(self.style.SUCCESS("The summary matches the table."))
            return
        steps = assignments_fill_areas(only_missing=False)
        done = services.issue_reads_rebuild()
        handled = handling_counts_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{steps:,} assignments' and {done['areas']:,} problems' area columns, "
                f"{done['due_dates']:,} due dates, {done['counts']:,} summary rows, "
                f"{done['monthly']:,} monthly rows (and the stations'), {done['departments']:,} problems' departments, "
                f"{handled:,} departments' handling rows."
            )
        )
