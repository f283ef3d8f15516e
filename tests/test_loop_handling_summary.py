"""The departments' handling summary (``HandlingCount``, docs/dashboard.md, "承办单位")
kept by the engine's one ``_move``, on a fixed clock in November 2026, through the
engine's services. By hand, for 海州区交通运输局 in 新浦街道:

- X: 交办 Mon 2 Nov, replied Wed 4 Nov (due later), closed Thu 5 Nov: one answer in
  November, on time, 2 working days (the close changes nothing);
- Y: 交办 Mon 2 Nov due Tue 3 Nov, paused Tue 3 Nov, resumed Thu 5 Nov (the due
  date moves 2 working days to Thu 5 Nov), replied Fri 6 Nov: late, 4 working days;
- Z: replied Tue 3 Nov, reopened Wed 4 Nov (its answer leaves November), replied
  again Tue 1 Dec, due Fri 4 Dec: December, on time, 21 working days (20 in November
  after the 2nd, and 1 December);
- W, of 临江区住房和城乡建设局: cancelled, never answered: nothing.

November: 2 answered, 1 on time, 6 working days; December: 1, 1, 21.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from congress import loop
from congress.loop.handling import handling_counts_differences
from congress.models import Assignment, HandlingCount, User
from tests.conftest import World
from tests.loop_support import TEST_CASE

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def clock(month: int, day: int) -> Iterator[None]:
    moment = datetime.datetime(2026, month, day, 10, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _summary(world: World) -> dict[tuple[int, int], tuple[int, int, int]]:
    return {
        (row.month.month, row.department_id): (row.finished, row.on_time, row.workdays)
        for row in HandlingCount.objects.filter(area=world.town)
        if row.finished
    }


def test_the_summary_follows_answers_reopenings_and_pauses(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    def create(case_id: int, **kwargs: Any) -> Assignment:
        return loop.assignment_create(
            case_type=TEST_CASE,
            case_id=case_id,
            title="路灯不亮",
            region=world.village,
            by=district_staff,
            **{"department": world.department, **kwargs},
        )

    with clock(11, 2):
        x, y, z = create(1), create(2, due_on=datetime.date(2026, 11, 3)), create(3)
        w = create(4, department=world.other_department)
        for step in (x, y, z):
            loop.assignment_accept(assignment=step, by=clerk)
    with clock(11, 3):
        loop.assignment_hold(assignment=y, by=clerk, reason="等待天气")
        loop.assignment_reply(assignment=z, by=clerk, note="已修")
        loop.assignment_cancel(assignment=w, by=district_staff, reason="重复交办")
    with clock(11, 4):
        loop.assignment_reply(assignment=x, by=clerk, note="已修")
        loop.assignment_reopen(assignment=z, by=None, reason="群众不满意")
    with clock(11, 5):
        loop.assignment_close(assignment=x, by=district_staff)
        loop.assignment_resume(assignment=y, by=clerk)
    y.refresh_from_db()
    assert y.due_on == datetime.date(2026, 11, 5)
    with clock(11, 6):
        loop.assignment_reply(assignment=y, by=clerk, note="已修")
    assert _summary(world) == {(11, world.department.pk): (2, 1, 6)}
    with clock(12, 1):
        z.refresh_from_db()
        assert z.status == "in_progress" and z.due_on == datetime.date(2026, 12, 4)
        loop.assignment_reply(assignment=z, by=clerk, note="重修")
    assert _summary(world) == {
        (11, world.department.pk): (2, 1, 6),
        (12, world.department.pk): (1, 1, 21),
    }
    assert handling_counts_differences() == {}
