"""The cache and the task queue never share a Redis database.

Story: an operator (or a test) clears the cache while citizens' notifications wait in
the queue for a worker. ``cache.clear()`` empties the whole Redis database it is in;
when the queue lived there too, the two queued tasks vanished. Now the queue is in
its own database, and the settings refuse a layout that would put them together.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from congress.celery import app as celery_app
from congress.env import env_redis_layout
from congress.models import Delivery, DeliveryStatus, Role, User
from congress.notifications import notify
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.worker_support import WorkerProcess, wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_the_queue_defaults_to_database_0_of_the_cache_server() -> None:
    assert (
        env_redis_layout("BROKER_URL", cache_url="redis://redis:6379/1", environ={})
        == "redis://redis:6379/0"
    )
    assert (
        env_redis_layout(
            "BROKER_URL", cache_url="redis://:pw@127.0.0.1:6379/15", environ={}
        )  # CI's cache database: the queue stays clear of 15, 14, ...
        == "redis://:pw@127.0.0.1:6379/0"
    )
    assert env_redis_layout("BROKER_URL", cache_url="", environ={}) == ""  # embedded mode


def test_one_database_for_both_stops_start_up() -> None:
    with pytest.raises(ImproperlyConfigured, match="both name database 0"):
        env_redis_layout("BROKER_URL", cache_url="redis://redis:6379/0", environ={})
    with pytest.raises(ImproperlyConfigured, match="both name database 3"):
        env_redis_layout(
            "BROKER_URL",
            cache_url="redis://redis:6379/3",
            environ={"BROKER_URL": "redis://redis:6379?db=3"},
        )
    # The same number on another server is another database.
    assert env_redis_layout(
        "BROKER_URL",
        cache_url="redis://cache-host:6379/0",
        environ={"BROKER_URL": "redis://queue-host:6379/0"},
    )


def test_the_settings_refuse_such_a_layout_at_start_up() -> None:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_SETTINGS_MODULE="congress.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "clearing the cache would empty the task queue" in result.stderr


def _queued(queue: str) -> int:
    with celery_app.connection_for_write() as connection:
        declared = connection.default_channel.queue_declare(queue=queue, passive=True)
    return int(declared.message_count)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_clearing_the_cache_leaves_queued_work_in_place(
    world: World, celery_worker_process: WorkerProcess, tmp_path: Path
) -> None:
    celery_worker_process.stop()  # the worker is away: the tasks wait in the queue
    clerk: User = grant(
        UserFactory(username="zhaolei", email="zhaolei@jt.example.cn", mobile=""),
        Role.HANDLER,
        department=world.department,
    )
    notify(recipients=[clerk], kind="test", title="您有新的交办件")
    notify(recipients=[clerk], kind="test", title="交办件即将到期")
    assert _queued(celery_worker_process.queue) == 2
    cache.set("ratelimit-counter", 3)

    cache.clear()

    assert cache.get("ratelimit-counter") is None  # the cache was really cleared
    assert _queued(celery_worker_process.queue) == 2  # and the queue kept its tasks
    worker = WorkerProcess(celery_worker_process.queue, tmp_path)
    worker.start()
    try:
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
        wait_for(lambda: sent.count() == 2, timeout=60)
    finally:
        worker.stop()
