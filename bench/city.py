"""A generated city in a fresh database, and the report helpers the city benchmarks share.

Each size gets its own database (``BENCH_DATABASE_URL``'s, dropped and created again),
filled by ``manage.py generate_city --problems N`` (congress/synthetic.py).
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def environment(*, debug: bool = False) -> dict[str, str]:
    """The variables a benchmark process runs under: production-like (DEBUG off, no
    HTTPS redirect on loopback, static files without a manifest), quiet logs."""
    env = dict(os.environ)
    env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:///var/bench.sqlite3")
    env.update(
        DEBUG="1" if debug else "0",
        SECRET_KEY=env.get(
            "BENCH_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopq"
        ),
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
        CELERY_TASK_ALWAYS_EAGER="1",
        ANONYMOUS_RATE_LIMIT="1000000000/h",
        API_RATE_PER_USER="1000000000/h",
        API_RATE_PER_CREDENTIAL="1000000000/h",
        CITIZEN_RATE_PER_IP="1000000000/h",
        CITIZEN_RATE_PER_PHONE="1000000000/h",
        DJANGO_SETTINGS_MODULE="congress.settings",
    )
    return env


def empty_database() -> None:
    """Drop and create the configured database (PostgreSQL), or delete the SQLite
    file: every benchmark starts from an empty one. Sets Django up."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg2

        admin = psycopg2.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
        admin.close()
    else:
        Path(db["NAME"]).unlink(missing_ok=True)
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def fresh_city(problems: int, *, scale: str = "city") -> float:
    """An empty benchmark database, migrated, with a generated city; the generation's
    seconds."""
    empty_database()
    manage = [sys.executable, str(ROOT / "manage.py")]
    env = environment(debug=True)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "generate_city", "--scale", scale, "--problems", str(problems), "-v0"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def versions(*, load: bool = True, packages: tuple[str, ...] = ()) -> str:
    """The machine and the software a benchmark ran on; ``packages``: more distributions
    to name with their versions (e.g. the server and the crypto library)."""
    from importlib import metadata

    import django
    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    at_start = f", load average {os.getloadavg()[0]:.1f} at the start" if load else ""
    more = "".join(f", {name} {metadata.version(name)}" for name in packages)
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{at_start}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, {database}{more}"
    )


def timed_gets(client: Any, url: str, requests: int) -> tuple[list[float], Any, list[Any]]:
    """GET ``url`` twice to warm up, ``requests`` times timed (ms each), then once more
    counting its queries: the times, that last response and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _warm in range(2):
        client.get(url)
    times = []
    for _n in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return times, response, captured.captured_queries


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def write_section(name: str, report: str) -> None:
    """Replace the block between this benchmark's markers in docs/benchmarks.md (or
    add it at the end)."""
    marker = f"<!-- {name} -->"
    text = DOC.read_text(encoding="utf-8")
    block = f"{marker}\n{report.rstrip()}\n{marker}"
    if marker in text:
        start = text.index(marker)
        end = text.index(marker, start + len(marker)) + len(marker)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def today() -> str:
    return datetime.date.today().isoformat()


def table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines
