"""Reminders and escalation, driven by the sweep at chosen moments.

Story: 海州区 staff hand a case to 海州区交通运输局 (clerk 赵磊). The bureau's
supervisor is 海州区人民政府办公室 (郑主任), whose own supervisor is the city
government office (钱秘书长). The case is due in five working days.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from congress import loop
from congress.models import Assignment, Reminder, Role, User
from congress.workdays import add_workdays, workdays_between
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def supervisor(world: World) -> User:
    return grant(
        UserFactory(username="zheng", display_name="郑主任"),
        Role.HANDLER,
        department=world.department.parent,
    )


@pytest.fixture
def city_supervisor(world: World) -> User:
    assert world.department.parent is not None
    return grant(
        UserFactory(username="qian", display_name="钱秘书长"),
        Role.HANDLER,
        department=world.department.parent.parent,
    )


@pytest.fixture
def assignment(world: World, district_staff: User, clerk: User) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=7,
        title="桃园路路灯不亮",
        region=world.village,
        by=district_staff,
        department=world.department,
        due_on=add_workdays(timezone.localdate(), 5),
    )


def titles(user: User) -> list[str]:
    return list(user.notifications.order_by("pk").values_list("title", flat=True))


def test_each_stage_reaches_the_right_people_once(
    assignment: Assignment, clerk: User, supervisor: User, city_supervisor: User
) -> None:
    due = assignment.due_on
    loop.reminders_sweep(now=at(add_workdays(due, -3)))
    loop.reminders_sweep(now=at(add_workdays(due, -3)))  # run twice: nothing new
    assert titles(clerk)[-1] == "即将到期：“桃园路路灯不亮”还有3个工作日"
    loop.reminders_sweep(now=at(add_workdays(due, -1)))
    loop.reminders_sweep(now=at(due))
    assert titles(clerk)[-1] == "今日到期：“桃园路路灯不亮”"
    loop.reminders_sweep(now=at(add_workdays(due, 1)))
    assert titles(clerk)[-1] == "已超期：“桃园路路灯不亮”超过办理期限1个工作日"
    assert titles(supervisor) == []
    loop.reminders_sweep(now=at(add_workdays(due, 3)))
    assert titles(supervisor) == ["督办：海州区交通运输局办理的“桃园路路灯不亮”已超期3个工作日"]
    assert titles(city_supervisor) == []
    loop.reminders_sweep(now=at(add_workdays(due, 10)))
    assert len(titles(city_supervisor)) == 1
    assignment.refresh_from_db()
    assert assignment.escalation_level == 2
    stages = list(assignment.reminders.values_list("stage", flat=True))
    assert len(stages) == len(set(stages))
    assert [s.split("@")[0] for s in stages] == [
        "before:3",
        "before:1",
        "due",
        "overdue",  # one sweep each
        "escalate:1",
        "overdue",  # due + 3 working days
        "escalate:2",
        "overdue",  # due + 10 working days
    ]


def test_catch_up_after_an_outage_sends_escalation_and_one_reminder(
    assignment: Assignment, clerk: User, supervisor: User
) -> None:
    before = len(titles(clerk))
    result = loop.reminders_sweep(now=at(add_workdays(assignment.due_on, 4)))
    assert len(titles(clerk)) == before + 1  # not one per missed day
    assert len(titles(supervisor)) == 1
    assert len(result.reminders) == 2


def test_a_replied_assignment_gets_no_more_reminders(assignment: Assignment, clerk: User) -> None:
    loop.assignment_accept(assignment=assignment, by=clerk)
    loop.assignment_reply(assignment=assignment, by=clerk, note="已更换灯具")
    assignment.refresh_from_db()
    assert assignment.next_reminder_at is None
    assert loop.reminders_sweep(now=at(add_workdays(assignment.due_on, 12))).examined == 0


def test_hold_stops_the_clock(assignment: Assignment, clerk: User) -> None:
    loop.assignment_accept(assignment=assignment, by=clerk)
    loop.assignment_hold(assignment=assignment, by=clerk, reason="等待供电公司")
    assert loop.reminders_sweep(now=at(add_workdays(assignment.due_on, 1))).examined == 0
    paused_on = add_workdays(timezone.localdate(), -3)
    Assignment.objects.filter(pk=assignment.pk).update(paused_on=paused_on)
    assignment.refresh_from_db()
    due_before = assignment.due_on
    loop.assignment_resume(assignment=assignment, by=clerk)
    assignment.refresh_from_db()
    lost = workdays_between(paused_on, timezone.localdate())
    assert lost >= 2
    assert assignment.due_on == add_workdays(due_before, lost)
    assert assignment.next_reminder_at is not None


def test_dry_run_sends_nothing(assignment: Assignment, clerk: User) -> None:
    result = loop.reminders_sweep(now=at(assignment.due_on), dry_run=True)
    assert result.reminders
    assert not Reminder.objects.exists()


def test_a_reopened_assignment_gets_a_new_month(assignment: Assignment, clerk: User) -> None:
    loop.assignment_accept(assignment=assignment, by=clerk)
    loop.assignment_reply(assignment=assignment, by=clerk, note="已处理")
    loop.assignment_reopen(assignment=assignment, by=None, reason="群众不满意：灯仍不亮")
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"
    assert assignment.due_on > timezone.localdate() + datetime.timedelta(days=27)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_stage_once(
    world: World, district_staff: User, clerk: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    for n in range(20):
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=n,
            title=f"事项{n}",
            region=world.village,
            by=district_staff,
            department=world.department,
            due_on=add_workdays(timezone.localdate(), 1),
        )
    moment = at(add_workdays(timezone.localdate(), 1))
    barrier = threading.Barrier(4)

    def sweep() -> None:
        barrier.wait()
        try:
            loop.reminders_sweep(now=moment)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Reminder.objects.count() == 20
    assert clerk.notifications.filter(kind="assignment.reminder").count() == 20
