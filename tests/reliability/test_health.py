"""/healthz and the containers' health checks tell the operator which part is down.

Story: the operator's monitoring polls /healthz. With the database, Redis, a worker and
beat alive it answers 200; when a part is gone it answers 503 and names it. The
worker and beat prove they live by heartbeats they write themselves; the compose file
asks each container about its own process with ``manage.py health``.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from congress.models import Heartbeat
from tests.worker_support import WorkerProcess, wait_for


def health(client: Client) -> tuple[int, dict[str, str]]:
    response = client.get("/healthz", HTTP_HOST="10.0.0.9")  # the container's own probe
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def test_without_worker_and_beat_it_answers_503_naming_them(client: Client, db: None) -> None:
    status, parts = health(client)
    assert status == 503
    assert parts == {
        "status": "failing",
        "database": "ok",
        "redis": "ok",
        "worker": "no worker heartbeat",
        "beat": "no beat heartbeat",
    }
    with pytest.raises(CommandError, match="no recent heartbeat from beat"):
        call_command("health", "beat")


def test_a_redis_outage_is_named(client: Client, db: None, settings: Any) -> None:
    # A real Redis client, pointed at a port where nothing listens.
    settings.EMBEDDED = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
        }
    }
    status, parts = health(client)
    assert status == 503
    assert parts["redis"] == "unreachable: ConnectionError"
    assert parts["database"] == "ok"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_live_worker_and_beat_make_it_200_and_a_stale_heartbeat_503(
    client: Client, celery_worker_process: WorkerProcess, tmp_path: Path
) -> None:
    """A real worker with an embedded beat (the compose stack runs them apart; the
    heartbeats are the same) writes both heartbeats; an hour-old one is a dead process."""
    celery_worker_process.stop()
    worker = WorkerProcess(celery_worker_process.queue, tmp_path)
    worker.start(beat=True)
    try:
        wait_for(lambda: health(client)[0] == 200, timeout=60)
        call_command("health", "worker", "--node", worker.name)  # exits 0
        call_command("health", "beat")
    finally:
        worker.stop()
    # One row per worker (the fixture's own worker wrote one before it was stopped).
    assert {"beat", f"worker:{worker.name}"} <= set(
        Heartbeat.objects.values_list("process", flat=True)
    )
    with pytest.raises(CommandError, match="no recent heartbeat from worker:celery@elsewhere"):
        call_command("health", "worker", "--node", "celery@elsewhere")
    Heartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(hours=1))
    status, parts = health(client)
    assert (status, parts["worker"], parts["beat"]) == (
        503,
        "no worker heartbeat",
        "no beat heartbeat",
    )
