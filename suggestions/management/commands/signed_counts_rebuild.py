"""Count again the suggestions each representative signed that were taken up, per month
and 履职积分 rule (``SignedMonthCount``, suggestions/models/formal.py), which the
dashboard's ranking and the reports read (docs/dashboard.md).

    manage.py signed_counts_rebuild           # repair, or after suggestions were written in bulk
    manage.py signed_counts_rebuild --check   # compare the summary with a count of the signers

The formal services keep it in step when a suggestion is taken up; this is for repair
(a restored backup, a suggestion deleted in the admin, ``generate_city``) and safe to
run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suggestions.formal import services


class Command(BaseCommand):
    help = "Rebuild the suggestions signed per representative and month (履职积分)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only report rows that differ; exit 1 if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = services.signed_counts_differences()
            for (representative, month, rule), (kept, counted) in sorted(wrong.items()):
                self.stdout.write(
                    f"representative {representative} {month:%Y-%m} {rule}: "
                    f"kept {kept}, counted {counted}"
                )
            if wrong:
                raise CommandError(f"{len(wrong)} summary rows differ from the signers.")
            self.stdout.write(self.style.SUCCESS("The summary matches the signers."))
            return
        rows = services.signed_counts_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows:,} rows of suggestions signed per month."))
