"""Demo: the 20 projects elected by 江海市's 2026 vote, in implementation (after the
livelihood votes' builder, which holds and closes the vote).

Each project gets a plan through the services (the responsible department of its
candidate, a co-department, the deadline of its candidate, the 1+1+N group: 钱建国 leads,
a committee, three city representatives), three or four milestones and 开始实施. The
months already past (February–October, and November for most) are written in bulk in the
shapes ``report_file`` writes, rising towards 100 % at the deadline; three projects lag
(a milestone passed undone, or well below the linear plan) and are flagged by the same
``refresh_facts`` the daily sweep runs. One project's October report was never filed: its
loop item is overdue and the reminder sweep chases it. A few inspections (one mid-year,
with an inquiry), photos on the latest reports, residents' comments (one still waiting
for staff).
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congress import loop
from congress.errors import DomainError
from congress.models import Assignment, Department, User
from congress.uploads import CleanUpload, clean_image
from livelihood_votes import selectors as vote_selectors
from livelihood_votes.models import LivelihoodVote, VoteStatus
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    InspectionKind,
    ProgressReport,
    Project,
    ReportStatus,
)
from livelihood_votes.projects import services
from livelihood_votes.projects.workflow import REPORT_CASE
from representatives.models import Representative

YEAR = 2026
STARTS_ON = datetime.date(YEAR, 2, 1)
COMMITTEES = [
    "教育科学文化卫生委员会",
    "城乡建设环境资源委员会",
    "社会建设委员会",
    "财政经济委员会",
]
# How far behind the linear plan the three lagging projects are (their order in the vote).
LAGGING = {3: "milestone", 8: "percent", 14: "percent"}
# The project whose October report was never filed (overdue now).
UNFILED = 5
TEXTS = [
    "完成前期调研和方案设计，正在办理立项手续。",
    "完成招标采购，施工单位进场。",
    "主体工程全面施工，按计划推进。",
    "已完成过半工程量，同步开展质量安全检查。",
    "主体工程基本完工，开始配套设施建设。",
    "进入收尾阶段，组织分项验收。",
]
PROBLEMS = ["部分点位征求居民意见耗时较长", "雨季影响室外施工", "个别地块管线迁改未完成", ""]


def _deadline(text: str) -> datetime.date:
    """“2026年11月底” → 2026-11-30; anything else: the end of the year."""
    found = re.match(r"(\d{4})年(\d{1,2})月", text or "")
    if not found:
        return datetime.date(YEAR, 12, 31)
    year, month = int(found.group(1)), int(found.group(2))
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _months(until: datetime.date) -> list[datetime.date]:
    months, month = [], STARTS_ON
    while month <= until:
        months.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _photo(rng: Any, name: str) -> CleanUpload:
    buffer = io.BytesIO()
    colour = tuple(rng.randrange(60, 200) for _ in range(3))
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return clean_image(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"))


def _planned(project: Project, day: datetime.date) -> int:
    return services.planned_percent(project, day) or 0


def build(ctx: Any) -> None:
    city = ctx.city
    congress = ctx.congresses.get(city.pk)
    vote = (
        LivelihoodVote.objects.filter(
            congress=congress, year=YEAR, runoff_of__isnull=True, status=VoteStatus.CLOSED
        )
        .order_by("pk")
        .first()
    )
    staff = User.objects.filter(username="city_staff").first()
    if vote is None or staff is None:
        return
    try:
        services.implementation_start_from_vote(vote=vote, by=staff)
    except DomainError:
        return  # a run-off still open, or no department: nothing to follow yet
    today: datetime.date = ctx.today
    leader = User.objects.filter(username="committee_member").first()
    seated = list(
        Representative.objects.filter(pk__in=vote_selectors.seated_representatives(congress))
    )
    city_departments = list(Department.objects.filter(region=city, is_active=True))
    projects = list(
        Project.objects.filter(cycle__vote=vote).select_related("candidate", "department")
    )
    for project in projects:
        _plan(ctx, project, staff, leader, seated, city_departments)
    _history(ctx, projects, staff, today)
    _inspections(ctx, projects, staff, today)
    for project in projects:
        project.refresh_from_db()
        services.refresh_facts(project=project, today=today)


def _plan(
    ctx: Any,
    project: Project,
    staff: User,
    leader: User | None,
    seated: list[Representative],
    departments: list[Department],
) -> None:
    rng = ctx.rng
    candidate = project.candidate
    deadline = _deadline(candidate.deadline if candidate is not None else "")
    others = [d for d in departments if d.pk != project.department_id]
    services.project_plan(
        project=project,
        department=project.department,
        co_departments=rng.sample(others, min(len(others), rng.choice([1, 2]))),
        deadline=deadline,
        starts_on=STARTS_ON,
        budget=project.budget,
        place="江海市各区" if project.order % 3 else "江海市主城区",
        group_leader=leader,
        group_committee=COMMITTEES[project.order % len(COMMITTEES)],
        group_members=rng.sample(seated, min(3, len(seated))),
        by=staff,
    )
    span = (deadline - STARTS_ON).days
    steps = ["完成方案设计和立项", "完成招标采购", "主体工程完工", "竣工验收"]
    for n, title in enumerate(steps, start=1):
        due = STARTS_ON + datetime.timedelta(days=span * n // len(steps))
        services.milestone_add(project=project, title=title, due_on=min(due, deadline), by=staff)
    services.project_start(project=project, by=staff)


def _history(ctx: Any, projects: list[Project], staff: User, today: datetime.date) -> None:
    """The months already reported, in bulk, as ``report_file`` writes them; the
    milestones reached marked done."""
    rng = ctx.rng
    clerks = {
        d: User.objects.filter(role_grants__department_id=d).first()
        for d in {p.department_id for p in projects}
    }
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    rows: list[ProgressReport] = []
    for project in projects:
        project.refresh_from_db()
        months = _months(last_month)
        lag = LAGGING.get(project.order)
        percent, spent = 0, Decimal(0)
        budget = project.budget or Decimal(1000)
        for month in months:
            if project.order == UNFILED and month.month == 10:
                continue  # never filed: its loop item is below
            if month.month == last_month.month and project.order % 2 == 0:
                continue  # November's report is still awaited from these (due in December)
            end_of_month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(
                day=1
            ) - datetime.timedelta(days=1)
            target = _planned(project, end_of_month)
            if lag == "percent":
                target = max(0, target - 25)
            percent = min(100, max(percent, target + rng.randint(-4, 4)))
            spent = (budget * percent / 100).quantize(Decimal("0.01"))
            due = services.report_due_on(month)
            filed = due - datetime.timedelta(days=rng.randint(0, 3))
            late = project.order == 11 and month.month == 6
            if late:
                filed = due + datetime.timedelta(days=4)
            rows.append(
                ProgressReport(
                    project=project,
                    month=month,
                    due_on=due,
                    status=ReportStatus.FILED,
                    percent_complete=percent,
                    spent=spent,
                    text=TEXTS[min(len(TEXTS) - 1, percent * len(TEXTS) // 101)],
                    problems=rng.choice(PROBLEMS),
                    filed_at=timezone.make_aware(
                        datetime.datetime.combine(filed, datetime.time(16, 30))
                    ),
                    filed_by=clerks.get(project.department_id),
                    late=late,
                    version=1,
                )
            )
        Project.objects.filter(pk=project.pk).update(
            percent_complete=percent,
            spent=spent,
            last_report_on=max((r.month for r in rows if r.project is project), default=None),
        )
        reached = project.milestones.filter(due_on__lt=today)
        if lag == "milestone":
            latest = reached.order_by("-due_on").values_list("pk", flat=True).first()
            reached = reached.exclude(pk__in=[latest] if latest else [])
        for milestone in reached:
            milestone.done_on = milestone.due_on - datetime.timedelta(days=rng.randint(0, 10))
            milestone.save(update_fields=["done_on"])
    ProgressReport.objects.bulk_create(rows)
    for project in projects:
        if project.order % 2 == 0 and project.order != UNFILED:
            project.refresh_from_db()
            services.report_request(project=project, month=last_month)
    _overdue(projects, staff, today)
    _photos(ctx, projects)


def _overdue(projects: list[Project], staff: User, today: datetime.date) -> None:
    """October's report of one project was never filed: its loop item was due on the 5th
    working day of November and is overdue now; the reminder sweep chases it."""
    project = next((p for p in projects if p.order == UNFILED), None)
    if project is None:
        return
    project.refresh_from_db()
    october = datetime.date(YEAR, 10, 1)
    due = services.report_due_on(october)
    if due >= today:
        return
    report = ProgressReport.objects.create(project=project, month=october, due_on=due)
    step = loop.assignment_create(
        case_type=REPORT_CASE,
        case_id=report.pk,
        title=f"{october:%Y-%m}月度进度：{project.title}",
        region=project.cycle.region,
        department=project.department,
        due_on=today,
        by=staff,
    )
    # Handed out on time in November (the demo writes the past in bulk): due then,
    # reminded up to then, and the sweep's next stage is now: its latest reminder and
    # the escalations of a report a month late go out on the sweep's next run.
    now = timezone.now()
    Assignment.objects.filter(pk=step.pk).update(
        due_on=due,
        due_basis=None,
        next_reminder_at=now,
        reminded_until=timezone.make_aware(datetime.datetime.combine(due, datetime.time(0))),
    )


def _photos(ctx: Any, projects: list[Project]) -> None:
    for project in projects[:6]:
        latest = project.reports.filter(status=ReportStatus.FILED).order_by("-month").first()
        if latest is not None:
            for n in range(2):
                services._save_photo(_photo(ctx.rng, f"site{n}.jpg"), report=latest)


def _inspections(ctx: Any, projects: list[Project], staff: User, today: datetime.date) -> None:
    rng = ctx.rng
    for project in projects[:4]:
        services.inspection_record(
            project=project,
            held_on=datetime.date(YEAR, 6, 18),
            kind=InspectionKind.MIDYEAR,
            participants="“1+1+N”监督小组、市人大常委会有关工作机构",
            notes="年中视察：实地查看项目现场，听取责任单位汇报，项目总体按计划推进。",
            photos=[_photo(rng, "midyear.jpg")],
            by=staff,
        )
    for project in projects[4:9]:
        services.inspection_record(
            project=project,
            held_on=today - datetime.timedelta(days=rng.randint(10, 60)),
            participants="监督小组代表",
            notes="代表到现场察看施工进度，询问周边居民意见，建议加强文明施工。",
            by=staff,
        )
    if projects:
        services.inquiry_record(
            project=projects[0],
            asked_on=datetime.date(YEAR, 6, 18),
            asker="监督小组代表",
            question="项目建成后如何保障长期运营和维护？",
            respondent=f"{projects[0].department.name}负责同志",
            answer="已将运营维护经费纳入年度预算，并建立属地管理台账。",
            by=staff,
        )
    texts = ["施工期间噪音较大，希望合理安排时间。", "项目很实用，点赞！", "希望尽快完工投入使用。"]
    for project in projects[:3]:
        for text in texts[:2]:
            comment = services.comment_submit(project=project, text=text)
            Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.PUBLISHED)
    if projects:
        services.comment_submit(project=projects[0], text=texts[2], phone="13800001234")
