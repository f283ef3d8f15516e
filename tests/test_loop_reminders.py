"""Reminders and escalation, driven by the sweep at chosen moments.

Story: 海州区 staff hand a case to 海州区交通运输局 (clerk 赵磊). The bureau's
supervisor is 海州区人民政府办公室 (郑主任), whose own supervisor is the city
government office (钱秘书长). The case is due in five working days.
"""

import datetime
import threading
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress import loop, notifications
from congress.models import Assignment, Delivery, DeliveryStatus, Reminder, Role, User
from congress.workdays import add_workdays, workdays_between
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE

# See test_a_sweep_costs_the_same_statements_for_5_and_50_due.
STATEMENTS_PER_SWEEP = 15


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


# --- who hears of each stage (the reminder policy's rules, before the bulk sweep) ---
#
# Plain stages (before the due date, on it, and each overdue working day) go to
# whoever must act: the department's active clerks, the representative, or the
# staff of the congress unit. Escalation goes up the departments (the parent
# office, then the parent's parent, as far as the tree reaches) and, where no
# office with active clerks is there, to the congress staff: of the department's
# district for the first escalation and the region above for the second; for a
# representative, of the case's region and the one above; for a congress unit,
# of the region above it and the one above that.


def _hand_over(
    world: World, by: User, case_id: int, due: datetime.date, **assignee: object
) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=case_id,
        title=f"事项{case_id}",
        region=world.town,
        by=by,
        due_on=due,
        **assignee,  # type: ignore[arg-type]
    )


def _heard(case_id: int, kind: str) -> set[str]:
    return set(
        User.objects.filter(
            notifications__case_id=case_id, notifications__kind=f"assignment.{kind}"
        ).values_list("username", flat=True)
    )


def test_each_stage_goes_to_the_people_the_policy_names(
    world: World,
    district_staff: User,
    other_district_staff: User,
    city_staff: User,
    town_staff: User,
    clerk: User,
    other_clerk: User,
    supervisor: User,
    city_supervisor: User,
    representative_user: User,
) -> None:
    """Five cases of every kind of assignee, swept together at the same moments."""
    retired = grant(UserFactory(username="retired"), Role.HANDLER, department=world.department)
    User.objects.filter(pk=retired.pk).update(is_active=False)
    # 江海市交通运输局's office (江海市人民政府办公室) has 钱秘书长 and nobody above it.
    due = add_workdays(timezone.localdate(), 5)
    bureau = _hand_over(world, district_staff, 1, due, department=world.department)
    top = _hand_over(world, district_staff, 2, due, department=world.city_department)
    lone = _hand_over(world, district_staff, 3, due, department=world.other_department)
    person = _hand_over(world, district_staff, 4, due, user=representative_user)
    unit = _hand_over(world, district_staff, 5, due, staff_region=world.town)
    cases = [bureau, top, lone, person, unit]

    loop.reminders_sweep(now=at(due))
    assert {c.case_id: _heard(c.case_id, "reminder") for c in cases} == {
        1: {"zhaolei"},  # the deactivated clerk hears nothing
        2: set(),  # 江海市交通运输局 has no clerk of its own
        3: {"sunli"},
        4: {"liuhong"},
        5: {"wangfang"},
    }
    assert Reminder.objects.get(assignment=top).recipients == 0  # still sent once, to no one

    loop.reminders_sweep(now=at(add_workdays(due, 3)))
    assert {c.case_id: _heard(c.case_id, "escalation") for c in cases} == {
        1: {"zheng"},  # the bureau's office
        2: {"qian"},  # the city office above 江海市交通运输局
        3: {"liqiang"},  # no office above: 临江区's congress staff
        4: {"wangfang"},  # the representative's case in 新浦街道: its staff
        5: {"chenjing"},  # the unit of 新浦街道: the district above
    }

    loop.reminders_sweep(now=at(add_workdays(due, 10)))
    second = {c.case_id: _heard(c.case_id, "escalation") for c in cases}
    assert second == {
        1: {"zheng", "qian"},  # then the city office
        2: {"qian"},  # the tree ends there: the city office again
        3: {"liqiang", "zhouwenhua"},  # then the city's staff
        4: {"wangfang", "chenjing"},
        5: {"chenjing", "zhouwenhua"},
    }
    for case in cases:
        stages = [s.split("@")[0] for s in case.reminders.values_list("stage", flat=True)]
        assert stages.count("escalate:1") == stages.count("escalate:2") == 1
    # Each escalation stage of the city office's case reached 钱秘书长 once.
    assert (
        city_supervisor.notifications.filter(case_id=2, kind="assignment.escalation").count() == 2
    )
    assert {c.pk: c.escalation_level for c in Assignment.objects.all()} == {c.pk: 2 for c in cases}


def test_an_office_without_clerks_passes_the_escalation_to_congress_staff(
    world: World, district_staff: User, city_staff: User, clerk: User
) -> None:
    """海州区's and the city's government offices have no clerk in the system."""
    due = add_workdays(timezone.localdate(), 5)
    case = _hand_over(world, district_staff, 9, due, department=world.department)
    loop.reminders_sweep(now=at(add_workdays(due, 3)))
    assert _heard(9, "escalation") == {"chenjing"}  # 海州区, the bureau's district
    loop.reminders_sweep(now=at(add_workdays(due, 10)))
    assert _heard(9, "escalation") == {"chenjing", "zhouwenhua"}  # then 江海市
    assert _heard(9, "reminder") == {"zhaolei"}
    assert list(
        case.reminders.filter(stage__startswith="escalate").values_list("recipients", flat=True)
    ) == [1, 1]


@pytest.mark.parametrize("count", [5, 50])
def test_a_sweep_costs_the_same_statements_for_5_and_50_due(
    world: World,
    district_staff: User,
    town_staff: User,
    clerk: User,
    other_clerk: User,
    supervisor: User,
    representative_user: User,
    count: int,
) -> None:
    """Every kind of assignee, with e-mail copies; every other case three working
    days overdue (escalation and overdue reminder), the others due today."""
    User.objects.update(email="someone@example.cn")
    kinds: list[dict[str, object]] = [
        {"department": world.department},
        {"department": world.other_department},
        {"user": representative_user},
        {"staff_region": world.town},
    ]
    moment = at(add_workdays(timezone.localdate(), 8))
    for n in range(count):
        due = add_workdays(timezone.localdate(), 5 if n % 2 else 8)
        _hand_over(world, district_staff, 100 + n, due, **kinds[n % len(kinds)])
    with CaptureQueriesContext(connection) as queries:
        result = loop.reminders_sweep(now=moment)
    assert len(result.reminders) == count + count // 2
    assert Reminder.objects.count() == count + count // 2
    # Counted by hand: the due rows (locked), their departments, regions and
    # representatives, the policy, everyone who may hear of them, their preferences, the
    # representatives' SMS-mode rule across the congresses (docs/rules.md), one INSERT each of reminders, events, inbox
    # and outbox rows, one UPDATE of the assignments, and the batch's savepoint and
    # its release inside the test's transaction. (SQLite splits an INSERT above 999
    # parameters, Django's limit for it: some 90 events; 50 cases stay under.)
    # On PostgreSQL the inbox and outbox rows go in by COPY, their ids drawn from the
    # sequences first: two statements more (congress/bulk.py).
    expected = STATEMENTS_PER_SWEEP + (2 if connection.vendor == "postgresql" else 0)
    assert len(queries) == expected, "\n".join(q["sql"][:60] for q in queries)


def test_a_sweep_batch_is_one_broker_publish_split_by_the_worker(
    world: World,
    district_staff: User,
    clerk: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Seven cases due today at a bureau with two clerks, swept in batches of four:
    two batches, so two publishes (one per batch, whatever its number of outbox rows);
    the task that takes a batch splits it into messages of DELIVERY_BATCH rows (3
    here), and every e-mail goes out once."""
    second = User.objects.create_user(username="wangfang")
    grant(second, Role.HANDLER, department=world.department)
    User.objects.update(mobile="")
    User.objects.filter(pk__in=[clerk.pk, second.pk]).update(email="clerk@jt.example.cn")
    monkeypatch.setattr(notifications, "DELIVERY_BATCH", 3)
    due = add_workdays(timezone.localdate(), 5)
    for n in range(7):
        _hand_over(world, district_staff, 300 + n, due, department=world.department)
    Delivery.objects.update(status=DeliveryStatus.SENT)  # the hand-over mails, not counted here
    with django_capture_on_commit_callbacks() as published:
        result = loop.reminders_sweep(now=at(due), batch=4)
    assert len(result.reminders) == 7
    assert len(published) == 2
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert pending.count() == 7 * 2  # two clerks, e-mail only
    for send in published:  # what the broker would hand the workers (eager tasks here)
        send()
    assert not pending.exists()
    assert Delivery.objects.filter(notification__kind="assignment.reminder").count() == 14
    assert Delivery.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 14
