"""Run every benchmark and write the results to docs/benchmarks.md.

Uses BENCH_DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/congress_bench,
which it creates and fills), else a SQLite file under var/. BENCH_SIZES chooses the
generated cities' sizes in citizens' problems (default 10000).

In order: the reminder sweep (bench/sweep.py), the ballots (bench/ballots.py), then
for each city size its staff pages (bench/pages.py, which generates the city), the
home pages per persona (bench/homes.py, printed only), the public submission under
load (bench/submission.py) and, at 10,000 problems, the worker's memory over 10,000
mixed requests (bench/rss.py; on its own fresh 10,000-problem city when that size
is not among BENCH_SIZES). bench/page_weight.py needs a browser and a server of
one's choosing and is run by tests/browser/test_citizen_phone.py instead.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "sqlite:///var/bench.sqlite3")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    from bench import ballots, sweep

    sweep.run(
        open_rows=int(os.environ.get("BENCH_OPEN", "1000000")),
        due_rows=int(os.environ.get("BENCH_DUE", "10000")),
    )
    ballots.run(representatives=int(os.environ.get("BENCH_REPRESENTATIVES", "542")))
    # A generated city per size (BENCH_SIZES=10000,200000): its staff pages, then the
    # public submission on it under gunicorn and wrk (PostgreSQL only).
    from bench import city, pages, rss, submission

    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "10000").split(",")]
    for size in sizes:
        pages.run([size])
        subprocess.run(
            [sys.executable, "-m", "bench.homes"], check=True, env=city.environment(), cwd=city.ROOT
        )
        submission.run(size)
        if size == rss.PROBLEMS:
            rss.run(size, reuse=True)
    if rss.PROBLEMS not in sizes:
        rss.run(rss.PROBLEMS)


if __name__ == "__main__":
    main()
