"""Reads of suggestions: the one scoping function, who may do what, lists and timelines.

Who sees a suggestion (docs/architecture.md, 'Who sees what'):
- its signers (the lead always; co-signers once they are asked to sign);
- congress staff of the congress's region and above (and committee members of that
  congress) once it is submitted; drafts belong to the representatives (and to the
  staff member who typed in a paper one, 代录);
- the town office serving the lead, while it pre-reviews (会前预提交、镇街人大汇总把关);
- a department's clerks, when the suggestion is assigned to their department (or to a
  department they supervise, as the engine escalates to them);
- administrators.
Everything else is a 404 through ``get_visible_or_404``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress.areas import area_q
from congress.loop import visible_assignments
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    CaseEvent,
    Department,
    EventAttachment,
    Region,
    Role,
    Session,
    SessionKind,
    User,
)
from congress.scoping import AnyUser, committee_scope_q, in_jurisdiction, region_scope_q
from congress.workdays import add_workdays
from representatives.models import Mandate, MandateStatus, Representative
from representatives.selectors import representative_of
from suggestions.formal.workflow import SIGNER_CASE, SUGGESTION_CASE
from suggestions.models.formal import (
    SignerRole,
    SignerStatus,
    Suggestion,
    SuggestionCategory,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    SuggestionStatus,
)

S = SuggestionStatus
PRIVATE = [S.DRAFT, S.CO_SIGNING]  # the representatives' own until submitted
PRE_REVIEW = [S.SUBMITTED, S.PRE_RETURNED]
IN_HANDLING = [S.HANDLING, S.REHANDLING]
ANSWERED = [S.REPLIED, S.RATED, S.CARRIED_OVER, S.CLOSED, S.REHANDLING]
RECEIVED = [
    S.SUBMITTED,
    S.PRE_RETURNED,
    S.REGISTERED,
    S.MERGED,
    S.CONVERTED,
    S.DECLINED,
    S.HANDLING,
    S.REPLIED,
    S.REHANDLING,
    S.RATED,
    S.CARRIED_OVER,
    S.CLOSED,
]
# Filed and taken up (立案 and after): what counts for points and the handling report.
TAKEN_UP = [S.REGISTERED, S.HANDLING, S.REPLIED, S.REHANDLING, S.RATED, S.CARRIED_OVER, S.CLOSED]

# Words in a department's name that suit each category (a hint for staff, never binding).
CATEGORY_DEPARTMENT_HINTS: dict[str, list[str]] = {
    SuggestionCategory.ECONOMY: ["发展和改革", "商务", "财政", "数据"],
    SuggestionCategory.URBAN: ["住房和城乡建设", "自然资源", "城市管理", "水务"],
    SuggestionCategory.TRANSPORT: ["交通运输", "公安"],
    SuggestionCategory.EDUCATION: ["教育"],
    SuggestionCategory.HEALTH: ["卫生健康", "医疗保障"],
    SuggestionCategory.SOCIAL: ["民政", "人力资源", "退役军人", "医疗保障"],
    SuggestionCategory.ENVIRONMENT: ["生态环境", "水利"],
    SuggestionCategory.AGRICULTURE: ["农业农村", "水利"],
    SuggestionCategory.CULTURE: ["文化", "体育"],
    SuggestionCategory.LEGAL: ["法院", "检察院", "公安", "司法"],
    SuggestionCategory.OTHER: ["人民政府办公室"],
}


# --- who ---------------------------------------------------------------------


def is_staff_for(user: AnyUser, suggestion: Suggestion) -> bool:
    """Staff of the suggestion's congress (its region or a region above)."""
    return in_jurisdiction(user, suggestion.congress.region)


def is_pre_reviewer(user: AnyUser, suggestion: Suggestion) -> bool:
    """The congress's staff, or the town office of the lead representative's region."""
    return is_staff_for(user, suggestion) or in_jurisdiction(user, suggestion.region)


def may_file_for(user: AnyUser, representative: Representative, session: Session) -> bool:
    """The representative themselves, or staff entering a paper suggestion (代录)."""
    if representative.user_id is not None and representative.user_id == user.pk:
        return True
    return in_jurisdiction(user, session.term.congress.region)


def signer_of(user: AnyUser, suggestion: Suggestion) -> SuggestionSigner | None:
    representative = representative_of(user)
    if representative is None:
        return None
    return suggestion.signers.filter(representative=representative).first()


def is_lead(user: AnyUser, suggestion: Suggestion) -> bool:
    representative = representative_of(user)
    return representative is not None and representative.pk == suggestion.lead_id


def handles(user: AnyUser, assignment: Assignment) -> bool:
    """A clerk of the assigned department (the only ones who act for it)."""
    return bool(
        user.is_authenticated
        and assignment.department_id is not None
        and assignment.department_id in user.department_ids
    )


def active_mandate(representative: Representative, session: Session) -> Mandate | None:
    """The representative's live seat in the session's congress and term, if any."""
    return (
        Mandate.objects.filter(
            representative=representative, term=session.term, status=MandateStatus.ACTIVE
        )
        .select_related("delegation", "group")
        .first()
    )


def staff_users_of(region: Region) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role_grants__role=Role.STAFF, role_grants__region=region
    ).distinct()


def handler_users_of(department_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role_grants__role=Role.HANDLER,
        role_grants__department_id__in=list(department_ids),
    ).distinct()


def signer_users(suggestion: Suggestion) -> list[User]:
    """Everyone who signed (and confirmed) and has a login: they all receive the reply."""
    return list(
        User.objects.filter(
            is_active=True,
            representative__signed_suggestions__suggestion=suggestion,
            representative__signed_suggestions__status=SignerStatus.CONFIRMED,
        ).distinct()
    )


# --- the scope -------------------------------------------------------------------


def _areas_q(regions: Iterable[Region], prefix: str, region_field: str) -> Q:
    """Rows whose ``<prefix>N`` columns place them in one of ``regions`` or below."""
    query = Q(pk__in=[])
    for region in regions:
        query |= area_q(region, prefix=prefix, region_field=region_field)
    return query


def suggestion_scope_q(user: AnyUser) -> Q | None:
    """The filter behind ``visible_suggestions``; None means everything (administrators).

    Staff and committee members are matched on the row's own area columns (the
    congress's place, and the filing region's for pre-review), each arm an index
    range, so a jurisdiction's list does not join the regions nor grow with the
    table (docs/architecture.md, "Reads that do not grow with the data")."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    staff_regions = user.staff_regions
    staff = _areas_q(staff_regions, "area_", "congress__region_id")
    committee = _areas_q(user.regions_for(Role.COMMITTEE), "area_", "congress__region_id")
    query = (staff | committee) & ~Q(status__in=PRIVATE)
    if staff_regions:
        pre_review = _areas_q(staff_regions, "origin_area_", "region_id")
        query |= pre_review & Q(status__in=PRE_REVIEW)
        # A paper suggestion typed in by staff (代录) is theirs to finish while they
        # cover it, as the services allow (the filer): they see their own draft.
        query |= Q(created_by_id=user.pk) & (staff | pre_review)
    representative = representative_of(user)
    if representative is not None:
        signed = SuggestionSigner.objects.filter(representative=representative)
        query |= Q(lead=representative) | (
            Q(pk__in=signed.values("suggestion_id")) & ~Q(status=S.DRAFT)
        )
    department_ids = user.department_ids
    if department_ids:
        assigned = Assignment.objects.filter(case_type=SUGGESTION_CASE).filter(
            Q(department_id__in=department_ids) | Q(department__parent_id__in=department_ids)
        )
        query |= Q(pk__in=assigned.values("case_id"))
    return query


def visible_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    rows = Suggestion.objects.select_related(
        "session__term__congress", "congress__region", "lead", "region", "delegation"
    )
    query = suggestion_scope_q(user)
    return rows if query is None else rows.filter(query)


def visible_suggestion_assignments(user: AnyUser) -> QuerySet[Assignment]:
    """The engine's scope for assignments, narrowed to suggestions."""
    return visible_assignments(user).filter(case_type=SUGGESTION_CASE)


# --- one suggestion ----------------------------------------------------------------


def suggestion_signers(suggestion: Suggestion) -> list[SuggestionSigner]:
    return list(
        suggestion.signers.select_related("representative").order_by("-role", "invited_at", "pk")
    )


def suggestion_assignments(suggestion: Suggestion) -> list[Assignment]:
    return list(
        Assignment.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
        .select_related("department")
        .order_by("assigned_at", "pk")
    )


def lead_assignment_of(suggestion: Suggestion) -> Assignment | None:
    """The current lead (主办) assignment, read fresh (its status moves under us)."""
    if suggestion.lead_assignment_id is None:
        return None
    return Assignment.objects.select_related("department").get(pk=suggestion.lead_assignment_id)


def co_handler_assignments(suggestion: Suggestion) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        case_type=SUGGESTION_CASE, case_id=suggestion.pk, role=AssignmentRole.CO_HANDLER
    ).select_related("department")


def suggestion_replies(suggestion: Suggestion) -> list[SuggestionReply]:
    return list(
        suggestion.replies.select_related("department", "event")
        .prefetch_related(
            "event__attachments",
            Prefetch("ratings", queryset=SuggestionRating.objects.select_related("representative")),
        )
        .order_by("replied_at", "pk")
    )


def latest_main_reply(suggestion: Suggestion) -> SuggestionReply | None:
    return suggestion.replies.filter(is_follow_up=False).order_by("-replied_at", "-pk").first()


def suggestion_timeline(suggestion: Suggestion) -> QuerySet[CaseEvent]:
    """The suggestion's steps, its departments' steps and its co-signers' answers, in order.

    A department's step is found through its assignment, not the event's own case_id:
    ``apply_transition`` records an assignment's moves under the assignment's primary key
    (reported to the core; reading through the assignment is right either way).
    """
    signer_ids = suggestion.signers.values("pk")
    return (
        CaseEvent.objects.filter(
            Q(case_type=SUGGESTION_CASE, case_id=suggestion.pk, assignment__isnull=True)
            | Q(assignment__case_type=SUGGESTION_CASE, assignment__case_id=suggestion.pk)
            | Q(case_type=SIGNER_CASE, case_id__in=signer_ids)
        )
        .select_related("actor", "assignment__department")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )


def suggested_departments(suggestion: Suggestion) -> list[Department]:
    """Departments of the congress's own region whose names suit the category."""
    hints = CATEGORY_DEPARTMENT_HINTS.get(suggestion.category, [])
    if not hints:
        return []
    query = Q(pk__in=[])
    for hint in hints:
        query |= Q(name__contains=hint)
    return list(
        Department.objects.filter(query, region=suggestion.congress.region, is_active=True)[:5]
    )


def assignable_departments(suggestion: Suggestion) -> QuerySet[Department]:
    """Departments of the congress's region and below (a city may assign to a county)."""
    return Department.objects.filter(
        is_active=True, region__path__startswith=suggestion.congress.region.path
    ).select_related("region")


def cosigner_candidates(suggestion: Suggestion) -> QuerySet[Representative]:
    """Representatives with a live seat in the same congress term, not yet on the list."""
    return (
        Representative.objects.filter(
            mandates__term=suggestion.session.term, mandates__status=MandateStatus.ACTIVE
        )
        .exclude(pk__in=suggestion.signers.values("representative_id"))
        .order_by("name", "pk")
        .distinct()
    )


def plenary_sessions_for(representative: Representative) -> QuerySet[Session]:
    """The sessions a representative may file to: the plenary sessions of their terms."""
    terms = Mandate.objects.filter(
        representative=representative, status=MandateStatus.ACTIVE, term__isnull=False
    ).values("term_id")
    return (
        Session.objects.filter(term_id__in=terms, kind=SessionKind.PLENARY)
        .select_related("term__congress")
        .order_by("-opens_on")
    )


def sessions_in_scope(user: AnyUser) -> QuerySet[Session]:
    """Plenary sessions of the congresses a staff member or committee member covers."""
    rows = Session.objects.filter(kind=SessionKind.PLENARY).select_related("term__congress")
    if not user.is_authenticated:
        return rows.none()
    staff = region_scope_q(user, "term__congress__region__path")
    if staff is None:
        return rows.order_by("-opens_on")
    query = staff | committee_scope_q(user, "term__congress__region__path")
    return rows.filter(query).order_by("-opens_on")


# --- lists ---------------------------------------------------------------------------


def with_list_columns(rows: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """What a list row shows, in a fixed number of queries (no per-row lookups)."""
    return rows.select_related("lead_assignment__department").annotate(
        cosigner_count=_cosigner_count()
    )


def _cosigner_count() -> Any:
    """Confirmed co-signers, counted for each row of the page only (a subquery on the
    signers' index): a join and GROUP BY over the list would count the whole scope."""
    confirmed = (
        SuggestionSigner.objects.filter(
            suggestion=OuterRef("pk"),
            role=SignerRole.CO_SIGNER,
            status=SignerStatus.CONFIRMED,
        )
        .order_by()
        .values("suggestion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(confirmed, output_field=IntegerField()), 0)


def awaiting_rating(user: AnyUser) -> QuerySet[Suggestion]:
    """Replied suggestions this representative signed and has not rated yet."""
    representative = representative_of(user)
    if representative is None:
        return Suggestion.objects.none()
    rated = SuggestionRating.objects.filter(
        representative=representative, reply__suggestion=OuterRef("pk")
    )
    return (
        visible_suggestions(user)
        .filter(
            status=S.REPLIED,
            signers__representative=representative,
            signers__status=SignerStatus.CONFIRMED,
        )
        .annotate(rated=Exists(rated.filter(reply__is_follow_up=False)))
        .filter(rated=False)
    )


def department_workspace(user: AnyUser) -> QuerySet[Assignment]:
    """A clerk's suggestion assignments: open ones first, the overdue at the top."""
    today = timezone.localdate()
    department_ids = user.department_ids if user.is_authenticated else []
    # The engine's scope includes every step of the user's own departments, so these
    # are read on the department's index directly, not through the scope's ``OR``
    # (its supervised-departments arm is a join no index serves).
    return (
        Assignment.objects.select_related("department", "user", "staff_region", "region")
        .filter(case_type=SUGGESTION_CASE, department_id__in=list(department_ids))
        .annotate(
            rank=Case(
                When(status__in=OPEN_STATUSES, due_on__lt=today, then=Value(0)),
                When(status__in=OPEN_STATUSES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "due_on", "pk")
    )


def suggestion_attachment(suggestion: Suggestion, token: str) -> EventAttachment | None:
    """A document on this suggestion's timeline (a reply letter, a co-handler's opinion)."""
    return (
        EventAttachment.objects.filter(token=token)
        .filter(event__in=suggestion_timeline(suggestion).values("pk"))
        .first()
    )


def suggestions_by_id(ids: Iterable[int]) -> dict[int, Suggestion]:
    rows = Suggestion.objects.filter(pk__in=list(ids)).select_related("session__term__congress")
    return {row.pk: row for row in rows}


def key_suggestions(user: AnyUser) -> QuerySet[Suggestion]:
    return (
        visible_suggestions(user)
        .filter(is_key=True)
        .exclude(status__in=PRIVATE)
        .select_related("lead_assignment__department")
        .annotate(
            progress_reports=_progress_count(),
        )
        .order_by("status", "number")
    )


def _progress_count() -> Any:
    reports = (
        CaseEvent.objects.filter(
            assignment__case_type=SUGGESTION_CASE,
            assignment__case_id=OuterRef("pk"),
            action="progress",
        )
        .order_by()
        .values("assignment__case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(reports, output_field=IntegerField()), Value(0))


def carried_over(congress_ids: Iterable[int], before: datetime.date) -> QuerySet[Suggestion]:
    """B/C suggestions of earlier sessions still followed up (跨年度跟踪)."""
    return (
        Suggestion.objects.filter(
            congress_id__in=list(congress_ids),
            status=S.CARRIED_OVER,
            session__opens_on__lt=before,
        )
        .select_related("session__term__congress", "lead", "lead_assignment__department")
        .order_by("session__opens_on", "number")
    )


# --- the public page (no login) -------------------------------------------------------


def public_suggestions() -> QuerySet[Suggestion]:
    """Replies the representatives agreed to publish (代表法: 办理情况 are made public)."""
    replies = SuggestionReply.objects.select_related("department").order_by("replied_at", "pk")
    return (
        Suggestion.objects.filter(publish_consent=True, status__in=ANSWERED)
        .filter(Exists(SuggestionReply.objects.filter(suggestion=OuterRef("pk"))))
        .select_related("session__term__congress", "lead")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="public_replies"))
        .order_by("-first_replied_at", "-pk")
    )


def unassigned_due(today: datetime.date) -> QuerySet[Suggestion]:
    """Accepted suggestions not yet handed to a department whose 交办 date is near or past
    and whose staff have not been told today (the daily sweep claims each row)."""
    return Suggestion.objects.filter(
        status=S.REGISTERED,
        assign_by__isnull=False,
        assign_by__lte=add_workdays(today, 2),
    ).filter(Q(assign_reminded_on__isnull=True) | Q(assign_reminded_on__lt=today))


# --- what the viewer of a suggestion page may do ---------------------------------------


@dataclass
class Abilities:
    """The steps a user may take on one suggestion now (the services check again)."""

    is_lead: bool = False
    is_filer: bool = False
    signer: SuggestionSigner | None = None
    is_staff: bool = False
    is_pre_reviewer: bool = False
    my_assignments: list[Assignment] = field(default_factory=list)
    can_rate: bool = False

    @property
    def handles_lead(self) -> bool:
        return any(a.role == AssignmentRole.LEAD for a in self.my_assignments)


def abilities(user: AnyUser, suggestion: Suggestion, assignments: list[Assignment]) -> Abilities:
    signer = signer_of(user, suggestion)
    found = Abilities(
        is_lead=is_lead(user, suggestion),
        signer=signer,
        is_staff=is_staff_for(user, suggestion),
        is_pre_reviewer=is_pre_reviewer(user, suggestion),
        my_assignments=[a for a in assignments if handles(user, a)],
    )
    found.is_filer = found.is_lead or (
        suggestion.created_by_id == user.pk and found.is_pre_reviewer
    )
    if (
        signer is not None
        and signer.status == SignerStatus.CONFIRMED
        and suggestion.status == S.REPLIED
    ):
        reply = latest_main_reply(suggestion)
        found.can_rate = (
            reply is not None
            and not reply.ratings.filter(representative_id=signer.representative_id).exists()
        )
    return found


def session_for_new_suggestion(representative: Representative) -> Session | None:
    """Where a new suggestion of this representative goes: the next (or current)
    plenary session of a congress they sit in, the nearest level first; between
    sessions with none scheduled yet, the latest one (闭会期间建议)."""
    terms = list(
        Mandate.objects.filter(
            representative=representative, status=MandateStatus.ACTIVE, term__isnull=False
        ).values_list("term_id", flat=True)
    )
    plenary = Session.objects.filter(term_id__in=terms, kind=SessionKind.PLENARY).select_related(
        "term__congress__region"
    )
    today = timezone.localdate()
    upcoming = plenary.filter(closes_on__gte=today).order_by(
        "-term__congress__region__depth", "opens_on"
    )
    return (
        upcoming.first() or plenary.order_by("-term__congress__region__depth", "-opens_on").first()
    )
