"""Scoped reads of plans, topics and findings (docs/architecture.md, "Who sees what").

- Congress staff see the plans, topics and findings of their region and below (a
  topic's region is its congress's region); administrators see everything.
- A department's clerk sees only the findings handed to their department (and to the
  departments under it, as in the engine: ``handled_department_ids``), and nothing of
  the plans and topics beyond the topic's title on the finding's page.
- Everyone else gets 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from congress.loop import handled_department_ids
from congress.models import Congress, Department, Region
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from supervision.models.topics import (
    Committee,
    Finding,
    FindingStatus,
    FollowUpReview,
    Investigation,
    SupervisionPlan,
    Topic,
)

M = TypeVar("M", bound=Model)

OPEN_FINDING = [FindingStatus.RECTIFYING, FindingStatus.CLAIMED]


def _staff_only(rows: QuerySet[M], user: AnyUser) -> QuerySet[M]:
    query = region_scope_q(user, "region__path")
    return rows if query is None else rows.filter(query)


def visible_plans(user: AnyUser) -> QuerySet[SupervisionPlan]:
    return _staff_only(SupervisionPlan.objects.select_related("congress"), user)


def visible_topics(user: AnyUser) -> QuerySet[Topic]:
    return _staff_only(Topic.objects.select_related("plan", "congress"), user)


def visible_findings(user: AnyUser) -> QuerySet[Finding]:
    rows = Finding.objects.select_related("topic", "department", "category")
    if not user.is_authenticated:
        return rows.none()
    query = region_scope_q(user, "region__path")
    if query is None:
        return rows
    departments = handled_department_ids(user)
    if departments:
        query |= Q(department_id__in=departments)
    return rows.filter(query)


def visible_investigations(user: AnyUser) -> QuerySet[Investigation]:
    rows = Investigation.objects.select_related("topic")
    query = region_scope_q(user, "topic__region__path")
    return rows if query is None else rows.filter(query)


def manages(user: AnyUser, obj: SupervisionPlan | Topic | Finding) -> bool:
    """Staff of the object's region (or above) or an administrator."""
    return in_jurisdiction(user, obj.region)


def handles(user: AnyUser, finding: Finding) -> bool:
    """The clerk of the finding's responsible department (or of the one above it)."""
    return user.is_authenticated and finding.department_id in handled_department_ids(user)


def congresses_managed(user: AnyUser) -> QuerySet[Congress]:
    rows = Congress.objects.select_related("region").order_by("region__path")
    query = region_scope_q(user, "region__path")
    return rows if query is None else rows.filter(query)


def departments_for_region(region: Region) -> QuerySet[Department]:
    """The departments of a region and below: those a topic may concern."""
    return Department.objects.filter(
        is_active=True, region__path__startswith=region.path
    ).select_related("region")


def departments_for(topic: Topic) -> QuerySet[Department]:
    """The departments a topic's finding may be handed to: those of its region and below."""
    return departments_for_region(topic.region)


def committees_for(congress: Congress) -> QuerySet[Committee]:
    return Committee.objects.filter(congress=congress, is_active=True)


# --- lists --------------------------------------------------------------------------------


PLAN_ORDER = ("-created_at", "-pk")
TOPIC_ORDER = ("-created_at", "-pk")
FINDING_ORDER = ("-created_at", "-pk")
TOPIC_FINDING_ORDER = ("number", "pk")


def plan_list(user: AnyUser) -> QuerySet[SupervisionPlan]:
    return visible_plans(user).annotate(topic_count=Count("topics"))


def topic_list(user: AnyUser) -> QuerySet[Topic]:
    return visible_topics(user)


def finding_list(user: AnyUser, *, status: str = "", flagged: bool = False) -> QuerySet[Finding]:
    rows = visible_findings(user)
    if status:
        rows = rows.filter(status=status)
    if flagged:
        rows = rows.filter(is_flagged=True)
    return rows


def topic_findings(topic: Topic) -> QuerySet[Finding]:
    return topic.findings.select_related("department", "category")


@dataclass(frozen=True)
class Progress:
    """A topic's way to 销号清零: x of y closed off, and how many are overdue."""

    total: int
    closed_off: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.closed_off / self.total) if self.total else 0

    @property
    def cleared(self) -> bool:
        return self.total > 0 and self.closed_off == self.total


def topic_progress(topic: Topic, today: datetime.date | None = None) -> Progress:
    """The counts kept on the topic's row, and the overdue ones counted on the index
    (topic, status, due_on): overdue changes with the calendar, not with a write."""
    today = today or timezone.localdate()
    overdue = Finding.objects.filter(
        topic=topic, status=FindingStatus.RECTIFYING, due_on__lt=today
    ).count()
    return Progress(topic.findings_count, topic.findings_closed_off, overdue)


def staff_card_counts(user: AnyUser, *, limit: int = 1000) -> tuple[int, int]:
    """(overdue, awaiting close-off) findings in the user's jurisdiction: one query on
    the index (region, status, due_on), each figure bounded by ``limit``."""
    today = timezone.localdate()
    rows = _staff_only(Finding.objects.all(), user).filter(
        Q(status=FindingStatus.CLAIMED) | Q(status=FindingStatus.RECTIFYING, due_on__lt=today)
    )
    statuses = list(rows.values_list("status", flat=True)[: 2 * limit])
    claimed = statuses.count(FindingStatus.CLAIMED)
    return min(len(statuses) - claimed, limit), min(claimed, limit)


def visible_reviews(user: AnyUser) -> QuerySet[FollowUpReview]:
    """The 回头看 of the topics the user sees (staff of the region and above)."""
    return FollowUpReview.objects.filter(topic__in=visible_topics(user)).select_related("topic")


def topic_reviews(topic: Topic) -> QuerySet[FollowUpReview]:
    return topic.reviews.all()


# --- the year's figures by department ----------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, half-up to one decimal; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class DepartmentRate:
    """One department's findings of a year: how many, how many closed off (销号), how many
    of those by their due date (``Finding.closed_on_time``), and the long-term ones."""

    department: str
    total: int
    closed_off: int
    on_time: int
    long_term: int

    @property
    def closed_off_rate(self) -> Decimal | None:
        """销号率: closed off of all the department's findings of the year."""
        return _percent(self.closed_off, self.total)

    @property
    def on_time_rate(self) -> Decimal | None:
        """按期销号率: closed off by the due date, of those closed off."""
        return _percent(self.on_time, self.closed_off)


def plan_years(user: AnyUser) -> list[int]:
    """The years of the plans the user sees, newest first (one query)."""
    years = visible_plans(user).order_by("-year").values_list("year", flat=True).distinct()
    return list(years)


def finding_rates(user: AnyUser, year: int) -> tuple[list[DepartmentRate], DepartmentRate]:
    """The findings of ``year``'s plans in the user's jurisdiction, by responsible
    department (closed-off rate first, then on-time rate), and the total: one grouped
    query, whatever the number of findings."""
    closed = Q(status=FindingStatus.CLOSED_OFF)
    grouped = (
        _staff_only(Finding.objects.filter(topic__plan__year=year), user)
        .values("department_id", "department__name")
        .annotate(
            total=Count("pk"),
            closed_off=Count("pk", filter=closed),
            on_time=Count("pk", filter=closed & Q(closed_on_time=True)),
            long_term=Count("pk", filter=Q(is_long_term=True)),
        )
        .order_by("department__name", "department_id")
    )
    rows = [
        DepartmentRate(
            department=row["department__name"],
            total=row["total"],
            closed_off=row["closed_off"],
            on_time=row["on_time"],
            long_term=row["long_term"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (-(r.closed_off_rate or 0), -(r.on_time_rate or 0)))
    total = DepartmentRate(
        department="",
        total=sum(r.total for r in rows),
        closed_off=sum(r.closed_off for r in rows),
        on_time=sum(r.on_time for r in rows),
        long_term=sum(r.long_term for r in rows),
    )
    return rows, total


# --- the public pages: what the congress published ----------------------------------------

PUBLIC_ORDER = ("-published_at", "-pk")


def published_topics() -> QuerySet[Topic]:
    """The topics whose findings the staff published, for anyone."""
    return Topic.objects.filter(published_at__isnull=False).select_related("congress")


def public_findings(topic: Topic) -> QuerySet[Finding]:
    """A published topic's findings, only the columns the public page shows (no
    description, measures, evidence or timeline: those may name people)."""
    return (
        topic.findings.select_related("category", "department")
        .only(
            "topic_id",
            "number",
            "title",
            "category__title",
            "category__number",
            "department__name",
            "status",
            "is_long_term",
            "target",
            "is_flagged",
            "due_on",
            "closed_off_at",
        )
        .order_by("number")
    )
