"""Fill the database with a synthetic city or province at real size (see congress/synthetic.py).

    manage.py generate_city --scale city                  # ~7,600 representatives, 200,000 problems
    manage.py generate_city --scale province              # ~100,000 representatives, 5,000,000
    manage.py generate_city --scale city --problems 10000 --seed 7

Besides the citizens' problems: representatives' suggestions with their handling
(``--suggestions``; 12,000 in a city, 300,000 in a province), the representatives'
duty shifts, contacts with voters and activities over the same two years, and a
closed livelihood vote in each city. Each step prints its time and the rows it wrote per table (at
verbosity 1 and up); after it, ``manage.py issue_reads_rebuild --check`` passes.

For benchmarks, on a database of its own: it refuses a database that holds anything
it did not generate (a real office's data, the demo) unless --force.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress import synthetic


class Command(BaseCommand):
    help = "Generate a synthetic city or province (regions to citizens' problems) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="city")
        parser.add_argument(
            "--problems", type=int, help="citizens' problems (default: the scale's)"
        )
        parser.add_argument("--suggestions", type=int, help="representatives' suggestions")
        parser.add_argument("--seed", type=int, default=2026, help="the same seed, the same data")
        parser.add_argument(
            "--template",
            type=int,
            help="on PostgreSQL, problems told in Python (default: the scale's, 10,000 in a "
            "city, 40,000 in a province); the rest are copies of them made by the database "
            "(0: every problem in Python)",
        )
        parser.add_argument(
            "--force", action="store_true", help="add to a database that holds other data too"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("problems", "suggestions", "template"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if synthetic.holds_foreign_data() and not options["force"]:
            raise CommandError(
                "This database holds data that generate_city did not make (regions or "
                "accounts). Use an empty database, or --force to add a synthetic province to it."
            )
        started = time.perf_counter()
        ctx = synthetic.generate(
            scale=options["scale"],
            problems=options["problems"],
            suggestions=options["suggestions"],
            seed=options["seed"],
            template=options["template"],
            report=self.stdout.write if options["verbosity"] else _quiet,
        )
        assert ctx.province is not None
        self.stdout.write(
            self.style.SUCCESS(
                f"{ctx.province.name} ({ctx.province.code}): {len(ctx.cities)} cities, "
                f"{ctx.problems:,} problems, {ctx.suggestions:,} suggestions in "
                f"{time.perf_counter() - started:.0f} s."
            )
        )


def _quiet(line: str) -> None:
    """Verbosity 0: no progress lines."""
