"""The whole 民生实事 year in Chromium (issue #18, "Tests that must exist", first bullet).

海州区's call opens; a citizen on her phone proposes a pocket park from the station's QR
page and keeps the tracking link; 刘红, on her phone, proposes a citizen's bus problem
from its case. 陈静 (海州区 staff, laptop) screens: the park is taken on, the bus problem
is not, with a reason; the citizen sees the outcome on her link. Twenty-two more accepted
proposals and the park make the shortlist of 23; the vote of 20 seats is held on paper
and closed; implementation starts with a plan and a milestone for each of the 20
projects. The park's first monthly report is chased by the reminder sweep (reminded on
its due day, escalated three working days after) and filed late by 赵磊 on his phone;
the second is filed on time. 陈静 records the 1+1+N group's inspection. At the year's end
刘红 rates the 20 projects on her phone, five more ballots are cast, 陈静 closes the
rating: the park is 不满意, and 赵磊 reads its rectification item on his phone.

Bulk steps (the other proposals, the ballots, the phases' dates, the sweep, most of the
rating ballots) go through the services; the people's steps go through the pages.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress import loop
from congress.ballots import services as ballots
from congress.models import Assignment, User
from congress.models.ballots import Rating
from congress.workdays import add_workdays
from livelihood_votes import services as vote_services
from livelihood_votes.cycles import services as cycles
from livelihood_votes.models import Proposal, ProposalStatus
from livelihood_votes.models.projects import ProgressReport, Project, ProjectStatus, ReportStatus
from livelihood_votes.models.ratings import RatingRound, Rectification
from livelihood_votes.projects import services as projects
from livelihood_votes.projects.workflow import REPORT_CASE
from livelihood_votes.ratings import services as ratings
from livelihood_votes.ratings.workflow import RECTIFY_CASE
from suggestions.citizen import services as citizen
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import _problems, assert_clean, log_in, screenshot
from tests.livelihood_votes.conftest import Cast, approve, cast, paper_ballots  # noqa: F401 - fixtures
from tests.representatives.factories import StationFactory

pytestmark = pytest.mark.browser

PARK = "桃园社区建设口袋公园"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _days(today: datetime.date, *offsets: int) -> list[datetime.date]:
    return [today + datetime.timedelta(days=n) for n in offsets]


def test_the_whole_livelihood_year(
    new_page: Callable[[str], Page],
    cast: Cast,  # noqa: F811
    district_staff: User,
    clerk: User,
    representative_user: User,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path
    cache.clear()
    world = cast.world
    today = timezone.localdate()

    # --- the call opens (staff) --------------------------------------------------------
    cycle = cycles.cycle_create(
        congress=world.district.congress,
        year=today.year,
        title="海州区民生实事项目",
        by=district_staff,
        call_opens_on=today - datetime.timedelta(days=3),
        call_closes_on=today + datetime.timedelta(days=40),
    )

    # --- a citizen proposes by the station's QR code, on her phone ---------------------
    station = StationFactory(region=world.village)
    phone = new_page("phone")
    phone.goto(f"/s/{station.public_token}/")
    phone.get_by_test_id("btn-livelihood-call").click()
    phone.get_by_role("link", name="海州区民生实事项目").click()
    phone.get_by_test_id("propose-link").click()
    phone.get_by_label("项目名称").fill(PARK)
    phone.get_by_label("要办的实事").fill("社区没有休闲场地，老人孩子没处去。")
    phone.get_by_label("所在地区").select_option(str(world.town.pk))
    phone.get_by_label("领域").select_option("environment")
    phone.get_by_label("手机号").fill("13955556666")
    phone.get_by_label("实施地点").fill("桃园社区东侧空地")
    phone.get_by_test_id("submit-proposal").click()
    expect(phone.get_by_test_id("proposal-status")).to_have_text("待筛选")
    tracking_url = phone.url
    assert "13955556666" not in phone.content()
    park_proposal = Proposal.objects.get(title=PARK)

    # --- 刘红 proposes a citizen's problem from its case, on her phone -----------------
    citizen.categories_ensure_defaults()
    issue, _created = citizen.citizen_issue_submit(
        submission=citizen.Submission(
            category=IssueCategory.objects.get(code="roads"),
            description="桃园社区到镇上没有公交，老人看病不方便",
            region=world.village,
            station=None,
            representative=cast.liu,
            mobile="13812345678",
            citizen_name="张建国",
            consent=True,
        ),
        idempotency_key=uuid.uuid4(),
    )
    citizen.citizen_issue_accept(issue=issue, by=district_staff)
    liu_phone = new_page("phone")
    log_in(liu_phone, representative_user)
    liu_phone.goto(f"/issues/{issue.pk}/")
    liu_phone.get_by_test_id("open-convert").click()
    liu_phone.get_by_test_id("form-convert").get_by_label("转为").select_option("livelihood")
    liu_phone.get_by_test_id("do-convert").click()
    bus_proposal = Proposal.objects.exclude(pk=park_proposal.pk).get()
    assert bus_proposal.cycle_id == cycle.pk

    # --- screening with reasons (staff, laptop) ----------------------------------------
    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto(park_proposal.get_absolute_url())
    staff.get_by_test_id("act-accept").click()
    expect(staff.get_by_test_id("proposal-status")).to_have_text("拟列入候选项目")
    staff.goto(bus_proposal.get_absolute_url())
    staff.get_by_label("不予采纳原因").select_option("not_feasible")
    staff.locator("#screen_out_note").fill("公交线路由市交通部门统一规划，已转交")
    staff.get_by_test_id("act-screen-out").click()
    expect(staff.get_by_test_id("proposal-status")).to_have_text("未采纳")
    expect(staff.get_by_test_id("screening-reason")).to_contain_text("条件尚不具备")

    phone.goto(tracking_url)
    expect(phone.get_by_test_id("proposal-status")).to_have_text("拟列入候选项目")
    expect(phone.get_by_test_id("track-events")).to_contain_text("您的建议经筛选予以采纳")

    # --- 22 more proposals, accepted; the call closes; a shortlist of 23 ----------------
    others = []
    for n in range(1, 23):
        submitted = cycles.proposal_submit(
            cycle=cycle,
            channel="citizen",
            region=world.village,
            title=f"民生实事建议{n}",
            description=f"第{n}条建议的内容",
            place=f"新浦街道第{n}处",
            theme="environment",
            mobile=f"139000000{n:02d}",
        )
        others.append(cycles.proposal_accept(proposal=submitted.proposal, by=district_staff))
    opens, closes, screened, listed = _days(today, -60, -20, -10, 5)
    cycles.cycle_edit(
        cycle=cycle,
        by=district_staff,
        call_opens_on=opens,
        call_closes_on=closes,
        screening_closes_on=screened,
        shortlist_closes_on=listed,
    )
    for n, proposal in enumerate([park_proposal, *others], start=1):
        proposal.refresh_from_db()
        cycles.shortlist_add(
            cycle=cycle,
            proposals=[proposal],
            title=proposal.title,
            description=proposal.description,
            department=world.department,
            budget=Decimal(100 + n),
            deadline=datetime.date(today.year, 12, 31),
            place=proposal.place,
            by=district_staff,
        )
    assert cycle.shortlist.count() == 23
    phone.goto(tracking_url)
    expect(phone.get_by_test_id("proposal-status")).to_have_text("已列入候选项目")

    # --- the vote of 20 seats: six representatives vote on paper for the first 20 -------
    # The standing committee's chairmen's meeting reviews the list (recorded by staff).
    cycles.shortlist_review(
        cycle=cycle, note="经主任会议审议，同意提交代表票决。", by=district_staff
    )
    vote = cycles.cycle_vote_create(cycle=cycle, seats=20, by=district_staff)
    vote_services.vote_open(vote=vote, by=district_staff)
    first_twenty = list(vote.candidates.order_by("order"))[:20]
    paper_ballots(vote, cast.others[:6], [approve(*first_twenty)] * 6, district_staff)
    vote_services.vote_close(vote=vote, by=district_staff)

    # --- implementation: plans with milestones ------------------------------------------
    made = projects.implementation_start(cycle=cycle, by=district_staff)
    assert len(made) == 20
    park = Project.objects.get(cycle=cycle, title=PARK)
    for project in made:
        projects.project_plan(
            project=project,
            department=world.department,
            deadline=datetime.date(today.year, 12, 31) + datetime.timedelta(days=60),
            starts_on=today - datetime.timedelta(days=30),
            group_leader=district_staff if project.pk == park.pk else None,
            group_committee="社会建设委员会" if project.pk == park.pk else "",
            group_members=[cast.liu, cast.zhang] if project.pk == park.pk else [],
            by=district_staff,
        )
        projects.milestone_add(
            project=project,
            title="完成施工招标",
            due_on=today + datetime.timedelta(days=20),
            by=district_staff,
        )
        projects.project_start(project=project, by=district_staff)

    # --- the park's first monthly report: chased by reminders, filed late ---------------
    first = ProgressReport.objects.get(project=park)
    title = f"{first.month:%Y-%m}月度进度：{PARK}"
    loop.reminders_sweep(now=_at(first.due_on))
    assert clerk.notifications.filter(title__contains=title).exists()
    loop.reminders_sweep(now=_at(add_workdays(first.due_on, 3)))
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=first.pk)
    assert step.escalation_level == 1
    # The months pass: its due day is behind us when 赵磊 files it (the tests have no
    # clock to move, so the awaited report's due day is moved, as in test_project_services).
    ProgressReport.objects.filter(pk=first.pk).update(due_on=today - datetime.timedelta(days=1))

    clerk_phone = new_page("phone")
    log_in(clerk_phone, clerk)
    card = clerk_phone.get_by_test_id("card-project-reports")
    expect(card).to_contain_text("已逾期")
    card.get_by_role("link", name=PARK).click()
    clerk_phone.get_by_label("完成进度（%）").fill("40")
    clerk_phone.get_by_label("累计完成投资（万元）").fill("60")
    clerk_phone.get_by_label("本月进展").fill("完成场地平整，开始铺设园路")
    clerk_phone.get_by_test_id("do-report_file").click()
    expect(clerk_phone.get_by_test_id("facts")).to_contain_text("40%")
    expect(clerk_phone.get_by_test_id("reports")).to_contain_text("逾期报送")
    screenshot(clerk_phone, "livelihood-year-late-report-phone")

    # The second month: asked for (as the sweep does on the 1st) and filed on time.
    next_month = (first.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    park.refresh_from_db()
    second = projects.report_request(project=park, month=next_month, by=district_staff)
    projects.report_file(
        project=park,
        percent_complete=100,
        spent=Decimal(101),
        text="园路、座椅和健身器材全部完工",
        report=second,
        by=clerk,
    )

    # --- the 1+1+N group's inspection, recorded by staff ---------------------------------
    staff.goto(park.get_absolute_url())
    expect(staff.get_by_test_id("group")).to_contain_text("刘红")
    staff.get_by_test_id("step-inspection_record").click()
    staff.get_by_label("视察日期").fill(today.isoformat())
    staff.get_by_label("参加人员").fill("陈静（牵头）、社会建设委员会、代表刘红、张伟")
    staff.get_by_label("视察情况").fill("健身器材数量不足，园路排水不畅，要求整改")
    staff.get_by_test_id("do-inspection_record").click()
    expect(staff.get_by_test_id("inspections")).to_contain_text("园路排水不畅")

    # Every project reaches 100 % and is completed.
    for project in made:
        project.refresh_from_db()
        if project.pk != park.pk:
            projects.report_file(
                project=project,
                percent_complete=100,
                spent=project.budget or Decimal(0),
                text="已完工",
                by=clerk,
            )
        project.refresh_from_db()
        projects.project_complete(project=project, by=district_staff)
    assert Project.objects.filter(cycle=cycle, status=ProjectStatus.COMPLETED).count() == 20

    # --- the year-end rating ---------------------------------------------------------------
    dates = _days(today, -330, -300, -290, -280, -270, -260, -100, -1, 10)
    cycles.cycle_edit(
        cycle=cycle,
        by=district_staff,
        **dict(zip(cycles.DATE_FIELDS, dates, strict=True)),
    )
    staff.goto(f"/livelihood/cycles/{cycle.pk}/rating/")
    staff.get_by_test_id("act-open").click()
    expect(staff.get_by_test_id("rating-status")).to_contain_text("测评中")
    rating = RatingRound.objects.get(cycle=cycle)
    ordered = list(cycle.projects.order_by("order"))
    assert ordered[0].pk == park.pk

    liu_phone.goto("/livelihood/ratings/mine/")
    liu_phone.get_by_test_id(f"rating-{rating.pk}").click()
    liu_phone.get_by_test_id("mark-1-dissatisfied").click()
    for n in range(2, 21):
        liu_phone.get_by_test_id(f"mark-{n}-satisfied").click()
    liu_phone.get_by_test_id("cast").click()
    expect(liu_phone.get_by_test_id("receipt")).to_be_visible()
    assert_clean(liu_phone)

    marks = {p.pk: Rating.SATISFIED for p in ordered} | {park.pk: Rating.DISSATISFIED}
    zhang = cast.zhang.user
    assert zhang is not None
    ratings.rating_cast(rating=rating, choices=marks, by=zhang)
    for rep in cast.others[:4]:
        ballots.ballot_cast(box=rating.box, voter=rep.pk, choices=marks)
    staff.reload()
    expect(staff.get_by_test_id("rating-status")).to_contain_text("已参加 6 人")
    staff.get_by_test_id("act-close").click()
    # Ten representatives: six ballots, 满意 for 19 projects (6 ≥ 5), none for the park.
    expect(staff.get_by_test_id("decision")).to_have_text(["不满意", *["满意"] * 19])

    # --- the rectification item, seen by the department's clerk --------------------------
    rectification = Rectification.objects.get()
    clerk_phone.goto(f"/livelihood/rectifications/{rectification.pk}/")
    expect(clerk_phone.locator("main")).to_contain_text(PARK)
    expect(clerk_phone.locator("main")).to_contain_text(world.department.name)
    expect(clerk_phone.get_by_test_id("carried-into")).to_be_visible()
    screenshot(clerk_phone, "livelihood-year-rectification-phone")
    assert_clean(clerk_phone)

    # --- the facts -------------------------------------------------------------------------
    assert Project.objects.filter(cycle=cycle).count() == 20
    first.refresh_from_db()
    assert (first.status, first.late) == (ReportStatus.FILED, True)
    second.refresh_from_db()
    assert (second.status, second.late) == (ReportStatus.FILED, False)
    park.refresh_from_db()
    assert park.rating == Rating.DISSATISFIED
    assert (rectification.project_id, rectification.department_id) == (
        park.pk,
        world.department.pk,
    )
    assert Assignment.objects.filter(
        case_type=RECTIFY_CASE,
        case_id=rectification.pk,
        department=world.department,
        title__contains=PARK,
    ).exists()
    assert Proposal.objects.get(pk=bus_proposal.pk).status == ProposalStatus.SCREENED_OUT
    assert not _problems.get(staff)
