"""A citizen's problem from the QR code to a rated close, step by step through the
services, with the timeline checked at every step (the browser test drives the
same journey through the pages)."""

from __future__ import annotations

import datetime

import pytest

from congress import loop
from congress.errors import RuleViolation
from congress.models import (
    Assignment,
    AssignmentStatus,
    CaseEvent,
    Notification,
    Session,
    SessionKind,
    User,
)
from representatives.models import ContactLog, Mandate, Representative, Station
from suggestions.citizen import actions, selectors, services
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueRating, IssueStatus
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.suggestions_citizen.conftest import submit


def _public(issue: CitizenIssue) -> list[str]:
    return [event.public_note for event in selectors.public_timeline(issue)]


def _steps(issue: CitizenIssue) -> list[Assignment]:
    return list(selectors.issue_assignments(issue))


def _forwarded(issue: CitizenIssue, district_staff: User, clerk: User, world: World) -> Assignment:
    if issue.status == IssueStatus.SUBMITTED:
        services.citizen_issue_accept(issue=issue, by=district_staff)
    assignment = services.citizen_issue_forward(
        issue=issue, department=world.department, by=district_staff, note="请尽快修复"
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    assignment.refresh_from_db()
    return assignment


def test_the_whole_loop_to_a_satisfied_close(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    assert issue.status == IssueStatus.SUBMITTED
    assert len(issue.tracking_code) == 8
    intake = _steps(issue)[0]
    assert intake.staff_region == world.district  # the nearest office with staff
    assert district_staff.notifications.filter(kind="assignment.new").exists()

    services.citizen_issue_accept(issue=issue, by=district_staff)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE
    assert issue.handler == representative  # responsible for the grid (责任田)
    handling = [s for s in _steps(issue) if s.user_id == representative.user_id]
    assert handling and handling[0].is_open

    assignment = _forwarded(issue, district_staff, clerk, world)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FORWARDED
    assert assignment.department == world.department
    assert not handling[0].__class__.objects.get(pk=handling[0].pk).is_open

    services.citizen_issue_department_reply(
        issue=issue, assignment=assignment, by=clerk, reply="已安排施工队填补路面坑洼"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DEPARTMENT_REPLIED
    # The department's own steps are on the same timeline as the problem's.
    staff_timeline = [(e.action, e.assignment_id) for e in selectors.issue_timeline(issue)]
    assert ("accept", assignment.pk) in staff_timeline
    assert ("reply", assignment.pk) in staff_timeline
    assert ("department_reply", None) in staff_timeline
    services.citizen_issue_report_back(
        issue=issue, by=representative.user, answer="交通局已于本周填平路面，请您查看。"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ANSWERED
    assert issue.rating_due_on is not None

    services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED, comment="修得很快")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CLOSED
    assert not Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=issue.pk, status__in=loop.OPEN_STATUSES
    ).exists()
    public = _public(issue)
    assert public[0].startswith("您反映的问题已提交")
    assert "交通局已于本周填平路面，请您查看。" in public
    assert public[-1].startswith("感谢您的评价")
    # The citizen's timeline never names the people who handled it.
    assert not any("陈静" in note or "赵磊" in note for note in public)


def test_unsatisfied_reopens_with_its_own_deadline_and_twice_means_supervision(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    assignment = _forwarded(issue, district_staff, clerk, world)
    for round_number in (1, 2):
        services.citizen_issue_department_reply(
            issue=issue, assignment=assignment, by=clerk, reply=f"第{round_number}次答复"
        )
        services.citizen_issue_report_back(issue=issue, by=representative.user, answer="已处理")
        services.citizen_issue_rate(issue=issue, rating=IssueRating.UNSATISFIED, comment="没修好")
        issue.refresh_from_db()
        assignment.refresh_from_db()
        assert issue.status == IssueStatus.FORWARDED
        assert issue.reopen_count == round_number
        assert assignment.status == AssignmentStatus.IN_PROGRESS
        # Re-handling: one month from today (CITIZEN_REHANDLING_MONTHS' default), counted
        # by the engine.
        assert assignment.due_on >= datetime.date.today() + datetime.timedelta(days=27)
    assert issue.needs_supervision
    assert (
        CaseEvent.objects.filter(
            case_type=ISSUE_CASE, case_id=issue.pk, action="supervision"
        ).count()
        == 1
    )
    assert Notification.objects.filter(
        recipient=district_staff, kind="citizen_issue.supervision"
    ).exists()


def test_a_representative_can_answer_directly(
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["housing"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    services.citizen_issue_answer(
        issue=issue, by=representative.user, answer="已协调物业今天更换灯泡。"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.ANSWERED
    services.citizen_issue_rate(issue=issue, rating=IssueRating.UNSATISFIED)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE  # back with the representative
    open_steps = [s for s in _steps(issue) if s.is_open]
    assert len(open_steps) == 1 and open_steps[0].user_id == representative.user_id


def test_no_rating_in_ten_working_days_closes_it_and_asks_for_a_return_visit(
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["housing"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    services.citizen_issue_answer(issue=issue, by=representative.user, answer="已解决")
    issue.refresh_from_db()
    assert services.citizen_issues_close_unrated(today=issue.rating_due_on) == 0
    later = issue.rating_due_on + datetime.timedelta(days=1)
    assert services.citizen_issues_close_unrated(today=later) == 1
    assert services.citizen_issues_close_unrated(today=later) == 0  # twice is harmless
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.rating == IssueRating.NOT_RATED
    assert representative.user.notifications.filter(kind="citizen_issue.return_visit").exists()
    log = services.citizen_issue_log_return_visit(
        issue=issue, by=representative.user, summary="电话回访，群众表示已解决"
    )
    assert isinstance(log, ContactLog) and log.kind == "return_visit"
    assert "代表已对本件进行回访。" in _public(issue)


def test_a_department_return_goes_back_to_the_representative_to_forward_again(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    assignment = _forwarded(issue, district_staff, clerk, world)
    loop.assignment_request_return(assignment=assignment, by=clerk, reason="属于城管职责")
    assignment.refresh_from_db()
    services.citizen_issue_decide_return(
        issue=issue, assignment=assignment, by=district_staff, approve=True
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE
    services.citizen_issue_forward(
        issue=issue, department=world.city_department, by=representative.user
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FORWARDED
    assert selectors.department_assignment(issue).department == world.city_department


def test_merging_and_joining_add_voices_to_one_problem(
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    first = submit(station=station, category=categories["roads"])
    joined = submit(station=station, category=categories["roads"], join=first, mobile="13900001111")
    assert joined.status == IssueStatus.MERGED and joined.merged_into == first
    assert not Assignment.objects.filter(case_type=ISSUE_CASE, case_id=joined.pk).exists()
    third = submit(station=station, category=categories["roads"], mobile="13900002222")
    services.citizen_issue_merge(issue=third, into=first, by=district_staff)
    first.refresh_from_db()
    assert first.supporters == 3
    # The joined citizen follows the first problem's progress on their own link.
    services.citizen_issue_accept(issue=first, by=district_staff)
    assert "您反映的问题已受理。" in _public(joined)


def test_declined_with_a_pointer_to_the_right_channel(
    district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    issue = submit(station=station, category=categories["other"], description="邻居欠我钱不还")
    services.citizen_issue_decline(
        issue=issue, by=district_staff, reason="属于民事纠纷。", channel="litigation"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DECLINED
    assert "人民法院（诉讼）" in _public(issue)[-1]
    assert not Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=issue.pk, status__in=loop.OPEN_STATUSES
    ).exists()


def test_a_contact_problem_becomes_a_case_in_one_tap(
    representative: Representative, station: Station, categories: dict[str, IssueCategory]
) -> None:
    from representatives.services import contact_log_record

    log, _created = contact_log_record(
        representative=representative,
        kind="reception",
        contacted_on=datetime.date.today(),
        summary="接待选民3人",
        by=representative.user,
        station=station,
        problems=["菜市场门口积水"],
    )
    first = services.citizen_issue_create_from_contact(
        contact_log=log, description="菜市场门口积水", category="roads", by=representative.user
    )
    again = services.citizen_issue_create_from_contact(
        contact_log=log, description="菜市场门口积水", category="roads", by=representative.user
    )
    assert first.pk == again.pk
    assert first.status == IssueStatus.WITH_REPRESENTATIVE and first.handler == representative
    problem = log.problems.get()
    assert problem.case_id == first.pk and problem.case_type == ISSUE_CASE


def test_converting_to_a_suggestion_drafts_it_for_the_representative(
    world: World,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    term = world.town.congress.terms.get()
    Mandate.objects.filter(representative=representative).update(term=term)
    session = Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=6,
        opens_on=datetime.date(2027, 1, 6),
        closes_on=datetime.date(2027, 1, 7),
    )
    issue = submit(station=station, category=categories["education"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    services.citizen_issue_convert(issue=issue, by=representative.user, to="suggestion")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CONVERTED and issue.converted_to == "suggestion"
    assert "转为代表建议" in _public(issue)[-1]
    draft = Suggestion.objects.get()
    assert draft.session == session and draft.category == "education"
    assert issue.tracking_code in draft.content
    assert draft.signers.get().representative == representative
    event = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk, action="convert").get()
    assert event.data["suggestion_id"] == draft.pk


def test_converting_without_a_session_says_so_and_changes_nothing(
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["education"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    with pytest.raises(RuleViolation, match="人民代表大会会议"):
        services.citizen_issue_convert(issue=issue, by=representative.user, to="suggestion")
    issue.refresh_from_db()
    assert issue.status != IssueStatus.CONVERTED
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("hidden", [True, False])
def test_the_public_board_shows_handled_problems_anonymised(
    hidden: bool,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(
        station=station,
        category=categories["roads"],
        description="路灯坏了，有事打我电话13812345678",
        public_anonymous=hidden,  # when shown, the citizen chose to be named
    )
    services.citizen_issue_accept(issue=issue, by=district_staff)
    services.citizen_issue_answer(issue=issue, by=representative.user, answer="已修复")
    services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)
    if hidden:
        services.citizen_issue_set_public(issue=issue, hidden=True, by=district_staff)
    board = selectors.public_board_for_station(station, 10)
    if hidden:
        assert board == []
        return
    assert len(board) == 1
    assert "13812345678" not in board[0].title and "138****5678" in board[0].title
    assert "张建国" not in board[0].title and "（张**反映）" in board[0].title
    assert board[0].status == "满意"


def test_a_problem_sent_to_a_representative_reaches_them_and_they_may_accept_it(
    world: World,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(region=world.grid, representative=representative, category=categories["roads"])
    assert representative.user.notifications.filter(kind="citizen_issue.addressed").exists()
    assert "accept" in actions.allowed(representative.user, issue)
    services.citizen_issue_accept(issue=issue, by=representative.user)
    issue.refresh_from_db()
    assert issue.handler == representative


def test_the_contact_log_button_opens_a_conversion_form_for_its_own_representative(
    client: object,
    representative: Representative,
    other_representative: Representative,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    from django.test import Client

    from representatives.services import contact_log_record
    from tests.conftest import login

    assert isinstance(client, Client)
    log, _created = contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=datetime.date.today(),
        summary="走访桃园社区",
        by=representative.user,
        station=station,
        problems=["小区路灯不亮"],
    )
    problem = log.problems.get()
    url = f"/q/new/?contact_problem={problem.pk}"
    login(client, other_representative.user)  # type: ignore[arg-type]
    assert client.get(url).status_code == 404
    login(client, representative.user)  # type: ignore[arg-type]
    assert "小区路灯不亮" in client.get(url).content.decode()
    response = client.post(
        url, {"category": categories["utilities"].pk, "description": "小区路灯不亮，已一周"}
    )
    issue = CitizenIssue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    problem.refresh_from_db()
    assert problem.case_id == issue.pk
    assert client.get(url).status_code == 404  # handed on: the button is gone
