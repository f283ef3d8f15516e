"""Concurrency: many requests at once lose nothing, and two people acting on one case
get one result and one clear refusal.

Threads each use their own database connection, so these tests need a real
transactional database: PostgreSQL in CI (SQLite serialises writers and is
skipped where it cannot be meaningful).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import close_old_connections, connection

from congress import loop
from congress.errors import DomainError, InvalidTransition, StaleState
from congress.models import Assignment, CaseEvent, User
from tests.conftest import World
from tests.loop_support import TEST_CASE

pytestmark = pytest.mark.django_db(transaction=True)
SUBMISSIONS = 200


def _in_threads(work: Callable[[int], Any], count: int, workers: int = 20) -> list[Any]:
    barrier = threading.Barrier(min(workers, count))

    def run(n: int) -> Any:
        close_old_connections()
        try:
            if n < workers:
                barrier.wait(timeout=30)  # start the first wave at the same instant
            return work(n)
        except Exception as exc:  # reported by the caller, per outcome
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")


def test_200_concurrent_submissions_make_200_cases(
    postgres_only: None, world: World, district_staff: User
) -> None:
    def submit(n: int) -> Assignment:
        return loop.assignment_create(
            case_type=TEST_CASE,
            case_id=5000 + n,
            title=f"并发提交{n}",
            region=world.village,
            by=district_staff,
            department=world.department,
        )

    results = _in_threads(submit, SUBMISSIONS)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert Assignment.objects.filter(case_id__gte=5000).count() == SUBMISSIONS
    assert CaseEvent.objects.filter(action="assign", case_id__gte=5000).count() == SUBMISSIONS


def test_two_staff_acting_on_one_case_one_wins_the_other_is_told(
    postgres_only: None, world: World, district_staff: User, city_staff: User, clerk: User
) -> None:
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=77,
        title="同一事项",
        region=world.village,
        by=district_staff,
        department=world.department,
    )
    people = [district_staff, city_staff, clerk] * 10

    def accept(n: int) -> str:
        copy = Assignment.objects.get(pk=assignment.pk)  # each read what it saw on its screen
        try:
            loop.assignment_accept(assignment=copy, by=people[n])
        except (StaleState, InvalidTransition) as refusal:
            assert str(refusal.message)  # a translated sentence for the person
            return type(refusal).__name__
        return "accepted"

    outcomes = Counter(_in_threads(accept, len(people), workers=len(people)))
    assert outcomes["accepted"] == 1, outcomes
    assert sum(outcomes.values()) == len(people)
    assert not [o for o in outcomes if o not in ("accepted", "StaleState", "InvalidTransition")]
    assert CaseEvent.objects.filter(action="accept", assignment=assignment).count() == 1


def test_a_domain_error_changes_nothing(world: World, district_staff: User) -> None:
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=78,
        title="已办结事项",
        region=world.village,
        by=district_staff,
        department=world.department,
    )
    before = CaseEvent.objects.count()
    with pytest.raises(DomainError):
        loop.assignment_close(assignment=assignment, by=district_staff)
    assert CaseEvent.objects.count() == before
