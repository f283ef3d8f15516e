"""Every write of plans, topics and findings: ``<entity>_<action>(*, ..., by)``.

Each service checks the acting user's jurisdiction (``require_in_jurisdiction`` on the
object's region: a 404 outside it) or, for a department's step on a finding, that the
user is the clerk of its responsible department; moves a status only through the
transition tables of ``supervision/workflow.py``; and hands a finding to its
department through the closed-loop engine (``congress.loop``), so deadlines,
reminders and escalation are the engine's (docs/architecture.md, "The closed loop").

A topic's progress toward 销号清零 is kept on its row (``findings_count``,
``findings_closed_off``) in the same transaction as the finding's change
(docs/architecture.md, "Reads that do not grow with the data").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import loop
from congress.errors import DomainError, InvalidTransition, RuleViolation
from congress.files import attach_to_event
from congress.loop import handled_department_ids
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    CaseEvent,
    Congress,
    Department,
    User,
)
from congress.scoping import in_jurisdiction, require_in_jurisdiction
from congress.uploads import CleanUpload, new_token
from congress.workdays import add_deadline
from congress.workflow import apply_transition, record_event
from supervision import conf
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    FindingStatus,
    FollowUpReview,
    GroupRole,
    Investigation,
    InvestigationMethod,
    InvestigationPhoto,
    SupervisionPlan,
    Topic,
    TopicMember,
    TopicStatus,
)
from supervision.workflow import (
    FINDING_CASE,
    FINDING_TRANSITIONS,
    PLAN_CASE,
    PLAN_TRANSITIONS,
    REVIEW_CASE,
    TOPIC_CASE,
    TOPIC_TRANSITIONS,
)

CLOSED_TOPIC = {TopicStatus.COMPLETED, TopicStatus.CANCELLED}


class NotPermitted(DomainError):
    """The user may see the finding but this step is someone else's to take."""

    code = "forbidden"
    status = 403
    default_message = gettext_lazy("您无权进行该操作。")


def _text(value: str) -> str:
    return (value or "").strip()


# --- plans --------------------------------------------------------------------------------


def plan_create(
    *, congress: Congress, year: int, title: str, notes: str = "", by: User | None
) -> SupervisionPlan:
    require_in_jurisdiction(by, congress.region)
    if not _text(title):
        raise RuleViolation(_("请填写计划名称。"))
    if SupervisionPlan.objects.filter(congress=congress, year=year).exists():
        raise RuleViolation(_("该人大本年度已有监督工作计划。"))
    try:
        with transaction.atomic():
            plan = SupervisionPlan.objects.create(
                congress=congress,
                region=congress.region,
                year=year,
                title=_text(title),
                notes=notes,
                created_by=by,
            )
            record_event(case_type=PLAN_CASE, case_id=plan.pk, action="create", by=by)
    except IntegrityError:  # two clicks at once: the unique (congress, year) holds
        raise RuleViolation(_("该人大本年度已有监督工作计划。")) from None
    return plan


def plan_update(*, plan: SupervisionPlan, title: str, notes: str, by: User | None) -> None:
    require_in_jurisdiction(by, plan.region)
    if not _text(title):
        raise RuleViolation(_("请填写计划名称。"))
    SupervisionPlan.objects.filter(pk=plan.pk).update(title=_text(title), notes=notes)
    plan.refresh_from_db()


def plan_adopt(
    *, plan: SupervisionPlan, adopted_on: datetime.date | None = None, by: User | None
) -> CaseEvent:
    """通过: the standing committee adopted the plan (its meeting's date)."""
    require_in_jurisdiction(by, plan.region)
    return apply_transition(
        instance=plan,
        transitions=PLAN_TRANSITIONS,
        action="adopt",
        by=by,
        case_type=PLAN_CASE,
        updates={"adopted_on": adopted_on or timezone.localdate()},
    )


def committee_create(*, congress: Congress, name: str, by: User | None) -> Committee:
    require_in_jurisdiction(by, congress.region)
    if not _text(name):
        raise RuleViolation(_("请填写委员会名称。"))
    committee, _created = Committee.objects.get_or_create(congress=congress, name=_text(name))
    return committee


# --- topics -------------------------------------------------------------------------------


def _check_topic_parts(
    plan: SupervisionPlan, departments: Iterable[Department], committees: Iterable[Committee]
) -> None:
    for department in departments:
        if not department.region.is_within(plan.region):
            raise RuleViolation(
                _("相关部门“%(name)s”不属于本级行政区划。") % {"name": department.name}
            )
    for committee in committees:
        if committee.congress_id != plan.congress_id:
            raise RuleViolation(_("委员会“%(name)s”不属于本级人大。") % {"name": committee.name})


def topic_create(
    *,
    plan: SupervisionPlan,
    kind: str,
    title: str,
    description: str = "",
    departments: Iterable[Department] = (),
    committees: Iterable[Committee] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    by: User | None,
) -> Topic:
    require_in_jurisdiction(by, plan.region)
    departments, committees = list(departments), list(committees)
    _check_topic(plan, title, starts_on, ends_on, departments, committees)
    with transaction.atomic():
        topic = Topic.objects.create(
            plan=plan,
            congress=plan.congress,
            region=plan.region,
            kind=kind,
            title=_text(title),
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=by,
        )
        topic.departments.set(departments)
        topic.committees.set(committees)
        record_event(case_type=TOPIC_CASE, case_id=topic.pk, action="create", by=by)
    return topic


def _check_topic(
    plan: SupervisionPlan,
    title: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    departments: list[Department],
    committees: list[Committee],
) -> None:
    """What a topic must be, new or edited: a title, its dates in order, its departments
    and committees of the plan's region and congress."""
    if not _text(title):
        raise RuleViolation(_("请填写议题。"))
    _check_dates(starts_on, ends_on)
    _check_topic_parts(plan, departments, committees)


def _check_dates(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise RuleViolation(_("计划完成日期不能早于开始日期。"))


def topic_update(
    *,
    topic: Topic,
    kind: str,
    title: str,
    description: str = "",
    departments: Iterable[Department] = (),
    committees: Iterable[Committee] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    by: User | None,
) -> Topic:
    require_in_jurisdiction(by, topic.region)
    departments, committees = list(departments), list(committees)
    _check_topic(topic.plan, title, starts_on, ends_on, departments, committees)
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(
            kind=kind,
            title=_text(title),
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        topic.departments.set(departments)
        topic.committees.set(committees)
    topic.refresh_from_db()
    return topic


def topic_move(*, topic: Topic, action: str, by: User | None, note: str = "") -> CaseEvent:
    """启动 / 进入整改 / 完成 / 取消: a move of ``TOPIC_TRANSITIONS``."""
    require_in_jurisdiction(by, topic.region)
    if action not in TOPIC_TRANSITIONS:
        raise InvalidTransition()
    if action == "cancel" and topic.findings_count:
        raise RuleViolation(_("议题已有问题清单，不能取消。"))
    with transaction.atomic():
        event = apply_transition(
            instance=topic,
            transitions=TOPIC_TRANSITIONS,
            action=action,
            by=by,
            case_type=TOPIC_CASE,
            note=note,
        )
        if action == "cancel":  # no 回头看 is due on a cancelled topic
            _cancel_review_steps(topic, by=by, reason=note or str(_("议题已取消。")))
    return event


PUBLISHABLE = {TopicStatus.ACTIVE, TopicStatus.RECTIFYING, TopicStatus.COMPLETED}


def topic_publish(*, topic: Topic, by: User | None) -> CaseEvent:
    """向社会公布: the topic's findings go on its public page, with their progress."""
    require_in_jurisdiction(by, topic.region)
    if topic.status not in PUBLISHABLE or not topic.findings_count:
        raise RuleViolation(_("议题启动并列入问题清单后才能向社会公布。"))
    with transaction.atomic():
        changed = Topic.objects.filter(pk=topic.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
        if not changed:
            raise InvalidTransition(_("问题清单已经公布。"))
        event = record_event(case_type=TOPIC_CASE, case_id=topic.pk, action="publish", by=by)
    topic.refresh_from_db()
    return event


def topic_unpublish(*, topic: Topic, by: User | None) -> CaseEvent:
    """撤回公布: the public page is gone (404) until it is published again."""
    require_in_jurisdiction(by, topic.region)
    with transaction.atomic():
        changed = Topic.objects.filter(pk=topic.pk, published_at__isnull=False).update(
            published_at=None
        )
        if not changed:
            raise InvalidTransition(_("问题清单尚未公布。"))
        event = record_event(case_type=TOPIC_CASE, case_id=topic.pk, action="unpublish", by=by)
    topic.refresh_from_db()
    return event


def topic_member_add(
    *,
    topic: Topic,
    name: str,
    role: str = GroupRole.MEMBER,
    position: str = "",
    user: User | None = None,
    by: User | None,
) -> TopicMember:
    require_in_jurisdiction(by, topic.region)
    if not _text(name):
        raise RuleViolation(_("请填写姓名。"))
    if role not in GroupRole.values:
        raise RuleViolation(_("请选择职务。"))
    return TopicMember.objects.create(
        topic=topic, name=_text(name), role=role, position=_text(position), user=user
    )


def topic_member_remove(*, member: TopicMember, by: User | None) -> None:
    require_in_jurisdiction(by, member.topic.region)
    member.delete()


def category_create(*, topic: Topic, title: str, by: User | None) -> FindingCategory:
    require_in_jurisdiction(by, topic.region)
    if not _text(title):
        raise RuleViolation(_("请填写类别名称。"))
    with transaction.atomic():
        Topic.objects.select_for_update().filter(pk=topic.pk).values_list("pk").get()
        if topic.categories.filter(title=_text(title)).exists():
            raise RuleViolation(_("该类别已存在。"))
        number = (topic.categories.aggregate(top=Max("number"))["top"] or 0) + 1
        return FindingCategory.objects.create(topic=topic, number=number, title=_text(title))


# --- findings -----------------------------------------------------------------------------


def finding_create(
    *,
    topic: Topic,
    title: str,
    department: Department | None,
    category: FindingCategory | None = None,
    description: str = "",
    measures: str = "",
    due_on: datetime.date | None = None,
    is_long_term: bool = False,
    target: str = "",
    milestones: str = "",
    is_flagged: bool = False,
    by: User | None,
) -> Finding:
    """列入问题清单 and 交办: one finding, one responsible department (对号入座), due by
    ``due_on`` (default: ``conf.finding_deadline()`` on the official calendar)."""
    require_in_jurisdiction(by, topic.region)
    if topic.status in CLOSED_TOPIC:
        raise InvalidTransition(_("议题已结束，不能再列入问题。"))
    if not _text(title):
        raise RuleViolation(_("请填写问题。"))
    if department is None:
        raise RuleViolation(_("请指定责任单位：每个问题须对号入座到一个单位。"))
    if not department.region.is_within(topic.region):
        raise RuleViolation(_("责任单位须属于本级行政区划。"))
    if category is not None and category.topic_id != topic.pk:
        raise RuleViolation(_("问题类别不属于该议题。"))
    if is_long_term and not _text(target):
        raise RuleViolation(_("长期整改的问题须写明整改目标。"))
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        number = (locked.findings.aggregate(top=Max("number"))["top"] or 0) + 1
        finding = Finding.objects.create(
            topic=topic,
            category=category,
            region=topic.region,
            number=number,
            title=_text(title),
            description=description,
            department=department,
            measures=measures,
            is_long_term=is_long_term,
            target=target,
            milestones=milestones,
            is_flagged=is_flagged,
        )
        Topic.objects.filter(pk=topic.pk).update(findings_count=F("findings_count") + 1)
        record_event(
            case_type=FINDING_CASE,
            case_id=finding.pk,
            action="create",
            by=by,
            to_status=finding.status,
        )
        assignment = loop.assignment_create(
            case_type=FINDING_CASE,
            case_id=finding.pk,
            title=finding.title,
            region=topic.region,
            department=department,
            due_on=due_on,
            deadline=None if due_on else conf.finding_deadline(),
            note=measures,
            by=by,
        )
        Finding.objects.filter(pk=finding.pk).update(assignment=assignment)
    finding.refresh_from_db()
    topic.refresh_from_db()
    return finding


def finding_steps_changed(case_id: int) -> None:
    """The engine's hook: the finding keeps its open step's due date (None once the
    department has claimed completion or the step is closed), in the same transaction."""
    due = (
        Assignment.objects.filter(case_type=FINDING_CASE, case_id=case_id, status__in=OPEN_STATUSES)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    Finding.objects.filter(pk=case_id).update(due_on=due)


def _require_handler(finding: Finding, by: User) -> None:
    if by is None or finding.department_id not in handled_department_ids(by):
        raise NotPermitted()


def _assignment(finding: Finding) -> Assignment:
    if finding.assignment_id is None:
        raise InvalidTransition()
    return Assignment.objects.get(pk=finding.assignment_id)


def finding_report_progress(
    *, finding: Finding, note: str, by: User, upload: CleanUpload | None = None
) -> CaseEvent:
    """报告进展: the department's clerk (a timeline row; no status changes)."""
    _require_handler(finding, by)
    if finding.status == FindingStatus.CLOSED_OFF:
        raise InvalidTransition(_("该问题已销号。"))
    assignment = _assignment(finding)
    with transaction.atomic():
        if assignment.status not in OPEN_STATUSES:
            if not _text(note):
                raise RuleViolation(_("进展内容不能为空。"))
            event = record_event(
                case_type=FINDING_CASE,
                case_id=finding.pk,
                action="progress",
                by=by,
                note=_text(note),
                assignment=assignment,
            )
        else:
            event = loop.assignment_report_progress(assignment=assignment, by=by, note=_text(note))
        if upload is not None:
            attach_to_event(event=event, upload=upload)
    return event


def finding_claim_closure(
    *,
    finding: Finding,
    note: str,
    by: User,
    upload: CleanUpload | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """申请销号: the clerk reports the rectification done (the assignment's reply)."""
    _require_handler(finding, by)
    if not _text(note):
        raise RuleViolation(_("请说明整改完成情况。"))
    if finding.status not in FINDING_TRANSITIONS["claim_closure"][0]:
        raise InvalidTransition()
    assignment = _assignment(finding)
    with transaction.atomic():
        if assignment.status == AssignmentStatus.ASSIGNED:
            loop.assignment_accept(assignment=assignment, by=by)
            assignment.refresh_from_db()
        loop.assignment_reply(assignment=assignment, by=by, note=_text(note))
        event = apply_transition(
            instance=finding,
            transitions=FINDING_TRANSITIONS,
            action="claim_closure",
            by=by,
            case_type=FINDING_CASE,
            note=_text(note),
            expected_version=expected_version,
        )
        if upload is not None:
            attach_to_event(event=event, upload=upload)
    return event


def finding_close_off(
    *,
    finding: Finding,
    evidence: str,
    by: User | None,
    upload: CleanUpload | None = None,
    expected_version: int | None = None,
) -> CaseEvent:
    """销号: staff verified the rectification. Never without evidence (a text, and a
    file if there is one)."""
    require_in_jurisdiction(by, finding.region)
    if not _text(evidence):
        raise RuleViolation(_("销号须有依据：请填写整改完成的核实情况。"))
    if finding.status not in FINDING_TRANSITIONS["close_off"][0]:
        raise InvalidTransition()
    assignment = _assignment(finding)
    now = timezone.now()
    on_time = timezone.localdate(now) <= assignment.due_on if assignment.due_on else None
    replied = assignment.replied_at
    if replied is not None and assignment.due_on is not None:
        on_time = timezone.localdate(replied) <= assignment.due_on
    with transaction.atomic():
        if assignment.status == AssignmentStatus.REPLIED:
            loop.assignment_close(assignment=assignment, by=by, note=_text(evidence))
        event = apply_transition(
            instance=finding,
            transitions=FINDING_TRANSITIONS,
            action="close_off",
            by=by,
            case_type=FINDING_CASE,
            note=_text(evidence),
            expected_version=expected_version,
            updates={"evidence": _text(evidence), "closed_off_at": now, "closed_on_time": on_time},
        )
        Topic.objects.filter(pk=finding.topic_id).update(
            findings_closed_off=F("findings_closed_off") + 1
        )
        if upload is not None:
            attach_to_event(event=event, upload=upload)
    return event


def finding_reject_closure(
    *, finding: Finding, reason: str, by: User | None, expected_version: int | None = None
) -> CaseEvent:
    """退回整改: not done yet; the department gets one more month (``conf``)."""
    require_in_jurisdiction(by, finding.region)
    if not _text(reason):
        raise RuleViolation(_("退回整改须说明理由。"))
    if finding.status not in FINDING_TRANSITIONS["reject_closure"][0]:
        raise InvalidTransition()
    assignment = _assignment(finding)
    with transaction.atomic():
        if assignment.status in (AssignmentStatus.REPLIED, AssignmentStatus.CLOSED):
            loop.assignment_reopen(
                assignment=assignment,
                by=by,
                reason=_text(reason),
                deadline=conf.rehandling_deadline(),
            )
        return apply_transition(
            instance=finding,
            transitions=FINDING_TRANSITIONS,
            action="reject_closure",
            by=by,
            case_type=FINDING_CASE,
            note=_text(reason),
            expected_version=expected_version,
        )


def finding_review_reopen(*, finding: Finding, reason: str, by: User | None) -> CaseEvent:
    """回头看 found the problem back: the closed-off finding is rectified again."""
    require_in_jurisdiction(by, finding.region)
    if not _text(reason):
        raise RuleViolation(_("请说明重新整改的理由。"))
    if finding.status not in FINDING_TRANSITIONS["review_reopen"][0]:
        raise InvalidTransition()
    assignment = _assignment(finding)
    with transaction.atomic():
        if assignment.status in (AssignmentStatus.REPLIED, AssignmentStatus.CLOSED):
            loop.assignment_reopen(
                assignment=assignment,
                by=by,
                reason=_text(reason),
                deadline=conf.rehandling_deadline(),
            )
        event = apply_transition(
            instance=finding,
            transitions=FINDING_TRANSITIONS,
            action="review_reopen",
            by=by,
            case_type=FINDING_CASE,
            note=_text(reason),
            updates={"closed_off_at": None, "closed_on_time": None},
        )
        Topic.objects.filter(pk=finding.topic_id).update(
            findings_closed_off=F("findings_closed_off") - 1
        )
    return event


def finding_set_flag(*, finding: Finding, flagged: bool, by: User | None, note: str = "") -> None:
    """挂牌督办 (or its end): the hardest findings, shown first to the office."""
    require_in_jurisdiction(by, finding.region)
    if finding.is_flagged == flagged:
        return
    with transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(is_flagged=flagged)
        record_event(
            case_type=FINDING_CASE,
            case_id=finding.pk,
            action="flag" if flagged else "unflag",
            by=by,
            note=note,
        )
    finding.refresh_from_db()


def finding_update_plan(
    *,
    finding: Finding,
    measures: str,
    is_long_term: bool,
    target: str,
    milestones: str,
    by: User,
) -> None:
    """整改措施 and, for a long-term finding, its target and milestones: the staff or the
    department's clerk write them."""
    if not in_jurisdiction(by, finding.region):
        _require_handler(finding, by)
    if finding.status == FindingStatus.CLOSED_OFF:
        raise InvalidTransition(_("该问题已销号。"))
    if is_long_term and not _text(target):
        raise RuleViolation(_("长期整改的问题须写明整改目标。"))
    Finding.objects.filter(pk=finding.pk).update(
        measures=measures, is_long_term=is_long_term, target=target, milestones=milestones
    )
    finding.refresh_from_db()


# --- investigations (调研、视察) --------------------------------------------------------------


def investigation_create(
    *,
    topic: Topic,
    held_on: datetime.date,
    place: str,
    method: str,
    participants: str = "",
    notes: str = "",
    photos: Iterable[CleanUpload] = (),
    by: User | None,
) -> Investigation:
    """A visit of the topic's group, with its photos (checked and re-encoded by
    ``congress.uploads``: no metadata, a random stored name)."""
    require_in_jurisdiction(by, topic.region)
    if not _text(place):
        raise RuleViolation(_("请填写地点。"))
    if method not in InvestigationMethod.values:
        raise RuleViolation(_("请选择调研方式。"))
    with transaction.atomic():
        visit = Investigation.objects.create(
            topic=topic,
            held_on=held_on,
            place=_text(place),
            method=method,
            participants=participants,
            notes=notes,
            created_by=by,
        )
        for upload in photos:
            photo = InvestigationPhoto(
                investigation=visit,
                token=new_token(),
                original_name=upload.original_name,
                extension=upload.extension,
                content_type=upload.content_type,
            )
            photo.file.save(f"{photo.token}{upload.extension}", upload.as_file(), save=False)
            photo.save()
        record_event(
            case_type=TOPIC_CASE,
            case_id=topic.pk,
            action="investigation",
            by=by,
            note=f"{held_on} {visit.get_method_display()} {visit.place}",
        )
    return visit


# --- follow-up reviews (回头看) ---------------------------------------------------------------


def review_schedule(
    *, topic: Topic, scheduled_on: datetime.date | None = None, by: User | None
) -> FollowUpReview:
    """Schedule a 回头看, by default ``conf.review_after_months()`` from today.

    The review is handed to the congress staff of the topic's region as a loop item due
    on its date (``REVIEW_CASE``): the engine reminds them before and on the day, and
    escalates to the staff of the region above once it is overdue, until it is held."""
    require_in_jurisdiction(by, topic.region)
    if topic.status == TopicStatus.CANCELLED:
        raise InvalidTransition(_("议题已取消，不能安排回头看。"))
    today = timezone.localdate()
    if scheduled_on is None:
        scheduled_on = add_deadline(today, conf.review_deadline())
    if scheduled_on < today:
        raise RuleViolation(_("回头看的计划日期不能早于今天。"))
    with transaction.atomic():
        review = FollowUpReview.objects.create(topic=topic, scheduled_on=scheduled_on)
        assignment = loop.assignment_create(
            case_type=REVIEW_CASE,
            case_id=review.pk,
            title=str(_("回头看：%(title)s") % {"title": topic.title}),
            region=topic.region,
            staff_region=topic.region,
            due_on=scheduled_on,
            by=by,
        )
        FollowUpReview.objects.filter(pk=review.pk).update(assignment=assignment)
    review.refresh_from_db()
    return review


def _finish_review_step(review: FollowUpReview, *, by: User | None, summary: str) -> None:
    """Holding the 回头看 is the staff's answer to its loop item: signed, answered, closed."""
    if review.assignment_id is None:  # scheduled before reviews were loop items
        return
    step = Assignment.objects.get(pk=review.assignment_id)
    if step.status not in OPEN_STATUSES:
        return
    if step.status == AssignmentStatus.ASSIGNED:
        loop.assignment_accept(assignment=step, by=by)  # type: ignore[arg-type]
        step.refresh_from_db()
    loop.assignment_reply(assignment=step, by=by, note=summary)  # type: ignore[arg-type]
    step.refresh_from_db()
    loop.assignment_close(assignment=step, by=by)


def _cancel_review_steps(topic: Topic, *, by: User | None, reason: str) -> None:
    steps = Assignment.objects.filter(
        case_type=REVIEW_CASE,
        case_id__in=topic.reviews.values("pk"),
        status__in=OPEN_STATUSES,
    )
    for step in steps:
        loop.assignment_cancel(assignment=step, by=by, reason=reason)


def review_hold(
    *,
    review: FollowUpReview,
    summary: str,
    reopen: Iterable[Finding] = (),
    by: User | None,
) -> FollowUpReview:
    """Hold the 回头看: record what changed and reopen the findings whose problem came
    back (each through ``finding_review_reopen``, with the summary as the reason)."""
    topic = review.topic
    require_in_jurisdiction(by, topic.region)
    if review.held_on is not None:
        raise InvalidTransition(_("该次回头看已开展。"))
    if not _text(summary):
        raise RuleViolation(_("请填写整改变化情况。"))
    findings = list(reopen)
    if any(f.topic_id != topic.pk or f.status != FindingStatus.CLOSED_OFF for f in findings):
        raise RuleViolation(_("只能重新整改本议题已销号的问题。"))
    with transaction.atomic():
        # Two holds at once: the second waits here and then finds the review held.
        if FollowUpReview.objects.select_for_update().get(pk=review.pk).held_on is not None:
            raise InvalidTransition(_("该次回头看已开展。"))
        for finding in findings:
            finding_review_reopen(finding=finding, reason=_text(summary), by=by)
        _finish_review_step(review, by=by, summary=_text(summary))
        FollowUpReview.objects.filter(pk=review.pk).update(
            held_on=timezone.localdate(), summary=_text(summary), reopened=len(findings)
        )
        record_event(
            case_type=TOPIC_CASE,
            case_id=topic.pk,
            action="review",
            by=by,
            note=_text(summary),
            data={"reopened": len(findings)},
        )
    review.refresh_from_db()
    return review
