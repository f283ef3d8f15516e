"""The citizens' problems and the representatives' suggestions as sources of a
supervision topic (docs/supervision-sources.md), registered with the core's
``congress.topic_sources`` (imported by ``SuggestionsConfig.ready``).

Clusters are read from summaries bounded to the window and the region:

- problems: the monthly summary ``IssueMonthCount`` (area, month, category: received,
  rated, 不满意) for categories and places, the engine's ``HandlingCount`` (department,
  area, month, case type: answered) for departments;
- suggestions: one grouped count of the region's suggestions submitted in the
  window (a congress receives thousands a year, not millions), read on the
  (area_N, created_at) index, and ``HandlingCount`` for departments.

The two channels have their own taxonomies; a problem's category is counted under
the suggestion category of the same subject (``THEMES``), so that a cluster holds
both, as 代表集中反映和人民群众普遍关注的突出问题 asks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.areas import AREA_DEPTHS, AREA_FIELDS, area_q, areas_under
from congress.models import Assignment, Department, HandlingCount
from congress.topic_sources import (
    CATEGORY,
    DEPARTMENT,
    PLACE,
    CaseInfo,
    CaseRef,
    Cluster,
    IdeaScope,
    TopicSourceProvider,
    register_topic_source,
)

# The case-type keys are re-exported by the halves' selectors (the halves' workflow
# modules are their own: pyproject.toml, contract "suggestions-halves").
from suggestions.citizen.selectors import ISSUE_CASE, visible_issues
from suggestions.formal.selectors import SUGGESTION_CASE, visible_suggestions
from suggestions.models.citizen import IssueCategory, IssueStatus
from suggestions.models.formal import (
    Suggestion,
    SuggestionCategory,
    SuggestionSatisfaction,
    SuggestionStatus,
)
from suggestions.models.monthly import IssueMonthCount

# A problem's category (the default taxonomy's codes) → the suggestion category of the
# same subject. A category an administrator added is counted under 其他.
THEMES: dict[str, str] = {
    "roads": SuggestionCategory.TRANSPORT,
    "environment": SuggestionCategory.ENVIRONMENT,
    "utilities": SuggestionCategory.URBAN,
    "housing": SuggestionCategory.URBAN,
    "education": SuggestionCategory.EDUCATION,
    "health": SuggestionCategory.HEALTH,
    "social_security": SuggestionCategory.SOCIAL,
    "employment": SuggestionCategory.SOCIAL,
    "public_safety": SuggestionCategory.LEGAL,
    "business": SuggestionCategory.ECONOMY,
    "rural": SuggestionCategory.AGRICULTURE,
    "other": SuggestionCategory.OTHER,
}
# Suggestions not yet raised (drafts, co-signing) or taken back are not counted.
NOT_RAISED = [SuggestionStatus.DRAFT, SuggestionStatus.CO_SIGNING, SuggestionStatus.WITHDRAWN]
MAX_DEPARTMENTS = 30


def theme_of(code: str) -> str:
    return str(THEMES.get(code, SuggestionCategory.OTHER))


def _theme_label(theme: str) -> str:
    return str(SuggestionCategory(theme).label)


def _key_value(key: str, dimension: str) -> str | None:
    prefix = f"{dimension}:"
    return key[len(prefix) :] if key.startswith(prefix) else None


def _id(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _places(scope: IdeaScope) -> bool:
    """Places are the region's children while they have an area column of their own."""
    return bool(scope.children) and scope.region.depth + 1 < AREA_DEPTHS


def _period_start(scope: IdeaScope) -> datetime.datetime:
    start = datetime.datetime.combine(scope.start, datetime.time.min)
    return timezone.make_aware(start)


def _department_clusters(scope: IdeaScope, case_type: str, source: str) -> list[Cluster]:
    """Answered (办复) per department and month from the engine's summary, with the
    ratings given to the department's answers (every rating counts, as on the
    dashboard's league: docs/dashboard.md, "承办单位")."""
    rows = (
        HandlingCount.objects.filter(
            areas_under(scope.region),
            month__gte=scope.months[0],
            month__lte=scope.months[-1],
            case_type=case_type,
        )
        .values("department_id", "month")
        .annotate(n=Sum("finished"), rated=Sum("rated"), unsatisfied=Sum("unsatisfied"))
        .order_by()
    )
    clusters: dict[int, Cluster] = {}
    for row in rows:
        index = scope.month_index(row["month"])
        if index is None or not (row["n"] or row["rated"]):
            continue
        cluster = clusters.get(row["department_id"])
        if cluster is None:
            cluster = clusters[row["department_id"]] = Cluster(
                DEPARTMENT,
                f"department:{row['department_id']}",
                "",
                source,
                trend=[0] * len(scope.months),
            )
        cluster.total += row["n"] or 0
        cluster.trend[index] += row["n"] or 0
        cluster.rated += row["rated"] or 0
        cluster.unsatisfied += row["unsatisfied"] or 0
    top = sorted(clusters.values(), key=lambda c: -c.total)[:MAX_DEPARTMENTS]
    names = dict(
        Department.objects.filter(pk__in=[int(c.key.split(":")[1]) for c in top]).values_list(
            "pk", "name"
        )
    )
    for cluster in top:
        cluster.label = names.get(int(cluster.key.split(":")[1]), "")
    return top


# --- citizens' problems -------------------------------------------------------------------


def issue_clusters(scope: IdeaScope) -> list[Cluster]:
    summary = IssueMonthCount.objects.filter(
        area_q(scope.region, region_field="area_id"),
        month__gte=scope.months[0],
        month__lte=scope.months[-1],
    )
    sums = {"n": Sum("received"), "rated": Sum("rated"), "unsatisfied": Sum("unsatisfied")}
    width = len(scope.months)
    codes = dict(IssueCategory.objects.values_list("pk", "code"))
    clusters: dict[str, Cluster] = {}

    def add(dimension: str, key: str, label: str, row: dict[str, Any]) -> None:
        index = scope.month_index(row["month"])
        if index is None:
            return
        cluster = clusters.get(key)
        if cluster is None:
            cluster = clusters[key] = Cluster(dimension, key, label, "issues", trend=[0] * width)
        cluster.total += row["n"] or 0
        cluster.trend[index] += row["n"] or 0
        cluster.rated += row["rated"] or 0
        cluster.unsatisfied += row["unsatisfied"] or 0

    for row in summary.values("category_id", "month").annotate(**sums).order_by():
        theme = theme_of(codes.get(row["category_id"], ""))
        add(CATEGORY, f"category:{theme}", _theme_label(theme), row)
    if _places(scope):
        # Grouped on the rows' own area column at the children's depth: no region is
        # joined (a row of the region's own area has none there and is no place).
        column = AREA_FIELDS[scope.region.depth + 1]
        children = {child.pk: child for child in scope.children}
        for row in summary.values(column, "month").annotate(**sums).order_by():
            child = children.get(row[column])
            if child is not None:
                add(PLACE, f"place:{child.pk}", child.name, row)
    found = [c for c in clusters.values() if c.total]
    return found + _department_clusters(scope, ISSUE_CASE, "issues")


def issue_cases(scope: IdeaScope, key: str, limit: int) -> list[tuple[CaseRef, datetime.datetime]]:
    rows = visible_issues(scope.user).filter(
        area_q(scope.region), created_at__gte=_period_start(scope)
    )
    rows = rows.exclude(status=IssueStatus.REJECTED)
    theme = _key_value(key, CATEGORY)
    place = _id(_key_value(key, PLACE))
    department = _id(_key_value(key, DEPARTMENT))
    if theme is not None:
        codes = [code for code, value in THEMES.items() if value == theme]
        query = Q(category__code__in=codes)
        if theme == SuggestionCategory.OTHER:
            query |= ~Q(category__code__in=list(THEMES))
        rows = rows.filter(query)
    elif place is not None:
        child = next((c for c in scope.children if c.pk == place), None)
        if child is None or not _places(scope):
            return []
        rows = rows.filter(area_q(child))
    elif department is not None:
        rows = rows.filter(handed_to__department_id=department)
    else:
        return []
    found = rows.order_by("-created_at", "-pk").values_list("pk", "created_at")[:limit]
    return [(CaseRef(ISSUE_CASE, pk), created) for pk, created in found]


def issue_describe(user: Any, ids: list[int]) -> dict[int, CaseInfo]:
    rows = (
        visible_issues(user)
        .filter(pk__in=ids)
        .select_related(None)
        .select_related("category", "region")
        .only("pk", "tracking_code", "created_at", "category__name", "region__name")
    )
    return {
        issue.pk: CaseInfo(
            CaseRef(ISSUE_CASE, issue.pk),
            issue.tracking_code,
            _("群众反映：%(category)s · %(place)s · %(date)s")
            % {
                "category": issue.category.name,
                "place": issue.region.name,
                "date": timezone.localtime(issue.created_at).date().isoformat(),
            },
            issue.created_at,
        )
        for issue in rows
    }


def issue_lookup(user: Any, number: str) -> CaseRef | None:
    code = number.strip().upper()
    if not code or len(code) > 8:
        return None
    found = visible_issues(user).filter(tracking_code=code).values_list("pk", flat=True).first()
    return CaseRef(ISSUE_CASE, found) if found else None


# --- representatives' suggestions ---------------------------------------------------------


def _raised(scope: IdeaScope, user: Any | None = None) -> Any:
    rows = Suggestion.objects if user is None else visible_suggestions(user)
    return (
        rows.filter(area_q(scope.region), submitted_at__gte=_period_start(scope))
        .exclude(status__in=NOT_RAISED)
        .order_by()
    )


def suggestion_clusters(scope: IdeaScope) -> list[Cluster]:
    place_depth = scope.region.depth + 1
    group = ["category", "month"]
    if _places(scope):
        group.append(f"origin_area_{place_depth}")
    rows = (
        _raised(scope)
        .annotate(month=TruncMonth("submitted_at"))
        .values(*group)
        .annotate(
            n=Count("pk"),
            rated=Count("pk", filter=~Q(result_rating="")),
            unsatisfied=Count("pk", filter=Q(result_rating=SuggestionSatisfaction.UNSATISFIED)),
        )
    )
    width = len(scope.months)
    names = {child.pk: child for child in scope.children}
    clusters: dict[str, Cluster] = {}

    def add(dimension: str, key: str, label: str, row: dict[str, Any], index: int) -> None:
        cluster = clusters.get(key)
        if cluster is None:
            cluster = clusters[key] = Cluster(
                dimension, key, label, "suggestions", trend=[0] * width
            )
        cluster.total += row["n"]
        cluster.trend[index] += row["n"]
        cluster.rated += row["rated"]
        cluster.unsatisfied += row["unsatisfied"]

    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        index = scope.month_index(month)
        if index is None:
            continue
        theme = (
            theme_of("") if row["category"] not in SuggestionCategory.values else row["category"]
        )
        add(CATEGORY, f"category:{theme}", _theme_label(theme), row, index)
        child = names.get(row.get(f"origin_area_{place_depth}") or 0)
        if child is not None:
            add(PLACE, f"place:{child.pk}", child.name, row, index)
    return list(clusters.values()) + _department_clusters(scope, SUGGESTION_CASE, "suggestions")


def suggestion_cases(
    scope: IdeaScope, key: str, limit: int
) -> list[tuple[CaseRef, datetime.datetime]]:
    rows = _raised(scope, scope.user)
    theme = _key_value(key, CATEGORY)
    place = _id(_key_value(key, PLACE))
    department = _id(_key_value(key, DEPARTMENT))
    if theme is not None:
        rows = rows.filter(category=theme)
    elif place is not None:
        if place not in {c.pk for c in scope.children} or not _places(scope):
            return []
        rows = rows.filter(**{f"origin_area_{scope.region.depth + 1}": place})
    elif department is not None:
        handed = Assignment.objects.filter(case_type=SUGGESTION_CASE, department_id=department)
        rows = rows.filter(pk__in=handed.values("case_id"))
    else:
        return []
    found = rows.order_by("-submitted_at", "-pk").values_list("pk", "submitted_at")[:limit]
    return [(CaseRef(SUGGESTION_CASE, pk), submitted) for pk, submitted in found]


def suggestion_describe(user: Any, ids: list[int]) -> dict[int, CaseInfo]:
    rows = (
        visible_suggestions(user)
        .filter(pk__in=ids)
        .select_related(None)
        .select_related("region")
        .only("pk", "number", "category", "submitted_at", "created_at", "region__name")
    )
    described = {}
    for suggestion in rows:
        when = suggestion.submitted_at or suggestion.created_at
        described[suggestion.pk] = CaseInfo(
            CaseRef(SUGGESTION_CASE, suggestion.pk),
            suggestion.number_label,
            _("代表建议：%(category)s · %(place)s · %(date)s")
            % {
                "category": suggestion.get_category_display(),
                "place": suggestion.region.name,
                "date": timezone.localtime(when).date().isoformat(),
            },
            when,
        )
    return described


def suggestion_lookup(user: Any, number: str) -> CaseRef | None:
    """A suggestion by its number (编号, “12” or “第12号”); numbers start again each
    session, so the newest visible one with that number."""
    digits = number.strip().removeprefix("第").removesuffix("号").strip()
    if not digits.isdigit() or len(digits) > 9:
        return None
    found = (
        visible_suggestions(user)
        .filter(number=int(digits))
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return CaseRef(SUGGESTION_CASE, found) if found else None


register_topic_source(
    TopicSourceProvider(
        key="issues",
        label=gettext_lazy("群众反映问题"),
        case_type=ISSUE_CASE,
        clusters=issue_clusters,
        cases=issue_cases,
        describe=issue_describe,
        lookup=issue_lookup,
        order=10,
    )
)
register_topic_source(
    TopicSourceProvider(
        key="suggestions",
        label=gettext_lazy("代表建议"),
        case_type=SUGGESTION_CASE,
        clusters=suggestion_clusters,
        cases=suggestion_cases,
        describe=suggestion_describe,
        lookup=suggestion_lookup,
        order=20,
    )
)

__all__ = ["THEMES", "theme_of"]
