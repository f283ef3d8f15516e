"""The implementation's services as stories about the cast: projects from the vote, the
plan's refusals, the monthly report (facts on the row, a percent going backwards, the
loop item closed), behind schedule on edge dates, inspections, inquiries, comments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from congress import loop
from congress.errors import RuleViolation
from congress.models import Assignment, AssignmentStatus, CaseEvent
from congress.scoping import OutOfJurisdiction
from congress.workdays import add_workdays
from livelihood_votes import services as vote_services
from livelihood_votes.models import Cycle
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    Inspection,
    InspectionKind,
    Milestone,
    ProgressReport,
    Project,
    ProjectPhoto,
    ProjectStatus,
    ReportStatus,
)
from livelihood_votes.projects import services
from livelihood_votes.projects.workflow import PROJECT_CASE, REPORT_CASE
from tests.livelihood_votes.conftest import approve, candidates_of, make_vote, paper_ballots
from tests.livelihood_votes.test_project_fixtures import photo, project_of, started

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _closed_vote(cast, staff):
    """海州区's vote: 12 candidates for 10 seats; 6 of the 10 seated representatives vote
    on paper for candidates 1–10, so those ten are elected (6 approvals of 10 is more
    than half) and 11, 12 are not."""
    vote = make_vote(cast.world.district, staff)
    for n, candidate in enumerate(candidates_of(vote), start=1):
        candidate.department = cast.world.department
        candidate.budget = Decimal(100 * n)
        candidate.save()
    vote_services.vote_open(vote=vote, by=staff)
    ten = candidates_of(vote)[:10]
    paper_ballots(vote, cast.seated[:6], [approve(*ten)] * 6, staff)
    vote_services.vote_close(vote=vote, by=staff)
    return vote


# --- projects from the vote ---------------------------------------------------------------


def test_starting_implementation_makes_one_project_per_elected_candidate_once(
    cast, district_staff
) -> None:
    vote = _closed_vote(cast, district_staff)
    cycle = Cycle.objects.create(
        congress=cast.world.district.congress,
        region=cast.world.district,
        year=2026,
        title="海州区2026年度民生实事项目",
        vote=vote,
    )
    created = services.implementation_start(cycle=cycle, by=district_staff)
    assert [p.title for p in created] == [f"民生项目{n}" for n in range(1, 11)]
    first = created[0]
    assert (first.order, first.department, first.budget) == (1, cast.world.department, 100)
    assert first.deadline == datetime.date(2026, 12, 31)
    assert first.status == ProjectStatus.PLANNING
    # Idempotent: a second click makes nothing.
    assert services.implementation_start(cycle=cycle, by=district_staff) == []
    assert Project.objects.filter(cycle=cycle).count() == 10


def test_a_closed_vote_without_a_cycle_gets_its_cycle_made(cast, district_staff) -> None:
    vote = _closed_vote(cast, district_staff)
    created = services.implementation_start_from_vote(vote=vote, by=district_staff)
    cycle = Cycle.objects.get(vote=vote)
    assert (cycle.region, cycle.year, cycle.congress) == (
        cast.world.district,
        2026,
        cast.world.district.congress,
    )
    assert {p.cycle_id for p in created} == {cycle.pk}
    assert len(created) == 10


def test_an_open_vote_cannot_start_implementation(cast, district_staff, open_vote) -> None:
    with pytest.raises(RuleViolation, match="票决结束并公布结果后才能开始实施"):
        services.implementation_start_from_vote(vote=open_vote, by=district_staff)
    assert not Cycle.objects.filter(vote=open_vote).exists()
    assert not Project.objects.exists()


def test_another_districts_staff_cannot_start_it(cast, district_staff, other_district_staff):
    vote = _closed_vote(cast, district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.implementation_start_from_vote(vote=vote, by=other_district_staff)
    assert not Project.objects.exists()


# --- the plan -----------------------------------------------------------------------------


def test_a_milestone_after_the_deadline_is_refused_with_both_dates(world, district_staff):
    project = project_of(world.district, world.department, deadline=datetime.date(2026, 11, 30))
    with pytest.raises(RuleViolation) as refused:
        services.milestone_add(
            project=project, title="竣工验收", due_on=datetime.date(2026, 12, 1), by=district_staff
        )
    assert str(refused.value.message) == "节点日期 2026-12-01 晚于项目完成时限 2026-11-30。"
    assert not Milestone.objects.exists()
    # On the deadline itself is fine.
    services.milestone_add(
        project=project, title="竣工验收", due_on=datetime.date(2026, 11, 30), by=district_staff
    )
    project.refresh_from_db()
    assert project.next_milestone_on == datetime.date(2026, 11, 30)


def test_the_deadline_cannot_move_before_a_planned_milestone(world, district_staff) -> None:
    project = project_of(world.district, world.department)
    services.milestone_add(
        project=project, title="主体完工", due_on=datetime.date(2026, 10, 15), by=district_staff
    )
    with pytest.raises(RuleViolation, match="2026-10-15"):
        services.project_plan(
            project=project,
            department=world.department,
            deadline=datetime.date(2026, 9, 30),
            by=district_staff,
        )
    project.refresh_from_db()
    assert project.deadline == datetime.date(2026, 12, 31)


def test_the_plan_records_departments_and_the_group(
    cast, world, district_staff, committee_member
) -> None:
    project = project_of(world.district, world.department)
    services.project_plan(
        project=project,
        department=world.department,
        co_departments=[world.city_department, world.department],
        deadline=datetime.date(2026, 12, 31),
        budget=Decimal("800"),
        place="新浦街道桃园社区",
        group_leader=committee_member,
        group_committee="城建环资委",
        group_members=[cast.liu, cast.zhang],
        by=district_staff,
    )
    project.refresh_from_db()
    # The responsible department is not its own co-department.
    assert list(project.co_departments.all()) == [world.city_department]
    assert set(project.group_members.all()) == {cast.liu, cast.zhang}
    assert (project.group_leader, project.group_committee, project.budget) == (
        committee_member,
        "城建环资委",
        Decimal("800"),
    )


def test_another_districts_staff_cannot_plan_it(world, other_district_staff) -> None:
    project = project_of(world.district, world.department)
    with pytest.raises(OutOfJurisdiction):
        services.milestone_add(
            project=project, title="x", due_on=datetime.date(2026, 6, 1), by=other_district_staff
        )


def test_starting_needs_a_milestone(world, district_staff) -> None:
    project = project_of(world.district, world.department)
    with pytest.raises(RuleViolation, match="至少一个实施节点"):
        services.project_start(project=project, by=district_staff)
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNING


# --- monthly reports ----------------------------------------------------------------------


def test_the_report_of_november_2026_is_due_on_the_fifth_working_day_of_december() -> None:
    # December 2026: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7.
    assert services.report_due_on(datetime.date(2026, 11, 1)) == datetime.date(2026, 12, 7)


def test_starting_asks_the_department_for_this_months_report(world, district_staff) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    report = ProgressReport.objects.get(project=project)
    assert report.month == TODAY.replace(day=1)
    assert report.status == ReportStatus.AWAITED
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=report.pk)
    assert (step.department, step.due_on, step.status) == (
        world.department,
        report.due_on,
        AssignmentStatus.ASSIGNED,
    )
    assert report.due_on == max(services.report_due_on(report.month), TODAY)


def test_filing_keeps_the_facts_on_the_row_and_closes_the_step(
    world, district_staff, clerk
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    report = services.report_file(
        project=project,
        percent_complete=40,
        spent=Decimal("180.50"),
        text="完成3栋楼电梯井道施工",
        problems="个别住户意见不一",
        photos=[photo(), photo("b.jpg")],
        by=clerk,
    )
    project.refresh_from_db()
    assert (project.percent_complete, project.spent, project.last_report_on) == (
        40,
        Decimal("180.50"),
        report.month,
    )
    report.refresh_from_db()
    assert (report.status, report.filed_by, report.late) == (ReportStatus.FILED, clerk, False)
    assert ProjectPhoto.objects.filter(report=report).count() == 2
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=report.pk)
    assert step.status == AssignmentStatus.CLOSED
    assert CaseEvent.objects.filter(
        case_type=PROJECT_CASE, case_id=project.pk, action="report_file"
    ).exists()


def _second_month(project, staff) -> ProgressReport:
    """Next month's report asked for (as the sweep does on the 1st)."""
    project.refresh_from_db()
    month = (TODAY.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return services.report_request(project=project, month=month)


def test_a_percent_going_backwards_needs_a_reason(world, district_staff, clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    services.report_file(
        project=project, percent_complete=60, spent=Decimal(300), text="主体完工", by=clerk
    )
    second = _second_month(project, district_staff)
    with pytest.raises(RuleViolation) as refused:
        services.report_file(
            project=project, percent_complete=55, spent=Decimal(310), text="返工", by=clerk
        )
    assert str(refused.value.message) == "完成进度低于上次报告的 60%，请说明进度回调的原因。"
    second.refresh_from_db()
    project.refresh_from_db()
    assert second.status == ReportStatus.AWAITED
    assert project.percent_complete == 60
    services.report_file(
        project=project,
        percent_complete=55,
        spent=Decimal(310),
        text="返工",
        backwards_reason="验收发现井道偏差，拆除重做",
        by=clerk,
    )
    project.refresh_from_db()
    assert project.percent_complete == 55


@pytest.mark.parametrize(
    ("percent", "spent", "text", "message"),
    [
        (101, Decimal(1), "x", "完成进度应在0到100之间。"),
        (10, Decimal(-1), "x", "累计完成投资不能为负数。"),
        (10, Decimal(1), "  ", "请填写本月进展情况。"),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(
    world, district_staff, clerk, percent, spent, text, message
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    with pytest.raises(RuleViolation) as refused:
        services.report_file(
            project=project, percent_complete=percent, spent=spent, text=text, by=clerk
        )
    assert str(refused.value.message) == message
    assert ProgressReport.objects.get(project=project).status == ReportStatus.AWAITED


def test_nothing_to_file_when_no_report_is_awaited(world, district_staff, clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    services.report_file(
        project=project, percent_complete=5, spent=Decimal(1), text="开工", by=clerk
    )
    with pytest.raises(RuleViolation, match="没有待报送"):
        services.report_file(
            project=project, percent_complete=6, spent=Decimal(1), text="再报", by=clerk
        )


def test_another_departments_clerk_cannot_file(world, district_staff, other_clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.report_file(
            project=project, percent_complete=5, spent=Decimal(1), text="x", by=other_clerk
        )
    assert ProgressReport.objects.get(project=project).status == ReportStatus.AWAITED


def test_a_late_report_is_accepted_and_flagged(world, district_staff, clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    ProgressReport.objects.filter(project=project).update(due_on=TODAY - datetime.timedelta(1))
    report = services.report_file(
        project=project, percent_complete=5, spent=Decimal(1), text="开工", by=clerk
    )
    report.refresh_from_db()
    assert report.late is True


def test_the_sweep_asks_once_per_month(world, district_staff) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    next_month = (TODAY.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    assert services.projects_sweep(next_month) == 1
    assert services.projects_sweep(next_month) == 1
    months = list(ProgressReport.objects.filter(project=project).values_list("month", flat=True))
    assert sorted(months) == [TODAY.replace(day=1), next_month]
    assert Assignment.objects.filter(case_type=REPORT_CASE).count() == 2


# --- the loop item: reminders and escalation through the engine ----------------------------


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_report_is_reminded_on_its_due_day_and_escalated_when_overdue(
    world, district_staff, clerk
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    report = ProgressReport.objects.get(project=project)
    title = f"{report.month:%Y-%m}月度进度：老旧小区加装电梯"
    loop.reminders_sweep(now=_at(report.due_on))
    assert any(title in t for t in clerk.notifications.values_list("title", flat=True))
    loop.reminders_sweep(now=_at(add_workdays(report.due_on, 3)))
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=report.pk)
    assert step.escalation_level == 1
    # Filed: the step is closed and the sweep finds nothing more to send.
    services.report_file(
        project=project, percent_complete=5, spent=Decimal(1), text="开工", by=clerk
    )
    assert loop.reminders_sweep(now=_at(add_workdays(report.due_on, 12))).examined == 0


# --- behind schedule ----------------------------------------------------------------------


def _implementing(world, *, starts_on, deadline, percent) -> Project:
    project = project_of(world.district, world.department, deadline=deadline)
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.IMPLEMENTING, starts_on=starts_on, percent_complete=percent
    )
    project.refresh_from_db()
    return project


def test_a_milestone_is_late_from_the_day_after_its_date(world) -> None:
    project = _implementing(
        world,
        starts_on=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
        percent=100,
    )
    Milestone.objects.create(project=project, title="招标", due_on=datetime.date(2026, 3, 31))
    assert services.is_behind(project, datetime.date(2026, 3, 31)) is False
    assert services.is_behind(project, datetime.date(2026, 4, 1)) is True
    Milestone.objects.filter(project=project).update(done_on=datetime.date(2026, 4, 2))
    assert services.is_behind(project, datetime.date(2026, 4, 3)) is False


def test_the_linear_plan_allows_the_tolerance_and_no_more(world) -> None:
    # 1 Jan to 1 May 2026 is 120 days; on 2 March (60 days) the plan is at 50 %, and the
    # default tolerance is 15 points: 35 % is on schedule, 34 % behind.
    args = {"starts_on": datetime.date(2026, 1, 1), "deadline": datetime.date(2026, 5, 1)}
    on = datetime.date(2026, 3, 2)
    assert services.planned_percent(_implementing(world, percent=35, **args), on) == 50
    assert services.is_behind(_implementing(world, percent=35, **args), on) is False
    assert services.is_behind(_implementing(world, percent=34, **args), on) is True


def test_a_project_still_planning_is_never_behind(world) -> None:
    project = project_of(world.district, world.department)
    Milestone.objects.create(project=project, title="招标", due_on=datetime.date(2026, 1, 31))
    assert services.is_behind(project, datetime.date(2026, 6, 1)) is False


def test_the_flag_is_kept_on_the_row_with_a_timeline_row(world) -> None:
    project = _implementing(
        world, starts_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 12, 31), percent=0
    )
    Milestone.objects.create(project=project, title="招标", due_on=datetime.date(2026, 2, 27))
    services.refresh_facts(project=project, today=datetime.date(2026, 3, 1))
    project.refresh_from_db()
    assert project.behind_schedule is True
    assert project.next_milestone_on == datetime.date(2026, 2, 27)
    assert CaseEvent.objects.filter(case_id=project.pk, action="behind_schedule").count() == 1


# --- inspections, inquiries, comments ------------------------------------------------------


def test_a_group_member_records_an_inspection_with_photos(
    cast, world, district_staff, representative_user
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    project.group_members.add(cast.liu)
    inspection = services.inspection_record(
        project=project,
        held_on=TODAY,
        notes="现场查看电梯井道施工，进度正常",
        participants="刘红、张伟",
        photos=[photo()],
        by=representative_user,
    )
    assert inspection.photos.count() == 1
    with pytest.raises(OutOfJurisdiction):
        services.inspection_record(
            project=project,
            held_on=TODAY,
            kind=InspectionKind.MIDYEAR,
            notes="年中视察",
            by=representative_user,
        )


def test_a_representative_outside_the_group_cannot_inspect(
    cast, world, district_staff, representative_user
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.inspection_record(
            project=project, held_on=TODAY, notes="x", by=representative_user
        )
    assert not Inspection.objects.exists()


def test_an_inspection_in_the_future_is_refused(world, district_staff) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    with pytest.raises(RuleViolation, match="视察日期不能晚于今天"):
        services.inspection_record(
            project=project,
            # Tomorrow as of now, not of the module's import: a run that crosses
            # midnight (Asia/Shanghai) would otherwise ask for today.
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            notes="x",
            by=district_staff,
        )


def test_an_inquiry_is_recorded_with_who_answered(world, district_staff) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    inquiry = services.inquiry_record(
        project=project,
        asked_on=TODAY,
        asker="刘红代表",
        question="加装电梯的资金缺口如何解决？",
        respondent="区住建局副局长",
        answer="区财政追加安排100万元",
        by=district_staff,
    )
    assert (inquiry.respondent, inquiry.answer) == ("区住建局副局长", "区财政追加安排100万元")
    with pytest.raises(RuleViolation, match="请填写询问人"):
        services.inquiry_record(
            project=project,
            asked_on=TODAY,
            asker="",
            question="?",
            respondent="x",
            by=district_staff,
        )


def test_a_comment_waits_for_staff_and_bad_input_is_refused(world, district_staff) -> None:
    project = project_of(world.district, world.department)
    with pytest.raises(RuleViolation, match="请填写留言内容"):
        services.comment_submit(project=project, text="  ")
    with pytest.raises(RuleViolation, match="电话号码"):
        services.comment_submit(project=project, text="好", phone="abc")
    comment = services.comment_submit(project=project, text="希望早日完工", phone="138 0000 1111")
    assert (comment.status, comment.phone) == (CommentStatus.PENDING, "13800001111")
    services.comment_moderate(comment=comment, publish=True, by=district_staff)
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED
    with pytest.raises(RuleViolation, match="已审核"):
        services.comment_moderate(comment=comment, publish=False, by=district_staff)


def test_completion_needs_one_hundred_percent(world, district_staff, clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    with pytest.raises(RuleViolation, match="100%"):
        services.project_complete(project=project, by=district_staff)
    services.report_file(
        project=project, percent_complete=100, spent=Decimal(480), text="竣工验收", by=clerk
    )
    project.refresh_from_db()
    services.project_complete(project=project, by=district_staff)
    project.refresh_from_db()
    assert (project.status, project.behind_schedule) == (ProjectStatus.COMPLETED, False)


def test_a_commenters_phone_is_scrubbed_after_the_retention_period(world) -> None:
    from congress.registry import anonymisers

    project = project_of(world.district, world.department)
    old = services.comment_submit(project=project, text="旧留言", phone="13800001111")
    new = services.comment_submit(project=project, text="新留言", phone="13800002222")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(400))
    (ours,) = [a for a in anonymisers if a.name == "livelihood project comments"]
    cutoff = timezone.now() - datetime.timedelta(days=365)
    assert ours.anonymise(ours.expired(cutoff)) == 1
    assert Comment.objects.get(pk=old.pk).phone == ""
    assert Comment.objects.get(pk=old.pk).text == "旧留言"
    assert Comment.objects.get(pk=new.pk).phone == "13800002222"
    assert not ours.expired(cutoff).exists()


def test_the_periodic_task_runs_the_sweep(world, district_staff) -> None:
    from livelihood_votes.projects.tasks import projects_sweep

    started(project_of(world.district, world.department), district_staff)
    assert projects_sweep() == 1
    assert projects_sweep() == 1
    assert ProgressReport.objects.count() == 1
