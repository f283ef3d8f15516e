"""The dashboard, the big screen and the monthly report of a generated city (issue 16):
the pages of ``bench.pages`` that read the summaries, measured alone and printed, not
written into docs/benchmarks.md (``bench.pages`` rewrites its own sections there).

    BENCH_DATABASE_URL=postgres://… python -m bench.dashboard 10000            # generate, measure
    BENCH_DATABASE_URL=postgres://… python -m bench.dashboard --existing 10000  # measure only
    BENCH_DATABASE_URL=postgres://… python -m bench.dashboard --seats     # the seats' queries
    BENCH_DATABASE_URL=postgres://… python -m bench.dashboard --ranking   # the ranking's statement
    BENCH_DATABASE_URL=postgres://… python -m bench.dashboard --ranking this_year  # or last_month

Each page: the wall median and the Python CPU median of one request, its queries,
its SQL time and slowest query (``bench.pages._measure``), and the load average.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
from typing import Any

from bench import city, pages

DASHBOARD_PAGES = (
    "dashboard (city staff)",
    "dashboard (district staff)",
    "big screen figures (city staff)",
    "monthly report (city staff)",
    "big screen API (city staff)",
    "dashboard this year (city staff)",
    "yearly report (city staff)",
)


def measure() -> list[pages.Figure]:
    """The dashboard's pages as ``bench.pages`` requests them (same personas, URLs)."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    people = pages._personas()
    region = people["city_region"]
    urls = {
        "dashboard (city staff)": ("city", reverse("dashboard")),
        "dashboard (district staff)": ("district", reverse("dashboard")),
        "big screen figures (city staff)": ("city", reverse("bigscreen_data")),
        "monthly report (city staff)": ("city", pages._last_month_report(region)),
        "big screen API (city staff)": ("city", reverse("api-bigscreen", args=[region.pk])),
        # A year's figures: the ranking then tallies twelve months of every source.
        "dashboard this year (city staff)": ("city", reverse("dashboard") + "?period=this_year"),
        "yearly report (city staff)": (
            "city",
            reverse("report_year", args=[region.pk, datetime.date.today().year]),
        ),
    }
    clients = {}
    for persona in ("city", "district"):
        clients[persona] = Client()
        clients[persona].force_login(people[persona])
    return [
        pages._measure(clients[persona], page, persona, url)
        for page, (persona, url) in ((page, urls[page]) for page in DASHBOARD_PAGES)
    ]


def main(size: int) -> None:
    """Measure the database as it is (DEBUG off) and print the table."""
    os.environ.update(city.environment())
    load = os.getloadavg()
    figures = measure()
    print(f"{size:,} problems, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(
        "\n".join(
            city.table(
                [
                    (
                        f.page,
                        f.status,
                        f"{f.median_ms:.0f}",
                        f"{f.cpu_ms:.0f}",
                        f.queries,
                        f"{f.sql_ms:.0f}",
                        f"{f.slowest_ms:.1f}",
                    )
                    for f in figures
                ],
                ("page", "HTTP", "median ms", "Python CPU ms", "queries", "SQL ms", "slowest ms"),
            )
        )
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def _execution_ms(sql: str, params: Any) -> float:
    """The server's own time for a statement (EXPLAIN ANALYZE's Execution Time), which
    the machine's load changes less than a round trip's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    return float(next(line for line in lines if "Execution Time" in line).split()[2])


def seats(rounds: int = 9) -> None:
    """The 代表工作 panel's seat figures of the city and of a district: the seats counted
    through the representatives' regions (as before the summary: two queries) against
    the summary's one query; the median execution time of each (PostgreSQL)."""
    import django

    os.environ.update(city.environment())
    django.setup()
    from django.db.models import Count

    from representatives.models import Mandate, MandateStatus, SeatCount
    from representatives.seat_counts import SEAT_FIGURES

    people = pages._personas()
    for name, region in (("city", people["city_region"]), ("district", people["county"])):
        counted = Mandate.objects.filter(
            status=MandateStatus.ACTIVE, representative__region__path__startswith=region.path
        ).order_by()
        by_level = counted.values("level").annotate(n=Count("pk")).query.sql_with_params()
        holders = counted.values("representative_id").distinct().query.sql_with_params()
        sums = ", ".join(f'SUM(s."{field}")' for field in SEAT_FIGURES)
        summary = (
            f'SELECT {sums} FROM "representatives_seatcount" s JOIN "congress_region" r '
            "ON r.id = s.area_id WHERE r.path LIKE %s",
            (region.path + "%",),
        )
        before = [
            _execution_ms(*by_level)
            + _execution_ms(f"SELECT COUNT(*) FROM ({holders[0]}) x", holders[1])
            for _n in range(rounds)
        ]
        after = [_execution_ms(*summary) for _n in range(rounds)]
        rows = SeatCount.objects.filter(area__path__startswith=region.path).count()
        print(
            f"{name}: seats counted {statistics.median(before):.2f} ms (2 queries), "
            f"summary {statistics.median(after):.2f} ms (1 query, {rows:,} rows), "
            f"load {os.getloadavg()[0]:.1f}"
        )


def ranking_statement(period: str = "this_month", rounds: int = 9) -> None:
    """The 代表工作 panel's activity ranking (``representatives.dashboard.ranking``) of
    the city and of a district in ``period`` (the dashboard's ``period`` choices): the
    statement the code of this tree sends,
    its median execution time (EXPLAIN ANALYZE, PostgreSQL) and its top and bottom
    rows' totals, so that two trees' statements are compared on the same data."""
    import django

    os.environ.update(city.environment())
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from congress.dashboard import Scope, period_from
    from representatives.dashboard import ranking

    people = pages._personas()
    for name, region in (("city", people["city_region"]), ("district", people["county"])):
        chosen = period_from({"period": period})
        scope = Scope(people["city"], region, chosen, [], timezone.localdate())
        ranking(scope)  # the rules and the user's regions, read once
        with CaptureQueriesContext(connection) as queries:
            found = ranking(scope)
        sql = queries.captured_queries[-1]["sql"]
        times = [_execution_ms(sql, None) for _n in range(rounds)]
        print(
            f"{name} {chosen.key}: ranking {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}), "
            f"top {[entry.total for entry in found.top]}, "
            f"bottom {[entry.total for entry in found.bottom]}, load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seats"]:
        seats()
    elif sys.argv[1:2] == ["--ranking"]:
        ranking_statement(sys.argv[2] if len(sys.argv) > 2 else "this_month")
    elif sys.argv[1:2] == ["--existing"]:
        main(int(sys.argv[2]))
    else:
        problems = int(sys.argv[1])
        os.environ.update(city.environment(debug=True))
        seconds = city.fresh_city(problems, scale=os.environ.get("BENCH_SCALE", "city"))
        print(f"generated {problems:,} problems in {seconds:.0f} s")
        subprocess.run(
            [sys.executable, "-m", "bench.dashboard", "--existing", str(problems)],
            check=True,
            env=city.environment(),
            cwd=city.ROOT,
        )
