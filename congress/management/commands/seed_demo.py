"""Build the demo city with every feature app's demo data, then print the accounts."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from congress.demo import DEMO_PASSWORD, build_core
from congress.models import Region
from congress.registry import demo_builders


class Command(BaseCommand):
    help = "Create the demo city (江海市) with realistic data. Does nothing if it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Empty the database first.")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Size factor (0.2 for a quick demo/test)."
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, reset: bool, scale: float, seed: int, **options: Any) -> None:
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        elif Region.objects.filter(code="990100000000").exists():
            self.stdout.write("The demo city already exists (use --reset to rebuild it).")
            return
        started = time.monotonic()
        # One transaction: a commit per row would cost a disk flush each, and a failed
        # build leaves no half-built city behind (the next run starts afresh).
        with transaction.atomic():
            ctx = build_core(seed=seed, today=timezone.localdate(), scale=scale)
            for builder in demo_builders:
                step = time.monotonic()
                builder.build(ctx)
                self.stdout.write(f"  {builder.name}: {time.monotonic() - step:.1f} s")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo city built in {elapsed:.1f} s."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        width = max(len(username) for username, _ in ctx.accounts)
        for username, description in ctx.accounts:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
