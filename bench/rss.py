"""Worker memory under a day's mixed traffic: the resident size of one gunicorn worker.

Target (issue 13): a sync worker that has served its first 1,000 requests stays flat
(no growth beyond noise) for the next 9,000 and under 200 MB. gunicorn serves the
product (``congress.wsgi``, the project's ``congress/gunicorn_conf.py``, one sync
worker, so that every request lands in the process measured) on a generated city of
10,000 problems; this process sends 10,000 requests one after another, round robin
over the mix below, and reads the worker's resident size (psutil if installed, else
``VmRSS`` in ``/proc/<pid>/status``) before the first request and after every 1,000.

The mix: the home page of a city and of a district staff member, the problem list
(pages 1 to 20, and filtered), a problem's page (the district's 50 latest in turn),
the API list, a station's public page and the citizen's submission (each station of
the city in turn, so a per-process cache keyed by station would show here).

    BENCH_DATABASE_URL=postgres://… python -m bench.rss        # on a fresh 10k city
"""

from __future__ import annotations

import http.client
import itertools
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench import city, submission

PROBLEMS = 10_000
REQUESTS = int(os.environ.get("BENCH_RSS_REQUESTS", "10000"))
WARM_UP = 1000  # requests before the reading that counts as the start
EVERY = 1000  # a reading after this many requests
LIMIT_MB = 200


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    cookie: str = ""
    body: str = ""


@dataclass
class Run:
    readings: list[tuple[int, int]] = field(default_factory=list)  # (requests sent, RSS in KiB)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)  # (kind, status)
    seconds: float = 0.0
    load_at_start: str = ""  # as uptime: 1, 5 and 15 minutes
    pids: set[int] = field(default_factory=set)  # the worker's; more than one: restarted

    def at(self, sent: int) -> int:
        """The reading taken after ``sent`` requests (the nearest one before it)."""
        return [kib for done, kib in self.readings if done <= sent][-1]


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid``, in KiB."""
    try:
        import psutil
    except ImportError:
        status = Path(f"/proc/{pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])
    return int(psutil.Process(pid).memory_info().rss // 1024)


def worker_pid(master: int) -> int:
    """The pid of gunicorn's one worker: the master's child."""
    for _n in range(100):
        children = [
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent(stat) == master
        ]
        if children:
            return min(children)
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn {master} has no worker")


def _parent(stat: Path) -> int:
    try:
        # pid (comm) state ppid …; comm may hold spaces and parentheses
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def mix() -> list[Request]:
    """The requests, in the order they are sent round robin (needs Django set up)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench import pages
    from representatives.models import Station
    from suggestions.models.citizen import CitizenIssue

    people = pages._personas()
    cookies = {}
    for persona in ("city", "district"):
        client = Client()
        client.force_login(people[persona])
        cookies[persona] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    issues = reverse("citizen_issue_list")
    district_cases = list(
        CitizenIssue.objects.filter(region__path__startswith=people["county"].path)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:50]
    )
    tokens = list(
        Station.objects.filter(is_active=True).order_by("pk").values_list("public_token", flat=True)
    )
    path, body, csrf = submission.citizen_form()
    form_cookie = f"{settings.CSRF_COOKIE_NAME}={csrf}"
    first_token = path.split("station=", 1)[1]
    requests = []
    for n in range(max(20, len(district_cases), len(tokens))):
        token = tokens[n % len(tokens)]
        requests += [
            Request("staff home", "GET", reverse("home"), cookies["city" if n % 2 else "district"]),
            Request("problem list", "GET", f"{issues}?page={n % 20 + 1}", cookies["city"]),
            Request(
                "problem list, filtered",
                "GET",
                f"{issues}?status=forwarded&status=accepted",
                cookies["district"],
            ),
            Request(
                "case detail",
                "GET",
                reverse("citizen_issue_detail", args=[district_cases[n % len(district_cases)]]),
                cookies["district"],
            ),
            Request("API list", "GET", "/api/v1/citizen-issues/", cookies["city"]),
            Request("station page", "GET", reverse("public_station", args=[token])),
            Request(
                "submission",
                "POST",
                path.replace(first_token, token),
                form_cookie,
                body,
            ),
        ]
    return requests


def send(host: str, port: int, request: Request) -> int:
    """One request on a connection of its own (a sync worker closes it); the status."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"Cookie": request.cookie} if request.cookie else {}
    body = None
    if request.method == "POST":
        body = f"{request.body}&idempotency_key={secrets.token_hex(16)}"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(request.method, request.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def measure(
    base_url: str,
    pid: Callable[[], int],
    requests: list[Request],
    *,
    count: int = REQUESTS,
    every: int = EVERY,
) -> Run:
    """Send ``count`` requests to ``base_url`` round robin over ``requests``, reading the
    RSS of the process ``pid()`` names before the first and after every ``every``."""
    parts = urllib.parse.urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    run = Run()

    def read(sent: int) -> None:
        worker = pid()
        run.pids.add(worker)
        run.readings.append((sent, rss_kib(worker)))
        print(f"{sent:,} requests: worker RSS {run.readings[-1][1] / 1024:.1f} MB", flush=True)

    run.load_at_start = _uptime()
    read(0)
    started = time.perf_counter()
    cycle: Iterator[Request] = itertools.cycle(requests)
    for sent in range(1, count + 1):
        request = next(cycle)
        run.statuses[request.kind, send(host, port, request)] += 1
        if sent % every == 0 or sent == count:
            read(sent)
    run.seconds = time.perf_counter() - started
    return run


def report(run: Run, *, problems: int, warm_up: int = WARM_UP) -> str:
    start, end = run.at(warm_up), run.readings[-1][1]
    sent = run.readings[-1][0]
    rows = [(f"{done:,}", f"{kib / 1024:.1f}") for done, kib in run.readings]
    statuses = ", ".join(
        f"{kind} {status}: {n:,}" for (kind, status), n in sorted(run.statuses.items())
    )
    growth = (end - start) / 1024
    return "\n".join(
        [
            f"### Worker memory at {problems:,} problems — {city.today()}",
            "",
            f"Machine: {city.versions(load=False)}; load average (1, 5, 15 min, as `uptime`) "
            f"{run.load_at_start} at the first request, {_uptime()} at the end. "
            f"One gunicorn sync worker (congress/gunicorn_conf.py), {sent:,} requests one "
            f"at a time from a second process in {run.seconds:.0f} s "
            f"({sent / max(run.seconds, 1e-9):.0f} requests/s); "
            f"worker processes seen: {len(run.pids)} (1: never restarted).",
            "",
            *city.table(rows, ("requests served", "worker RSS (MB)")),
            "",
            f"| **after warm-up ({warm_up:,}) → end** | **{start / 1024:.1f} → {end / 1024:.1f} MB "
            f"({growth:+.1f} MB)**; largest {max(kib for _n, kib in run.readings) / 1024:.1f} MB; "
            f"limit {LIMIT_MB} MB |",
            "",
            f"Answers (request kind and status): {statuses}.",
        ]
    )


def run(problems: int = PROBLEMS, *, reuse: bool = False) -> None:
    """A fresh city of ``problems`` unless ``reuse`` (the database already holds one,
    as after bench/pages.py), then measure; in its own process with DEBUG off."""
    subprocess.run(
        [sys.executable, "-m", "bench.rss", "--one", str(problems), *(["--reuse"] * reuse)],
        check=True,
        env=city.environment(),
        cwd=city.ROOT,
    )


def _one(problems: int, *, reuse: bool) -> None:
    import django

    if not reuse:
        city.fresh_city(problems)
    django.setup()
    from django.db import connection

    requests = mix()
    port = submission._free_port()
    server = submission._serve("congress.wsgi:application", 1, port, {})
    try:
        worker = worker_pid(server.pid)
        result = measure(f"http://127.0.0.1:{port}", lambda: worker_pid(server.pid), requests)
    finally:
        submission._stop(server)
    text = report(result, problems=problems)
    print(text)
    print(f"(first worker pid {worker})")
    city.write_section(f"rss:{connection.vendor}:{problems}", text)


def _uptime() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        _one(int(sys.argv[2]), reuse="--reuse" in sys.argv[3:])
    else:
        run()
