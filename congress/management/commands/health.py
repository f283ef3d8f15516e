"""The containers' health checks (docker-compose.yml): is this process alive?"""

from __future__ import annotations

import json
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congress.health import heartbeat_fresh, stack_health


class Command(BaseCommand):
    help = (
        "Exit 0 if the part is alive: 'worker' (this host's Celery worker), 'beat', "
        "or 'stack' (everything /healthz checks); otherwise exit 1 naming what failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("part", choices=["worker", "beat", "stack"])
        parser.add_argument(
            "--node",
            default=f"celery@{socket.gethostname()}",
            help="The worker's node name (celery -n); by default Celery's own default.",
        )

    def handle(self, *args: Any, part: str, node: str, **options: Any) -> None:
        if part == "stack":
            parts = stack_health()
            self.stdout.write(json.dumps(parts))
            if any(state != "ok" for state in parts.values()):
                raise CommandError("the stack is not healthy")
            return
        process = f"worker:{node}" if part == "worker" else "beat"
        if not heartbeat_fresh(process):
            raise CommandError(f"no recent heartbeat from {process}")
        self.stdout.write(f"{process} ok")
