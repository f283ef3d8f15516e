"""Staff pages of a generated city: time per request, queries per request, the list's plan.

Target (issue 13): a page is fast when it is fast at 200,000 problems, not on the
demo. For each size the city is generated afresh (bench/city.py), then every page is
requested in-process with DEBUG off (``django.test.Client``, logged in as a
generated staff member or clerk): the median and 99th percentile of the single
request's time, the number of queries one request runs (``CaptureQueriesContext``),
and, for the lists, the ``EXPLAIN`` of their main query (the slowest query on the
problems' table). Nothing here is asserted: these are figures to read.

    BENCH_SIZES=10000,200000 BENCH_DATABASE_URL=postgres://… python -m bench.pages
    BENCH_SCALE=province BENCH_SIZES=5000000 …   (a province: 13 cities)
    BENCH_DATABASE_URL=postgres://… python -m bench.pages --existing 1000000
        (measure a database generated before, without generating it again)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from bench import city

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))


@dataclass
class Figure:
    page: str
    persona: str
    url: str
    status: int
    median_ms: float
    p99_ms: float
    queries: int
    plan: str = ""
    slowest_ms: float = 0.0  # the slowest query of the counted request
    sql_ms: float = 0.0  # all its queries together
    cpu_ms: float = 0.0  # median CPU time of this process per request (Python's share)


def _personas() -> dict[str, Any]:
    from django.db.models import Count

    from congress.models import OPEN_STATUSES, Assignment, Region, RegionLevel, Role, User
    from congress.synthetic import synthetic_roots

    root = synthetic_roots()[0]
    the_city = Region.objects.filter(parent=root, level=RegionLevel.CITY).order_by("pk").first()
    county = Region.objects.filter(parent=the_city).order_by("pk").first()
    assert the_city is not None and county is not None, "generate a city first"

    def staff(region: Region) -> User | None:
        return User.objects.filter(role_grants__role=Role.STAFF, role_grants__region=region).first()

    # The clerk of the department with the most open work (any work, in a tiny city).
    handed = Assignment.objects.filter(department__isnull=False)
    if handed.filter(status__in=OPEN_STATUSES).exists():
        handed = handed.filter(status__in=OPEN_STATUSES)
    busiest = handed.values("department").annotate(n=Count("pk")).order_by("-n").first()
    clerks = User.objects.filter(role_grants__role=Role.HANDLER).order_by("pk")
    clerk = (
        clerks.filter(role_grants__department=busiest["department"]).first() if busiest else None
    ) or clerks.first()
    return {
        "city": staff(the_city),
        "district": staff(county),
        "clerk": clerk,
        "county": county,
        "city_region": the_city,
    }


# Pages whose plan shown is that of their slowest query on any table (a dashboard
# reads summaries and several tables; a list's main query is on the problems').
SLOWEST_PLAN = {
    "dashboard (city staff)",
    "big screen figures (city staff)",
    "monthly report (city staff)",
}


def _main_query(queries: list[dict[str, Any]], *, any_table: bool = False) -> str:
    """The slowest query on the problems' table: the list's page (or its count);
    with ``any_table``, the request's slowest query."""
    on_table = [
        q
        for q in queries
        if any_table or '"suggestions_citizenissue"' in q["sql"].split(" WHERE ")[0]
    ]
    if not on_table:
        return ""
    return max(on_table, key=lambda q: float(q["time"]))["sql"]


def _explain(sql: str) -> str:
    from django.db import connection

    if not sql:
        return ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def _cpu_ms(client: Any, url: str, requests: int) -> float:
    """The median CPU time this process spends on one request: the Python side of a
    page, which other processes on the machine barely change (wall time they do)."""
    import time

    spent = []
    for _n in range(requests):
        started = time.process_time()
        client.get(url)
        spent.append((time.process_time() - started) * 1000)
    return statistics.median(spent)


def _measure(client: Any, page: str, persona: str, url: str, *, plan: bool = False) -> Figure:
    times, response, queries = city.timed_gets(client, url, REQUESTS)
    seconds = [float(q["time"]) for q in queries]
    return Figure(
        page=page,
        persona=persona,
        url=url,
        status=response.status_code,
        median_ms=statistics.median(times),
        p99_ms=city.percentile(times, 0.99),
        queries=len(queries),
        plan=_explain(_main_query(queries, any_table=page in SLOWEST_PLAN)) if plan else "",
        slowest_ms=max(seconds, default=0.0) * 1000,
        sql_ms=sum(seconds) * 1000,
        cpu_ms=_cpu_ms(client, url, max(3, REQUESTS // 4)),
    )


def _last_month_report(region: Any) -> str:
    import datetime

    from django.urls import reverse

    first = datetime.date.today().replace(day=1)
    month = first.month - 1 or 12
    year = first.year if first.month > 1 else first.year - 1
    return reverse("report_month", args=[region.pk, year, month])


def measure() -> list[Figure]:
    """Every page, in this process (DEBUG off), on the database as it is."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from suggestions.models.citizen import CitizenIssue

    people = _personas()
    in_district = CitizenIssue.objects.filter(region__path__startswith=people["county"].path)
    forwarded = (
        in_district.filter(status="forwarded").order_by("-created_at").first()
        or in_district.order_by("-created_at").first()
    )
    assert forwarded is not None, "generate a city first"
    issues = reverse("citizen_issue_list")
    pages: list[tuple[str, str, str, bool]] = [
        ("home (city staff)", "city", reverse("home"), False),
        ("home (district staff)", "district", reverse("home"), False),
        ("problem list, first page", "city", issues, True),
        ("problem list, two filters", "city", f"{issues}?status=forwarded&status=accepted", True),
        ("problem list, overdue", "city", f"{issues}?overdue=true", True),
        # Keyset pages have no number: page 100 is reached through 99 下一页 links.
        ("problem list, page 100", "city", "", True),
        ("problem list (district staff)", "district", issues, True),
        ("case detail", "district", reverse("citizen_issue_detail", args=[forwarded.pk]), False),
        ("home (department clerk)", "clerk", reverse("home"), False),
        ("clerk's problem list", "clerk", issues, True),
        ("clerk workspace (suggestions)", "clerk", reverse("formal_workspace"), False),
        ("API list of problems", "city", "/api/v1/citizen-issues/", True),
        # The dashboard, the big screen's figures and last month's report (docs/dashboard.md).
        ("dashboard (city staff)", "city", reverse("dashboard"), False),
        ("dashboard (district staff)", "district", reverse("dashboard"), False),
        ("big screen figures (city staff)", "city", reverse("bigscreen_data"), False),
        ("monthly report (city staff)", "city", _last_month_report(people["city_region"]), False),
        (
            "big screen API (city staff)",
            "city",
            reverse("api-bigscreen", args=[people["city_region"].pk]),
            False,
        ),
        # 批量开通账号's preview of the city's representatives (its counts cover them all,
        # its table shows the first 500). The generator writes no livelihood projects and
        # no supervision findings, so their lists are not measured (docs/benchmarks.md).
        (
            "bulk logins preview (city staff)",
            "city",
            f"{reverse('representative_accounts')}?region={people['city_region'].pk}",
            False,
        ),
    ]
    clients: dict[str, Client] = {}
    for persona in ("city", "district", "clerk"):
        clients[persona] = Client()
        clients[persona].force_login(people[persona])
    from bench.lists import _deep

    deep = _deep(clients["city"], issues, 99)
    pages = [(page, persona, url or deep, plan) for page, persona, url, plan in pages]
    return [
        _measure(clients[persona], page, persona, url, plan=plan or page in SLOWEST_PLAN)
        for page, persona, url, plan in pages
    ]


def report(figures: list[Figure], *, problems: int, generated_s: float | None) -> str:
    from django.db import connection

    from congress.models import Assignment, CaseEvent
    from representatives.models import Representative, Station

    sizes = (
        f"{problems:,} citizens' problems, {CaseEvent.objects.count():,} timeline events, "
        f"{Assignment.objects.count():,} closed-loop steps, "
        f"{Representative.objects.count():,} representatives, {Station.objects.count():,} stations"
    )
    made = "generated beforehand" if generated_s is None else f"generated in {generated_s:.0f} s"
    lines = [
        f"### Staff pages at {problems:,} problems — {city.today()} — {connection.vendor}",
        "",
        f"Machine: {city.versions()}.",
        f"Data: {sizes} ({made}). {REQUESTS} requests per page.",
        "",
        *city.table(
            [
                (
                    f.page,
                    f.status,
                    f"{f.median_ms:.0f}",
                    f"{f.p99_ms:.0f}",
                    f.queries,
                    f"{f.sql_ms:.0f}",
                    f"{f.slowest_ms:.1f}",
                    f"{f.cpu_ms:.0f}",
                )
                for f in figures
            ],
            (
                "page",
                "HTTP",
                "median ms",
                "p99 ms",
                "queries",
                "SQL ms",
                "slowest query ms",
                "Python CPU ms",
            ),
        ),
        "",
        "SQL ms and slowest query ms: the queries of the one counted request (as the "
        "driver timed them, load included). Python CPU ms: the median CPU time of the "
        "benchmark's process per request (a quarter as many requests again), which the "
        "machine's other work changes little.",
        "",
        "<details><summary>Plans of the lists' main queries, and of the dashboard's, big "
        "screen's and report's slowest query</summary>",
        "",
    ]
    for f in figures:
        if f.plan:
            lines += [f"{f.page} (`{f.url}`):", "", "```", f.plan, "```", ""]
    lines.append("</details>")
    return "\n".join(lines)


def run(sizes: list[int]) -> None:
    """Generate a city per size and measure it; each in its own process with DEBUG off."""
    for size in sizes:
        env = city.environment()
        subprocess.run(
            [sys.executable, "-m", "bench.pages", "--one", str(size)],
            check=True,
            env=env,
            cwd=city.ROOT,
        )


def _one(size: int, *, generate: bool = True) -> None:
    """Generate a city of ``size`` problems (``BENCH_SCALE``: city or province) and
    measure it; ``generate=False`` measures the database as it is (a city generated
    before, of that many problems)."""
    scale = os.environ.get("BENCH_SCALE", "city")
    generated = city.fresh_city(size, scale=scale) if generate else None
    figures = measure()
    from django.db import connection

    text = report(figures, problems=size, generated_s=generated)
    print(text)
    city.write_section(f"pages:{connection.vendor}:{size}", text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        _one(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--existing"]:
        # python -m bench.pages --existing 1000000: the benchmark database as it is.
        os.environ.update(city.environment())
        _one(int(sys.argv[2]), generate=False)
    else:
        run([int(s) for s in os.environ.get("BENCH_SIZES", "10000").split(",")])
