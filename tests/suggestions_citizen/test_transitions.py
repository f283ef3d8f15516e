"""The transition tables of problems and appointments, exhaustively: every action
from every status either moves the row (with a timeline row) or is refused and
changes nothing."""

from __future__ import annotations

import datetime
import uuid

import pytest

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
from tests.suggestions_citizen.conftest import submit


@pytest.mark.parametrize("action", list(ISSUE_TRANSITIONS))
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
    sources, target = ISSUE_TRANSITIONS[action]
    before = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count()
    if status in sources:
        apply_transition(
            instance=issue,
            transitions=ISSUE_TRANSITIONS,
            action=action,
            by=district_staff,
            case_type=ISSUE_CASE,
        )
        assert issue.status == target
        events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk)
        assert events.count() == before + 1
        last = events.last()
        assert last is not None and (last.from_status, last.to_status) == (status, target)
    else:
        with pytest.raises(InvalidTransition):
            apply_transition(
                instance=issue,
                transitions=ISSUE_TRANSITIONS,
                action=action,
                by=district_staff,
                case_type=ISSUE_CASE,
            )
        issue.refresh_from_db()
        assert issue.status == status
        assert CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == before


def _appointment(representative: Representative) -> Appointment:
    appointment, _created = services.appointment_request(
        idempotency_key=uuid.uuid4(),
        representative=representative,
        topic="小区加装电梯",
        preferred_date=datetime.date.today() + datetime.timedelta(days=3),
        mobile="13812345678",
        consent=True,
    )
    return appointment


@pytest.mark.parametrize("action", list(APPOINTMENT_TRANSITIONS))
@pytest.mark.parametrize("status", list(AppointmentStatus.values))
def test_every_appointment_action_from_every_status(
    district_staff: User, representative: Representative, action: str, status: str
) -> None:
    appointment = _appointment(representative)
    Appointment.objects.filter(pk=appointment.pk).update(status=status)
    appointment.refresh_from_db()
    sources, target = APPOINTMENT_TRANSITIONS[action]
    kwargs = {
        "instance": appointment,
        "transitions": APPOINTMENT_TRANSITIONS,
        "action": action,
        "by": district_staff,
        "case_type": APPOINTMENT_CASE,
    }
    if status in sources:
        apply_transition(**kwargs)  # type: ignore[arg-type]
        assert appointment.status == target
    else:
        with pytest.raises(InvalidTransition):
            apply_transition(**kwargs)  # type: ignore[arg-type]
        appointment.refresh_from_db()
        assert appointment.status == status


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
