"""A year the holiday package does not know yet (2027 for chinesecalendar 1.11.0).

It is 3 December 2026 in the 海州区 office. Deadlines handed out today already run
into 2027, whose State Council holiday notice is not out: the statutory holidays
count, make-up working days are unknown, and such deadlines say they are
provisional. When the administrator (管理员) enters the notice, the open ones are
counted again, each with a line on the case's timeline.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.signals import task_prerun
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from congress import loop, workdays
from congress.loop import CaseType, register_case_type
from congress.models import Assignment, CaseEvent, HolidayOverride, User
from congress.tasks import recalculate_deadlines
from congress.workdays import (
    Deadline,
    add_deadline,
    add_workdays,
    is_workday,
    known_years,
    statutory_holidays,
)
from tests.conftest import World, login
from tests.loop_support import TEST_CASE

D = datetime.date
pytestmark = pytest.mark.django_db
# Carry-over tracking (跨年度跟踪) can run past a year: a case type with no longest limit.
LONG_CASE = "tests.long_case"
register_case_type(
    CaseType(
        key=LONG_CASE,
        label="跨年度测试事项",
        url=lambda case_id: f"/cases/{case_id}/",
        can_view=lambda user, case_id: True,
        default_deadline=Deadline(18, "months"),
    )
)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """Sets the office's date (10 o'clock) for the services and pages."""

    def set_day(day: datetime.date) -> None:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_day(D(2026, 12, 3))
    return set_day


def _hand_out(world: World, by: User, deadline: Deadline, case_id: int = 1) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=case_id,
        title=f"路灯不亮{case_id}",
        region=world.village,
        by=by,
        department=world.department,
        deadline=deadline,
    )


# --- the 2027 calendar before its notice ---------------------------------------------


def test_the_package_does_not_know_2027() -> None:
    assert 2026 in known_years()
    assert 2027 not in known_years()


def test_2027_spring_festival_is_new_years_eve_to_the_third_day() -> None:
    # 除夕 is Friday 5 February 2027, 正月初一 Saturday 6 February.
    assert is_workday(D(2027, 2, 4))
    for day in (5, 6, 7, 8):
        assert not is_workday(D(2027, 2, day))
    assert is_workday(D(2027, 2, 9))  # no bridging days or make-up days are known yet


def test_2027_fixed_and_lunar_holidays() -> None:
    assert not is_workday(D(2027, 1, 1))  # 元旦, a Friday
    assert not is_workday(D(2027, 4, 5))  # 清明, a Monday
    assert is_workday(D(2027, 4, 6))
    assert not is_workday(D(2027, 6, 9))  # 端午, a Wednesday
    assert not is_workday(D(2027, 9, 15))  # 中秋, a Wednesday
    for day in (1, 2, 3):  # 国庆, Friday to Sunday
        assert not is_workday(D(2027, 10, day))
    assert is_workday(D(2027, 10, 4))
    assert is_workday(D(2027, 5, 3))  # 劳动节 is 1–2 May only (a weekend in 2027)


def test_every_statutory_holiday_of_the_law_and_nothing_else() -> None:
    # 《全国年节及纪念日放假办法》 (2024): 13 days a year.
    assert len(statutory_holidays(2027)) == 13
    assert statutory_holidays(2027)[D(2027, 2, 5)] == "春节"


@pytest.mark.parametrize(
    ("new_year", "dragon_boat", "mid_autumn", "qingming"),
    [
        (D(2028, 1, 26), D(2028, 5, 28), D(2028, 10, 3), D(2028, 4, 4)),
        (D(2030, 2, 3), D(2030, 6, 5), D(2030, 9, 12), D(2030, 4, 5)),
        (D(2033, 1, 31), D(2033, 6, 1), D(2033, 9, 8), D(2033, 4, 4)),
        (D(2035, 2, 8), D(2035, 6, 10), D(2035, 9, 16), D(2035, 4, 5)),
    ],
)
def test_later_years_follow_the_lunar_calendar(
    new_year: datetime.date,
    dragon_boat: datetime.date,
    mid_autumn: datetime.date,
    qingming: datetime.date,
) -> None:
    holidays = statutory_holidays(new_year.year)
    assert new_year - datetime.timedelta(days=1) in holidays  # 除夕
    assert new_year + datetime.timedelta(days=3) not in holidays  # 正月初四
    for day in (dragon_boat, mid_autumn, qingming):
        assert day in holidays


def test_a_deadline_counted_across_new_year_2027(
    world: World, district_staff: User, today: Callable[[datetime.date], None]
) -> None:
    today(D(2026, 12, 28))  # a Monday
    assignment = _hand_out(world, district_staff, Deadline(5))
    # 29, 30, 31 December; 1 January is 元旦, 2–3 a weekend; 4, 5 January.
    assert assignment.due_on == D(2027, 1, 5)
    assert assignment.due_provisional
    within_2026 = _hand_out(world, district_staff, Deadline(2), case_id=2)
    assert within_2026.due_on == D(2026, 12, 30)
    assert not within_2026.due_provisional


def test_a_month_deadline_that_ends_on_the_spring_festival_moves_past_it(
    world: World, district_staff: User, today: Callable[[datetime.date], None]
) -> None:
    today(D(2027, 1, 5))
    # One month after 5 January 2027 is Friday 5 February, 除夕; then 春节 to the 8th.
    assert add_deadline(D(2027, 1, 5), Deadline(1, "months")) == D(2027, 2, 9)
    assignment = _hand_out(world, district_staff, Deadline(1, "months"))
    assert assignment.due_on == D(2027, 2, 9)
    assert assignment.due_provisional


# --- shown on the case page and in the API --------------------------------------------


def test_the_clerk_sees_the_deadline_is_provisional(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    today: Callable[[datetime.date], None],
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    login(client, clerk)
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "2027-01-05" in page
    assert 'data-testid="due-provisional"' in page and "按暂定日历计算" in page
    listing = client.get("/loop/?state=open").content.decode()
    assert 'data-testid="due-provisional"' in listing
    data = client.get(f"/api/v1/assignments/{assignment.pk}/").json()
    assert data["due_on"] == "2027-01-05"
    assert data["due_provisional"] is True


def test_a_deadline_inside_a_published_year_is_not_marked(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    today: Callable[[datetime.date], None],
) -> None:
    assignment = _hand_out(world, district_staff, Deadline(5))
    assert assignment.due_on == D(2026, 12, 10)
    login(client, clerk)
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "按暂定日历计算" not in page
    assert client.get(f"/api/v1/assignments/{assignment.pk}/").json()["due_provisional"] is False


# --- the notice arrives ----------------------------------------------------------------


def _enter_in_admin(client: Client, day: datetime.date, *, workday: bool, note: str) -> None:
    form = {"date": day.isoformat(), "note": note}
    if workday:
        form["is_workday"] = "on"
    response = client.post("/admin/congress/holidayoverride/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_entering_the_notice_recounts_open_deadlines_with_a_timeline_line(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    administrator: User,
    today: Callable[[datetime.date], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    assert assignment.due_on == D(2027, 1, 5)
    login(client, administrator)
    # Suppose the notice gives Monday 4 January off as well.
    with django_capture_on_commit_callbacks(execute=True):
        _enter_in_admin(client, D(2027, 1, 4), workday=False, note="元旦调休")
    assignment.refresh_from_db()
    # 29, 30, 31 December; 1–4 January off; 5, 6 January.
    assert assignment.due_on == D(2027, 1, 6)
    assert not assignment.due_provisional  # 2027 now has its notice
    event = CaseEvent.objects.get(assignment=assignment, action="recalculate_due")
    assert event.data == {"from": "2027-01-05", "to": "2027-01-06"}
    assert event.actor is None and event.actor_label == "系统"
    assert "2027-01-05" in event.note and "2027-01-06" in event.note
    # The reminders follow the new date.
    assert assignment.next_reminder_at == timezone.make_aware(
        datetime.datetime.combine(add_workdays(D(2027, 1, 6), -3), datetime.time(9))
    )
    login(client, clerk)
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "重新计算期限" in page and "2027-01-06" in page
    assert "按暂定日历计算" not in page


def test_a_passed_or_closed_deadline_is_left_alone(
    world: World,
    district_staff: User,
    clerk: User,
    today: Callable[[datetime.date], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today(D(2026, 12, 28))
    passed = _hand_out(world, district_staff, Deadline(5), case_id=1)
    closed = _hand_out(world, district_staff, Deadline(5), case_id=2)
    loop.assignment_accept(assignment=closed, by=clerk)
    loop.assignment_reply(assignment=closed, by=clerk, note="已修复路灯")
    today(D(2027, 1, 6))  # the first one is now overdue
    with django_capture_on_commit_callbacks(execute=True):
        HolidayOverride.objects.create(date=D(2027, 1, 4), is_workday=False, note="元旦调休")
    passed.refresh_from_db()
    closed.refresh_from_db()
    assert passed.due_on == closed.due_on == D(2027, 1, 5)
    assert not CaseEvent.objects.filter(action="recalculate_due").exists()


def test_the_periodic_job_catches_a_change_whose_task_was_lost(
    world: World, district_staff: User, today: Callable[[datetime.date], None]
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    # Saved, but its task never ran (the broker was down): no callbacks executed.
    HolidayOverride.objects.create(date=D(2027, 1, 4), is_workday=False, note="元旦调休")
    assignment.refresh_from_db()
    assert assignment.due_on == D(2027, 1, 5)
    assert recalculate_deadlines.apply().get() == 1
    assignment.refresh_from_db()
    assert assignment.due_on == D(2027, 1, 6)
    assert recalculate_deadlines.apply().get() == 0  # the second run finds nothing to do
    assert CaseEvent.objects.filter(assignment=assignment, action="recalculate_due").count() == 1


def test_the_management_command_recounts_what_changed(
    world: World,
    district_staff: User,
    today: Callable[[datetime.date], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    HolidayOverride.objects.create(date=D(2027, 1, 5), is_workday=False, note="本地假日")
    call_command("recalculate_deadlines")
    assert f"assignment {assignment.pk}: 2027-01-05 -> 2027-01-06" in capsys.readouterr().out
    call_command("recalculate_deadlines")
    assert "has not changed" in capsys.readouterr().out
    call_command("recalculate_deadlines", "--since", "2027-01-01")
    assert "1 open deadlines examined, 0 moved" in capsys.readouterr().out


# --- every route of changing overrides counts at once, in every process ------------------


def _seen_by_another_process(stale: Any) -> None:
    """Put back the calendar another process (a worker) read before the change, then
    start a task there, as Celery does."""
    workdays._snapshot = stale
    workdays._recheck = False
    task_prerun.send(sender=recalculate_deadlines, task_id="t", task=recalculate_deadlines)


@pytest.fixture
def two_days_off() -> Iterator[list[HolidayOverride]]:
    rows = HolidayOverride.objects.bulk_create(
        [
            HolidayOverride(date=D(2027, 1, 4), is_workday=False, note="元旦调休"),
            HolidayOverride(date=D(2027, 1, 5), is_workday=False, note="元旦调休"),
        ]
    )
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 6)  # an import counts at once
    yield rows
    workdays.forget_overrides()


def test_bulk_delete_in_the_admin_counts_at_once(
    client: Client, administrator: User, two_days_off: list[HolidayOverride]
) -> None:
    stale = workdays._snapshot
    login(client, administrator)
    response = client.post(
        "/admin/congress/holidayoverride/",
        {
            "action": "delete_selected",
            "_selected_action": [row.pk for row in two_days_off],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not HolidayOverride.objects.exists()
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)  # this process
    _seen_by_another_process(stale)
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)  # and the worker


def test_a_queryset_update_counts_at_once(two_days_off: list[HolidayOverride]) -> None:
    stale = workdays._snapshot
    HolidayOverride.objects.filter(date=D(2027, 1, 4)).update(is_workday=True)
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    _seen_by_another_process(stale)
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_a_web_request_sees_an_import_made_elsewhere(client: Client, tmp_path: Path) -> None:
    assert is_workday(D(2027, 1, 4))
    stale = workdays._snapshot
    fixture = tmp_path / "notice-2027.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "congress.holidayoverride",
                    "fields": {"date": "2027-01-04", "is_workday": False, "note": "元旦调休"},
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    workdays._snapshot, workdays._recheck = stale, False  # a web process that read it before
    client.get("/")  # its next request starts
    assert not is_workday(D(2027, 1, 4))


# --- the administrator is told ----------------------------------------------------------


def test_the_admin_names_every_unknown_year_a_deadline_reaches(
    client: Client,
    world: World,
    district_staff: User,
    administrator: User,
    today: Callable[[datetime.date], None],
) -> None:
    loop.assignment_create(
        case_type=LONG_CASE,
        case_id=1,
        title="跨年度跟踪：老旧小区改造",
        region=world.village,
        by=district_staff,
        department=world.department,
    )
    assert Assignment.objects.get(case_type=LONG_CASE).due_on.year == 2028
    login(client, administrator)
    page = client.get("/admin/congress/holidayoverride/").content.decode()
    assert "2027年、2028年的放假安排尚未录入" in page
    assert "2029年" not in page
    # The notice for 2027 is entered: only 2028 is left.
    HolidayOverride.objects.create(date=D(2027, 2, 4), is_workday=False, note="春节")
    page = client.get("/admin/congress/holidayoverride/").content.decode()
    assert "2028年的放假安排尚未录入" in page and "2027年、" not in page


def test_the_admin_warns_of_next_year_even_before_a_deadline_reaches_it(
    client: Client, administrator: User, today: Callable[[datetime.date], None]
) -> None:
    login(client, administrator)
    page = client.get("/admin/congress/holidayoverride/").content.decode()
    assert "2027年的放假安排尚未录入" in page


def test_in_english_the_deadline_says_its_calendar_is_provisional(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    today: Callable[[datetime.date], None],
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    login(client, clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "Provisional calendar" in page
    assert "holiday schedule yet" in page


# --- the official schedule removed or arriving by other routes ----------------------------


def test_bulk_delete_in_the_admin_recounts_open_deadlines_with_a_timeline_line(
    client: Client,
    world: World,
    district_staff: User,
    administrator: User,
    two_days_off: list[HolidayOverride],
    today: Callable[[datetime.date], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today(D(2026, 12, 28))
    assignment = _hand_out(world, district_staff, Deadline(5))
    # 29, 30, 31 December; 1–5 January off (元旦, a weekend, the two overrides); 6, 7.
    assert assignment.due_on == D(2027, 1, 7) and not assignment.due_provisional
    login(client, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/congress/holidayoverride/",
            {
                "action": "delete_selected",
                "_selected_action": [row.pk for row in two_days_off],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assignment.refresh_from_db()
    # Without them: 29, 30, 31 December; 4, 5 January; 2027 provisional again.
    assert assignment.due_on == D(2027, 1, 5) and assignment.due_provisional
    event = CaseEvent.objects.get(assignment=assignment, action="recalculate_due")
    assert event.data == {"from": "2027-01-07", "to": "2027-01-05"}


@pytest.fixture
def package_learns_2027(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Install a calendar package that carries 2027's notice, with 4 January off."""
    import chinese_calendar.utils

    def upgrade() -> None:
        for day in (D(2027, 1, 1), D(2027, 1, 4)):
            monkeypatch.setitem(chinese_calendar.utils.holidays, day, "New Year's Day")
        for cached in (workdays.package_knows, workdays._official_workday):
            cached.cache_clear()

    yield upgrade
    monkeypatch.undo()
    for cached in (workdays.package_knows, workdays._official_workday):
        cached.cache_clear()


def test_an_upgraded_calendar_package_recounts_open_deadlines(
    world: World,
    district_staff: User,
    today: Callable[[datetime.date], None],
    package_learns_2027: Callable[[], None],
) -> None:
    today(D(2026, 12, 28))
    assert recalculate_deadlines.apply().get() == 0  # the periodic job has seen this package
    assignment = _hand_out(world, district_staff, Deadline(5))
    assert assignment.due_on == D(2027, 1, 5) and assignment.due_provisional

    package_learns_2027()  # pip install -U chinesecalendar, the workers restarted

    assert known_years()[-1] == 2027
    assert recalculate_deadlines.apply().get() == 1
    assignment.refresh_from_db()
    assert assignment.due_on == D(2027, 1, 6) and not assignment.due_provisional
    event = CaseEvent.objects.get(assignment=assignment, action="recalculate_due")
    assert event.data == {"from": "2027-01-05", "to": "2027-01-06"}
    assert recalculate_deadlines.apply().get() == 0
