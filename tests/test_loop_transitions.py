"""The assignment's moves, exhaustively, and the bad inputs around it.

The expected moves are written out below from the rules of the closed loop
(docs/architecture.md, "The closed loop"; 代表法 第五十二条 for returns, extensions and
re-handling), not read from ``loop.ASSIGNMENT_TRANSITIONS``: a wrong table fails here.
"""

import datetime

import pytest

from congress import loop
from congress.errors import InvalidTransition, RuleViolation, StaleState
from congress.models import Assignment, AssignmentStatus, CaseEvent, User
from tests.conftest import World
from tests.loop_support import TEST_CASE

S = AssignmentStatus
ALL_STATUSES = list(S.values)
# A pause (暂停, a pending return or extension) ends where the work stood before it.
BEFORE_PAUSE = "the status before the pause"
PAUSED_FROM = S.IN_PROGRESS  # what the paused rows below were doing before their pause
OPEN = {
    S.ASSIGNED,
    S.ACCEPTED,
    S.IN_PROGRESS,
    S.ON_HOLD,
    S.EXTENSION_REQUESTED,
    S.RETURN_REQUESTED,
}

# action: (who takes it, {status it may be taken from: status it leads to}); from any
# status not listed the action is refused and nothing changes.
MOVES: dict[str, tuple[str, dict[str, str]]] = {
    # 签收: the department signs for a new assignment.
    "accept": ("clerk", {S.ASSIGNED: S.ACCEPTED}),
    "start": ("clerk", {S.ACCEPTED: S.IN_PROGRESS}),
    # 申请退回: a mis-assigned item, before the work starts; staff decide.
    "request_return": (
        "clerk",
        {S.ASSIGNED: S.RETURN_REQUESTED, S.ACCEPTED: S.RETURN_REQUESTED},
    ),
    "approve_return": ("district_staff", {S.RETURN_REQUESTED: S.RETURNED}),
    "reject_return": ("district_staff", {S.RETURN_REQUESTED: BEFORE_PAUSE}),
    # 申请延期: while handling, on approval.
    "request_extension": (
        "clerk",
        {S.ACCEPTED: S.EXTENSION_REQUESTED, S.IN_PROGRESS: S.EXTENSION_REQUESTED},
    ),
    "approve_extension": ("district_staff", {S.EXTENSION_REQUESTED: BEFORE_PAUSE}),
    "reject_extension": ("district_staff", {S.EXTENSION_REQUESTED: BEFORE_PAUSE}),
    "hold": ("clerk", {S.ACCEPTED: S.ON_HOLD, S.IN_PROGRESS: S.ON_HOLD}),
    "resume": ("clerk", {S.ON_HOLD: BEFORE_PAUSE}),
    # 答复: once signed for.
    "reply": ("clerk", {S.ACCEPTED: S.REPLIED, S.IN_PROGRESS: S.REPLIED}),
    # 不满意 sends an answered (or closed) item back for re-handling.
    "reopen": ("district_staff", {S.REPLIED: S.IN_PROGRESS, S.CLOSED: S.IN_PROGRESS}),
    "close": ("district_staff", {S.REPLIED: S.CLOSED}),
    # 撤销 (并案, withdrawn…): anything still open.
    "cancel": ("district_staff", dict.fromkeys(OPEN, S.CANCELLED)),
}


def test_the_engine_has_exactly_these_actions() -> None:
    assert set(loop.ASSIGNMENT_TRANSITIONS) == set(MOVES)


def _assign(world: World, by: User, **kwargs: object) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=1,
        title="路灯不亮",
        region=world.village,
        by=by,
        department=world.department,
        **kwargs,
    )


def _call(action: str, assignment: Assignment, by: User) -> None:
    """Drive one action through its named service with valid arguments."""
    later = assignment.due_on + datetime.timedelta(days=10)
    services = {
        "accept": lambda: loop.assignment_accept(assignment=assignment, by=by),
        "start": lambda: loop.assignment_start(assignment=assignment, by=by),
        "request_return": lambda: loop.assignment_request_return(
            assignment=assignment, by=by, reason="不属于本单位职责"
        ),
        "approve_return": lambda: loop.assignment_decide_return(
            assignment=assignment, by=by, approve=True
        ),
        "reject_return": lambda: loop.assignment_decide_return(
            assignment=assignment, by=by, approve=False
        ),
        "request_extension": lambda: loop.assignment_request_extension(
            assignment=assignment, by=by, until=later, reason="需要招标"
        ),
        "approve_extension": lambda: loop.assignment_decide_extension(
            assignment=assignment, by=by, approve=True, until=later
        ),
        "reject_extension": lambda: loop.assignment_decide_extension(
            assignment=assignment, by=by, approve=False
        ),
        "hold": lambda: loop.assignment_hold(assignment=assignment, by=by, reason="等待鉴定"),
        "resume": lambda: loop.assignment_resume(assignment=assignment, by=by),
        "reply": lambda: loop.assignment_reply(assignment=assignment, by=by, note="已修复"),
        "reopen": lambda: loop.assignment_reopen(assignment=assignment, by=by, reason="不满意"),
        "close": lambda: loop.assignment_close(assignment=assignment, by=by),
        "cancel": lambda: loop.assignment_cancel(assignment=assignment, by=by, reason="并案"),
    }
    services[action]()


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_action_from_every_status(
    world: World, request: pytest.FixtureRequest, action: str, status: str
) -> None:
    persona, moves = MOVES[action]
    by: User = request.getfixturevalue(persona)
    assignment = _assign(world, request.getfixturevalue("district_staff"))
    Assignment.objects.filter(pk=assignment.pk).update(
        status=status, status_before_pause=PAUSED_FROM
    )
    assignment.refresh_from_db()
    events_before = CaseEvent.objects.count()
    if status in moves:
        _call(action, assignment, by)
        assignment.refresh_from_db()
        expected = PAUSED_FROM if moves[status] == BEFORE_PAUSE else moves[status]
        assert assignment.status == expected
        event = CaseEvent.objects.filter(assignment=assignment).latest("pk")
        assert (event.action, event.from_status, event.to_status) == (action, status, expected)
        assert event.actor == by
    else:
        with pytest.raises(InvalidTransition):
            _call(action, assignment, by)
        assignment.refresh_from_db()
        assert assignment.status == status
        assert CaseEvent.objects.count() == events_before


def test_two_clicks_on_a_stale_form_cannot_both_win(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    first = Assignment.objects.get(pk=assignment.pk)
    second = Assignment.objects.get(pk=assignment.pk)
    loop.assignment_accept(assignment=first, by=clerk)
    with pytest.raises(StaleState):
        loop.assignment_request_return(assignment=second, by=clerk, reason="错派")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ACCEPTED


def test_a_form_with_an_old_version_is_refused(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    old_version = assignment.version
    loop.assignment_accept(assignment=assignment, by=clerk)
    with pytest.raises(StaleState):
        loop.assignment_reply(
            assignment=assignment, by=clerk, note="已办", expected_version=old_version
        )


def test_due_date_before_today_is_refused(world: World, district_staff: User) -> None:
    with pytest.raises(RuleViolation, match="不能早于"):
        _assign(world, district_staff, due_on=datetime.date(2020, 1, 1))
    assert not Assignment.objects.exists()


def test_extension_past_the_longest_deadline_is_refused(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    loop.assignment_accept(assignment=assignment, by=clerk)
    too_late = assignment.latest_due_on + datetime.timedelta(days=1)
    with pytest.raises(RuleViolation, match="最长办理期限"):
        loop.assignment_request_extension(
            assignment=assignment, by=clerk, until=too_late, reason="工程量大"
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_approved_extension_moves_the_due_date_and_is_on_the_timeline(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    loop.assignment_accept(assignment=assignment, by=clerk)
    until = assignment.due_on + datetime.timedelta(days=20)
    loop.assignment_request_extension(
        assignment=assignment, by=clerk, until=until, reason="需要财政资金"
    )
    assert assignment.next_reminder_at is None  # the clock stops while pending
    loop.assignment_decide_extension(assignment=assignment, by=district_staff, approve=True)
    assignment.refresh_from_db()
    assert assignment.due_on == until
    assert assignment.original_due_on < until
    assert assignment.next_reminder_at is not None
    actions = list(CaseEvent.objects.filter(assignment=assignment).values_list("action", flat=True))
    assert actions == ["assign", "accept", "request_extension", "approve_extension"]


def test_events_are_filed_under_the_case_not_the_assignment(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=4242,
        title="井盖缺失",
        region=world.village,
        by=district_staff,
        department=world.department,
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    loop.assignment_reply(assignment=assignment, by=clerk, note="已补装")
    events = CaseEvent.objects.filter(assignment=assignment)
    assert set(events.values_list("case_id", flat=True)) == {4242}
    assert CaseEvent.objects.filter(case_type=TEST_CASE, case_id=4242).count() == 3


def test_re_handling_cannot_be_extended_past_its_month(
    world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    loop.assignment_accept(assignment=assignment, by=clerk)
    loop.assignment_reply(assignment=assignment, by=clerk, note="已处理")
    loop.assignment_reopen(assignment=assignment, by=None, reason="不满意")
    assignment.refresh_from_db()
    with pytest.raises(RuleViolation):
        loop.assignment_request_extension(
            assignment=assignment,
            by=clerk,
            reason="再给一个月",
            until=assignment.due_on + datetime.timedelta(days=30),
        )


def test_a_return_needs_a_reason(world: World, district_staff: User, clerk: User) -> None:
    assignment = _assign(world, district_staff)
    with pytest.raises(RuleViolation):
        loop.assignment_request_return(assignment=assignment, by=clerk, reason="  ")


def test_new_assignment_notifies_the_department(
    world: World, district_staff: User, clerk: User
) -> None:
    _assign(world, district_staff)
    assert clerk.notifications.filter(kind="assignment.new").count() == 1


def test_assignment_needs_exactly_one_assignee(
    world: World, district_staff: User, clerk: User
) -> None:
    with pytest.raises(RuleViolation):
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=1,
            title="x",
            region=world.village,
            by=district_staff,
            department=world.department,
            user=clerk,
        )
