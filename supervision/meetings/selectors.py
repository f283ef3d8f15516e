"""Who sees which meeting and report, and the lists (docs/supervision-meetings.md, 'Who
sees what').

Staff see the meetings of the congresses in their region and below; a committee member
the meetings they are called to; a reporting body's clerk the meetings where it reports,
and of those only its own reports. Everyone else sees none (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress import loop
from congress.models import Elector, EventAttachment
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from supervision.meetings.workflow import DRAFT_CASE, REPORT_CASE
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    MeetingStatus,
    OpinionStatus,
    Question,
    ReportStatus,
    ReviewOpinion,
    VoteStatus,
)


def _meeting_q(user: AnyUser, prefix: str = "") -> Q | None:
    staff = region_scope_q(user, f"{prefix}region__path")
    if staff is None:
        return None
    if not user.is_authenticated:
        return staff
    members = Q(**{f"{prefix}members__user": user})
    departments = loop.handled_department_ids(user)
    if departments:
        members |= Q(**{f"{prefix}items__department_id__in": departments})
    return staff | Q(**{f"{prefix}pk__in": Meeting.objects.filter(members).values("pk")})


def visible_meetings(user: AnyUser) -> QuerySet[Meeting]:
    query = _meeting_q(user)
    rows = Meeting.objects.select_related("congress", "region")
    return rows if query is None else rows.filter(query)


def visible_items(user: AnyUser) -> QuerySet[AgendaItem]:
    """Staff and the meeting's members: every item of the meetings they see; a clerk only
    the reports of their bodies."""
    rows = AgendaItem.objects.select_related("meeting__congress", "department", "topic")
    staff = region_scope_q(user, "region__path")
    if staff is None:
        return rows
    if not user.is_authenticated:
        return rows.filter(staff)
    query = staff | Q(meeting__in=Meeting.objects.filter(members__user=user).values("pk"))
    departments = loop.handled_department_ids(user)
    if departments:
        query |= Q(department_id__in=departments)
    return rows.filter(query)


def visible_votes(user: AnyUser) -> QuerySet[EvaluationVote]:
    return EvaluationVote.objects.filter(item__in=visible_items(user).values("pk")).select_related(
        "item__meeting__congress", "box"
    )


@dataclass(frozen=True)
class Parties:
    """What a signed-in user is to one agenda item."""

    staff: bool
    clerk: bool
    member: bool

    def names(self) -> frozenset[str]:
        return frozenset(
            name
            for name, on in (("staff", self.staff), ("clerk", self.clerk), ("member", self.member))
            if on
        )


def item_parties(user: AnyUser, item: AgendaItem) -> Parties:
    clerk = (
        user.is_authenticated
        and item.department_id is not None
        and item.department_id in loop.handled_department_ids(user)
    )
    member = user.is_authenticated and item.meeting.members.filter(user_id=user.pk).exists()
    return Parties(staff=in_jurisdiction(user, item.region), clerk=bool(clerk), member=member)


def has_voted(user: AnyUser, vote: EvaluationVote) -> bool:
    """The elector's row says whether they voted; nothing says how."""
    return Elector.objects.filter(
        box_id=vote.box_id, voter=int(user.pk or 0), channel__isnull=False
    ).exists()


def upcoming_meetings(user: AnyUser, *, limit: int = 5) -> list[Meeting]:
    """A member's next meetings (called to them), soonest first."""
    today = timezone.localdate()
    return list(
        Meeting.objects.filter(
            members__user_id=int(user.pk or 0), status=MeetingStatus.SCHEDULED, held_on__gte=today
        )
        .select_related("congress")
        .order_by("held_on", "pk")[:limit]
    )


def reports_to_read(user: AnyUser, *, since: datetime.date, limit: int = 10) -> list[AgendaItem]:
    """Reports the committee's office sent to the member (``services.members_send``) for
    their meetings from ``since`` on."""
    return list(
        AgendaItem.objects.filter(
            meeting__members__user_id=int(user.pk or 0),
            meeting__held_on__gte=since,
            sent_to_members_at__isnull=False,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__congress", "department")
        .order_by("meeting__held_on", "position", "pk")[:limit]
    )


def questions_asked(user: AnyUser, *, limit: int = 5) -> list[Question]:
    """The member's own questions at inquiries, newest first, with the answer and the
    mark they gave it (index on ``asked_by``)."""
    return list(
        Question.objects.filter(asked_by_id=int(user.pk or 0))
        .select_related("item__meeting__congress", "department")
        .order_by("-pk")[:limit]
    )


def votes_to_cast(user: AnyUser, *, limit: int = 10) -> list[EvaluationVote]:
    """Open votes in which the member is an elector and has not voted yet."""
    boxes = Elector.objects.filter(voter=int(user.pk or 0), channel__isnull=True).values("box_id")
    return list(
        EvaluationVote.objects.filter(status=VoteStatus.OPEN, box_id__in=boxes)
        .select_related("item__meeting__congress")
        .order_by("pk")[:limit]
    )


def reports_awaited(user: AnyUser, *, limit: int = 10) -> list[AgendaItem]:
    """A clerk's reports still to send, soonest due first (index: department, status). The
    clerk's bodies and the bodies under them (``loop.handled_department_ids``) in the same
    query: the home card costs one."""
    own = user.department_ids if user.is_authenticated else []
    if not own:
        return []
    rows: list[AgendaItem] = list(
        AgendaItem.objects.filter(
            Q(department_id__in=own) | Q(department__parent_id__in=own),
            status=ReportStatus.AWAITED,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__congress", "department")
        # The next date the body must meet: the draft's while it is not sent, else the
        # report's.
        .annotate(
            next_due=Case(
                When(
                    draft_received_at__isnull=True,
                    draft_due_on__isnull=False,
                    then=F("draft_due_on"),
                ),
                default=F("due_on"),
            )
        )
        .order_by("next_due", "pk")[:limit]
    )
    today = timezone.localdate()
    for item in rows:
        item.stages = report_stages(item, today)  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class Stage:
    """One of a report's three stages before the meeting, as the pages show it: when it
    is due, whether it is done (and late), still open past its date (overdue), or passed
    over (the draft, when the report came without one)."""

    key: str
    label: str | Promise
    due_on: datetime.date | None
    done_at: datetime.datetime | None
    late: bool
    overdue: bool
    skipped: bool

    @property
    def flagged(self) -> bool:
        return self.late or self.overdue


def report_stages(item: AgendaItem, today: datetime.date) -> list[Stage]:
    """The stages of a report (none for an inquiry), from the row's facts alone: no query,
    so a list of 30 items costs what a list of 3 does. A stage with no due date and
    nothing done (an item made before the stages were tracked) is left out."""
    if item.kind != ItemKind.REPORT:
        return []
    received = item.status == ReportStatus.RECEIVED
    facts = [
        (
            "draft",
            _("征求意见稿送交"),
            item.draft_due_on,
            item.draft_received_at,
            item.draft_late,
            received,
        ),
        ("report", _("报告报送常委会"), item.due_on, item.received_at, item.late, False),
        (
            "members",
            _("发送组成人员"),
            item.members_due_on,
            item.sent_to_members_at,
            item.members_late,
            False,
        ),
    ]
    stages = []
    for key, label, due_on, done_at, late, passed in facts:
        if due_on is None and done_at is None and not (key == "members" and received):
            continue
        open_ = done_at is None and not passed
        stages.append(
            Stage(
                key=key,
                label=label,
                due_on=due_on,
                done_at=done_at,
                late=late,
                overdue=open_ and due_on is not None and due_on < today,
                skipped=passed and done_at is None,
            )
        )
    return stages


def report_files(item: AgendaItem) -> QuerySet[EventAttachment]:
    """The files the reporting body sent with its report (on the 报送报告 event); whoever
    sees the item sees them, and the download checks the report's visibility again."""
    return EventAttachment.objects.filter(
        event__case_type=REPORT_CASE, event__case_id=item.pk
    ).order_by("pk")


def draft_files(item: AgendaItem) -> QuerySet[EventAttachment]:
    """The files sent with the draft for comments (on the 送交征求意见稿 event)."""
    return EventAttachment.objects.filter(
        event__case_type=DRAFT_CASE, event__case_id=item.pk
    ).order_by("pk")


def inquiry_questions(item: AgendaItem) -> list[Any]:
    """The questions of an inquiry in the order asked, each with its follow-ups."""
    if item.kind != ItemKind.INQUIRY:
        return []
    return list(item.questions.select_related("department", "follow_up_of").order_by("pk"))


def visible_opinions(user: AnyUser) -> QuerySet[ReviewOpinion]:
    """Staff: the opinions of their region and below; a clerk: those issued to their bodies."""
    rows = ReviewOpinion.objects.select_related("item__meeting__congress", "department")
    staff = region_scope_q(user, "region__path")
    if staff is None:
        return rows
    departments = loop.handled_department_ids(user) if user.is_authenticated else []
    if departments:
        staff |= Q(department_id__in=departments) & ~Q(status=OpinionStatus.DRAFT)
    return rows.filter(staff)


def opinion_parties(user: AnyUser, opinion: ReviewOpinion) -> frozenset[str]:
    clerk = user.is_authenticated and opinion.department_id in loop.handled_department_ids(user)
    staff = in_jurisdiction(user, opinion.region)
    return frozenset(n for n, on in (("staff", staff), ("clerk", clerk)) if on)
