"""The moves of problems and appointments, exhaustively: every action from every status
either moves the row (with a timeline row) or is refused and changes nothing.

The expected moves are written out below from the citizen channel's rules
(docs/architecture.md, "Citizens' problems and appointments"), not read from
``ISSUE_TRANSITIONS`` or ``APPOINTMENT_TRANSITIONS``: a wrong table fails here.
Appointments go through their named services, each taken by the persona whose step it
is. A problem's moves are checked through the engine (``apply_transition`` with the
app's table): most of its services first need a station, an assignment or a
department's reply that a row put into a status by hand does not have.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from congress.errors import InvalidTransition, StaleState
from congress.models import CaseEvent, User
from congress.workflow import apply_transition
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.citizen.workflow import (
    APPOINTMENT_CASE,
    APPOINTMENT_TRANSITIONS,
    ISSUE_CASE,
    ISSUE_TRANSITIONS,
)
from suggestions.models.citizen import (
    Appointment,
    AppointmentStatus,
    CitizenIssue,
    IssueCategory,
    IssueStatus,
)
from tests.conftest import World
from tests.suggestions_citizen.conftest import submit

I = IssueStatus  # noqa: E741 - the table below reads as a table
# status: {action: status it leads to}; every action not listed is refused there.
ISSUE_MOVES: dict[str, dict[str, str]] = {
    # Sent with SMS confirmation on: the code confirms it, or holds it for a person
    # when the content check flagged it.
    I.PENDING_CONFIRMATION: {"confirm": I.SUBMITTED, "confirm_for_review": I.PENDING_REVIEW},
    I.PENDING_REVIEW: {"approve": I.SUBMITTED, "reject": I.REJECTED},
    # 受理 within 2 working days, or not (不予受理), or joined to the same problem.
    I.SUBMITTED: {"accept": I.ACCEPTED, "decline": I.DECLINED, "merge": I.MERGED},
    I.ACCEPTED: {
        "decline": I.DECLINED,
        "assign": I.WITH_REPRESENTATIVE,
        "merge": I.MERGED,
    },
    # The representative answers, forwards to a department (交办) or converts it into a
    # suggestion; staff may give it to another representative or merge it.
    I.WITH_REPRESENTATIVE: {
        "assign": I.WITH_REPRESENTATIVE,
        "merge": I.MERGED,
        "answer": I.ANSWERED,
        "convert": I.CONVERTED,
        "forward": I.FORWARDED,
    },
    # The department replies or has its return approved (then the representative, or
    # a forward to the right department, takes it on).
    I.FORWARDED: {
        "forward": I.FORWARDED,
        "department_returned": I.WITH_REPRESENTATIVE,
        "department_reply": I.DEPARTMENT_REPLIED,
    },
    # The representative reviews the reply: back to the department, or to the citizen.
    I.DEPARTMENT_REPLIED: {"send_back": I.FORWARDED, "report_back": I.ANSWERED},
    # The citizen rates: 满意/基本满意 closes, 不满意 reopens for whoever handled it;
    # unrated within 10 working days it closes as not rated.
    I.ANSWERED: {
        "rate": I.CLOSED,
        "reopen": I.WITH_REPRESENTATIVE,
        "reopen_department": I.FORWARDED,
        "close_unrated": I.CLOSED,
    },
    I.CLOSED: {},
    I.DECLINED: {},
    I.MERGED: {},
    I.CONVERTED: {},
    I.REJECTED: {},
}

A = AppointmentStatus
# status: {action: status it leads to}; every action not listed is refused there.
APPOINTMENT_MOVES: dict[str, dict[str, str]] = {
    A.REQUESTED: {
        "route": A.ROUTED,
        "confirm": A.CONFIRMED,
        "propose": A.PROPOSED,
        "decline": A.DECLINED,
        "cancel": A.CANCELLED,
    },
    A.ROUTED: {
        "confirm": A.CONFIRMED,
        "propose": A.PROPOSED,
        "decline": A.DECLINED,
        "cancel": A.CANCELLED,
    },
    # Another time was offered: the requester takes it, or either side calls it off.
    A.PROPOSED: {"accept_proposal": A.CONFIRMED, "decline": A.DECLINED, "cancel": A.CANCELLED},
    # A fixed meeting may still be put off (改期, at most a month) or called off; then held.
    A.CONFIRMED: {"propose": A.PROPOSED, "cancel": A.CANCELLED, "record_meeting": A.HELD},
    A.DECLINED: {},
    A.CANCELLED: {},
    A.HELD: {},
}
ISSUE_ACTIONS = sorted({a for moves in ISSUE_MOVES.values() for a in moves})
APPOINTMENT_ACTIONS = sorted({a for moves in APPOINTMENT_MOVES.values() for a in moves})


def test_the_tables_have_exactly_these_statuses_and_actions() -> None:
    assert set(ISSUE_MOVES) == set(IssueStatus.values)
    assert set(ISSUE_TRANSITIONS) == set(ISSUE_ACTIONS)
    assert set(APPOINTMENT_MOVES) == set(AppointmentStatus.values)
    assert set(APPOINTMENT_TRANSITIONS) == set(APPOINTMENT_ACTIONS)


@pytest.mark.parametrize("action", ISSUE_ACTIONS)
@pytest.mark.parametrize("status", list(IssueStatus.values))
def test_every_issue_action_from_every_status(
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
    action: str,
    status: str,
) -> None:
    issue = submit(station=station, category=categories["roads"])
    CitizenIssue.objects.filter(pk=issue.pk).update(status=status)
    issue.refresh_from_db()
    before = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count()

    def move() -> object:
        return apply_transition(
            instance=issue,
            transitions=ISSUE_TRANSITIONS,
            action=action,
            by=district_staff,
            case_type=ISSUE_CASE,
        )

    if action in ISSUE_MOVES[status]:
        target = ISSUE_MOVES[status][action]
        move()
        issue.refresh_from_db()
        assert issue.status == target
        events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk)
        assert events.count() == before + 1
        last = events.last()
        assert last is not None and (last.action, last.from_status, last.to_status) == (
            action,
            status,
            target,
        )
    else:
        with pytest.raises(InvalidTransition):
            move()
        issue.refresh_from_db()
        assert issue.status == status
        assert CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == before


# A representative's request to meet the head of a department (代表约见): staff route it
# to the department, whose clerk fixes, moves or declines the meeting; the
# representative takes a new time or calls it off, and records the meeting.
APPOINTMENT_STEPS: dict[str, tuple[str, Callable[..., Appointment]]] = {
    "route": (
        "district_staff",
        lambda a, by, when: services.appointment_route(appointment=a, by=by),
    ),
    "confirm": (
        "clerk",
        lambda a, by, when: services.appointment_confirm(
            appointment=a, by=by, scheduled_at=when, place="交通运输局三楼会议室"
        ),
    ),
    "propose": (
        "clerk",
        lambda a, by, when: services.appointment_propose(
            appointment=a, by=by, scheduled_at=when, place="交通运输局三楼会议室"
        ),
    ),
    "accept_proposal": (
        "representative_user",
        lambda a, by, when: services.appointment_accept_proposal(appointment=a, by=by),
    ),
    "decline": (
        "clerk",
        lambda a, by, when: services.appointment_decline(
            appointment=a, by=by, reason="局长本周外出"
        ),
    ),
    "cancel": (
        "representative_user",
        lambda a, by, when: services.appointment_cancel(appointment=a, by=by, reason="问题已解决"),
    ),
    "record_meeting": (
        "representative_user",
        lambda a, by, when: services.appointment_record_meeting(
            appointment=a, by=by, summary="局长答应本月内修复路灯"
        ),
    ),
}


@pytest.mark.parametrize("action", APPOINTMENT_ACTIONS)
@pytest.mark.parametrize("status", list(AppointmentStatus.values))
def test_every_appointment_action_from_every_status(
    world: World,
    representative: Representative,
    request: pytest.FixtureRequest,
    action: str,
    status: str,
) -> None:
    persona, step = APPOINTMENT_STEPS[action]
    by: User = request.getfixturevalue(persona)
    appointment, _created = services.appointment_request_department(
        idempotency_key=uuid.uuid4(),
        representative=representative,
        department=world.department,
        topic="幸福路路灯长期不亮",
        preferred_date=timezone.localdate() + datetime.timedelta(days=3),
        by=request.getfixturevalue("representative_user"),
    )
    when = timezone.now() + datetime.timedelta(days=4)
    Appointment.objects.filter(pk=appointment.pk).update(status=status, scheduled_at=when)
    appointment.refresh_from_db()
    before = CaseEvent.objects.filter(case_type=APPOINTMENT_CASE, case_id=appointment.pk).count()
    if action in APPOINTMENT_MOVES[status]:
        target = APPOINTMENT_MOVES[status][action]
        step(appointment, by, when)
        appointment.refresh_from_db()
        assert appointment.status == target
        last = CaseEvent.objects.filter(
            case_type=APPOINTMENT_CASE, case_id=appointment.pk, assignment__isnull=True
        ).latest("pk")
        assert (last.action, last.from_status, last.to_status) == (action, status, target)
    else:
        with pytest.raises(InvalidTransition):
            step(appointment, by, when)
        appointment.refresh_from_db()
        assert appointment.status == status
        events = CaseEvent.objects.filter(case_type=APPOINTMENT_CASE, case_id=appointment.pk)
        assert events.count() == before


def test_two_clicks_on_one_stale_page_cannot_both_win(
    district_staff: User,
    town_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    first = CitizenIssue.objects.get(pk=issue.pk)
    second = CitizenIssue.objects.get(pk=issue.pk)
    services.citizen_issue_accept(issue=first, by=district_staff, expected_version=first.version)
    with pytest.raises((StaleState, InvalidTransition)):
        services.citizen_issue_decline(
            issue=second,
            by=town_staff,
            reason="重复",
            channel="other",
            expected_version=second.version,
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE
