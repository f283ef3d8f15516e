"""A real Celery worker, in its own process, on the real Redis broker.

Used by tests marked ``worker`` (they need REDIS_URL and PostgreSQL: the worker
is another process and must see the test database's committed rows, which an
in-memory SQLite test database cannot offer). Each pytest-xdist process gets its
own queue, so two test processes never eat each other's tasks.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from congress.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(
        self,
        queue: str,
        log_dir: Path,
        broker_url: str = "",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.queue = queue
        self.broker_url = broker_url or settings.CELERY_BROKER_URL
        self.extra_env = extra_env or {}
        self.log_path = log_dir / f"celery-{queue}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.name = ""

    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        return {
            **os.environ,
            "DATABASE_URL": url,
            "BROKER_URL": self.broker_url,
            "CELERY_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "file",
            "VAR_DIR": str(self.log_path.parent),
            # The web and the worker share one media folder (docker-compose.yml's
            # volume): a file stored by the test's own process, as a report's PDF built
            # by a request, is read by the worker's e-mail delivery.
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "congress.settings",
            **self.extra_env,
        }

    def start(self, *, beat: bool = False, include: str = "") -> None:
        self.name = f"w-{uuid.uuid4().hex[:8]}@localhost"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "congress",
            "worker",
            "--pool=solo",
            "-Q",
            self.queue,
            "-n",
            self.name,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        if include:  # a module of tasks for this test only (-I)
            command += ["--include", include]
        if beat:
            command += ["--beat", "--schedule", str(self.log_path.parent / f"beat-{self.queue}")]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text()[-2000:]}")
            if "ready." in self.log():
                return
            time.sleep(0.3)
        raise RuntimeError(f"worker did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no ack; an acks_late task goes back to the queue."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_for(condition: object, timeout: float = 30.0, interval: float = 0.2) -> None:
    """Poll ``condition()`` until true; fail with the worker log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@pytest.fixture
def celery_worker_process(transactional_db: None, tmp_path: Path) -> Iterator[WorkerProcess]:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        if os.environ.get("REQUIRE_WORKER") == "1":
            pytest.fail("worker tests need PostgreSQL and REDIS_URL")
        pytest.skip("worker tests need PostgreSQL and REDIS_URL")
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:6]}"
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    worker = WorkerProcess(queue, tmp_path)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


class PrivateRedis:
    """A Redis server of this test's own, on another port, that the test may stop.

    Stopping the shared Redis would break whatever else runs in parallel; this
    one belongs to a single test.
    """

    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)
        wait_for(lambda: _pings(client), timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


def _pings(client: object) -> bool:
    try:
        return bool(client.ping())  # type: ignore[attr-defined]
    except Exception:
        return False


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker (drops pooled connections).

    kombu also keeps producer pools in a process-wide registry; without its reset a
    later test's publish finds the closed pool ("Acquire on closed pool")."""
    celery_app.conf.broker_url = url
    celery_app.pool.force_close_all()
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    kombu.pools.reset()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = 6390 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    server = PrivateRedis(port, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
