"""The generic assignment page's and API's actions are one table (congress.loop.GENERIC_ACTIONS):
each names its service and the form fields it reads; a name not in it is refused."""

import datetime

import pytest

from congress import loop
from congress.errors import RuleViolation, UnknownAction
from congress.models import Assignment, AssignmentStatus, CaseEvent, User
from tests.conftest import World
from tests.loop_support import TEST_CASE


def _assign(world: World, by: User) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=7,
        title="排水不畅",
        region=world.village,
        by=by,
        department=world.department,
    )


def test_an_unknown_action_is_refused_not_ignored(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    with pytest.raises(UnknownAction) as refused:
        loop.assignment_perform(assignment=assignment, action="explode", by=clerk)
    assert "explode" in str(refused.value.message) and "accept" in str(refused.value.message)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert not CaseEvent.objects.filter(case_id=7).exclude(action="assign").exists()


def test_an_extension_without_a_date_is_refused_with_a_message(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    loop.assignment_perform(assignment=assignment, action="accept", by=clerk)
    with pytest.raises(RuleViolation) as refused:
        loop.assignment_perform(
            assignment=assignment, action="request_extension", by=clerk, note="需资金"
        )
    assert "延期" in str(refused.value.message)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_the_clerk_and_the_staff_each_take_their_own_steps(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    assert loop.actions_for(clerk, assignment) == ["accept", "request_return", "progress"]
    assert loop.actions_for(district_staff, assignment) == []
    loop.assignment_perform(assignment=assignment, action="accept", by=clerk, note="收到")
    assignment.refresh_from_db()
    assert loop.actions_for(clerk, assignment) == [
        "start",
        "request_return",
        "request_extension",
        "hold",
        "reply",
        "progress",
    ]
    until = assignment.due_on + datetime.timedelta(days=10)
    loop.assignment_perform(
        assignment=assignment,
        action="request_extension",
        by=clerk,
        note="需资金",
        until=until,
        version=assignment.version,
    )
    assignment.refresh_from_db()
    assert loop.actions_for(clerk, assignment) == ["progress"]
    assert loop.actions_for(district_staff, assignment) == [
        "approve_extension",
        "reject_extension",
    ]
    loop.assignment_perform(
        assignment=assignment, action="approve_extension", by=district_staff, until=until
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED and assignment.due_on == until
    events = CaseEvent.objects.filter(case_type=TEST_CASE, case_id=7).order_by("pk")
    assert [e.action for e in events] == [
        "assign",
        "accept",
        "request_extension",
        "approve_extension",
    ]


def test_every_generic_action_is_a_move_of_the_table_or_a_progress_report() -> None:
    for name, action in loop.GENERIC_ACTIONS.items():
        assert name in loop.ACTION_LABELS
        assert name in loop.ASSIGNMENT_TRANSITIONS or action.states is not None
