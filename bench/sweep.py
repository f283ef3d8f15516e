"""The reminder sweep against 1,000,000 open assignments of which 10,000 are due.

Target (issue 3): the sweep's cost follows the number due, not the number open.
It reports the time to find the due rows, the time to process them all, and the
growth of the process's peak resident memory.
"""

from __future__ import annotations

import datetime
import os
import platform
import resource
import time
from pathlib import Path

import django


def _prepare_database() -> None:
    from django.conf import settings

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
            cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
        admin.close()
    else:
        Path(db["NAME"]).unlink(missing_ok=True)
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def _fill(open_rows: int, due_rows: int) -> tuple[int, float]:
    from django.db import connection
    from django.utils import timezone

    from congress.loop import CaseType, register_case_type
    from congress.models import Department, Region, Role, RoleGrant, User

    register_case_type(
        CaseType(
            key="bench.case",
            label="bench",
            url=lambda pk: f"/b/{pk}/",
            can_view=lambda user, pk: True,
        )
    )
    region = Region.objects.create(name="江海市", level="city", code="990100000000")
    parent = Department.objects.create(name="市政府办公室", kind="government", region=region)
    department = Department.objects.create(
        name="市交通运输局", kind="government", region=region, parent=parent
    )
    clerk = User.objects.create(username="clerk")
    RoleGrant.objects.create(user=clerk, role=Role.HANDLER, department=department)
    now = timezone.now()
    # Due rows fall due today (their "due" reminder is owed); the rest in 60 days.
    today = timezone.localdate()
    far = today + datetime.timedelta(days=60)
    past = now - datetime.timedelta(minutes=5)
    future = now + datetime.timedelta(days=30)
    adapt = connection.ops.adapt_datetimefield_value
    now_db, past_db, future_db = adapt(now), adapt(past), adapt(future)
    started = time.perf_counter()
    columns = (
        "case_type, case_id, title, region_id, department_id, role, status, status_before_pause,"
        " version, assigned_at, due_on, original_due_on, next_reminder_at, reminded_until,"
        " escalation_level"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO congress_assignment ({columns}) "
                "SELECT 'bench.case', n, 'case ' || n, %s, %s, 'lead', 'accepted', '', 0, %s,"
                " CASE WHEN n <= %s THEN %s ELSE %s END, %s,"
                " CASE WHEN n <= %s THEN %s ELSE %s END, NULL, 0"
                " FROM generate_series(1, %s) AS n",
                [
                    region.pk,
                    department.pk,
                    now_db,
                    due_rows,
                    today,
                    far,
                    far,
                    due_rows,
                    past_db,
                    future_db,
                    open_rows,
                ],
            )
            cursor.execute("ANALYZE congress_assignment")
        else:
            cursor.execute(
                f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
                f"INSERT INTO congress_assignment ({columns}) "
                "SELECT 'bench.case', n, 'case ' || n, %s, %s, 'lead', 'accepted', '', 0, %s,"
                " CASE WHEN n <= %s THEN %s ELSE %s END, %s,"
                " CASE WHEN n <= %s THEN %s ELSE %s END, NULL, 0 FROM seq",
                [
                    open_rows,
                    region.pk,
                    department.pk,
                    now_db,
                    due_rows,
                    today,
                    far,
                    far,
                    due_rows,
                    past_db,
                    future_db,
                ],
            )
            cursor.execute("ANALYZE")
    return open_rows, time.perf_counter() - started


def run(*, open_rows: int, due_rows: int) -> None:
    django.setup()
    _prepare_database()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from congress import loop

    call_command("migrate", verbosity=0)
    _, fill_seconds = _fill(open_rows, due_rows)
    # After the 09:00 reminder hour, so that today's "due" stage is owed.
    now = max(
        timezone.now(),
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9, 30))),
    )

    started = time.perf_counter()
    found = len(list(loop.due_for_reminder(now, 1000).values_list("pk", flat=True)))
    query_ms = (time.perf_counter() - started) * 1000

    # Time without tracemalloc (it slows Python severalfold); memory as the growth of
    # the process's peak resident size over the sweep.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    batches = stages = 0
    for _batch in range(due_rows // 1000 + 5):  # bounded: a stuck claim must not hang the run
        result = loop.reminders_sweep(now=now, limit=1000)
        if not result.examined:
            break
        batches += 1
        stages += len(result.reminders)
    sweep_seconds = time.perf_counter() - started
    peak_growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    lines = [
        f"### Reminder sweep — {datetime.date.today()} — {connection.vendor}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| open assignments | {open_rows:,} |",
        f"| due now | {due_rows:,} |",
        f"| fill time (bulk insert) | {fill_seconds:.1f} s |",
        f"| query for one batch of due rows (1,000) | {query_ms:.1f} ms ({found} rows) |",
        f"| whole sweep (all due rows, {batches} batches) | {sweep_seconds:.1f} s |",
        f"| per due assignment | {sweep_seconds / max(due_rows, 1) * 1000:.2f} ms |",
        f"| reminder stages sent | {stages:,} |",
        f"| growth of peak resident memory during the sweep | {peak_growth_kib / 1024:.1f} MiB |",
        f"| peak resident memory of the process | {rss_before / 1024:.1f} MiB before the sweep |",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    _write(report, connection.vendor)


def _write(report: str, vendor: str) -> None:
    path = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else ""
    marker = f"<!-- sweep:{vendor} -->"
    block = f"{marker}\n{report}{marker}\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        _, _, after = rest.partition(marker + "\n")
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text)
