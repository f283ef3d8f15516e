"""The staff's problem lists on a city already generated (issue 13, "the lists").

Unlike ``bench/pages.py`` this does not generate the city: it measures the lists of
the database it is given (``DATABASE_URL``, filled once by ``manage.py
generate_city``), so the code before and after a change can be measured on the
same data. Each list is requested in-process with DEBUG off (``django.test.Client``):
median and p99 of ``BENCH_REQUESTS`` requests, the queries of one request, and the
rows of its page. Deep pages follow the list's own ``after=`` cursor 20 times.

    DATABASE_URL=postgres://…/congress_list DEBUG=0 … python -m bench.lists
"""

from __future__ import annotations

import os
import re
import statistics
from typing import Any

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "10"))


def _deep(client: Any, url: str, pages: int) -> str:
    """The URL of page ``pages + 1``, reached through the list's 下一页 links."""
    for _n in range(pages):
        body = client.get(url).content.decode()
        found = re.search(r'<a class="page-link" href="([^"]+)" rel="next">', body)
        if not found:
            break
        url = url.split("?")[0] + found.group(1).replace("&amp;", "&")
    return url


def measure() -> list[tuple[str, int, float, float, int, str]]:
    import django

    django.setup()
    from django.test import Client

    from bench import city
    from bench.pages import _personas
    from congress.models import Department
    from representatives.models import Representative, Station

    people = _personas()
    county = people["county"]
    station = Station.objects.filter(region__path__startswith=county.path).order_by("pk").first()
    rep = Representative.objects.filter(region__path__startswith=county.path).order_by("pk").first()
    department = Department.objects.filter(region=county).order_by("pk").first()
    assert station and rep and department, "a generated city (manage.py generate_city)"
    clients = {}
    for persona in ("city", "district", "clerk"):
        clients[persona] = Client()
        clients[persona].force_login(people[persona])
    issues = "/issues/"
    pages = [
        ("problem list, first page", "city", issues),
        ("problem list, two statuses", "city", f"{issues}?status=forwarded&status=accepted"),
        ("problem list, 已超期", "city", f"{issues}?overdue=true"),
        ("problem list, a station", "city", f"{issues}?station={station.pk}"),
        ("problem list, a representative", "city", f"{issues}?representative={rep.pk}"),
        ("problem list, a department", "city", f"{issues}?department={department.pk}"),
        ("problem list, a county", "city", f"{issues}?region={county.pk}"),
        ("problem list, page 21", "city", _deep(clients["city"], issues, 20)),
        (
            "problem list, 已超期 page 21",
            "city",
            _deep(clients["city"], f"{issues}?overdue=true", 20),
        ),
        ("problem list (district staff)", "district", issues),
        ("clerk's problem list", "clerk", issues),
        ("API list of problems", "city", "/api/v1/citizen-issues/"),
        ("API list, 已超期", "city", "/api/v1/citizen-issues/?overdue=true"),
        ("search a station (lookup)", "city", "/issues/lookup/station/?q=站"),
    ]
    figures = []
    for page, persona, url in pages:
        times, response, queries = city.timed_gets(clients[persona], url, REQUESTS)
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        figures.append(
            (
                page,
                response.status_code,
                statistics.median(times),
                city.percentile(times, 0.99),
                len(queries),
                slowest["sql"] if slowest else "",
            )
        )
    return figures


if __name__ == "__main__":
    load = os.getloadavg()
    figures = measure()
    print(f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print("| page | HTTP | median ms | p99 ms | queries |")
    print("| --- | --- | --- | --- | --- |")
    for page, status, median, p99, queries, _sql in figures:
        print(f"| {page} | {status} | {median:.0f} | {p99:.0f} | {queries} |")
    if os.environ.get("BENCH_SQL"):
        for page, *_rest, sql in figures:
            print(f"\n-- {page}\n{sql}")
