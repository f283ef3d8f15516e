"""The Celery app. Settings come from Django settings under the CELERY_ prefix.

Logging: the worker and beat log through Django's ``LOGGING`` (whose handler masks
phone and ID numbers, ``congress.logging``), not through handlers of Celery's own:
by default Celery replaces the root logger's handlers in its processes, and the
masking went with them.

Heartbeats: the worker and beat each write one every ``HEARTBEAT_SECONDS`` for
``/healthz`` and the containers' health checks (``congress.health``).
"""

from __future__ import annotations

import logging
import logging.config
import os
from typing import Any

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

app = Celery("congress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_through_django_logging(loglevel: int | None = None, **_kwargs: Any) -> None:
    """Connected, this receiver makes Celery leave every handler alone (worker and
    beat alike): the process logs through ``LOGGING`` only. The command line's
    ``--loglevel`` still decides how much the root logger lets through."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Writes ``worker:<node name>`` from the worker's timer, beside the tasks."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.timer_entry: Any = None

    def start(self, worker: Any) -> None:
        from congress.health import HEARTBEAT_SECONDS, heartbeat_write

        process = f"worker:{worker.hostname}"
        heartbeat_write(process)
        self.timer_entry = worker.timer.call_repeatedly(
            HEARTBEAT_SECONDS, heartbeat_write, (process,)
        )

    def stop(self, worker: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()


app.steps["worker"].add(WorkerHeartbeat)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's default scheduler, writing ``beat``'s heartbeat as it ticks. A tick
    comes at least every ``beat_max_loop_interval`` (settings: the heartbeat's
    interval); the write is one upsert."""

    def tick(self, *args: Any, **kwargs: Any) -> float:
        from django.utils import timezone

        from congress.health import HEARTBEAT_SECONDS, heartbeat_write

        now = timezone.now()
        last = getattr(self, "_heartbeat_at", None)
        if last is None or (now - last).total_seconds() >= HEARTBEAT_SECONDS:
            heartbeat_write("beat")
            self._heartbeat_at = now
        interval: float = super().tick(*args, **kwargs)
        return interval
