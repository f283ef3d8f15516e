"""Every write of the implementation (docs/livelihood-projects.md): projects from the
vote, the plan (departments, milestones, budget, the 1+1+N group), the monthly progress
reports (a loop item of the responsible department each month), inspections and
inquiries, residents' comments, and the facts kept on the project's row (percent
complete, money spent, behind schedule, the next milestone, the last report's month).

Each service checks who acts (staff of the cycle's region; the responsible department's
clerk for its reports and milestones; the 1+1+N group for inspections) and writes its
timeline row; status moves go through ``apply_transition``. ``by=None`` is the system
(the daily sweep, the demo).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.errors import RuleViolation
from congress.models import OPEN_STATUSES, Assignment, AssignmentStatus, Department, User
from congress.scoping import (
    OutOfJurisdiction,
    in_jurisdiction,
    require_in_jurisdiction,
    require_within_reach,
)
from congress.uploads import CleanUpload, new_token
from congress.workdays import add_workdays
from congress.workflow import apply_transition, record_event
from livelihood_votes.models import Cycle, LivelihoodVote, VoteStatus
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    Inquiry,
    Inspection,
    InspectionKind,
    Milestone,
    ProgressReport,
    Project,
    ProjectPhoto,
    ProjectStatus,
    ReportStatus,
)
from livelihood_votes.projects import conf, selectors
from livelihood_votes.projects.workflow import (
    EDITABLE,
    PROJECT_CASE,
    PROJECT_TRANSITIONS,
    REPORT_CASE,
    REPORT_TRANSITIONS,
    RUNNING,
)
from representatives.models import Representative


def _event(project: Project, action: str, by: User | None, note: str = "", **data: Any) -> None:
    record_event(
        case_type=PROJECT_CASE, case_id=project.pk, action=action, by=by, note=note, data=data
    )


def _staff(by: User | None, project: Project) -> None:
    require_in_jurisdiction(by, project.cycle.region)


# --- projects from the vote ---------------------------------------------------------------


def implementation_start(*, cycle: Cycle, by: User | None) -> list[Project]:
    """开始实施: one project per elected candidate of the cycle's closed vote, in ballot
    order, with the candidate's department, budget and the end of the year as deadline.
    Idempotent: a candidate that already has its project is skipped."""
    require_in_jurisdiction(by, cycle.region)
    vote = cycle.vote
    if vote is None:
        raise RuleViolation(_("该年度工作尚未关联票决，不能开始实施。"))
    if vote.status != VoteStatus.CLOSED:
        raise RuleViolation(_("票决结束并公布结果后才能开始实施。"))
    if selectors.runoff_pending(vote):
        raise RuleViolation(_("补充票决尚未结束，结束后再开始实施。"))
    elected = selectors.elected_candidates(vote)
    if not elected:
        raise RuleViolation(_("本次票决没有当选的项目。"))
    missing = [c.title for c in elected if c.department_id is None]
    if missing:
        raise RuleViolation(
            _("以下项目尚未确定责任单位：%(titles)s。") % {"titles": "、".join(missing)}
        )
    existing = set(
        Project.objects.filter(candidate__in=[c.pk for c in elected]).values_list(
            "candidate_id", flat=True
        )
    )
    created: list[Project] = []
    with transaction.atomic():
        for n, candidate in enumerate(elected, start=1):
            if candidate.pk in existing:
                continue
            project = Project.objects.create(
                cycle=cycle,
                candidate=candidate,
                title=candidate.title,
                summary=candidate.summary,
                department_id=int(candidate.department_id or 0),
                budget=candidate.budget,
                deadline=conf.default_deadline(cycle.year),
                order=n,
            )
            _event(project, "project_create", by, candidate=candidate.pk)
            created.append(project)
    return created


def cycle_for_vote(*, vote: LivelihoodVote, by: User | None) -> Cycle:
    """A closed vote of old data with no cycle: the cycle of its congress's region for
    its year is linked to it, or made for it (its phases' dates left empty)."""
    cycle = Cycle.objects.filter(vote=vote).first()
    if cycle is not None:
        require_in_jurisdiction(by, cycle.region)
        return cycle
    region = vote.congress.region
    require_in_jurisdiction(by, region)
    if vote.runoff_of_id is not None:
        raise RuleViolation(_("补充票决随原票决一并实施，请从原票决开始实施。"))
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().filter(region=region, year=vote.year).first()
        if cycle is not None and cycle.vote_id not in (None, vote.pk):
            raise RuleViolation(
                _("%(region)s %(year)s 年度工作已关联另一次票决。")
                % {"region": region.name, "year": vote.year}
            )
        if cycle is None:
            cycle = Cycle.objects.create(
                congress=vote.congress,
                region=region,
                year=vote.year,
                title=str(_("%(year)s年度民生实事项目") % {"year": vote.year}),
                vote=vote,
                created_by=by,
            )
        else:
            Cycle.objects.filter(pk=cycle.pk).update(vote=vote)
            cycle.vote = vote
    return cycle


def implementation_start_from_vote(*, vote: LivelihoodVote, by: User | None) -> list[Project]:
    """开始实施 from a closed vote directly (old data without a cycle)."""
    if vote.status != VoteStatus.CLOSED:
        cycle = Cycle.objects.filter(vote=vote).select_related("region").first()
        require_in_jurisdiction(by, cycle.region if cycle else vote.congress.region)
        raise RuleViolation(_("票决结束并公布结果后才能开始实施。"))
    return implementation_start(cycle=cycle_for_vote(vote=vote, by=by), by=by)


# --- the plan -----------------------------------------------------------------------------


def _editable(project: Project) -> None:
    if project.status not in EDITABLE:
        raise RuleViolation(_("项目已完工或已办结，不能再修改实施计划。"))


def project_plan(
    *,
    project: Project,
    department: Department,
    deadline: datetime.date,
    by: User | None,
    co_departments: Iterable[Department] = (),
    budget: Decimal | None = None,
    starts_on: datetime.date | None = None,
    place: str = "",
    group_leader: User | None = None,
    group_committee: str = "",
    group_members: Iterable[Representative] = (),
) -> Project:
    """实施计划: the responsible and co-operating departments, the deadline, the budget,
    the site, the 1+1+N group. A deadline before a milestone already planned, or before
    the start, is refused."""
    _staff(by, project)
    _editable(project)
    require_within_reach(by, department.region)
    co = [d for d in co_departments if d.pk != department.pk]
    for other in co:
        require_within_reach(by, other.region)
    if budget is not None and budget < 0:
        raise RuleViolation(_("预算不能为负数。"))
    if starts_on is not None and starts_on > deadline:
        raise RuleViolation(_("计划开始日期不能晚于完成时限。"))
    latest = project.milestones.order_by("-due_on").first()
    if latest is not None and latest.due_on > deadline:
        raise RuleViolation(
            _("节点“%(title)s”的日期 %(date)s 晚于完成时限，请先调整节点。")
            % {"title": latest.title, "date": latest.due_on.isoformat()}
        )
    members = list(group_members)
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            department=department,
            deadline=deadline,
            budget=budget,
            starts_on=starts_on,
            place=place.strip(),
            group_leader=group_leader,
            group_committee=group_committee.strip(),
        )
        project.co_departments.set(co)
        project.group_members.set(members)
        project.refresh_from_db()
        _event(
            project,
            "project_plan",
            by,
            department=department.pk,
            deadline=deadline.isoformat(),
            members=len(members),
        )
        refresh_facts(project=project)
    return project


def milestone_add(
    *, project: Project, title: str, due_on: datetime.date, by: User | None
) -> Milestone:
    """节点: a dated step. A date after the project's deadline is refused."""
    _staff(by, project)
    _editable(project)
    if not title.strip():
        raise RuleViolation(_("请填写节点内容。"))
    if project.deadline is not None and due_on > project.deadline:
        raise RuleViolation(
            _("节点日期 %(date)s 晚于项目完成时限 %(deadline)s。")
            % {"date": due_on.isoformat(), "deadline": project.deadline.isoformat()}
        )
    if project.starts_on is not None and due_on < project.starts_on:
        raise RuleViolation(_("节点日期不能早于计划开始日期。"))
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)
        _event(project, "milestone_add", by, milestone=milestone.pk, due_on=due_on.isoformat())
        refresh_facts(project=project)
    return milestone


def milestone_done(
    *, milestone: Milestone, by: User | None, done_on: datetime.date | None = None
) -> Milestone:
    """节点完成, by staff or the responsible department's clerk; not in the future."""
    project = milestone.project
    if by is not None and not (
        selectors.is_responsible_clerk(by, project) or in_jurisdiction(by, project.cycle.region)
    ):
        raise OutOfJurisdiction
    if milestone.done_on is not None:
        raise RuleViolation(_("该节点已完成。"))
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise RuleViolation(_("完成日期不能晚于今天。"))
    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(done_on=done_on)
        milestone.done_on = done_on
        _event(project, "milestone_done", by, milestone=milestone.pk, done_on=done_on.isoformat())
        refresh_facts(project=project)
    return milestone


def project_start(*, project: Project, by: User | None) -> Project:
    """开始实施: the plan needs a deadline and at least one milestone; the month's report
    is asked for at once."""
    _staff(by, project)
    if project.deadline is None or not project.milestones.exists():
        raise RuleViolation(_("请先制定实施计划：完成时限和至少一个实施节点。"))
    today = timezone.localdate()
    with transaction.atomic():
        apply_transition(
            instance=project,
            transitions=PROJECT_TRANSITIONS,
            action="project_start",
            by=by,
            case_type=PROJECT_CASE,
            updates={"starts_on": project.starts_on or today},
        )
        report_request(project=project, month=today.replace(day=1), by=by)
        refresh_facts(project=project)
    return project


def project_complete(*, project: Project, by: User | None, note: str = "") -> Project:
    """完工: when the last report says 100 %. Reports still awaited are no longer due."""
    _staff(by, project)
    if project.percent_complete < 100:
        raise RuleViolation(_("完成进度达到100%后才能确认完工。"))
    with transaction.atomic():
        apply_transition(
            instance=project,
            transitions=PROJECT_TRANSITIONS,
            action="project_complete",
            by=by,
            case_type=PROJECT_CASE,
            note=note,
            updates={"behind_schedule": False},
        )
        for report in project.reports.filter(status=ReportStatus.AWAITED):
            report_cancel(report=report, by=by, reason=str(_("项目已完工")))
    return project


# --- monthly progress reports ------------------------------------------------------------


def report_due_on(month: datetime.date) -> datetime.date:
    """The Nth working day of the month after ``month`` (conf.report_workday)."""
    first_of_next = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return add_workdays(first_of_next - datetime.timedelta(days=1), conf.report_workday())


def report_request(
    *, project: Project, month: datetime.date, by: User | None = None
) -> ProgressReport:
    """The month's report is asked for: a row awaited and a loop item of the responsible
    department due on the Nth working day of the next month (today, if that is past).
    Idempotent: a month's report exists once."""
    if by is not None:
        _staff(by, project)
    month = month.replace(day=1)
    existing = ProgressReport.objects.filter(project=project, month=month).first()
    if existing is not None:
        return existing
    if project.status != ProjectStatus.IMPLEMENTING:
        raise RuleViolation(_("项目实施中才需要报送月度进度。"))
    due_on = max(report_due_on(month), timezone.localdate())
    with transaction.atomic():
        report = ProgressReport.objects.create(project=project, month=month, due_on=due_on)
        loop.assignment_create(
            case_type=REPORT_CASE,
            case_id=report.pk,
            title=str(
                _("%(month)s月度进度：%(title)s")
                % {"month": month.strftime("%Y-%m"), "title": project.title}
            ),
            region=project.cycle.region,
            department=project.department,
            due_on=due_on,
            by=by,
        )
        _event(project, "report_request", by, month=month.isoformat(), due_on=due_on.isoformat())
    return report


def _open_steps(report: ProgressReport) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            case_type=REPORT_CASE, case_id=report.pk, status__in=OPEN_STATUSES
        ).order_by("pk")
    )


def _finish(step: Assignment, *, by: User | None, note: str) -> None:
    """The department's step is done by the filing itself: accepted if still new,
    replied with what happened, closed."""
    if step.status == AssignmentStatus.ASSIGNED:
        loop.assignment_accept(assignment=step, by=by)  # type: ignore[arg-type]
        step.refresh_from_db()
    loop.assignment_reply(assignment=step, by=by, note=note)  # type: ignore[arg-type]
    step.refresh_from_db()
    loop.assignment_close(assignment=step, by=by)


def report_file(
    *,
    project: Project,
    percent_complete: int,
    spent: Decimal,
    text: str,
    by: User | None,
    problems: str = "",
    backwards_reason: str = "",
    photos: Iterable[CleanUpload] = (),
    report: ProgressReport | None = None,
) -> ProgressReport:
    """报送月度进度, by the responsible department's clerk (or staff for it): the earliest
    report still awaited unless one is named. A percent below the last one is accepted
    only with a reason; money spent never goes below zero. Filing updates the project's
    facts in the same transaction; after the due date it is accepted and flagged 逾期."""
    if by is not None and not (
        selectors.is_responsible_clerk(by, project) or in_jurisdiction(by, project.cycle.region)
    ):
        raise OutOfJurisdiction
    if report is None:
        report = project.reports.filter(status=ReportStatus.AWAITED).order_by("month").first()
    if report is None or report.project_id != project.pk:
        raise RuleViolation(_("目前没有待报送的月度进度报告。"))
    if not 0 <= percent_complete <= 100:
        raise RuleViolation(_("完成进度应在0到100之间。"))
    if spent < 0:
        raise RuleViolation(_("累计完成投资不能为负数。"))
    if not text.strip():
        raise RuleViolation(_("请填写本月进展情况。"))
    photos = list(photos)
    if len(photos) > conf.max_photos():
        raise RuleViolation(_("照片最多%(count)s张。") % {"count": conf.max_photos()})
    now = timezone.now()
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        backwards = percent_complete < locked.percent_complete
        if backwards and not backwards_reason.strip():
            raise RuleViolation(
                _("完成进度低于上次报告的 %(last)s%%，请说明进度回调的原因。")
                % {"last": locked.percent_complete}
            )
        late = timezone.localdate(now) > report.due_on
        apply_transition(
            instance=report,
            transitions=REPORT_TRANSITIONS,
            action="report_file",
            by=by,
            case_type=PROJECT_CASE,
            case_id=project.pk,
            updates={
                "percent_complete": percent_complete,
                "spent": spent,
                "text": text.strip(),
                "problems": problems.strip(),
                "backwards_reason": backwards_reason.strip() if backwards else "",
                "filed_at": now,
                "filed_by": by,
                "late": late,
            },
            data={
                "month": report.month.isoformat(),
                "percent": percent_complete,
                "late": late,
                "backwards": backwards,
            },
        )
        for upload in photos:
            _save_photo(upload, report=report)
        newest = max(locked.last_report_on or report.month, report.month)
        if newest == report.month:
            Project.objects.filter(pk=project.pk).update(
                percent_complete=percent_complete, spent=spent, last_report_on=report.month
            )
        for step in _open_steps(report):
            _finish(step, by=by, note=str(_("已报送")))
        project.refresh_from_db()
        refresh_facts(project=project)
    return report


def report_cancel(*, report: ProgressReport, by: User | None, reason: str) -> ProgressReport:
    """No longer due (the project completed): its loop item is cancelled."""
    _staff(by, report.project)
    with transaction.atomic():
        apply_transition(
            instance=report,
            transitions=REPORT_TRANSITIONS,
            action="report_cancel",
            by=by,
            case_type=PROJECT_CASE,
            case_id=report.project_id,
            note=reason,
        )
        for step in _open_steps(report):
            loop.assignment_cancel(assignment=step, by=by, reason=reason)
    return report


def _save_photo(
    upload: CleanUpload,
    *,
    report: ProgressReport | None = None,
    inspection: Inspection | None = None,
) -> ProjectPhoto:
    photo = ProjectPhoto(
        report=report,
        inspection=inspection,
        token=new_token(),
        original_name=upload.original_name,
        extension=upload.extension,
        content_type=upload.content_type,
    )
    photo.file.save(f"{photo.token}{upload.extension}", upload.as_file(), save=False)
    photo.save()
    return photo


# --- behind schedule ----------------------------------------------------------------------


def planned_percent(project: Project, today: datetime.date) -> int | None:
    """The linear plan: the share of the time from the start to the deadline that has
    passed, in whole percent (None without both dates)."""
    start, end = project.starts_on, project.deadline
    if start is None or end is None:
        return None
    if today <= start:
        return 0
    if today >= end or end <= start:
        return 100
    return ((today - start).days * 100) // (end - start).days


def is_behind(project: Project, today: datetime.date) -> bool:
    """进度滞后: while implementing, a milestone whose date has passed (the day after it)
    without being done, or a percent complete more than ``conf.behind_tolerance()``
    points below the linear plan."""
    if project.status != ProjectStatus.IMPLEMENTING:
        return False
    if project.milestones.filter(due_on__lt=today, done_on__isnull=True).exists():
        return True
    planned = planned_percent(project, today)
    return planned is not None and project.percent_complete + conf.behind_tolerance() < planned


def refresh_facts(*, project: Project, today: datetime.date | None = None) -> Project:
    """Keep ``behind_schedule`` and ``next_milestone_on`` on the row; a change of the flag
    writes a timeline row."""
    today = today or timezone.localdate()
    behind = is_behind(project, today)
    upcoming = (
        project.milestones.filter(done_on__isnull=True)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if behind == project.behind_schedule and upcoming == project.next_milestone_on:
        return project
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            behind_schedule=behind, next_milestone_on=upcoming
        )
        if behind != project.behind_schedule:
            _event(project, "behind_schedule" if behind else "back_on_schedule", None)
        project.behind_schedule, project.next_milestone_on = behind, upcoming
    return project


def projects_sweep(today: datetime.date | None = None) -> int:
    """The daily sweep: every project in implementation gets this month's report asked
    for (once) and its behind-schedule flag counted again (a milestone date passes with
    no write). Safe to run twice. Returns the projects seen."""
    today = today or timezone.localdate()
    seen = 0
    for project in Project.objects.filter(status=ProjectStatus.IMPLEMENTING).select_related(
        "cycle__region", "department"
    ):
        report_request(project=project, month=today.replace(day=1))
        refresh_facts(project=project, today=today)
        seen += 1
    return seen


# --- inspections and inquiries -------------------------------------------------------------


def inspection_record(
    *,
    project: Project,
    held_on: datetime.date,
    notes: str,
    by: User | None,
    kind: str = InspectionKind.INSPECTION,
    participants: str = "",
    photos: Iterable[CleanUpload] = (),
) -> Inspection:
    """视察 by the 1+1+N group (its members or leading member) or staff, with notes and
    photos; the mid-year inspection (年中视察) is staff's record."""
    if by is not None and not (
        in_jurisdiction(by, project.cycle.region)
        or (kind == InspectionKind.INSPECTION and selectors.in_group(by, project))
    ):
        raise OutOfJurisdiction
    if project.status not in RUNNING:
        raise RuleViolation(_("项目开始实施后才能记录视察。"))
    if kind not in InspectionKind.values:
        raise RuleViolation(_("未知的视察类型。"))
    if held_on > timezone.localdate():
        raise RuleViolation(_("视察日期不能晚于今天。"))
    if not notes.strip():
        raise RuleViolation(_("请填写视察情况。"))
    photos = list(photos)
    if len(photos) > conf.max_photos():
        raise RuleViolation(_("照片最多%(count)s张。") % {"count": conf.max_photos()})
    with transaction.atomic():
        inspection = Inspection.objects.create(
            project=project,
            kind=kind,
            held_on=held_on,
            participants=participants.strip(),
            notes=notes.strip(),
            created_by=by,
        )
        for upload in photos:
            _save_photo(upload, inspection=inspection)
        _event(project, "inspection_record", by, inspection=inspection.pk, kind=kind)
    return inspection


def inquiry_record(
    *,
    project: Project,
    asked_on: datetime.date,
    asker: str,
    question: str,
    respondent: str,
    by: User | None,
    answer: str = "",
) -> Inquiry:
    """询问 (at the mid-year inspection or a meeting): the question, who answered, the
    answer. Staff record it."""
    _staff(by, project)
    if not (asker.strip() and question.strip() and respondent.strip()):
        raise RuleViolation(_("请填写询问人、询问内容和应询人。"))
    if asked_on > timezone.localdate():
        raise RuleViolation(_("询问日期不能晚于今天。"))
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            project=project,
            asked_on=asked_on,
            asker=asker.strip(),
            question=question.strip(),
            respondent=respondent.strip(),
            answer=answer.strip(),
            created_by=by,
        )
        _event(project, "inquiry_record", by, inquiry=inquiry.pk)
    return inquiry


# --- residents' comments -----------------------------------------------------------------


def comment_submit(*, project: Project, text: str, phone: str = "") -> Comment:
    """A resident's comment from the public page (no account; the page rate-limits).
    Held until staff publish it; the phone, optional, is never shown."""
    text, phone = text.strip(), phone.strip().replace(" ", "").replace("-", "")
    if not text:
        raise RuleViolation(_("请填写留言内容。"))
    if len(text) > 1000:
        raise RuleViolation(_("留言不能超过1000字。"))
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise RuleViolation(_("请填写正确的电话号码，或不填。"))
    return Comment.objects.create(project=project, text=text, phone=phone)


def comment_moderate(*, comment: Comment, publish: bool, by: User | None) -> Comment:
    """审核: staff publish a comment or keep it off the page."""
    project = comment.project
    _staff(by, project)
    if comment.status != CommentStatus.PENDING:
        raise RuleViolation(_("该留言已审核。"))
    status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, status=CommentStatus.PENDING).update(
            status=status, moderated_by=by, moderated_at=timezone.now()
        )
        if changed != 1:
            raise RuleViolation(_("该留言已审核。"))
        _event(project, "comment_publish" if publish else "comment_reject", by, comment=comment.pk)
    comment.refresh_from_db()
    return comment


def expired_comments(cutoff: datetime.datetime) -> QuerySet[Comment]:
    """Comments written before ``cutoff`` that still hold a phone number (retention,
    ``PERSONAL_DATA_RETENTION_DAYS``; a second run finds none)."""
    return Comment.objects.filter(created_at__lt=cutoff).exclude(phone="")


def comments_anonymise(rows: QuerySet[Comment]) -> int:
    """The phone goes; the comment's text, shown or not, stays."""
    return rows.update(phone="")
