"""Is the stack alive? The database, Redis, a Celery worker and the beat scheduler.

``/healthz`` (``congress.middleware.HealthCheckMiddleware``) answers with each part;
the compose file's container checks ask about one process (``manage.py health``).
The worker and beat prove they are alive by writing a heartbeat row every
``HEARTBEAT_SECONDS`` (``congress.celery``); a row older than ``STALE_AFTER`` is a
dead process.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from congress.models import Heartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# A single-process worker busy with one task writes no heartbeat meanwhile; tasks
# stop at CELERY_TASK_TIME_LIMIT (300 s), so twice that is a dead worker, not a busy one.
STALE_AFTER = datetime.timedelta(seconds=600)
OK = "ok"


def heartbeat_write(process: str) -> None:
    """One upsert; beat also forgets workers not heard of for a day (renamed containers)."""
    now = timezone.now()
    try:
        Heartbeat.objects.update_or_create(process=process, defaults={"beat_at": now})
        if process == "beat":
            Heartbeat.objects.filter(beat_at__lt=now - datetime.timedelta(days=1)).delete()
    except Exception:  # the database is down: /healthz says so; the process carries on
        logger.warning("heartbeat of %s not written", process, exc_info=True)


def heartbeat_fresh(process: str) -> bool:
    """``process`` is ``beat``, a worker's ``worker:<node>``, or ``worker:`` for any worker."""
    recent = Heartbeat.objects.filter(beat_at__gte=timezone.now() - STALE_AFTER)
    if process.endswith(":"):
        return recent.filter(process__startswith=process).exists()
    return recent.filter(process=process).exists()


def stack_health() -> dict[str, str]:
    """Each part: ``ok`` or what is wrong with it (in English: operators read it in
    monitoring, never citizens). Three queries and two Redis round trips."""
    parts = {"database": _database()}
    parts["redis"] = _redis() if not settings.EMBEDDED else OK
    if parts["database"] == OK:
        parts["worker"] = OK if heartbeat_fresh("worker:") else "no worker heartbeat"
        parts["beat"] = OK if heartbeat_fresh("beat") else "no beat heartbeat"
    else:
        parts["worker"] = parts["beat"] = "unknown: the database is down"
    return parts


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"unreachable: {error.__class__.__name__}"
    return OK


def _redis() -> str:
    """The cache's database and the task queue's: either down stops the product's work."""
    from congress.celery import app

    try:
        cache.get("healthz")
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"unreachable: {error.__class__.__name__}"
    return OK
