"""The reminder sweep against 1,000,000 open assignments of which 10,000 are due.

Target (issue 13): 10,000 due among 1,000,000 open are cleared in under 10 s on
PostgreSQL on a 2-core machine, and a sweep with nothing due takes under 1 s
(one indexed query). Issue 3's target still holds: the cost follows the number
due, not the number open, and memory is bounded by the batch.

The due rows are spread over 50 departments of 5 supervising offices, each with
two clerks (both with e-mail, one with a mobile), so every due item writes two
inbox rows and three outbox rows; one in ten is 3 working days overdue and
escalates to its supervising office as well. Publishes go to a filesystem broker
in a temporary folder (a real write per message, and no worker of another
deployment can take them); the bench counts them.
"""

from __future__ import annotations

import datetime
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import city

DEPARTMENTS = 50
OFFICES = 5


def _people() -> int:
    """50 bureaus under 5 offices, two clerks each; returns the first bureau's id."""
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
    offices = [
        Department.objects.create(name=f"市政府第{n}办公室", kind="government", region=region)
        for n in range(OFFICES)
    ]
    bureaus = [
        Department.objects.create(
            name=f"市第{n}局", kind="government", region=region, parent=offices[n % OFFICES]
        )
        for n in range(DEPARTMENTS)
    ]
    assert bureaus[-1].pk - bureaus[0].pk == DEPARTMENTS - 1  # the fill counts on this
    for department in offices + bureaus:
        for k in range(2):
            user = User.objects.create(
                username=f"clerk{department.pk}-{k}",
                email=f"clerk{department.pk}-{k}@example.cn",
                mobile=f"1370000{department.pk:02d}{k:02d}" if k == 0 else "",
            )
            RoleGrant.objects.create(user=user, role=Role.HANDLER, department=department)
    return bureaus[0].pk


def _moment() -> datetime.datetime:
    """When the sweep runs: now, or 09:30 (after the reminder hour, so that the day's
    "due" stage is owed) if earlier; on a rest day, 09:30 on the last working day,
    since on a weekend nothing falls due and the one in ten would not escalate."""
    from django.utils import timezone

    from congress.workdays import is_workday

    day = timezone.localdate()
    if is_workday(day):
        nine_thirty = datetime.datetime.combine(day, datetime.time(9, 30))
        return max(timezone.now(), timezone.make_aware(nine_thirty))
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _fill(open_rows: int, due_rows: int, now: datetime.datetime) -> float:
    from django.db import connection
    from django.utils import timezone

    from congress.models import Region
    from congress.workdays import add_workdays

    first_bureau = _people()
    region = Region.objects.get()
    # Due rows fall due on the sweep's day (their "due" reminder is owed), one in ten
    # three working days before (escalation to the office, and the overdue reminder);
    # the rest 60 days after.
    today = timezone.localdate(now)
    overdue = add_workdays(today, -3)
    far = today + datetime.timedelta(days=60)
    past = now - datetime.timedelta(minutes=5)
    future = now + datetime.timedelta(days=30)
    adapt = connection.ops.adapt_datetimefield_value
    now_db, past_db, future_db = adapt(now), adapt(past), adapt(future)
    started = time.perf_counter()
    columns = (
        "case_type, case_id, title, region_id, department_id, role, status, status_before_pause,"
        " version, assigned_at, due_on, original_due_on, next_reminder_at, reminded_until,"
        " escalation_level, due_provisional"
    )
    values = (
        f"SELECT 'bench.case', n, 'case ' || n, %s, %s + n %% {DEPARTMENTS}, 'lead', 'accepted',"
        " '', 0, %s, CASE WHEN n <= %s THEN %s WHEN n <= %s THEN %s ELSE %s END, %s,"
        " CASE WHEN n <= %s THEN %s ELSE %s END, NULL, 0, FALSE"
    )
    params = [
        region.pk,
        first_bureau,
        now_db,
        due_rows // 10,
        overdue,
        due_rows,
        today,
        far,
        far,
        due_rows,
        past_db,
        future_db,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO congress_assignment ({columns}) {values}"
                " FROM generate_series(1, %s) AS n",
                [*params, open_rows],
            )
            cursor.execute("ANALYZE")
        else:
            cursor.execute(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
                f"INSERT INTO congress_assignment ({columns}) {values} FROM seq",
                [open_rows, *params],
            )
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


class _Broker:
    """Publishing to a filesystem broker in a temporary folder, for the sweep only."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-broker-"))

    def __enter__(self) -> _Broker:
        self._swap(False, "filesystem://localhost/", {"data_folder_in": str(self.folder)})
        return self

    def __exit__(self, *exc: object) -> None:
        self._swap(*self._saved)
        for path in self.folder.iterdir():
            path.unlink()
        self.folder.rmdir()

    def published(self) -> int:
        return sum(1 for _ in self.folder.iterdir())

    def _swap(self, eager: bool, url: str, options: dict[str, Any]) -> None:
        import kombu.pools

        from congress.celery import app

        conf = app.conf
        if not hasattr(self, "_saved"):
            self._saved = (
                conf.task_always_eager,
                conf.broker_url,
                dict(conf.broker_transport_options or {}),
            )
        options = {**options, "data_folder_out": options.get("data_folder_in", "")}
        conf.task_always_eager = eager
        conf.broker_url = url  # type: ignore[misc]  # celery stubs: read-only
        conf.broker_transport_options = options
        app.pool.force_close_all()  # type: ignore[attr-defined]
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]
        kombu.pools.reset()


class _Statements:
    """Counts the statements sent to the database (an executemany counts once)."""

    count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def run(*, open_rows: int, due_rows: int) -> None:
    city.empty_database()
    from django.core.management import call_command
    from django.db import connection

    from congress import loop
    from congress.models import Delivery, Notification, Reminder

    call_command("migrate", verbosity=0)
    now = _moment()
    fill_seconds = _fill(open_rows, due_rows, now)

    started = time.perf_counter()
    found = len(list(loop.due_for_reminder(now, 1000).values_list("pk", flat=True)))
    query_ms = (time.perf_counter() - started) * 1000

    # Time without tracemalloc (it slows Python severalfold); memory as the growth of
    # the process's peak resident size over the sweep.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    statements = _Statements()
    load_before = _uptime()
    with _Broker() as broker, connection.execute_wrapper(statements):
        started, cpu_started = time.perf_counter(), time.process_time()
        runs = stages = 0
        for _run in range(due_rows // 100 + 5):  # bounded: a stuck claim must not hang
            result = loop.reminders_sweep(now=now)
            runs += 1
            stages += len(result.reminders)
            if not result.examined:
                break
        sweep_seconds = time.perf_counter() - started
        sweep_cpu = time.process_time() - cpu_started
        load_after = _uptime()
        published = broker.published()
    sweep_statements = statements.count
    peak_growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    # Nothing due: the next sweep, a moment later (the median of five runs).
    idle_statements = _Statements()
    idle = []
    with connection.execute_wrapper(idle_statements):
        for _run in range(5):
            started = time.perf_counter()
            loop.reminders_sweep(now=now)
            idle.append((time.perf_counter() - started) * 1000)
    idle_ms = sorted(idle)[2]

    lines = [
        f"### Reminder sweep — {city.today()} — {connection.vendor}",
        "",
        f"Machine: {city.versions()}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| open assignments | {open_rows:,} |",
        f"| due now (of which escalating) | {due_rows:,} ({due_rows // 10:,}) |",
        f"| fill time (bulk insert) | {fill_seconds:.1f} s |",
        f"| query for one batch of due rows (1,000) | {query_ms:.1f} ms ({found} rows) |",
        f"| **all due rows cleared** ({runs} sweep runs) | **{sweep_seconds:.1f} s** |",
        f"| per due assignment | {sweep_seconds / max(due_rows, 1) * 1000:.2f} ms |",
        f"| CPU time of the sweep's Python process | {sweep_cpu:.1f} s |",
        f"| load average (1, 5, 15 min, as `uptime`) before / after the sweep"
        f" | {load_before} / {load_after} |",
        f"| SQL statements for all due rows | {sweep_statements:,} |",
        f"| reminder stages sent | {stages:,} ({Reminder.objects.count():,} rows) |",
        f"| inbox rows / outbox rows written | {Notification.objects.count():,}"
        f" / {Delivery.objects.count():,} |",
        f"| broker publishes | {published:,} |",
        f"| **sweep with nothing due** (median of 5) | **{idle_ms:.1f} ms**"
        f" ({idle_statements.count // 5} statements) |",
        f"| growth of peak resident memory during the sweep | {peak_growth_kib / 1024:.1f} MiB |",
        f"| peak resident memory of the process | {rss_before / 1024:.1f} MiB before the sweep |",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    city.write_section(f"sweep:{connection.vendor}", report)


def _uptime() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())
