"""Duty: 逢一四七 market days, weekly sittings, swaps and leave, reminders the day before."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congress.errors import InvalidTransition, RuleViolation
from congress.models import CaseEvent, Notification, User
from representatives import services, tasks
from representatives.models import (
    DutyPattern,
    DutyPatternKind,
    DutyReminder,
    DutyShift,
    Representative,
    ShiftStatus,
    Station,
)
from tests.conftest import login

NINE, ELEVEN = datetime.time(9), datetime.time(11, 30)


def _pattern(
    station: Station, rotation: list[Representative], by: User, **fields: object
) -> DutyPattern:
    defaults: dict[str, object] = {
        "kind": DutyPatternKind.MONTH_DAYS,
        "month_digits": "147",
        "starts_on": timezone.localdate(),
        "start_time": NINE,
        "end_time": ELEVEN,
    }
    defaults.update(fields)
    return services.duty_pattern_create(station=station, rotation=rotation, by=by, **defaults)


def test_market_days_one_four_seven(
    station: Station,
    representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    """逢一四七 (seed 003): the days of the month whose last digit is 1, 4 or 7."""
    pattern = DutyPattern(
        kind=DutyPatternKind.MONTH_DAYS, month_digits="147", starts_on=datetime.date(2026, 1, 1)
    )
    january = [d for d in range(1, 32) if pattern.matches(datetime.date(2026, 1, d))]
    assert january == [1, 4, 7, 11, 14, 17, 21, 24, 27, 31]


def test_a_pattern_generates_shifts_in_turn_and_only_once(
    station: Station,
    representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    today = timezone.localdate()
    pattern = _pattern(station, [representative, other_representative], district_staff)
    until = today + datetime.timedelta(days=40)
    created = services.duty_pattern_generate(pattern=pattern, until=until, by=district_staff)
    shifts = list(DutyShift.objects.order_by("date"))
    assert created == len(shifts) >= 10
    assert all(str(s.date.day % 10) in "147" for s in shifts)
    people = [s.representative_id for s in shifts]
    assert people[0] != people[1] and people[0] == people[2]  # they take turns
    assert services.duty_pattern_generate(pattern=pattern, until=until, by=district_staff) == 0


def test_weekly_pattern(
    station: Station, representative: Representative, district_staff: User
) -> None:
    pattern = _pattern(
        station,
        [representative],
        district_staff,
        kind=DutyPatternKind.WEEKLY,
        weekdays="3",
        month_digits="",
    )
    services.duty_pattern_generate(
        pattern=pattern, until=timezone.localdate() + datetime.timedelta(days=28), by=district_staff
    )
    assert {s.date.isoweekday() for s in DutyShift.objects.all()} == {3}


def test_a_shift_for_a_representative_not_stationed_there_is_refused(
    station: Station, far_representative: Representative, district_staff: User
) -> None:
    with pytest.raises(RuleViolation, match="未进驻"):
        services.duty_shift_create(
            station=station,
            representative=far_representative,
            date=timezone.localdate() + datetime.timedelta(days=3),
            start_time=NINE,
            end_time=ELEVEN,
            by=district_staff,
        )
    with pytest.raises(RuleViolation):
        _pattern(station, [far_representative], district_staff)
    assert not DutyShift.objects.exists()


def test_the_page_refuses_it_too(
    client: Client, station: Station, far_representative: Representative, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.post(
        f"/stations/{station.pk}/duty/",
        {
            "form": "shift",
            "representative": far_representative.pk,
            "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
        },
    )
    assert response.status_code == 200
    assert not DutyShift.objects.exists()


def test_swap_hands_the_sitting_to_another_stationed_representative(
    station: Station,
    representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    shift = services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate() + datetime.timedelta(days=5),
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
        publish=True,
    )
    replacement = services.duty_shift_swap(
        shift=shift, to_representative=other_representative, reason="外出开会", by=district_staff
    )
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.SWAPPED and shift.reason == "外出开会"
    assert replacement.representative == other_representative
    assert replacement.swapped_from == shift and replacement.published_at is not None
    assert CaseEvent.objects.filter(
        case_type="representatives.dutyshift", case_id=shift.pk, action="swap"
    ).exists()
    with pytest.raises(InvalidTransition):
        services.duty_shift_take_leave(shift=shift, reason="再请假", by=district_staff)


def test_leave_needs_a_reason_and_the_representative_may_ask_for_it(
    client: Client,
    station: Station,
    representative: Representative,
    representative_user: User,
    district_staff: User,
) -> None:
    shift = services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate() + datetime.timedelta(days=2),
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
    )
    with pytest.raises(RuleViolation):
        services.duty_shift_take_leave(shift=shift, reason=" ", by=representative_user)
    login(client, representative_user)
    client.post(f"/duty/{shift.pk}/take_leave/", {"reason": "住院"})
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.ON_LEAVE
    # A representative cannot mark their own shift as served: only staff record that.
    other = services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate(),
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
    )
    assert client.post(f"/duty/{other.pk}/serve/").status_code == 404


def test_a_reminder_the_day_before_is_sent_once(
    station: Station,
    representative: Representative,
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    shift = services.duty_shift_create(
        station=station,
        representative=representative,
        date=tomorrow,
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_duty_run() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_duty_run() == 0  # already reminded
    assert tasks.remind_duty_shift(shift.pk) is False  # a duplicated task sends nothing
    assert DutyReminder.objects.filter(shift=shift).count() == 1
    notification = Notification.objects.get(recipient=representative.user)
    assert notification.kind == "duty_reminder" and station.name in notification.title
    shift.refresh_from_db()
    assert shift.published_at is not None  # within the publication horizon


def test_leaving_a_station_cancels_future_shifts(
    station: Station, representative: Representative, district_staff: User
) -> None:
    shift = services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate() + datetime.timedelta(days=7),
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
    )
    member = station.members.get(representative=representative)
    services.station_member_remove(member=member, by=district_staff)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED


def test_staff_build_the_schedule_on_the_page(
    client: Client,
    station: Station,
    representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    login(client, district_staff)
    today = timezone.localdate()
    response = client.post(
        f"/stations/{station.pk}/duty/",
        {
            "form": "pattern",
            "kind": "month_days",
            "month_digits": "147",
            "starts_on": today.isoformat(),
            "start_time": "08:30",
            "end_time": "11:30",
            "rotation": [representative.pk, other_representative.pk],
            "generate_until": (today + datetime.timedelta(days=30)).isoformat(),
            "publish": "on",
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(published_at__isnull=False).count() >= 9
    page = client.get(f"/stations/{station.pk}/duty/").content.decode()
    assert "刘红" in page and "张伟" in page


def test_the_steps_on_a_shift_are_declared_once(
    client: Client,
    station: Station,
    representative: Representative,
    representative_user: User,
    district_staff: User,
) -> None:
    """The duty page offers, for a scheduled shift, exactly these five steps by these
    names (written here from the station's duty rules, not read from the table); a
    made-up step is a 404; a swap without the representative who takes over is refused
    with a message and changes nothing."""
    shift = services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate() + datetime.timedelta(days=3),
        start_time=NINE,
        end_time=ELEVEN,
        by=district_staff,
    )
    login(client, district_staff)
    page = client.get(f"/stations/{station.pk}/duty/").content.decode()
    offered = {
        name: label
        for name, label in re.findall(rf'formaction="/duty/{shift.pk}/(\w+)/">([^<]+)<', page)
    }
    assert offered == {
        "serve": "已值班",
        "take_leave": "请假",
        "mark_absent": "缺勤",
        "swap": "换班",
        "cancel": "取消",
    }
    assert client.post(f"/duty/{shift.pk}/approve/").status_code == 404
    answer = client.post(f"/duty/{shift.pk}/swap/", {"reason": "出差"}, follow=True)
    assert "请选择接替的代表。" in answer.content.decode()
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.SCHEDULED
    client.post(f"/duty/{shift.pk}/cancel/", {"reason": "场地维修"})
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CANCELLED
    page = client.get(f"/stations/{station.pk}/duty/").content.decode()
    assert f'formaction="/duty/{shift.pk}/' not in page  # nothing starts from 已取消
