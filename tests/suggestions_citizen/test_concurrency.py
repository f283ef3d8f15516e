"""Fifty taps of one submit button at once (one idempotency key) make one case.

Real threads against the real database: the unique constraint on the key, not a
check in Python, decides; each loser finds the winner's case and returns it.
Runs on SQLite here and on PostgreSQL in CI.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, close_old_connections, connection

from congress.models import Assignment
from representatives.models import Station
from suggestions.citizen import services
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_double_submits_make_exactly_one_case(
    station: Station, categories: dict[str, IssueCategory]
) -> None:
    key = uuid.uuid4()
    barrier = threading.Barrier(THREADS)
    submission = services.Submission(
        category=categories["roads"],
        description="桥下涵洞积水，车辆无法通行",
        region=station.region,
        station=station,
        mobile="13812345678",
        consent=True,
    )

    errors: list[str] = []

    def tap() -> int:
        try:
            barrier.wait(timeout=30)
            for _attempt in range(400):
                try:
                    issue, _created = services.citizen_issue_submit(
                        submission=submission, idempotency_key=key
                    )
                    return issue.pk
                except OperationalError as exc:  # SQLite: "database is locked" under the stampede
                    # The in-memory test database's shared cache answers "table is
                    # locked" at once instead of waiting: back off and tap again,
                    # as a phone on a bad network would.
                    errors.append(str(exc))
                    close_old_connections()
                    time.sleep(random.uniform(0.005, 0.05))
            raise AssertionError(f"never got through: {errors[-3:]}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        ids = list(pool.map(lambda _i: tap(), range(THREADS)))
    assert len(set(ids)) == 1
    assert CitizenIssue.objects.filter(idempotency_key=key).count() == 1
    assert CitizenIssue.objects.count() == 1
    # One case, routed once: one intake step, not fifty.
    assert Assignment.objects.filter(case_type=ISSUE_CASE).count() == 1
