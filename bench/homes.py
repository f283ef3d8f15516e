"""Home pages, the overdue list and the suggestion lists of a generated city (issue 13).

Run on a database that already holds a city (``manage.py generate_city``): each
page is requested in-process with DEBUG off (``django.test.Client``, logged in as
a generated city or district staff member, the clerk of the busiest department, a
representative), and the median and 99th percentile of the request's time, the
queries of one request and the load average are printed. With ``--profile`` the
queries of one request are listed with their time, slowest first, and each home
card is timed on its own. Nothing is written to docs/benchmarks.md: the figures
are read and copied by hand, beside the load average.

    DATABASE_URL=postgres://…/congress_homes python -m bench.homes [--profile]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

from bench import city

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "21"))


def _people() -> dict[str, Any]:
    from bench.pages import _personas
    from representatives.models import Representative

    people = _personas()
    rep = (
        Representative.objects.filter(user__isnull=False, addressed_citizen_issues__isnull=False)
        .order_by("pk")
        .select_related("user")
        .first()
    )
    people["representative"] = rep.user if rep else None
    return people


def pages() -> list[tuple[str, str, str]]:
    from django.urls import reverse

    home = reverse("home")
    overdue = reverse("assignment_list")
    return [
        ("home (city staff)", "city", home),
        ("home (district staff)", "district", home),
        ("home (department clerk)", "clerk", home),
        ("home (representative)", "representative", home),
        ("overdue list (city staff)", "city", overdue),
        ("overdue list (district staff)", "district", overdue),
        ("overdue list (clerk)", "clerk", overdue),
        ("due-soon list (city staff)", "city", f"{overdue}?state=soon"),
        ("all open steps (city staff)", "city", f"{overdue}?state=open"),
        ("suggestions list (city staff)", "city", "/suggestions/"),
        ("clerk workspace (suggestions)", "clerk", reverse("formal_workspace")),
    ]


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def measure(only: str = "") -> list[tuple[str, int, float, float, int, str]]:
    from django.test import Client

    people = _people()
    clients: dict[str, Client] = {}
    rows = []
    for page, persona, url in pages():
        if only and not any(part in page for part in only.split(",")):
            continue
        if people.get(persona) is None:
            continue
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(people[persona])
        client = clients[persona]
        load = _load()
        times, response, queries = city.timed_gets(client, url, REQUESTS)
        rows.append(
            (
                page,
                response.status_code,
                statistics.median(times),
                city.percentile(times, 0.99),
                len(queries),
                f"{load}–{_load()}",
            )
        )
        print(*rows[-1], sep=" | ", flush=True)
    return rows


def profile(only: str = "") -> None:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from congress.registry import home_cards

    people = _people()
    for page, persona, url in pages():
        if only and not any(part in page for part in only.split(",")):
            continue
        user = people.get(persona)
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(f"== {page}: {len(captured.captured_queries)} queries")
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:400]}")
        if url.rstrip("/") == "" or page.startswith("home"):
            request = RequestFactory().get(url)
            request.user = user
            for card in home_cards:
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    card.render(request)
                spent = (time.perf_counter() - started) * 1000
                print(f"  card {card.template}: {spent:.1f} ms, {len(captured)} queries")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    django.setup()
    args = sys.argv[1:]
    only = next((a for a in args if not a.startswith("--")), "")
    if "--profile" in args:
        profile(only)
    else:
        measure(only)
