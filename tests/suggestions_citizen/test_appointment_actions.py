"""Who may take which action on an appointment (约见), per person and per state, stated
here by hand, not read from ``appointment_actions.APPOINTMENT_ACTIONS``.

The rules, as the practice of the congress's liaison work has them:

- 群众约见代表 (a citizen asks to meet 刘红): she, or the staff of her district on her
  behalf, confirms the time, proposes another, declines, cancels and records the
  meeting. The citizen accepts a new time or cancels through the tracking link (no
  account: not in this table).
- 代表约见国家机关负责人 (刘红 asks to meet the head of 海州区交通运输局): the district's
  staff route the request to the bureau or decline it; once routed the bureau's
  clerk fixes the time, proposes another or declines; 刘红 accepts a new time, cancels
  and records the meeting; staff may cancel until it is held.
- Nobody else acts: not another district's staff, another representative, or
  another department's clerk (they do not see the appointment at all: 404).

Every state is reached through the real services.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from congress.models import User
from representatives.models import Representative
from suggestions.citizen import appointment_actions, services
from suggestions.models.citizen import Appointment, AppointmentStatus
from tests.conftest import World

PERSONAS = (
    "representative",
    "other_representative",
    "district_staff",
    "other_district_staff",
    "clerk",
    "other_clerk",
)
NOBODY: dict[str, list[str]] = {}


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class People:
    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.users: dict[str, User] = {}
        for name in PERSONAS:
            value = request.getfixturevalue(name)
            user = value.user if isinstance(value, Representative) else value
            assert isinstance(user, User)
            self.users[name] = user
        self.rep: Representative = request.getfixturevalue("representative")
        self.world: World = request.getfixturevalue("world")

    @property
    def rep_user(self) -> User:
        return self.users["representative"]

    @property
    def staff(self) -> User:
        return self.users["district_staff"]

    @property
    def clerk(self) -> User:
        return self.users["clerk"]


@pytest.fixture
def people(db: None, request: pytest.FixtureRequest) -> People:
    return People(request)


# --- the states, each reached through the services ---------------------------------------


def citizen_requested(p: People) -> Appointment:
    appointment, _created = services.appointment_request(
        idempotency_key=uuid.uuid4(),
        representative=p.rep,
        topic="小区加装电梯的补贴政策",
        preferred_date=timezone.localdate() + datetime.timedelta(days=3),
        citizen_name="王秀英",
        mobile="13812345678",
        consent=True,
    )
    return appointment


def citizen_proposed(p: People) -> Appointment:
    a = citizen_requested(p)
    services.appointment_propose(appointment=a, by=p.rep_user, scheduled_at=_at(5), place="联络站")
    return a


def citizen_confirmed(p: People) -> Appointment:
    a = citizen_requested(p)
    services.appointment_confirm(appointment=a, by=p.rep_user, scheduled_at=_at(4), place="联络站")
    return a


def citizen_declined(p: People) -> Appointment:
    a = citizen_requested(p)
    services.appointment_decline(appointment=a, by=p.rep_user, reason="近期在外地学习")
    return a


def citizen_cancelled(p: People) -> Appointment:
    a = citizen_confirmed(p)
    services.appointment_cancel(appointment=a, by=p.staff, reason="群众来电取消")
    return a


def citizen_held(p: People) -> Appointment:
    a = citizen_confirmed(p)
    services.appointment_record_meeting(appointment=a, by=p.rep_user, summary="面谈加装电梯")
    return a


def department_requested(p: People) -> Appointment:
    appointment, _created = services.appointment_request_department(
        idempotency_key=uuid.uuid4(),
        representative=p.rep,
        department=p.world.department,
        topic="公交线路调整",
        preferred_date=timezone.localdate() + datetime.timedelta(days=5),
        by=p.rep_user,
    )
    return appointment


def department_routed(p: People) -> Appointment:
    a = department_requested(p)
    services.appointment_route(appointment=a, by=p.staff)
    return a


def department_proposed(p: People) -> Appointment:
    a = department_routed(p)
    services.appointment_propose(appointment=a, by=p.clerk, scheduled_at=_at(7), place="交通局")
    return a


def department_confirmed(p: People) -> Appointment:
    a = department_routed(p)
    services.appointment_confirm(appointment=a, by=p.clerk, scheduled_at=_at(6), place="交通局")
    return a


def department_declined(p: People) -> Appointment:
    a = department_routed(p)
    services.appointment_decline(appointment=a, by=p.clerk, reason="局长外出")
    return a


def department_cancelled(p: People) -> Appointment:
    a = department_confirmed(p)
    services.appointment_cancel(appointment=a, by=p.rep_user)
    return a


def department_held(p: People) -> Appointment:
    a = department_confirmed(p)
    services.appointment_record_meeting(appointment=a, by=p.rep_user, summary="已当面沟通")
    return a


# --- the matrix: (how the appointment got there, its status) → who may do what --------------

MATRIX: list[tuple[Callable[[People], Appointment], str, dict[str, list[str]]]] = [
    (
        citizen_requested,
        "requested",
        {
            "representative": ["confirm", "propose", "decline", "cancel"],
            "district_staff": ["confirm", "propose", "decline", "cancel"],
        },
    ),
    (
        citizen_proposed,
        "proposed",
        {"representative": ["decline", "cancel"], "district_staff": ["decline", "cancel"]},
    ),
    (
        citizen_confirmed,
        "confirmed",
        {
            "representative": ["propose", "cancel", "record_meeting"],
            "district_staff": ["propose", "cancel", "record_meeting"],
        },
    ),
    (citizen_declined, "declined", NOBODY),
    (citizen_cancelled, "cancelled", NOBODY),
    (citizen_held, "held", NOBODY),
    (
        department_requested,
        "requested",
        {"representative": ["cancel"], "district_staff": ["route", "decline", "cancel"]},
    ),
    (
        department_routed,
        "routed",
        {
            "representative": ["cancel"],
            "district_staff": ["decline", "cancel"],
            "clerk": ["confirm", "propose", "decline"],
        },
    ),
    (
        department_proposed,
        "proposed",
        {
            "representative": ["accept_proposal", "cancel"],
            "district_staff": ["decline", "cancel"],
        },
    ),
    (
        department_confirmed,
        "confirmed",
        {
            "representative": ["cancel", "record_meeting"],
            "district_staff": ["cancel"],
            "clerk": ["propose"],
        },
    ),
    (department_declined, "declined", NOBODY),
    (department_cancelled, "cancelled", NOBODY),
    (department_held, "held", NOBODY),
]


@pytest.mark.parametrize(
    ("build", "status", "expected"), MATRIX, ids=[row[0].__name__ for row in MATRIX]
)
def test_who_may_take_which_action_in_each_state(
    people: People,
    build: Callable[[People], Appointment],
    status: str,
    expected: dict[str, list[str]],
) -> None:
    appointment = build(people)
    assert appointment.status == status
    for persona, user in people.users.items():
        got = appointment_actions.allowed(user, appointment)
        assert got == expected.get(persona, []), persona


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(user: User, appointment: Appointment, name: str, body: dict[str, str]) -> object:
    return _api(user).post(
        f"/api/v1/appointments/{appointment.pk}/actions/{name}/", body, format="json"
    )


def test_the_api_route_takes_each_action_only_for_who_may(people: People) -> None:
    """The bureau fixes the time of a routed request: outside the scope 404, in it but
    not theirs 409, the clerk 200. The refused calls change nothing."""
    appointment = department_routed(people)
    when = _at(6).isoformat()
    body = {"scheduled_at": when, "place": "交通局三楼会议室", "note": ""}
    expected = {
        "other_representative": 404,
        "other_district_staff": 404,
        "other_clerk": 404,
        "representative": 409,
        "district_staff": 409,
        "clerk": 200,  # last: it moves the appointment on
    }
    for persona, code in expected.items():
        answer = _post(people.users[persona], appointment, "confirm", body)
        assert answer.status_code == code, persona  # type: ignore[attr-defined]
        appointment.refresh_from_db()
        if code != 200:
            assert appointment.status == AppointmentStatus.ROUTED, persona
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.place == "交通局三楼会议室"
    assert answer.json()["status"] == "confirmed"  # type: ignore[attr-defined]
    assert answer.json()["actions"] == ["propose"]  # type: ignore[attr-defined]


def test_an_unknown_action_is_a_400_naming_the_actions_and_changes_nothing(
    people: People,
) -> None:
    appointment = citizen_requested(people)
    answer = _post(people.rep_user, appointment, "delete_everything", {})
    assert answer.status_code == 400  # type: ignore[attr-defined]
    message = answer.json()["message"]  # type: ignore[attr-defined]
    assert "delete_everything" in message and "record_meeting" in message
    # Out of scope, the object is not found before the name is read.
    other = _post(people.users["other_district_staff"], appointment, "delete_everything", {})
    assert other.status_code == 404  # type: ignore[attr-defined]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED


def test_a_form_that_does_not_validate_is_a_400_per_field(people: People) -> None:
    appointment = citizen_requested(people)
    answer = _post(people.rep_user, appointment, "decline", {})
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert list(answer.json()["errors"]) == ["reason"]  # type: ignore[attr-defined]
    answer = _post(people.rep_user, appointment, "decline", {"reason": "近期在外地学习"})
    assert answer.status_code == 200  # type: ignore[attr-defined]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DECLINED
    assert appointment.response_note == "近期在外地学习"


def test_the_detail_lists_the_callers_actions(people: People) -> None:
    appointment = department_requested(people)
    url = f"/api/v1/appointments/{appointment.pk}/"
    assert _api(people.staff).get(url).json()["actions"] == ["route", "decline", "cancel"]
    assert _api(people.rep_user).get(url).json()["actions"] == ["cancel"]


def test_the_page_refuses_what_the_user_may_not_take(people: People) -> None:
    """The case page posts to the same table: the representative cannot route her own
    request (back to the page, unchanged); staff can."""
    from django.test import Client

    appointment = department_requested(people)
    page = Client()
    page.force_login(people.rep_user)
    refused = page.post(f"/appointments/{appointment.pk}/do/route/", {"reason": ""})
    assert refused.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED
    page.force_login(people.staff)
    assert page.post(f"/appointments/{appointment.pk}/do/route/", {"reason": ""}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ROUTED
    assert page.post(f"/appointments/{appointment.pk}/do/explode/").status_code == 404


LINK: list[tuple[Callable[[People], Appointment], list[str]]] = [
    (citizen_requested, ["cancel"]),
    (citizen_proposed, ["accept_proposal", "cancel"]),
    (citizen_confirmed, ["cancel"]),
    (citizen_declined, []),
    (citizen_held, []),
    (department_routed, []),  # nobody asked through a link
    (department_proposed, []),
]


@pytest.mark.parametrize(("build", "expected"), LINK, ids=[row[0].__name__ for row in LINK])
def test_what_the_citizen_may_do_through_the_link(
    people: People, build: Callable[[People], Appointment], expected: list[str]
) -> None:
    assert appointment_actions.by_link(build(people)) == expected


def test_the_link_takes_only_the_citizens_actions(people: People) -> None:
    from django.test import Client

    appointment = citizen_proposed(people)
    link = f"/q/a/{appointment.tracking_token}"
    assert Client().post(f"{link}/confirm/").status_code == 404  # not the citizen's
    assert Client().post(f"{link}/explode/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED
    assert Client().post(f"{link}/accept_proposal/").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    page = Client().get(link, follow=True).content.decode()
    assert 'data-testid="accept-proposal"' not in page and "/cancel/" in page
