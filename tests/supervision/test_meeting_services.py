"""Stories of 海州区人大常委会's meetings, through the real services.

陈静 (district staff) schedules 第21次会议 and puts on its agenda the report of 海州区交通运输局
(赵磊 is its clerk); the committee's 27 members are called; 赵磊 sends the report (on time,
or after the deadline: accepted and flagged 逾期报送); the members vote 满意/基本满意/不满意 by
secret ballot. 李强 (临江区 staff) and 孙丽 (临江区's clerk) reach none of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from congress.ballots.errors import AlreadyVoted, NotAnElector, VoteNotOpen
from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import Assignment, AssignmentStatus, AuditEvent, CaseEvent, Role, User
from congress.models.ballots import Rating
from congress.workdays import is_workday
from supervision.meetings import services
from supervision.meetings.workflow import (
    EVALUATION_TRANSITIONS,
    MEETING_TRANSITIONS,
    RE_REPORT_CASE,
    REPORT_CASE,
    REPORT_TRANSITIONS,
)
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    MeetingStatus,
    ReportStatus,
    VoteStatus,
)
from tests.conftest import World
from tests.factories import UserFactory, grant

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


@pytest.fixture
def members(world: World) -> list[User]:
    return [
        grant(UserFactory(username=f"hz{n:02d}"), Role.COMMITTEE, region=world.district)
        for n in range(27)
    ]


@pytest.fixture
def ballot_keys(settings: Any, tmp_path: Any) -> None:
    settings.BALLOT_KEY_DIR = tmp_path / "keys"


def schedule(world: World, by: User, *, days: int = 30, number: int = 21) -> Meeting:
    return services.meeting_schedule(
        congress=world.district.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        venue="第一会议室",
        by=by,
    )


def add_report(world: World, meeting: Meeting, by: User, **extra: Any) -> AgendaItem:
    return services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="关于交通运输工作情况的报告",
        department=world.department,
        by=by,
        **extra,
    )


def the_deadline_passed(item: AgendaItem) -> None:
    """No clock is moved in these tests: the due date is put in the past, as a calendar
    would have done, on the item and on its loop item."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AgendaItem.objects.filter(pk=item.pk).update(due_on=yesterday)
    Assignment.objects.filter(case_type=REPORT_CASE, case_id=item.pk).update(due_on=yesterday)
    item.refresh_from_db()


# --- the transition tables, stated by hand ---------------------------------------------


def test_the_transition_tables_are_as_written_here() -> None:
    assert {a: (set(f), t) for a, (f, t) in MEETING_TRANSITIONS.items()} == {
        "meeting_hold": ({"scheduled"}, "held"),
        "meeting_cancel": ({"scheduled"}, "cancelled"),
    }
    assert {a: (set(f), t) for a, (f, t) in REPORT_TRANSITIONS.items()} == {
        "report_submit": ({"awaited"}, "received"),
    }
    assert {a: (set(f), t) for a, (f, t) in EVALUATION_TRANSITIONS.items()} == {
        "evaluation_close": ({"open"}, "closed"),
    }


# --- meetings and reports ---------------------------------------------------------------


def test_a_meeting_calls_the_committee_of_its_congress_only(
    world: World, district_staff: User, members: list[User], committee_member: User
) -> None:
    meeting = schedule(world, district_staff)
    called = set(meeting.members.values_list("user_id", flat=True))
    assert called == {m.pk for m in members}
    assert committee_member.pk not in called  # 钱建国 sits on the city's committee


def test_other_district_staff_cannot_schedule_or_add(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    with pytest.raises(OutOfJurisdiction):
        schedule(world, other_district_staff)
    meeting = schedule(world, district_staff)
    with pytest.raises(OutOfJurisdiction):
        add_report(world, meeting, other_district_staff)
    assert not meeting.items.exists()


def test_a_report_is_a_loop_item_of_the_body_due_ten_days_before(
    world: World, district_staff: User
) -> None:
    meeting = schedule(world, district_staff, days=30)
    item = add_report(world, meeting, district_staff)
    # 十日前 on the official calendar: a rest day moves it to the working day before
    # (tests/supervision/test_report_stages.py states the dates by hand).
    expected_due = timezone.localdate() + datetime.timedelta(days=20)
    while not is_workday(expected_due):
        expected_due -= datetime.timedelta(days=1)
    assert item.due_on == expected_due
    assert item.status == ReportStatus.AWAITED
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=item.pk)
    assert (step.department_id, step.due_on, step.status) == (
        world.department.pk,
        expected_due,
        AssignmentStatus.ASSIGNED,
    )


def test_a_meeting_at_short_notice_makes_the_report_due_today(
    world: World, district_staff: User
) -> None:
    item = add_report(world, schedule(world, district_staff, days=3), district_staff)
    assert item.due_on == timezone.localdate()


def test_a_report_needs_its_body(world: World, district_staff: User) -> None:
    meeting = schedule(world, district_staff)
    with pytest.raises(RuleViolation):
        services.agenda_add(meeting=meeting, kind=ItemKind.REPORT, title="报告", by=district_staff)


def test_the_clerk_sends_the_report_on_time(
    world: World, district_staff: User, clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff), district_staff)
    services.report_submit(item=item, text="报告正文", by=clerk)
    item.refresh_from_db()
    assert (item.status, item.late, item.report_text) == (ReportStatus.RECEIVED, False, "报告正文")
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=item.pk)
    assert step.status == AssignmentStatus.CLOSED
    event = CaseEvent.objects.get(case_type=REPORT_CASE, case_id=item.pk, action="report_submit")
    assert (event.from_status, event.to_status, event.actor_id) == ("awaited", "received", clerk.pk)
    assert AuditEvent.objects.filter(detail__action="report_submit").count() == 1


def test_a_late_report_is_accepted_and_flagged(
    world: World, district_staff: User, clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff), district_staff)
    the_deadline_passed(item)
    services.report_submit(item=item, text="迟交的报告", by=clerk)
    item.refresh_from_db()
    assert (item.status, item.late) == (ReportStatus.RECEIVED, True)


def test_another_departments_clerk_cannot_send_it(
    world: World, district_staff: User, other_clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff), district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.report_submit(item=item, text="x", by=other_clerk)
    item.refresh_from_db()
    assert item.status == ReportStatus.AWAITED


def test_an_empty_report_is_refused_and_a_second_send_is_not_allowed(
    world: World, district_staff: User, clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff), district_staff)
    with pytest.raises(RuleViolation):
        services.report_submit(item=item, text="  ", by=clerk)
    services.report_submit(item=item, text="报告", by=clerk)
    with pytest.raises(InvalidTransition):
        services.report_submit(item=item, text="又一份", by=clerk)


def test_cancelling_a_meeting_cancels_the_reports_awaited(
    world: World, district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    item = add_report(world, meeting, district_staff)
    with pytest.raises(RuleViolation):
        services.meeting_cancel(meeting=meeting, by=district_staff, reason=" ")
    services.meeting_cancel(meeting=meeting, by=district_staff, reason="改期")
    assert meeting.status == MeetingStatus.CANCELLED
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=item.pk)
    assert step.status == AssignmentStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        services.meeting_hold(meeting=meeting, by=district_staff)


def test_attendance_names_only_the_meetings_members(
    world: World, district_staff: User, members: list[User], committee_member: User
) -> None:
    meeting = schedule(world, district_staff)
    with pytest.raises(RuleViolation):
        services.meeting_attendance(
            meeting=meeting, present=[committee_member.pk], by=district_staff
        )
    services.meeting_attendance(
        meeting=meeting, present=[m.pk for m in members[:20]], by=district_staff
    )
    assert meeting.members.filter(attended=True).count() == 20
    assert meeting.members.filter(attended=False).count() == 7


# --- the satisfaction vote --------------------------------------------------------------


@pytest.fixture
def vote_on(
    world: World, district_staff: User, clerk: User, members: list[User], ballot_keys: None
) -> Callable[..., EvaluationVote]:
    def make(**extra: Any) -> EvaluationVote:
        meeting = schedule(world, district_staff, number=21 + Meeting.objects.count())
        item = add_report(world, meeting, district_staff, **extra)
        services.report_submit(item=item, text="报告", by=clerk)
        services.meeting_hold(meeting=meeting, by=district_staff)
        return services.evaluation_open(item=item, by=district_staff)

    return make


def cast_all(vote: EvaluationVote, members: list[User], marks: list[str]) -> None:
    for member, mark in zip(members, marks, strict=False):
        services.evaluation_cast(vote=vote, choices={vote.item_id: mark}, by=member)


@pytest.mark.parametrize(
    ("satisfied", "basic", "dissatisfied", "expected"),
    [
        (13, 1, 13, B),  # 13 + 1 = 14 ≥ 13.5, but 13 < 13.5
        (14, 0, 0, S),  # 14 ≥ 13.5 of 27 members, whoever did not vote
        (26, 0, 0, S),  # seed 003, 海州
        (13, 0, 14, D),
        (0, 0, 0, D),  # nobody voted: not half of the members
    ],
)
def test_the_outcome_counts_half_of_all_27_members(
    vote_on: Callable[..., EvaluationVote],
    members: list[User],
    district_staff: User,
    satisfied: int,
    basic: int,
    dissatisfied: int,
    expected: str,
) -> None:
    vote = vote_on()
    cast_all(vote, members, [S] * satisfied + [B] * basic + [D] * dissatisfied)
    services.evaluation_close(vote=vote, by=district_staff)
    vote.refresh_from_db()
    assert (vote.status, vote.outcome) == (VoteStatus.CLOSED, expected)


def test_two_marks_a_second_ballot_and_a_non_member_are_refused(
    vote_on: Callable[..., EvaluationVote], members: list[User], committee_member: User
) -> None:
    vote = vote_on()
    with pytest.raises(RuleViolation):
        services.evaluation_cast(vote=vote, choices={vote.item_id: [S, B]}, by=members[0])
    with pytest.raises(NotAnElector):
        services.evaluation_cast(vote=vote, choices={vote.item_id: S}, by=committee_member)
    services.evaluation_cast(vote=vote, choices={vote.item_id: S}, by=members[0])
    with pytest.raises(AlreadyVoted):
        services.evaluation_cast(vote=vote, choices={vote.item_id: D}, by=members[0])


def test_no_ballot_after_the_close(
    vote_on: Callable[..., EvaluationVote], members: list[User], district_staff: User
) -> None:
    vote = vote_on()
    services.evaluation_close(vote=vote, by=district_staff)
    with pytest.raises(VoteNotOpen):
        services.evaluation_cast(vote=vote, choices={vote.item_id: S}, by=members[1])


def test_a_vote_waits_for_the_report_and_the_meeting(
    world: World, district_staff: User, clerk: User, members: list[User], ballot_keys: None
) -> None:
    meeting = schedule(world, district_staff)
    item = add_report(world, meeting, district_staff)
    with pytest.raises(RuleViolation):  # no report yet
        services.evaluation_open(item=item, by=district_staff)
    services.report_submit(item=item, text="报告", by=clerk)
    with pytest.raises(RuleViolation):  # the meeting is not held yet
        services.evaluation_open(item=item, by=district_staff)


def test_dissatisfied_means_a_re_report_and_a_second_time_is_flagged(
    world: World,
    vote_on: Callable[..., EvaluationVote],
    members: list[User],
    district_staff: User,
) -> None:
    first = vote_on()
    cast_all(first, members, [D] * 20)
    services.evaluation_close(vote=first, by=district_staff)
    first.refresh_from_db()
    assert (first.outcome, first.flagged_for_inquiry) == (D, False)
    again = Assignment.objects.get(case_type=RE_REPORT_CASE, case_id=first.item_id)
    assert (again.department_id, again.status) == (world.department.pk, AssignmentStatus.ASSIGNED)

    second = vote_on(re_report_of=first.item)
    again.refresh_from_db()
    assert again.status == AssignmentStatus.CLOSED  # the re-report is on an agenda
    cast_all(second, members, [D] * 20)
    services.evaluation_close(vote=second, by=district_staff)
    second.refresh_from_db()
    assert (second.outcome, second.flagged_for_inquiry) == (D, True)


def test_other_district_staff_cannot_open_or_close(
    world: World,
    vote_on: Callable[..., EvaluationVote],
    other_district_staff: User,
) -> None:
    vote = vote_on()
    with pytest.raises(OutOfJurisdiction):
        services.evaluation_close(vote=vote, by=other_district_staff)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN


# --- inquiry questions -------------------------------------------------------------------


def test_questions_and_follow_ups_are_recorded_on_an_inquiry_only(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    report = add_report(world, meeting, district_staff)
    first = services.question_record(
        item=inquiry, asker="王委员", respondent="局长", text="何时完工？", by=district_staff
    )
    follow = services.question_record(
        item=inquiry,
        asker="王委员",
        respondent="局长",
        text="资金落实了吗？",
        answer="已落实。",
        satisfaction=S,
        follow_up_of=first,
        by=district_staff,
    )
    assert follow.follow_up_of == first
    services.question_answer(question=first, answer="年底前。", satisfaction=B, by=district_staff)
    first.refresh_from_db()
    assert (first.answer, first.satisfaction) == ("年底前。", B)
    with pytest.raises(RuleViolation):
        services.question_record(
            item=report, asker="王委员", respondent="局长", text="?", by=district_staff
        )
    with pytest.raises(RuleViolation):
        services.question_record(
            item=inquiry, asker="", respondent="局长", text="?", by=district_staff
        )
    with pytest.raises(OutOfJurisdiction):
        services.question_record(
            item=inquiry, asker="李", respondent="局长", text="?", by=other_district_staff
        )
