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

from django.db.models import Q, QuerySet
from django.utils import timezone

from congress import loop
from congress.models import Elector, EventAttachment
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from supervision.meetings.workflow import REPORT_CASE
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
    """Reports received for the member's meetings from ``since`` on."""
    return list(
        AgendaItem.objects.filter(
            meeting__members__user_id=int(user.pk or 0),
            meeting__held_on__gte=since,
            status=ReportStatus.RECEIVED,
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
    return list(
        AgendaItem.objects.filter(
            Q(department_id__in=own) | Q(department__parent_id__in=own),
            status=ReportStatus.AWAITED,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__congress", "department")
        .order_by("due_on", "pk")[:limit]
    )


def report_files(item: AgendaItem) -> QuerySet[EventAttachment]:
    """The files the reporting body sent with its report (on the 报送报告 event); whoever
    sees the item sees them, and the download checks the report's visibility again."""
    return EventAttachment.objects.filter(
        event__case_type=REPORT_CASE, event__case_id=item.pk
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
