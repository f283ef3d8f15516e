"""约见: a citizen asks to meet 刘红 at her station; she confirms, or proposes another
time (at most a month later); she is reminded the day before; afterwards the meeting
is a voter contact and its problems become cases. And 刘红 asks, through the staff,
to meet the head of the transport bureau."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import Assignment, User
from representatives.models import ContactLog, Representative, Station
from suggestions.citizen import appointment_actions, selectors, services
from suggestions.citizen.workflow import APPOINTMENT_CASE
from suggestions.models.citizen import (
    Appointment,
    AppointmentStatus,
    CitizenIssue,
    IssueCategory,
)
from tests.conftest import World, login


def _request(representative: Representative, station: Station | None = None) -> Appointment:
    appointment, _created = services.appointment_request(
        idempotency_key=uuid.uuid4(),
        representative=representative,
        station=station,
        topic="小区加装电梯的补贴政策",
        preferred_date=timezone.localdate() + datetime.timedelta(days=3),
        preferred_times="上午",
        citizen_name="王秀英",
        mobile="13812345678",
        consent=True,
    )
    return appointment


def _at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_citizen_requests_from_the_station_page_and_tracks_it(
    client: Client, station: Station, representative: Representative
) -> None:
    page = client.get(f"/q/appointment/?station={station.public_token}").content.decode()
    assert "刘红" in page
    response = client.post(
        f"/q/appointment/?station={station.public_token}",
        {
            "idempotency_key": str(uuid.uuid4()),
            "representative": representative.pk,
            "topic": "反映小区停车难",
            "preferred_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "citizen_name": "王秀英",
            "mobile": "13812345678",
            "consent": "on",
        },
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == f"{appointment.get_tracking_url()}?new=1"
    assert appointment.station == station
    track = client.get(appointment.get_tracking_url()).content.decode()
    assert "待确认" in track and "138****5678" in track and "13812345678" not in track
    step = Assignment.objects.get(case_type=APPOINTMENT_CASE, case_id=appointment.pk)
    assert step.user == representative.user


def test_an_appointment_needs_a_representative_link(client: Client, db: None) -> None:
    assert client.get("/q/appointment/").status_code == 404


def test_confirm_then_remind_once_the_day_before(
    station: Station, representative: Representative
) -> None:
    appointment = _request(representative, station)
    services.appointment_confirm(
        appointment=appointment, by=representative.user, scheduled_at=_at(3), place="联络站一楼"
    )
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert selectors.upcoming_appointments(representative).count() == 1
    assert services.appointments_remind_due(now=_at(1)) == 0  # two days ahead: not yet
    assert services.appointments_remind_due(now=_at(2, 10)) == 1
    assert services.appointments_remind_due(now=_at(2, 11)) == 0  # never twice
    assert representative.user.notifications.filter(kind="appointment.reminder").count() == 1


def test_another_time_at_most_a_month_after_the_date_asked_for(
    client: Client, station: Station, representative: Representative
) -> None:
    appointment = _request(representative, station)
    with pytest.raises(RuleViolation, match="最迟只能推迟到"):
        services.appointment_propose(
            appointment=appointment, by=representative.user, scheduled_at=_at(40), place="联络站"
        )
    services.appointment_propose(
        appointment=appointment, by=representative.user, scheduled_at=_at(20), place="联络站"
    )
    assert appointment.status == AppointmentStatus.PROPOSED and appointment.postponements == 1
    client.post(f"/q/a/{appointment.tracking_token}/accept_proposal/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_after_the_meeting_it_is_a_contact_and_its_problems_become_cases(
    station: Station, representative: Representative, categories: dict[str, IssueCategory]
) -> None:
    appointment = _request(representative, station)
    # An hour from now, not "today at 23:00": after 23:00 Shanghai time that was in
    # the past and the test failed every night.
    soon = timezone.now() + datetime.timedelta(hours=1)
    services.appointment_confirm(
        appointment=appointment, by=representative.user, scheduled_at=soon, place="联络站"
    )
    services.appointment_record_meeting(
        appointment=appointment,
        by=representative.user,
        summary="与王秀英面谈加装电梯事宜",
        problems=["3栋加装电梯补贴迟迟未到账"],
        category=categories["housing"],
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    log = ContactLog.objects.get()
    assert appointment.contact_log == log and log.representative == representative
    issue = CitizenIssue.objects.get()
    assert issue.handler == representative and issue.category == categories["housing"]
    assert log.problems.get().case_id == issue.pk


def test_a_representative_asks_to_meet_a_department_head_through_the_staff(
    client: Client,
    world: World,
    representative: Representative,
    district_staff: User,
    clerk: User,
    other_clerk: User,
) -> None:
    login(client, representative.user)
    assert "约见国家机关负责人" in client.get("/appointments/").content.decode()
    client.post(
        "/appointments/department/new/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "department": world.department.pk,
            "topic": "村道硬化资金落实情况",
            "preferred_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    appointment = Appointment.objects.get()
    assert appointment_actions.allowed(representative.user, appointment) == ["cancel"]
    assert "route" in appointment_actions.allowed(district_staff, appointment)
    login(client, district_staff)
    client.post(f"/appointments/{appointment.pk}/do/route/", {"reason": ""})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ROUTED
    login(client, clerk)
    assert client.get(f"/appointments/{appointment.pk}/").status_code == 200
    when = _at(6, 15).astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/appointments/{appointment.pk}/do/confirm/",
        {"scheduled_at": when, "place": "交通局三楼会议室", "note": ""},
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert representative.user.notifications.filter(kind="appointment.update").exists()
    login(client, other_clerk)
    assert client.get(f"/appointments/{appointment.pk}/").status_code == 404


def test_appointment_pages_follow_the_scope(
    client: Client,
    station: Station,
    representative: Representative,
    other_district_staff: User,
    district_staff: User,
    django_assert_max_num_queries: object,
) -> None:
    appointment = _request(representative, station)
    login(client, other_district_staff)
    assert client.get(f"/appointments/{appointment.pk}/").status_code == 404
    assert client.get(f"/api/v1/appointments/{appointment.pk}/").status_code == 404
    assert client.post(f"/appointments/{appointment.pk}/do/cancel/").status_code == 404
    login(client, district_staff)
    for url in ("/appointments/", "/api/v1/appointments/"):
        client.get(url)
        with django_assert_max_num_queries(12) as few:  # type: ignore[operator]
            client.get(url)
        for _n in range(5):
            _request(representative, station)
        with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
            body = client.get(url).content.decode()
        assert "13812345678" not in body
