"""Topic selection from the data and a topic's linked sources (docs/supervision-sources.md):
the scoped reads of this part.

The cases themselves belong to other apps (citizens' problems, representatives'
suggestions), which supervision may not import (docs/architecture.md, "Import
contracts"): everything about them is read through the core's registry
``congress.topic_sources``, which checks that the acting user may see each case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import topic_sources as registry
from congress.dashboard import dashboard_region
from congress.models import Region
from congress.scoping import AnyUser
from congress.topic_sources import IdeaRow, IdeaScope
from supervision.models.sources import TopicSource
from supervision.models.topics import SupervisionPlan, Topic

# How many of a cluster's cases (newest first) a topic made from it links.
CLUSTER_CASES = 200
# How many sources the topic's page lists (newest first; the count says if more).
PAGE_SOURCES = 50


# --- reads --------------------------------------------------------------------------------


def idea_scope(
    user: AnyUser, region_id: str | None, today: datetime.date | None = None
) -> IdeaScope:
    """The user's region or one below it (404 sideways or up, or for anyone but staff:
    the dashboard's rule), its children and the past twelve months."""
    region = dashboard_region(user, region_id)
    children = list(Region.objects.filter(parent=region).order_by("code", "name", "pk"))
    return IdeaScope(
        user=user,
        region=region,
        children=children,
        months=registry.months_back(today or timezone.localdate()),
    )


def topic_ideas(scope: IdeaScope) -> dict[str, list[IdeaRow]]:
    return registry.idea_rows(scope)


def cluster_label(scope: IdeaScope, key: str) -> str:
    """The cluster's name, read from the ranked tables (the same figures the page shows)."""
    for rows in topic_ideas(scope).values():
        for row in rows:
            if row.key == key:
                return row.label
    return ""


def visible_sources(user: AnyUser) -> QuerySet[TopicSource]:
    """Sources of the topics the user sees: staff of the topic's region and above."""
    from supervision.selectors import visible_topics

    return TopicSource.objects.filter(topic__in=visible_topics(user).values("pk"))


def topic_sources(topic: Topic) -> QuerySet[TopicSource]:
    return TopicSource.objects.filter(topic=topic).order_by("-case_created_at", "-pk")


@dataclass(frozen=True)
class SourceLine:
    source: TopicSource
    url: str


def source_lines(sources: Iterable[TopicSource]) -> list[SourceLine]:
    """Each source with its case page's link (the case page enforces its own access)."""
    from congress.loop.cases import case_types

    lines = []
    for source in sources:
        kind = case_types.get(source.case_type)
        lines.append(SourceLine(source, kind.url(source.case_id) if kind else ""))
    return lines


def plans_for(user: AnyUser, region: Region) -> QuerySet[SupervisionPlan]:
    """The plans a topic from the region's data may go into: those of the region's
    congress and the congresses above it that the user manages, this year and later."""
    from supervision.selectors import visible_plans

    this_year = timezone.localdate().year
    return (
        visible_plans(user)
        .filter(region__in=[*region.ancestors(), region], year__gte=this_year)
        .order_by("-year", "-region__depth")
    )


def default_plan(plans: QuerySet[SupervisionPlan]) -> SupervisionPlan | None:
    """Next year's plan if there is one (staff draft it in the autumn), else this year's."""
    rows = list(plans)
    next_year = timezone.localdate().year + 1
    for plan in rows:
        if plan.year == next_year:
            return plan
    return rows[-1] if rows else None


def suggested_title(scope: IdeaScope, label: str, dimension: str) -> str:
    if dimension == registry.PLACE:
        return _("关于%(place)s群众和代表集中反映问题的专项监督") % {"place": label}
    if dimension == registry.DEPARTMENT:
        return _("%(department)s办理群众诉求和代表建议情况的专项监督") % {"department": label}
    return _("关于%(region)s%(theme)s领域突出问题的专项监督") % {
        "region": scope.region.name,
        "theme": label,
    }
