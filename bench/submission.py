"""The public submission under load: requests/s, p50, p99 and errors, against its floor.

Target (issue 13): a citizen's problem is saved quickly while a whole city submits.
gunicorn serves the product (``congress.wsgi``, the project's gunicorn settings) with
2 and then 4 workers on PostgreSQL; ``wrk`` (Debian's package: ``apt-get install
wrk``) posts the citizen's form (``/q/new/?station=…``, a new idempotency key each
time, no photo, no phone) from a second process over loopback for a bounded time.
The same run measures the floor: ``bench/floor.py``, a Django view doing one INSERT
with no middleware, under the same gunicorn and load; the ratio says what the product
costs above it. Skipped, with a message, without wrk or PostgreSQL.

    BENCH_DATABASE_URL=postgres://… python -m bench.submission   # on the generated city
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import city

SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "16"))
# wrk's default (2 s) would count a slow answer as an error and leave it out of the
# latencies; a citizen waits longer than that before giving up.
TIMEOUT = int(os.environ.get("BENCH_WRK_TIMEOUT", "10"))
WORKERS = [int(n) for n in os.environ.get("BENCH_WORKERS", "2,4").split(",")]
STACK = "one INSERT behind the product's middleware"

# A new idempotency key per request (time, thread, counter), the CSRF secret in the
# cookie and the form; wrk's Lua runs one state per thread.
SCRIPT = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  counter = counter + 1
  local key = string.format("%08x-%04x-4000-8000-%012x", STAMP, tid or 0, counter)
  return wrk.format("POST", nil, nil, BODY .. "&idempotency_key=" .. key)
end
"""


@dataclass
class Load:
    target: str
    workers: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    stored: int
    routed: int = 0  # 受理 steps the catch-up made after the run
    route_seconds: float = 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(app: str) -> dict[str, str]:
    """As in production, the product's request hands the 受理 step to a task after
    commit and a worker elsewhere makes it: tasks are not run in the request (no eager
    mode) and go to an in-process broker nobody reads here, so the citizen sweep's
    catch-up makes those steps after the run, timed apart (``_catch_up``)."""
    env = city.environment()
    if app.startswith("congress."):
        env["CELERY_TASK_ALWAYS_EAGER"] = "0"
        env.setdefault("BROKER_URL", "memory://")
    return env


def _catch_up() -> tuple[int, float]:
    """The work the requests left to the task: every missing 受理 step, made by the
    sweep's own service. (steps made, seconds)"""
    import datetime

    from django.utils import timezone

    from suggestions.citizen import services

    later = timezone.now() + datetime.timedelta(hours=1)  # past the sweep's delay
    started = time.perf_counter()
    routed = 0
    while made := services.citizen_issues_route_pending(now=later, limit=500):
        routed += made
    return routed, time.perf_counter() - started


def _serve(app: str, workers: int, port: int, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:congress.gunicorn_conf",
        "-b", f"127.0.0.1:{port}", "-w", str(workers), app,
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=city.ROOT,
        env={**_environment(app), **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _n in range(100):  # up to 20 s for the workers to boot
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (a 404 on the floor's app, a 503 without a worker)
        except OSError:
            time.sleep(0.2)
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _parse(output: str) -> tuple[float, float, float, int, int]:
    """requests/s, p50 and p99 in ms, requests, errors from ``wrk --latency``."""

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rate, ms("50"), ms("99"), total, errors


def _wrk(url: str, body: str, csrf: str, seconds: int) -> str:
    script = SCRIPT.replace("STAMP", str(int(time.time()) % 2**31)).replace(
        "BODY", '"' + body.replace('"', '\\"') + '"'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{min(2, CONNECTIONS)}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                f"{TIMEOUT}s",
                "--latency",
                "-s",
                handle.name,
                "-H",
                "Content-Type: application/x-www-form-urlencoded",
                "-H",
                f"Cookie: csrftoken={csrf}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return result.stdout


def _stored(sql: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def citizen_form() -> tuple[str, str, str]:
    """The submission form's path (the first station's QR code) and a filled-in form:
    (path, urlencoded body without the idempotency key, the CSRF secret)."""
    from representatives.models import Station
    from suggestions.models.citizen import IssueCategory

    station = Station.objects.filter(is_active=True).order_by("pk").first()
    category = IssueCategory.objects.filter(is_active=True).order_by("pk").first()
    assert station is not None and category is not None, "generate a city first"
    csrf = secrets.token_hex(16)  # Django accepts its 32-character secret unmasked
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "category": category.pk,
            "description": "小区门前的路灯坏了一个多月了，晚上出门一片漆黑，希望尽快修复。",
            "consent": "on",
            "public_anonymous": "on",
        }
    )
    return f"/q/new/?station={station.public_token}", body, csrf


def load(
    url: str, body: str, csrf: str, *, seconds: int = SECONDS
) -> tuple[float, float, float, int, int]:
    """wrk against ``url`` for ``seconds``: requests/s, p50 ms, p99 ms, requests, errors."""
    return _parse(_wrk(url, body, csrf, seconds))


def measure() -> list[Load]:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body text, at timestamptz)"
        )
    path, body, csrf = citizen_form()
    _catch_up()  # a generated city's own submitted problems are not this run's work
    floor_rows = "SELECT count(*) FROM bench_floor"
    targets = [
        ("citizen's form", "congress.wsgi:application", path,
         "SELECT count(*) FROM suggestions_citizenissue", {}),
        # The floor's view behind the product's middleware: how much of the gap is the
        # request stack every page pays, not the form's own work.
        (STACK, "bench.floor:application", "/floor/", floor_rows, {"BENCH_FLOOR_STACK": "1"}),
        ("floor: one INSERT", "bench.floor:application", "/floor/", floor_rows, {}),
    ]  # fmt: skip
    loads = []
    for workers in WORKERS:
        for name, app, path, count_sql, extra in targets:
            port = _free_port()
            before = _stored(count_sql)
            server = _serve(app, workers, port, extra)
            try:
                rate, p50, p99, total, errors = load(f"http://127.0.0.1:{port}{path}", body, csrf)
            finally:
                _stop(server)
            stored = _stored(count_sql) - before
            routed, seconds = _catch_up() if app.startswith("congress.") else (0, 0.0)
            loads.append(
                Load(name, workers, rate, p50, p99, total, errors, stored, routed, seconds)
            )
            print(
                f"{name}, {workers} workers: {rate:.0f}/s p50 {p50:.0f} ms p99 {p99:.0f} ms, {errors} errors"
            )
    return loads


def report(loads: list[Load], *, problems: int) -> str:
    floor = {load.workers: load.requests_per_s for load in loads if load.target.startswith("floor")}
    stack = {load.workers: load.requests_per_s for load in loads if load.target == STACK}
    rows = [
        (
            load.target,
            load.workers,
            f"{load.requests_per_s:.0f}",
            f"{load.p50_ms:.0f}",
            f"{load.p99_ms:.0f}",
            f"{load.requests:,}",
            load.errors,
            f"{load.stored:,}",
            f"{load.requests_per_s / floor[load.workers]:.2f}" if floor.get(load.workers) else "",
            f"{load.requests_per_s / stack[load.workers]:.2f}" if stack.get(load.workers) else "",
        )
        for load in loads
    ]
    catch_up = [
        f"- {load.workers} workers: the catch-up made the {load.routed:,} 受理 steps the "
        f"form's requests left to the task in {load.route_seconds:.1f} s "
        f"({1000 * load.route_seconds / load.routed:.1f} ms a step, one process)"
        for load in loads
        if load.routed
    ]
    return "\n".join(
        [
            f"### Public submission under load at {problems:,} problems — {city.today()} — postgresql",
            "",
            f"Machine: {city.versions()}; gunicorn sync workers and wrk on the same machine "
            f"(loopback), wrk -t2 -c{CONNECTIONS} --timeout {TIMEOUT}s for {SECONDS} s per row; "
            "errors are non-2xx/3xx answers and socket errors (timeouts included).",
            "",
            *city.table(
                rows,
                (
                    "target",
                    "workers",
                    "requests/s",
                    "p50 ms",
                    "p99 ms",
                    "requests",
                    "errors",
                    "rows stored",
                    "of the floor",
                    "of the stack's floor",
                ),
            ),
            *(
                [
                    "",
                    "The 受理 step is made after commit by a task (no worker ran here); "
                    "the citizen sweep's catch-up made them after each run:",
                    "",
                    *catch_up,
                ]
                if catch_up
                else []
            ),
        ]
    )


def run(problems: int) -> None:
    """Measure the database as generated (by bench/pages.py for this size)."""
    if shutil.which("wrk") is None:
        print("bench.submission skipped: wrk is not installed (apt-get install wrk).")
        return
    if not city.environment()["DATABASE_URL"].startswith("postgres"):
        print("bench.submission skipped: it measures PostgreSQL (set BENCH_DATABASE_URL).")
        return
    subprocess.run(
        [sys.executable, "-m", "bench.submission", "--one", str(problems)],
        check=True,
        env=city.environment(),
        cwd=city.ROOT,
    )


def _one(problems: int) -> None:
    text = report(measure(), problems=problems)
    print(text)
    city.write_section(f"submission:postgresql:{problems}", text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        _one(int(sys.argv[2]))
    else:
        run(int(os.environ.get("BENCH_SIZES", "10000").split(",")[-1]))
