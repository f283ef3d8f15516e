"""Every write of the meetings: schedule a meeting, record attendance, put a report or an
inquiry on its agenda (the report's three stages before the meeting are loop items: the
draft for comments and the report of the reporting body, the sending to the members of
the staff), receive the draft (and record comments on it) and the report, send it to the
members (each late step accepted and flagged), open and close a satisfaction vote (the
core's secret ballot), and record inquiry questions.

Each service checks who acts (staff of the congress's region, the reporting body's clerk,
a member) and writes its timeline row; status moves go through ``apply_transition``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.ballots import outcomes
from congress.ballots import services as ballots
from congress.errors import InvalidTransition, RuleViolation
from congress.files import attach_to_event
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Congress,
    Department,
    Role,
    RoleGrant,
    User,
)
from congress.models.ballots import BallotKind, Rating
from congress.notifications import notify
from congress.scoping import (
    OutOfJurisdiction,
    in_jurisdiction,
    require_in_jurisdiction,
    require_within_reach,
)
from congress.uploads import CleanUpload
from congress.workflow import apply_transition, record_event
from supervision.meetings import conf
from supervision.meetings.handling_ratings import question_rated, report_rated
from supervision.meetings.workflow import (
    DRAFT_CASE,
    EVALUATION_CASE,
    EVALUATION_TRANSITIONS,
    MEETING_CASE,
    MEETING_TRANSITIONS,
    MEMBERS_CASE,
    OPINION_CASE,
    OPINION_TRANSITIONS,
    RE_REPORT_CASE,
    REPORT_CASE,
    REPORT_TRANSITIONS,
)
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    MeetingMember,
    MeetingStatus,
    OpinionStatus,
    Question,
    ReportStatus,
    ReviewOpinion,
)
from supervision.models.topics import Topic


def committee_members(congress: Congress) -> list[int]:
    """The users who hold a committee grant of the congress's region (常委会组成人员)."""
    return list(
        RoleGrant.objects.filter(role=Role.COMMITTEE, region=congress.region)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- meetings --------------------------------------------------------------------------


def meeting_schedule(
    *,
    congress: Congress,
    number: int,
    held_on: datetime.date,
    venue: str = "",
    by: User | None,
) -> Meeting:
    """Schedule 第N次会议; its members are the committee's members now (a later grant is
    added by ``meeting_member_add``)."""
    require_in_jurisdiction(by, congress.region)
    if Meeting.objects.filter(congress=congress, number=number).exists():
        raise RuleViolation(_("该人大已有第%(number)s次常委会会议。") % {"number": number})
    with transaction.atomic():
        meeting = Meeting.objects.create(
            congress=congress, region=congress.region, number=number, held_on=held_on, venue=venue
        )
        MeetingMember.objects.bulk_create(
            [MeetingMember(meeting=meeting, user_id=uid) for uid in committee_members(congress)]
        )
        record_event(
            case_type=MEETING_CASE,
            case_id=meeting.pk,
            action="meeting_schedule",
            by=by,
            to_status=meeting.status,
            data={"held_on": str(held_on)},
        )
    return meeting


def meeting_member_add(*, meeting: Meeting, user: User, by: User | None) -> MeetingMember:
    require_in_jurisdiction(by, meeting.region)
    if not user.regions_for(Role.COMMITTEE) or meeting.region not in user.regions_for(
        Role.COMMITTEE
    ):
        raise RuleViolation(_("只有本级常委会组成人员才能列为会议组成人员。"))
    member, _created = MeetingMember.objects.get_or_create(meeting=meeting, user=user)
    return member


def meeting_attendance(*, meeting: Meeting, present: Iterable[int], by: User | None) -> None:
    """登记出席: the members present; every other member is recorded absent."""
    require_in_jurisdiction(by, meeting.region)
    if meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(_("会议已取消，不能登记出席。"))
    here = {int(pk) for pk in present}
    known = set(meeting.members.values_list("user_id", flat=True))
    if here - known:
        raise RuleViolation(_("出席名单中有不是本次会议组成人员的人。"))
    with transaction.atomic():
        meeting.members.filter(user_id__in=here).update(attended=True)
        meeting.members.exclude(user_id__in=here).update(attended=False)
        record_event(
            case_type=MEETING_CASE,
            case_id=meeting.pk,
            action="meeting_attendance",
            by=by,
            data={"present": len(here), "members": len(known)},
        )


def meeting_hold(*, meeting: Meeting, by: User | None, note: str = "") -> Meeting:
    """会议已召开: a draft for comments still awaited and a report not yet sent to the
    members are no longer due (their loop items are cancelled, the late flags stay); a
    report still awaited stays due, and is accepted late."""
    require_in_jurisdiction(by, meeting.region)
    with transaction.atomic():
        apply_transition(
            instance=meeting,
            transitions=MEETING_TRANSITIONS,
            action="meeting_hold",
            by=by,
            case_type=MEETING_CASE,
            note=note,
        )
        _cancel_stages(meeting, (DRAFT_CASE, MEMBERS_CASE), by=by, reason=str(_("会议已召开")))
    return meeting


def _cancel_stages(
    meeting: Meeting, case_types: Iterable[str], *, by: User | None, reason: str
) -> None:
    """The meeting's reports' stages of ``case_types`` still open are no longer due."""
    item_ids = list(meeting.items.values_list("pk", flat=True))
    for step in Assignment.objects.filter(
        case_type__in=list(case_types), case_id__in=item_ids, status__in=OPEN_STATUSES
    ):
        loop.assignment_cancel(assignment=step, by=by, reason=reason)


def meeting_cancel(*, meeting: Meeting, by: User | None, reason: str) -> Meeting:
    """取消: the reports' stages still open are no longer due (their loop items, the
    bodies' and the office's, are cancelled)."""
    require_in_jurisdiction(by, meeting.region)
    if not reason.strip():
        raise RuleViolation(_("请说明取消的原因。"))
    with transaction.atomic():
        apply_transition(
            instance=meeting,
            transitions=MEETING_TRANSITIONS,
            action="meeting_cancel",
            by=by,
            case_type=MEETING_CASE,
            note=reason,
        )
        _cancel_stages(meeting, STAGE_CASES, by=by, reason=reason)
    return meeting


# --- the agenda ------------------------------------------------------------------------


# The loop items of a report's stages before the meeting, in their order.
STAGE_CASES = (DRAFT_CASE, REPORT_CASE, MEMBERS_CASE)


def report_due_on(meeting: Meeting) -> datetime.date:
    """会议举行的十日前 on the official calendar (``conf.days_before``)."""
    return conf.days_before(meeting.held_on, conf.report_days_before())


def stage_dates(meeting: Meeting) -> dict[str, datetime.date]:
    """The due dates of a report's three stages (监督法 2024: the draft for comments 20
    days before the meeting, the report 10, to the members 7), each on the official
    calendar and none before today (a meeting scheduled at short notice: due today)."""
    today = timezone.localdate()
    return {
        "draft_due_on": max(conf.days_before(meeting.held_on, conf.draft_days_before()), today),
        "due_on": max(report_due_on(meeting), today),
        "members_due_on": max(conf.days_before(meeting.held_on, conf.members_days_before()), today),
    }


def _stage_title(case_type: str, title: str) -> str:
    words = {
        DRAFT_CASE: _("送交征求意见稿：%(title)s"),
        REPORT_CASE: _("报送：%(title)s"),
        MEMBERS_CASE: _("发送组成人员：%(title)s"),
    }
    return str(words[case_type] % {"title": title})[:200]


def _hand_out_stages(item: AgendaItem, *, by: User | None, draft: bool, report: bool) -> None:
    """The loop items of the stages still ahead: the draft's and the report's to the
    reporting body, the sending to the members to the staff of the congress's region
    (the committee's office), each due on the item's date for it."""
    meeting = item.meeting
    stages: list[tuple[str, datetime.date | None, dict[str, Any], bool]] = [
        (DRAFT_CASE, item.draft_due_on, {"department": item.department}, draft),
        (REPORT_CASE, item.due_on, {"department": item.department}, report),
        (MEMBERS_CASE, item.members_due_on, {"staff_region": meeting.region}, True),
    ]
    for case_type, due_on, assignee, wanted in stages:
        if not wanted or due_on is None:
            continue
        loop.assignment_create(
            case_type=case_type,
            case_id=item.pk,
            title=_stage_title(case_type, item.title),
            region=meeting.region,
            due_on=due_on,
            by=by,
            note=str(meeting),
            **assignee,
        )


def agenda_add(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    by: User | None,
    department: Department | None = None,
    topic: Topic | None = None,
    re_report_of: AgendaItem | None = None,
) -> AgendaItem:
    """列入议程. A report names its reporting body, which gets two loop items: its draft for
    comments due ``conf.draft_days_before()`` days before the meeting and the report
    ``conf.report_days_before()`` days before; the staff get the third, sending it to the
    members ``conf.members_days_before()`` days before (``stage_dates``: today where that
    is past, a meeting scheduled at short notice). A re-report after 不满意 ends the
    body's rectification item: its report is now this one."""
    require_in_jurisdiction(by, meeting.region)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise RuleViolation(_("只能为尚未召开的会议安排议程。"))
    if kind not in ItemKind.values:
        raise RuleViolation(_("未知的议题类型。"))
    if not title.strip():
        raise RuleViolation(_("请填写议题。"))
    if kind == ItemKind.REPORT and department is None:
        raise RuleViolation(_("听取审议报告须指定报告单位。"))
    if department is not None:
        require_within_reach(by, department.region)
    if topic is not None and topic.region_id != meeting.region_id:
        raise OutOfJurisdiction
    if re_report_of is not None and re_report_of.region_id != meeting.region_id:
        raise OutOfJurisdiction
    dates = stage_dates(meeting) if kind == ItemKind.REPORT else {}
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            region=meeting.region,
            kind=kind,
            title=title.strip(),
            position=meeting.items.count() + 1,
            department=department,
            topic=topic or (re_report_of.topic if re_report_of else None),
            status=ReportStatus.AWAITED if kind == ItemKind.REPORT else ReportStatus.NONE,
            re_report_of=re_report_of,
            **dates,
        )
        record_event(
            case_type=MEETING_CASE,
            case_id=meeting.pk,
            action="agenda_add",
            by=by,
            data={"item": item.pk, "kind": kind},
        )
        if kind == ItemKind.REPORT:
            _hand_out_stages(item, by=by, draft=True, report=True)
        if re_report_of is not None:
            for step in _open_steps(RE_REPORT_CASE, re_report_of.pk):
                _finish(step, by=by, note=str(meeting))
    return item


def agenda_update(
    *, item: AgendaItem, title: str, topic: Topic | None = None, by: User | None
) -> AgendaItem:
    """修改议程 while the meeting is still to be held: the item's title and its topic (its
    kind and reporting body stay: the body's loop items were handed out for this report).
    The stages' loop items take the new title."""
    require_in_jurisdiction(by, item.region)
    if item.meeting.status != MeetingStatus.SCHEDULED:
        raise RuleViolation(_("只能修改尚未召开的会议的议程。"))
    if not title.strip():
        raise RuleViolation(_("请填写议题。"))
    if topic is not None and topic.region_id != item.region_id:
        raise OutOfJurisdiction
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(title=title.strip(), topic=topic)
        for case_type in STAGE_CASES:
            Assignment.objects.filter(case_type=case_type, case_id=item.pk).update(
                title=_stage_title(case_type, title.strip())
            )
        record_event(
            case_type=MEETING_CASE,
            case_id=item.meeting_id,
            action="agenda_edit",
            by=by,
            data={"item": item.pk},
        )
    item.refresh_from_db()
    return item


def _open_steps(case_type: str, case_id: int) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            case_type=case_type, case_id=case_id, status__in=OPEN_STATUSES
        ).order_by("pk")
    )


def _finish(step: Assignment, *, by: User | None, note: str) -> None:
    """The body's step is done by the act itself (the report is in): accept if still new,
    reply with what happened, close."""
    if step.status == AssignmentStatus.ASSIGNED:
        loop.assignment_accept(assignment=step, by=by)  # type: ignore[arg-type]
        step.refresh_from_db()
    loop.assignment_reply(assignment=step, by=by, note=note)  # type: ignore[arg-type]
    step.refresh_from_db()
    loop.assignment_close(assignment=step, by=by)


def is_reporting_clerk(user: Any, item: AgendaItem) -> bool:
    return item.department_id is not None and item.department_id in loop.handled_department_ids(
        user
    )


def _require_body_or_staff(by: User | None, item: AgendaItem) -> None:
    """The reporting body's clerk, or staff for it (papers handed in on paper); ``None``:
    the system (the demo)."""
    if by is not None and not (is_reporting_clerk(by, item) or in_jurisdiction(by, item.region)):
        raise OutOfJurisdiction


def _late(due_on: datetime.date | None, now: datetime.datetime) -> bool:
    return due_on is not None and timezone.localdate(now) > due_on


def draft_submit(
    *, item: AgendaItem, text: str, by: User | None, upload: CleanUpload | None = None
) -> AgendaItem:
    """送交征求意见稿 (会议举行的二十日前, to the special committee or the committee's
    working body for comments): as text, a checked file on the timeline event, or both;
    once, while the report itself is still awaited. After its due date it is accepted
    all the same and flagged (``draft_late``)."""
    _require_body_or_staff(by, item)
    if not text.strip() and upload is None:
        raise RuleViolation(_("请填写征求意见稿正文或上传文件。"))
    now = timezone.now()
    late = _late(item.draft_due_on, now)
    with transaction.atomic():
        sent = AgendaItem.objects.filter(
            pk=item.pk,
            kind=ItemKind.REPORT,
            status=ReportStatus.AWAITED,
            draft_due_on__isnull=False,
            draft_received_at__isnull=True,
        ).update(draft_text=text.strip(), draft_received_at=now, draft_late=late)
        if not sent:
            raise InvalidTransition(_("征求意见稿已送交，或报告已报送。"))
        event = record_event(
            case_type=DRAFT_CASE,
            case_id=item.pk,
            action="draft_submit",
            by=by,
            data={"late": late},
        )
        if upload is not None:
            attach_to_event(event=event, upload=upload)
        for step in _open_steps(DRAFT_CASE, item.pk):
            _finish(step, by=by, note=str(_("已送交征求意见稿")))
    item.refresh_from_db()
    return item


def draft_comment(*, item: AgendaItem, comments: str, by: User | None) -> AgendaItem:
    """The committee's (staff's) comments on the draft, a short text the body reads on the
    item's page before it revises the report; written again, it replaces the earlier one,
    both kept on the timeline."""
    require_in_jurisdiction(by, item.region)
    if not comments.strip():
        raise RuleViolation(_("请填写对征求意见稿的意见。"))
    with transaction.atomic():
        written = AgendaItem.objects.filter(
            pk=item.pk, status=ReportStatus.AWAITED, draft_received_at__isnull=False
        ).update(draft_comments=comments.strip())
        if not written:
            raise InvalidTransition(_("只能在收到征求意见稿后、报告报送前提出意见。"))
        record_event(
            case_type=DRAFT_CASE,
            case_id=item.pk,
            action="draft_comment",
            by=by,
            note=comments.strip(),
        )
        # The body revises its report by them: its clerks (those the report's loop item
        # waits on) hear of the comments in their inbox.
        for step in _open_steps(REPORT_CASE, item.pk):
            notify(
                recipients=loop.assignees(step),
                kind="supervision.draft_comments",
                title=str(_("征求意见稿有修改意见：%(title)s") % {"title": item.title})[:200],
                body=str(item.meeting),
                url=reverse("supervision_agenda_item", args=[item.pk]),
                case_type=REPORT_CASE,
                case_id=item.pk,
            )
    item.refresh_from_db()
    return item


def report_submit(
    *, item: AgendaItem, text: str, by: User | None, upload: CleanUpload | None = None
) -> AgendaItem:
    """报送报告 (会议举行的十日前, to the standing committee), as text, as a checked file
    stored on the step's timeline event, or both. After the due date it is accepted all
    the same and flagged 逾期报送. A draft never sent is no longer awaited: its loop item
    is cancelled (the row keeps that no draft came)."""
    _require_body_or_staff(by, item)
    if not text.strip() and upload is None:
        raise RuleViolation(_("请填写报告正文或上传报告文件。"))
    now = timezone.now()
    late = _late(item.due_on, now)
    with transaction.atomic():
        event = apply_transition(
            instance=item,
            transitions=REPORT_TRANSITIONS,
            action="report_submit",
            by=by,
            case_type=REPORT_CASE,
            updates={"report_text": text.strip(), "received_at": now, "late": late},
            data={"late": late},
        )
        if upload is not None:
            attach_to_event(event=event, upload=upload)
        for step in _open_steps(REPORT_CASE, item.pk):
            _finish(step, by=by, note=str(_("已报送")))
        for step in _open_steps(DRAFT_CASE, item.pk):
            loop.assignment_cancel(
                assignment=step, by=by, reason=str(_("报告已报送，未送交征求意见稿。"))
            )
    return item


def members_send(*, item: AgendaItem, by: User | None) -> AgendaItem:
    """常委会办事机构 sends the received report to the members (会议举行的七日前): the
    staff's loop item closes, and each member called to the meeting gets an inbox message
    (their home lists it under the reports to read). A report that came in late is sent
    all the same; past the due date the step is flagged (``members_late``)."""
    require_in_jurisdiction(by, item.region)
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(_("会议已取消。"))
    now = timezone.now()
    late = _late(item.members_due_on, now)
    with transaction.atomic():
        sent = AgendaItem.objects.filter(
            pk=item.pk, status=ReportStatus.RECEIVED, sent_to_members_at__isnull=True
        ).update(sent_to_members_at=now, members_late=late)
        if not sent:
            raise InvalidTransition(_("报告尚未报送，或已发送组成人员。"))
        members = list(
            User.objects.filter(
                pk__in=MeetingMember.objects.filter(meeting_id=item.meeting_id).values("user_id")
            )
        )
        record_event(
            case_type=MEMBERS_CASE,
            case_id=item.pk,
            action="members_send",
            by=by,
            data={"late": late, "members": len(members)},
        )
        notify(
            recipients=members,
            kind="supervision.report_to_read",
            title=str(_("请阅报告：%(title)s") % {"title": item.title})[:200],
            body=str(item.meeting),
            url=reverse("supervision_agenda_item", args=[item.pk]),
            case_type=REPORT_CASE,
            case_id=item.pk,
        )
        for step in _open_steps(MEMBERS_CASE, item.pk):
            _finish(step, by=by, note=str(_("已发送组成人员")))
    item.refresh_from_db()
    return item


# --- the satisfaction vote -------------------------------------------------------------


def evaluation_open(*, item: AgendaItem, by: User | None) -> EvaluationVote:
    """满意度测评 opens: the meeting's members are the electorate (frozen now); one box of
    the rating form whose one option is the report."""
    require_in_jurisdiction(by, item.region)
    if item.kind != ItemKind.REPORT or item.status != ReportStatus.RECEIVED:
        raise RuleViolation(_("只能对已报送的报告进行满意度测评。"))
    if item.meeting.status != MeetingStatus.HELD:
        raise RuleViolation(_("会议召开后才能进行满意度测评。"))
    if EvaluationVote.objects.filter(item=item).exists():
        raise RuleViolation(_("该报告已进行过满意度测评。"))
    voters = list(item.meeting.members.values_list("user_id", flat=True))
    if not voters:
        raise RuleViolation(_("本次会议没有组成人员，不能测评。"))
    with transaction.atomic():
        box = ballots.box_open(
            region=item.region, kind=BallotKind.RATING, options=[item.pk], voters=voters, by=by
        )
        vote = EvaluationVote.objects.create(
            item=item, region=item.region, box=box, outcome_rule=conf.outcome_rule()
        )
        record_event(
            case_type=EVALUATION_CASE,
            case_id=vote.pk,
            action="evaluation_open",
            by=by,
            to_status=vote.status,
            data={"electorate": len(voters)},
        )
    return vote


def evaluation_cast(*, vote: EvaluationVote, choices: dict[Any, Any], by: User) -> str:
    """A member's secret ballot; returns the receipt. The core refuses a non-member, a
    second ballot, a ballot with two marks and a closed box."""
    return ballots.ballot_cast(box=vote.box, voter=by.pk, choices=choices)


def evaluation_close(*, vote: EvaluationVote, by: User | None) -> EvaluationVote:
    """Close the box, publish, decide under the vote's rule. 不满意: the reporting body
    must rectify and report again (a new loop item); a second 不满意 in the same chain of
    reports, or on the same topic, is flagged for 质询 or a special investigation."""
    require_in_jurisdiction(by, vote.region)
    item = vote.item
    with transaction.atomic():
        box = ballots.box_close(box=vote.box, by=by)
        decided = outcomes.outcome(box, vote.outcome_rule)[0]
        decision = decided.decision
        flagged = decision == Rating.DISSATISFIED and _dissatisfied_before(item)
        apply_transition(
            instance=vote,
            transitions=EVALUATION_TRANSITIONS,
            action="evaluation_close",
            by=by,
            case_type=EVALUATION_CASE,
            updates={"outcome": decision, "flagged_for_inquiry": flagged},
            data={"outcome": decision, "counts": box.counts},
        )
        # Each mark is a rating of the reporting body's report (the league's 满意率).
        assert box.closed_at is not None
        report_rated(item=item, marks=decided.counts, at=box.closed_at)
        if decision == Rating.DISSATISFIED and item.department is not None:
            loop.assignment_create(
                case_type=RE_REPORT_CASE,
                case_id=item.pk,
                title=str(_("整改后再次报告：%(title)s") % {"title": item.title}),
                region=item.region,
                department=item.department,
                deadline=conf.re_report_deadline(),
                by=by,
            )
    return vote


def _dissatisfied_before(item: AgendaItem) -> bool:
    earlier = EvaluationVote.objects.filter(outcome=Rating.DISSATISFIED).exclude(item=item)
    chain = Q(item__pk=item.re_report_of_id) if item.re_report_of_id else Q(pk__in=[])
    if item.topic_id:
        chain |= Q(item__topic_id=item.topic_id)
    return earlier.filter(chain).exists()


# --- inquiry questions -----------------------------------------------------------------


def question_record(
    *,
    item: AgendaItem,
    asker: str,
    respondent: str,
    text: str,
    by: User | None,
    department: Department | None = None,
    answer: str = "",
    satisfaction: str = "",
    follow_up_of: Question | None = None,
    asked_by: int | None = None,
) -> Question:
    """One question as it is asked in the hall (meeting mode), with the answer if it is
    already given; a follow-up (追问) names the question it follows. ``asked_by``: the
    meeting's member who asked (their name is the asker's unless one is typed); anyone
    else who asks (a representative invited to the inquiry) is named in ``asker``."""
    require_in_jurisdiction(by, item.region)
    if item.kind != ItemKind.INQUIRY:
        raise RuleViolation(_("只有专题询问议题才能记录询问。"))
    member = None
    if asked_by is not None:
        seat = (
            MeetingMember.objects.filter(meeting_id=item.meeting_id, user_id=asked_by)
            .select_related("user")
            .first()
        )
        if seat is None:
            raise RuleViolation(_("所选人员不是本次会议的组成人员。"))
        member = seat.user
        asker = asker.strip() or str(member)
    if not (asker.strip() and respondent.strip() and text.strip()):
        raise RuleViolation(_("请填写询问人、应询人和询问内容。"))
    if satisfaction and satisfaction not in Rating.values:
        raise RuleViolation(_("未知的满意度。"))
    if follow_up_of is not None and follow_up_of.item_id != item.pk:
        raise RuleViolation(_("追问须针对本议题的询问。"))
    if department is not None:
        require_within_reach(by, department.region)
    with transaction.atomic():
        question = Question.objects.create(
            item=item,
            asker=asker.strip(),
            respondent=respondent.strip(),
            department=department,
            text=text.strip(),
            answer=answer.strip(),
            satisfaction=satisfaction,
            rated_at=timezone.now() if satisfaction else None,
            follow_up_of=follow_up_of,
            asked_by=member,
            created_by=by,
        )
        question_rated(before=None, after=question)
        record_event(
            case_type=MEETING_CASE,
            case_id=item.meeting_id,
            action="question_record",
            by=by,
            data={"question": question.pk, "follow_up": bool(follow_up_of)},
        )
    return question


def question_answer(
    *, question: Question, answer: str, satisfaction: str = "", by: User | None
) -> Question:
    require_in_jurisdiction(by, question.item.region)
    if not answer.strip():
        raise RuleViolation(_("回答内容不能为空。"))
    if satisfaction and satisfaction not in Rating.values:
        raise RuleViolation(_("未知的满意度。"))
    with transaction.atomic():
        before = Question.objects.select_for_update().select_related("item").get(pk=question.pk)
        rated_at = before.rated_at
        if satisfaction != before.satisfaction:
            rated_at = timezone.now() if satisfaction else None
        Question.objects.filter(pk=question.pk).update(
            answer=answer.strip(), satisfaction=satisfaction, rated_at=rated_at
        )
        question.refresh_from_db()
        question_rated(before=before, after=question)
        record_event(
            case_type=MEETING_CASE,
            case_id=question.item.meeting_id,
            action="question_answer",
            by=by,
            data={"question": question.pk},
        )
    return question


# --- review opinions (审议意见) -------------------------------------------------------------


def opinion_draft(
    *, item: AgendaItem, department: Department, text: str, by: User | None
) -> ReviewOpinion:
    """Drafted after the meeting on a report heard there, for the body that will handle it."""
    require_in_jurisdiction(by, item.region)
    require_within_reach(by, department.region)
    if item.kind != ItemKind.REPORT or item.meeting.status != MeetingStatus.HELD:
        raise RuleViolation(_("只能对已召开会议上听取的报告起草审议意见。"))
    if not text.strip():
        raise RuleViolation(_("审议意见不能为空。"))
    with transaction.atomic():
        opinion = ReviewOpinion.objects.create(
            item=item, region=item.region, department=department, text=text.strip()
        )
        record_event(
            case_type=OPINION_CASE,
            case_id=opinion.pk,
            action="opinion_draft",
            by=by,
            to_status=opinion.status,
        )
    return opinion


def opinion_update(
    *, opinion: ReviewOpinion, department: Department, text: str, by: User | None
) -> ReviewOpinion:
    """修改审议意见: only while it is a draft (once issued, the body works on this text)."""
    require_in_jurisdiction(by, opinion.region)
    require_within_reach(by, department.region)
    if not text.strip():
        raise RuleViolation(_("审议意见不能为空。"))
    with transaction.atomic():
        changed = ReviewOpinion.objects.filter(pk=opinion.pk, status=OpinionStatus.DRAFT).update(
            department=department, text=text.strip()
        )
        if not changed:
            raise InvalidTransition(_("审议意见交办后不能修改。"))
        record_event(case_type=OPINION_CASE, case_id=opinion.pk, action="opinion_edit", by=by)
    opinion.refresh_from_db()
    return opinion


def opinion_issue(*, opinion: ReviewOpinion, by: User | None) -> ReviewOpinion:
    """交办: the body gets a loop item due ``conf.opinion_handling_deadline()`` from today."""
    require_in_jurisdiction(by, opinion.region)
    with transaction.atomic():
        step = loop.assignment_create(
            case_type=OPINION_CASE,
            case_id=opinion.pk,
            title=str(opinion),
            region=opinion.region,
            department=opinion.department,
            deadline=conf.opinion_handling_deadline(),
            by=by,
        )
        apply_transition(
            instance=opinion,
            transitions=OPINION_TRANSITIONS,
            action="opinion_issue",
            by=by,
            case_type=OPINION_CASE,
            updates={"due_on": step.due_on},
        )
    return opinion


def opinion_report_handling(*, opinion: ReviewOpinion, text: str, by: User | None) -> ReviewOpinion:
    """研究处理情况报告, by the body's clerk (or staff for it); a late one is accepted and
    flagged."""
    clerk = by is not None and opinion.department_id in loop.handled_department_ids(by)
    if by is not None and not (clerk or in_jurisdiction(by, opinion.region)):
        raise OutOfJurisdiction
    if not text.strip():
        raise RuleViolation(_("研究处理情况报告不能为空。"))
    now = timezone.now()
    late = opinion.due_on is not None and timezone.localdate(now) > opinion.due_on
    with transaction.atomic():
        apply_transition(
            instance=opinion,
            transitions=OPINION_TRANSITIONS,
            action="opinion_report_handling",
            by=by,
            case_type=OPINION_CASE,
            updates={"handling_report": text.strip(), "handled_at": now, "late": late},
            data={"late": late},
        )
        for step in _open_steps(OPINION_CASE, opinion.pk):
            _finish(step, by=by, note=str(_("已报送研究处理情况报告")))
    return opinion


def opinion_schedule(*, opinion: ReviewOpinion, meeting: Meeting, by: User | None) -> AgendaItem:
    """列入议程: the handling report is heard at a later meeting of the same congress, as a
    report already received (it may then be put to a satisfaction vote); the staff's
    sending to the members is its one stage still ahead."""
    require_in_jurisdiction(by, opinion.region, meeting.region)
    if meeting.region_id != opinion.region_id or meeting.status != MeetingStatus.SCHEDULED:
        raise RuleViolation(_("只能列入本级人大常委会尚未召开的会议。"))
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            region=meeting.region,
            kind=ItemKind.REPORT,
            title=str(
                _("关于《%(title)s》审议意见研究处理情况的报告") % {"title": opinion.item.title}
            ),
            position=meeting.items.count() + 1,
            department=opinion.department,
            topic=opinion.item.topic,
            status=ReportStatus.RECEIVED,
            report_text=opinion.handling_report,
            received_at=opinion.handled_at,
            late=opinion.late,
            members_due_on=stage_dates(meeting)["members_due_on"],
        )
        _hand_out_stages(item, by=by, draft=False, report=False)
        apply_transition(
            instance=opinion,
            transitions=OPINION_TRANSITIONS,
            action="opinion_schedule",
            by=by,
            case_type=OPINION_CASE,
            updates={"heard_at": item},
            data={"meeting": meeting.pk, "item": item.pk},
        )
    return item
