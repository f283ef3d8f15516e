"""Reads of the citizen channel: one scoping function per model (docs/architecture.md,
'Who sees what').

``visible_issues`` and ``visible_appointments`` decide who sees what; HTML
lists, API lists, exports, the case type's ``can_view`` and the home cards all
go through them, so an issue outside the scope is a 404 everywhere.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.areas import AREA_DEPTHS, area_q, areas_under
from congress.keyset import sort_key
from congress.models import (
    Assignment,
    AssignmentStatus,
    CaseEvent,
    Department,
    Region,
    Role,
    RoleGrant,
    User,
)
from congress.scoping import AnyUser, area_scope_q, in_jurisdiction, region_scope_q
from congress.summary import BoundedCount, bounded_count
from representatives.models import GridAssignment, Representative, Station, StationMember
from representatives.registry import Holders, PointRecord, PublicCase, month_summary_tally
from representatives.selectors import representative_of, visible_representatives
from suggestions.citizen.privacy import mask_name, mobile_hash, redact_text
from suggestions.citizen.workflow import (
    APPOINTMENT_ACTION_LABELS,
    APPOINTMENT_CASE,
    ISSUE_ACTION_LABELS,
    ISSUE_CASE,
)
from suggestions.models.citizen import (
    GATED_ISSUE_STATUSES,
    HANDLED_ISSUE_STATUSES,
    OPEN_ISSUE_STATUSES,
    Appointment,
    AppointmentStatus,
    BannedPhone,
    CitizenIssue,
    IssueCategory,
    IssueCount,
    IssueDepartment,
    IssueStatus,
)
from suggestions.models.monthly import HandledMonthCount

# --- scoping -------------------------------------------------------------------------


def _department_case_ids(user: AnyUser, case_type: str) -> QuerySet[Assignment, Any]:
    """Cases handed to the departments the user handles (``loop.handled_department_ids``:
    their own and those under them), read on the steps' department index."""
    departments = loop.handled_department_ids(user)
    return Assignment.objects.filter(department_id__in=departments, case_type=case_type).values(
        "case_id"
    )


def staff_scope_q(user: AnyUser) -> Q | None:
    """The staff part of the scope: their regions and below (None: everything)."""
    return area_scope_q(user)


def visible_issues(user: AnyUser) -> QuerySet[CitizenIssue]:
    """Staff: their regions and below. A representative: what is addressed to them or
    given them to handle. A department clerk: what was handed to their department.
    The last two never see submissions still held for confirmation or moderation."""
    rows = CitizenIssue.objects.select_related("category", "region", "station", "handler")
    if not user.is_authenticated:
        return rows.none()
    staff = staff_scope_q(user)
    if staff is None:
        return rows
    others = Q(pk__in=[])
    representative = representative_of(user)
    if representative is not None:
        others |= Q(representative=representative) | Q(handler=representative)
    departments = _handled_departments(user)
    if departments:
        if representative is None and not user.staff_regions and len(departments) == 1:
            return _one_department(rows, departments[0])
        others |= Q(
            pk__in=IssueDepartment.objects.filter(department_id__in=departments).values("issue_id")
        )
    if others == Q(pk__in=[]):
        return rows.filter(staff)  # staff only: one indexed equality, no OR to plan around
    if not user.staff_regions:
        return rows.filter(others & ~Q(status__in=GATED_ISSUE_STATUSES))
    return rows.filter(staff | (others & ~Q(status__in=GATED_ISSUE_STATUSES)))


def _handled_departments(user: AnyUser) -> list[int]:
    """``loop.handled_department_ids``, read once per request: the list's rows and its
    header's count both ask (kept on the user object, as Django keeps its relations)."""
    if not user.is_authenticated or not getattr(user, "department_ids", None):
        return []
    cached: list[int] | None = user.__dict__.get("_issue_departments")
    if cached is None:
        cached = user.__dict__["_issue_departments"] = loop.handled_department_ids(user)
    return cached


def _sole_department(user: AnyUser) -> int | None:
    """The department of a clerk of one department (the usual case; the condition of
    ``visible_issues``' ``_one_department``), else None."""
    if not user.is_authenticated or user.staff_regions or staff_scope_q(user) is None:
        return None
    departments = _handled_departments(user)
    if len(departments) != 1 or representative_of(user) is not None:
        return None
    return departments[0]


def _one_department(rows: QuerySet[CitizenIssue], department: int) -> QuerySet[CitizenIssue]:
    """A clerk of one department (the usual case): a join on the department's
    ``IssueDepartment`` rows, whose index is in the list's order (newest first). The
    copied ``issue_created_at`` is the list's sort key (``congress.keyset.sort_key``):
    a page reads 51 entries of that index however many problems the city holds,
    where ``created_at`` would make PostgreSQL check the newest problems of the whole
    city one by one. At most one row per problem: (problem, department) is unique."""
    return (
        rows.filter(handed_to__department_id=department)
        .alias(**{sort_key("created_at"): F("handed_to__issue_created_at")})
        .exclude(status__in=GATED_ISSUE_STATUSES)
    )


def visible_appointments(user: AnyUser) -> QuerySet[Appointment]:
    rows = Appointment.objects.select_related("representative", "station", "department", "region")
    if not user.is_authenticated:
        return rows.none()
    staff = region_scope_q(user, "region__path")
    if staff is None:
        return rows
    others = Q(pk__in=[])
    representative = representative_of(user)
    if representative is not None:
        others |= Q(representative=representative)
    if user.department_ids:
        others |= Q(pk__in=_department_case_ids(user, APPOINTMENT_CASE))
    return rows.filter(staff | others)


def tracked_issue(token: str) -> CitizenIssue:
    """The problem a citizen's tracking link names (``/q/t/<token>/``), with what its
    page shows beside it; the secret token is the citizen's whole scope
    (docs/architecture.md, "Who sees what"). Any other token is a 404."""
    rows = CitizenIssue.objects.select_related("category", "region", "station", "merged_into")
    return get_object_or_404(rows, tracking_token=token)


def tracked_appointment(token: str) -> Appointment:
    """The appointment a citizen's tracking link names, with what its page shows; the
    secret token is the citizen's whole scope, as for a problem. Any other token is a 404."""
    rows = Appointment.objects.select_related("representative", "station")
    return get_object_or_404(rows, tracking_token=token)


def issue_by_code(tracking_code: str, mobile: str) -> CitizenIssue | None:
    """查询: the problem with this tracking code submitted from this number (the number
    is matched by its hash; none without a number)."""
    if not mobile:
        return None
    rows = CitizenIssue.objects.filter(tracking_code=tracking_code, mobile_hash=mobile_hash(mobile))
    return rows.first()


def can_view_issue(user: User, case_id: int) -> bool:
    return visible_issues(user).filter(pk=case_id).exists()


def can_view_appointment(user: User, case_id: int) -> bool:
    return visible_appointments(user).filter(pk=case_id).exists()


# --- who may do what on one issue ------------------------------------------------------


@dataclass
class IssueRoles:
    staff: bool
    addressed: bool  # the representative the citizen wrote to
    handler: bool  # the representative given it to handle
    department: Assignment | None  # the user's department's latest assignment on it
    any_department: Assignment | None  # the latest department assignment, whoever's

    @property
    def may_see_contact(self) -> bool:
        """Who needs the citizen's name and number to do the work (reveal is audited)."""
        return self.staff or self.handler


def department_assignment(issue: CitizenIssue) -> Assignment | None:
    return (
        Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk, department__isnull=False)
        .select_related("department", "region")
        .order_by("-assigned_at", "-pk")
        .first()
    )


def issue_assignments(issue: CitizenIssue) -> QuerySet[Assignment]:
    """The closed-loop steps of one problem, oldest first."""
    return (
        Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk)
        .select_related("department", "user", "staff_region")
        .order_by("assigned_at", "pk")
    )


def issue_roles(user: AnyUser, issue: CitizenIssue) -> IssueRoles:
    representative = representative_of(user)
    latest = department_assignment(issue)
    mine = None
    if user.is_authenticated and user.department_ids:
        mine = (
            Assignment.objects.filter(
                case_type=ISSUE_CASE, case_id=issue.pk, department_id__in=user.department_ids
            )
            .select_related("department", "region")
            .order_by("-assigned_at", "-pk")
            .first()
        )
    return IssueRoles(
        staff=in_jurisdiction(user, issue.region),
        addressed=representative is not None and issue.representative_id == representative.pk,
        handler=representative is not None and issue.handler_id == representative.pk,
        department=mine,
        any_department=latest,
    )


# --- lists ---------------------------------------------------------------------------------


def with_list_columns(rows: QuerySet[CitizenIssue]) -> QuerySet[CitizenIssue]:
    """What a list row shows: a fixed number of queries for any page. The due date
    and 超期 are the row's own ``next_due_on``; the department is one indexed
    look-up per row shown (evaluated after the LIMIT, never for the whole list)."""
    today = timezone.localdate()
    latest_department = Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=OuterRef("pk"), department__isnull=False
    ).order_by("-assigned_at", "-pk")
    return rows.annotate(
        is_overdue=ExpressionWrapper(Q(next_due_on__lt=today), output_field=BooleanField()),
        next_due=F("next_due_on"),
        department_name=Subquery(latest_department.values("department__name")[:1]),
    )


def overdue_q(today: datetime.date | None = None) -> Q:
    """已超期: an open step of the problem is past its due date (the row's earliest)."""
    return Q(next_due_on__lt=today or timezone.localdate())


def stored_submission(key: str) -> CitizenIssue | None:
    """The problem already stored under a submission's idempotency key, if any.

    The key is the random UUID the form was drawn with: only the citizen holding
    that form knows it, so it may lead back to their own tracking link.

    Every submission asks, and nearly always finds nothing: only what a retry's answer
    shows is read (the tracking code and link, the status), which halves the look-up's
    cost in Python (docs/benchmarks.md)."""
    try:
        value = uuid.UUID(str(key))
    except ValueError:
        return None
    stored = CitizenIssue.objects.filter(idempotency_key=value)
    return stored.only("tracking_code", "tracking_token", "status").first()


def categories() -> QuerySet[IssueCategory]:
    return IssueCategory.objects.filter(is_active=True)


def _labelled(
    events: QuerySet[CaseEvent],
    actions: dict[str, Any],
    statuses: dict[str, Any],
) -> list[CaseEvent]:
    """Events with the labels of their own kind of step: the engine's for an
    assignment's events, this channel's for the case's own. (The shared label
    registry is keyed by bare words like "accepted", which mean different things
    in different apps.)"""
    from congress.loop import ACTION_LABELS

    engine_statuses = dict(AssignmentStatus.choices)
    rows = list(events)
    for event in rows:
        if event.assignment_id:
            event.label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
            event.status_label = engine_statuses.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
        else:
            event.label = actions.get(event.action, event.action)  # type: ignore[attr-defined]
            event.status_label = statuses.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
    return rows


def _events(case_type: str, case_id: int) -> QuerySet[CaseEvent]:
    """A case's timeline. The actors, and the steps with their assignees, are fetched
    by their keys after the events, not joined: for the joins PostgreSQL hashed the
    whole tables of accounts and regions on every case page (14 ms for a city's 5,512
    accounts; 69 ms for a province's 71,000 accounts and 95,000 regions;
    docs/benchmarks.md), where a dozen events name a few of them. Fetched by key, the
    steps' query knows it reads a handful of rows and joins them by their keys."""
    steps = Assignment.objects.select_related("department", "user", "staff_region")
    return (
        CaseEvent.objects.filter(case_type=case_type, case_id=case_id)
        .prefetch_related("attachments", "actor", Prefetch("assignment", queryset=steps))
        .order_by("at", "pk")
    )


def issue_timeline(issue: CitizenIssue) -> list[CaseEvent]:
    return _labelled(_events(ISSUE_CASE, issue.pk), ISSUE_ACTION_LABELS, dict(IssueStatus.choices))


def public_timeline(issue: CitizenIssue) -> list[CaseEvent]:
    """What the citizen's tracking page shows: plain-language notes only, and for a
    problem joined to another one, that one's progress too (it is the same problem)."""
    ids = [issue.pk] + ([issue.merged_into_id] if issue.merged_into_id else [])
    events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id__in=ids).exclude(public_note="")
    if issue.merged_into_id:
        # Of the other problem, only what happened after ours joined it.
        events = events.filter(Q(case_id=issue.pk) | Q(at__gte=issue.created_at))
    return list(events.only("at", "public_note", "action", "case_id").order_by("at", "pk"))


def similar_open_issues(
    *, region: Region, category: IssueCategory | None, text: str, limit: int = 5
) -> list[CitizenIssue]:
    """Open problems of the same kind nearby (the same village or community), newest
    first, that a citizen may join instead of reporting the same thing again."""
    area = region
    while area.parent_id and area.level in ("grid", "microgrid"):
        area = area.parent  # type: ignore[assignment]
    rows = CitizenIssue.objects.filter(
        area_q(area),
        status__in=OPEN_ISSUE_STATUSES,
        hidden_from_public=False,
        created_at__gte=timezone.now() - datetime.timedelta(days=90),
    )
    if category is not None:
        rows = rows.filter(category=category)
    words = [word for word in text.split() if len(word) >= 2][:3]
    if words and category is None:
        query = Q()
        for word in words:
            query |= Q(title__icontains=word)
        rows = rows.filter(query)
    return list(rows.select_related("category").order_by("-created_at")[:limit])


def public_title(issue: CitizenIssue) -> str:
    """A problem's title as the public may read it: numbers masked."""
    return redact_text(issue.title)


def public_reporter(issue: CitizenIssue) -> str:
    if issue.public_anonymous or not issue.citizen_name:
        return ""
    return mask_name(issue.citizen_name)


def public_board_for_station(station: Station, limit: int) -> list[PublicCase]:
    """The station's 公示栏: recently handled problems, anonymised, with their rating.

    One query; registered with representatives' public-case registry.
    """
    rows = (
        CitizenIssue.objects.filter(
            station=station, status__in=HANDLED_ISSUE_STATUSES, hidden_from_public=False
        )
        .select_related("category")
        .order_by("-answered_at", "-pk")[:limit]
    )
    cases = []
    for issue in rows:
        outcome = issue.get_rating_display() if issue.rating else IssueStatus(issue.status).label
        title = f"【{issue.category.name}】{public_title(issue)}"
        reporter = public_reporter(issue)
        if reporter:  # the citizen chose to be named: the family name only
            title += _("（%(name)s反映）") % {"name": reporter}
        moment = issue.answered_at or issue.created_at
        cases.append(PublicCase(title=title, status=outcome, date=timezone.localdate(moment)))
    return cases


def is_banned(mobile_hash: str) -> bool:
    if not mobile_hash:
        return False
    now = timezone.now()
    return BannedPhone.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), mobile_hash=mobile_hash
    ).exists()


# --- who works on an issue ------------------------------------------------------------------


def staff_region_for(region: Region) -> Region:
    """The nearest region at or above ``region`` whose congress has staff in the system
    (a village has none: its town's or district's office takes the problem)."""
    ancestry = region.ancestor_ids()
    staffed = set(
        RoleGrant.objects.filter(
            role=Role.STAFF, region_id__in=ancestry, user__is_active=True
        ).values_list("region_id", flat=True)
    )
    for region_id in reversed(ancestry):
        if region_id in staffed:
            return region if region_id == region.pk else Region.objects.get(pk=region_id)
    return region


def staff_of(region: Region) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_grants__role=Role.STAFF, role_grants__region=region
    ).distinct()


def default_representative(issue: CitizenIssue) -> Representative | None:
    """Who handles a problem unless staff choose: the one it was addressed to, else the
    representative responsible for its grid (责任田), else the station's head."""
    if issue.representative_id:
        return issue.representative
    grid = (
        GridAssignment.objects.filter(is_active=True, grid_id__in=issue.region.ancestor_ids())
        .select_related("representative")
        .order_by("-grid__depth", "pk")
        .first()
    )
    if grid is not None:
        return grid.representative
    if issue.station_id:
        member = (
            StationMember.objects.filter(station_id=issue.station_id, is_active=True)
            .select_related("representative")
            .order_by("role", "pk")
            .first()
        )
        if member is not None:
            return member.representative
    return None


def representative_choices(
    user: AnyUser, issue: CitizenIssue | None = None
) -> QuerySet[Representative]:
    """Whom staff may give a problem to: representatives in their scope."""
    rows = visible_representatives(user)
    if issue is not None and not user.is_superuser:
        rows = rows.filter(region__path__startswith=staff_region_for(issue.region).path)
    return rows.order_by("name", "pk")


def department_choices(issue: CitizenIssue) -> QuerySet[Department]:
    """Departments a problem can be handed to: of its region and the regions above."""
    return (
        Department.objects.filter(is_active=True, region_id__in=issue.region.ancestor_ids())
        .select_related("region")
        .order_by("-region__depth", "name")
    )


def merge_candidates(user: AnyUser, issue: CitizenIssue) -> QuerySet[CitizenIssue]:
    return (
        visible_issues(user)
        .filter(status__in=OPEN_ISSUE_STATUSES, category_id=issue.category_id)
        .exclude(pk=issue.pk)
        .order_by("-created_at")
    )


# --- appointments ---------------------------------------------------------------------------


# What a signed-in user can be to one appointment. The citizen has no account: they
# answer through their tracking link (``appointment_views.appointment_track_act``).
AppointmentParty = Literal["representative", "staff", "clerk"]


def appointment_parties(user: AnyUser, appointment: Appointment) -> frozenset[AppointmentParty]:
    """What the user is to the appointment: its representative, staff of its region (or
    an administrator), the clerk of the department asked. Who may take which action
    is declared in ``appointment_actions.APPOINTMENT_ACTIONS``."""
    if not user.is_authenticated:
        return frozenset()
    parties: set[AppointmentParty] = set()
    representative = representative_of(user)
    if representative is not None and appointment.representative_id == representative.pk:
        parties.add("representative")
    if in_jurisdiction(user, appointment.region):
        parties.add("staff")
    if appointment.department_id and appointment.department_id in user.department_ids:
        parties.add("clerk")
    return frozenset(parties)


def upcoming_appointments(representative: Representative, days: int = 30) -> QuerySet[Appointment]:
    now = timezone.now()
    return (
        Appointment.objects.filter(
            representative=representative,
            status=AppointmentStatus.CONFIRMED,
            scheduled_at__gte=now - datetime.timedelta(hours=2),
            scheduled_at__lte=now + datetime.timedelta(days=days),
        )
        .select_related("station", "department")
        .order_by("scheduled_at")
    )


def appointment_timeline(appointment: Appointment) -> list[CaseEvent]:
    return _labelled(
        _events(APPOINTMENT_CASE, appointment.pk),
        APPOINTMENT_ACTION_LABELS,
        dict(AppointmentStatus.choices),
    )


def appointment_public_timeline(appointment: Appointment) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(case_type=APPOINTMENT_CASE, case_id=appointment.pk)
        .exclude(public_note="")
        .order_by("at", "pk")
    )


# --- points (履职积分) and home cards ----------------------------------------------------


def handled_tally(
    representatives: Holders, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    """Problems a representative saw through to a close, per representative, in any
    period (one grouped query, left unevaluated: representatives.registry,
    ``PointTally``)."""
    from django.db.models import Count, F, Value

    # Local days as a half-open range of instants, so the index on (closed_at, handler)
    # reads the period's entries (a ``__date`` filter would read every closed problem).
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return (
        CitizenIssue.objects.filter(
            handler__in=representatives,
            status=IssueStatus.CLOSED,
            handler__isnull=False,
            closed_at__gte=first,
            closed_at__lt=after,
        )
        .order_by()
        .annotate(point_holder=F("handler_id"), point_code=Value("citizen_issue_handled"))
        .values("point_holder", "point_code")
        # The handler (never null here), not the key: the count is then read from
        # the index of closes (``citizenissue_closed_handler``) without the rows.
        .annotate(point_count=Count("handler_id"))
    )


def handled_month_tally(
    representatives: Holders | None, first: datetime.date, last: datetime.date
) -> QuerySet[Any]:
    """The same rows as ``handled_tally`` for whole months (the dashboard's, the
    reports'; ``PointSource.tally_of`` chooses), from the closes per handler and month
    (``HandledMonthCount``, kept by the services): one row per person and month, where
    the problems are one per close (2.2 million in a year of the benchmark's province)."""
    from django.db.models import Value

    return month_summary_tally(
        HandledMonthCount.objects.all(),
        representatives,
        first,
        last,
        code=Value("citizen_issue_handled"),
        count="closed",
    )


def handled_records(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> list[PointRecord]:
    rows = list(
        CitizenIssue.objects.filter(
            handler=representative, status=IssueStatus.CLOSED, closed_at__date__range=(start, end)
        ).order_by("-closed_at")
    )
    shown = set(
        visible_issues(viewer).filter(pk__in=[i.pk for i in rows]).values_list("pk", flat=True)
    )
    return [
        PointRecord(
            "citizen_issue_handled",
            timezone.localdate(issue.closed_at) if issue.closed_at else start,
            f"{issue.tracking_code} {public_title(issue)}",
            issue.get_absolute_url() if issue.pk in shown else "",
        )
        for issue in rows
    ]


def counted_regions(user: AnyUser) -> list[Region] | None:
    """The regions whose ``IssueCount`` rows make up the user's scope, or None when
    the summary cannot say it (a representative's or a clerk's own cases, a staff
    region below the counted depth). An administrator: every root."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return list(Region.objects.filter(parent__isnull=True))
    if user.department_ids or representative_of(user) is not None:
        return None
    regions = user.staff_regions
    if not regions or any(region.depth >= AREA_DEPTHS for region in regions):
        return None
    # A region inside another of the user's regions is counted once, in the outer one.
    return [r for r in regions if not any(r.is_within(o) and r != o for o in regions)]


def issue_counts(regions: list[Region]) -> dict[tuple[str, bool], int]:
    """Problems per (status, 需督办) in ``regions`` and below, summed from the summary
    rows of the areas there (one query: a city is about a hundred areas)."""
    scope = Q(pk__in=[])
    for region in regions:
        scope |= areas_under(region)
    rows = (
        IssueCount.objects.filter(scope)
        .values("status", "needs_supervision")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {(row["status"], row["needs_supervision"]): row["n"] for row in rows}


def home_counts(user: AnyUser) -> dict[str, Any]:
    """The 群众诉求 card: exact figures from the summary rows for staff; for a
    representative's or a clerk's own cases, counts up to a bound ("1,000+").
    超期 changes with the calendar, not with a write: it is a bounded count on the
    (area, next_due_on) index."""
    rows = visible_issues(user)
    overdue = bounded_count(rows.filter(overdue_q()))
    regions = counted_regions(user)
    if regions is None:
        return {
            "submitted": bounded_count(rows.filter(status=IssueStatus.SUBMITTED)),
            "in_progress": bounded_count(rows.filter(status__in=OPEN_ISSUE_STATUSES)),
            "overdue": overdue,
            "supervision": bounded_count(
                rows.filter(needs_supervision=True).exclude(
                    status__in=[IssueStatus.CLOSED, IssueStatus.MERGED]
                )
            ),
            "review": bounded_count(rows.filter(status=IssueStatus.PENDING_REVIEW)),
        }
    counts = issue_counts(regions)

    def total(statuses: Sequence[str], *, flagged: bool | None = None) -> BoundedCount:
        return BoundedCount(
            sum(
                n
                for (status, flag), n in counts.items()
                if status in statuses and (flagged is None or flag == flagged)
            )
        )

    unfinished = [s for s in IssueStatus if s not in (IssueStatus.CLOSED, IssueStatus.MERGED)]
    return {
        "submitted": total([IssueStatus.SUBMITTED]),
        "in_progress": total(list(OPEN_ISSUE_STATUSES)),
        "overdue": overdue,
        "supervision": total(unfinished, flagged=True),
        "review": total([IssueStatus.PENDING_REVIEW]),
    }


def _handed_rows(department: int, statuses: Sequence[str]) -> QuerySet[IssueDepartment]:
    """A one-department clerk's list counted on the department's ``IssueDepartment``
    rows alone, which carry the problem's status: up to the bound on the index of
    (department, status), with no visit to each problem's row (1,001 of them were
    read for the bound: 24 ms at 5M, docs/benchmarks.md)."""
    handed = IssueDepartment.objects.filter(department_id=department).exclude(
        status__in=GATED_ISSUE_STATUSES
    )
    return handed.filter(status__in=statuses) if statuses else handed


def list_total(
    user: AnyUser, filters: dict[str, Any], rows: QuerySet[CitizenIssue]
) -> BoundedCount:
    """The figure in a list's header: the summary's exact total when the list is
    the user's whole scope or only narrowed by status; else ``rows`` (the filtered
    list) counted up to a bound ("1,000+")."""
    regions = counted_regions(user)
    narrowed = {name for name, value in filters.items() if value not in (None, "", [])}
    statuses = filters.get("status") or []
    department = _sole_department(user) if regions is None else None
    if department is not None and not narrowed - {"status"}:
        return bounded_count(_handed_rows(department, statuses))
    if regions is None or narrowed - {"status"}:
        return bounded_count(rows)
    counts = issue_counts(regions)
    return BoundedCount(
        sum(n for (status, _flag), n in counts.items() if not statuses or status in statuses)
    )
