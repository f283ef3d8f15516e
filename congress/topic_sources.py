"""Topic selection from the data, and the cases a topic can link as its sources
(docs/supervision-sources.md).

The supervision app shows staff what representatives and citizens raised most in
the past twelve months and links a topic's source cases (代表集中反映和人民群众普遍关注的
突出问题), but it may not import the apps that hold those cases (docs/architecture.md,
"Import contracts"). So the core keeps this registry: an app that holds cases
registers a ``TopicSourceProvider`` from its ``AppConfig.ready``, and supervision
reads clusters, cases and descriptions through the functions below.

A provider reads summary rows or indexed columns bounded to the window and the
region (docs/architecture.md, "Reads that do not grow with the data"): a fixed
number of queries whatever the number of cases.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from congress.models import Region

CATEGORY, PLACE, DEPARTMENT = "category", "place", "department"
DIMENSIONS = (CATEGORY, PLACE, DEPARTMENT)
WINDOW_MONTHS = 12


def months_back(today: datetime.date, count: int = WINDOW_MONTHS) -> list[datetime.date]:
    """The first days of the ``count`` months ending with this one, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class IdeaScope:
    """What a provider is asked about: whose view, which region, its children (the
    places), and the months of the window (first days, oldest first)."""

    user: Any
    region: Region
    children: list[Region]
    months: list[datetime.date]

    @property
    def start(self) -> datetime.date:
        return self.months[0]

    def month_index(self, day: datetime.date) -> int | None:
        first = day.replace(day=1)
        try:
            return self.months.index(first)
        except ValueError:
            return None


@dataclass
class Cluster:
    """One provider's figures for one cluster: ``key`` is shared across providers
    (``category:transport``, ``place:<region id>``, ``department:<id>``) so the
    problems and the suggestions of the same cluster are one row."""

    dimension: str
    key: str
    label: str
    source: str
    total: int = 0
    trend: list[int] = field(default_factory=list)
    rated: int = 0
    unsatisfied: int = 0
    ratings_known: bool = True  # False where no summary holds the ratings


@dataclass(frozen=True)
class CaseRef:
    case_type: str
    case_id: int


@dataclass(frozen=True)
class CaseInfo:
    """What a topic's source keeps of a case: no citizen's name, phone or link."""

    ref: CaseRef
    number: str  # the tracking code, the suggestion's number
    title: str  # category, place and date
    created: datetime.datetime


@dataclass(frozen=True)
class TopicSourceProvider:
    key: str  # "issues", "suggestions"
    label: str | Promise
    case_type: str
    clusters: Callable[[IdeaScope], list[Cluster]]
    # The cluster's cases the user may see, newest first, with their dates.
    cases: Callable[[IdeaScope, str, int], list[tuple[CaseRef, datetime.datetime]]]
    # The cases among ``ids`` the user may see, described (one or two queries).
    describe: Callable[[Any, list[int]], dict[int, CaseInfo]]
    # A case the user may see by its number (tracking code, suggestion number).
    lookup: Callable[[Any, str], CaseRef | None]
    order: int = 100


topic_source_providers: list[TopicSourceProvider] = []


def register_topic_source(provider: TopicSourceProvider) -> None:
    if all(existing.key != provider.key for existing in topic_source_providers):
        topic_source_providers.append(provider)
        topic_source_providers.sort(key=lambda entry: entry.order)


def provider_for(case_type: str) -> TopicSourceProvider | None:
    for provider in topic_source_providers:
        if provider.case_type == case_type:
            return provider
    return None


@dataclass
class IdeaRow:
    """A ranked row of the page: one cluster, its count per provider, the trend of
    all of them, and the unsatisfied share where the providers know ratings."""

    dimension: str
    key: str
    label: str
    counts: dict[str, int]
    trend: list[int]
    rated: int
    unsatisfied: int
    ratings_known: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def unsatisfied_share(self) -> float | None:
        """不满意 ÷ 评价次数 in percent, one decimal; None where nothing was rated."""
        if not self.ratings_known or not self.rated:
            return None
        return round(100 * self.unsatisfied / self.rated, 1)


def idea_rows(scope: IdeaScope) -> dict[str, list[IdeaRow]]:
    """The three ranked tables: each dimension's clusters, largest first."""
    merged: dict[tuple[str, str], IdeaRow] = {}
    width = len(scope.months)
    for provider in topic_source_providers:
        for cluster in provider.clusters(scope):
            row = merged.get((cluster.dimension, cluster.key))
            if row is None:
                row = merged[(cluster.dimension, cluster.key)] = IdeaRow(
                    cluster.dimension, cluster.key, cluster.label, {}, [0] * width, 0, 0, False
                )
            row.counts[provider.key] = row.counts.get(provider.key, 0) + cluster.total
            for index, value in enumerate(cluster.trend[:width]):
                row.trend[index] += value
            if cluster.ratings_known:
                row.ratings_known = True
                row.rated += cluster.rated
                row.unsatisfied += cluster.unsatisfied
    tables: dict[str, list[IdeaRow]] = defaultdict(list)
    for row in merged.values():
        if row.total:
            tables[row.dimension].append(row)
    for rows in tables.values():
        rows.sort(key=lambda row: (-row.total, row.label, row.key))
    return {dimension: tables.get(dimension, []) for dimension in DIMENSIONS}


def cluster_cases(scope: IdeaScope, key: str, limit: int) -> list[CaseRef]:
    """The cluster's cases the user may see across the providers, newest first."""
    found: list[tuple[datetime.datetime, CaseRef]] = []
    for provider in topic_source_providers:
        found.extend((created, ref) for ref, created in provider.cases(scope, key, limit))
    found.sort(key=lambda pair: (pair[0], pair[1].case_id), reverse=True)
    return [ref for _created, ref in found[:limit]]


def describe(user: Any, refs: Iterable[CaseRef]) -> dict[CaseRef, CaseInfo]:
    """The cases among ``refs`` the user may see (one or two queries per case type)."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        by_type[ref.case_type].append(ref.case_id)
    described: dict[CaseRef, CaseInfo] = {}
    for case_type, ids in by_type.items():
        provider = provider_for(case_type)
        if provider is None:
            continue
        for info in provider.describe(user, ids).values():
            described[info.ref] = info
    return described


def lookup(user: Any, number: str) -> CaseRef | None:
    """A case the user may see by its number, asking each provider in turn."""
    text = (number or "").strip()
    if not text:
        return None
    for provider in topic_source_providers:
        ref = provider.lookup(user, text)
        if ref is not None:
            return ref
    return None
