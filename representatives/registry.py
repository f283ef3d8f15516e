"""Where other feature apps plug into representatives (registered in their AppConfig.ready).

- ``register_point_source``: a kind of record that earns 履职积分 (the suggestions app
  registers suggestions filed and citizen issues handled).
- ``register_public_case_provider``: recent anonymised handled cases for a station's
  公示栏 on its public page.
- ``register_report_section``: a block of a representative's annual report (述职).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from django.db.models import Expression, F, Sum
from django.utils import timezone
from django.utils.functional import Promise

from congress.dashboard import last_day

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.db.models.expressions import RawSQL

    from representatives.models import Representative, Station


@dataclass(frozen=True)
class PointRecord:
    """One record behind a number: shown in the breakdown of a representative's points."""

    rule_code: str
    date: datetime.date
    text: str
    url: str = ""


# count(representatives, start, end) -> rows of (representative_id, rule_code, how many).
# One aggregated query per source: a ranking of thousands is a handful of queries.
PointCounter = Callable[
    ["QuerySet[Representative]", datetime.date, datetime.date], Iterable[tuple[int, str, int]]
]
# records(representative, start, end, viewer) -> the individual records, for one person.
# A record links (``url``) only to what ``viewer`` may open: the breakdown is read by
# staff of a lower region too, for whom another congress's suggestion or an activity
# organised above them is a 404. One scoped query per source, not one per record.
PointLister = Callable[["Representative", datetime.date, datetime.date, Any], Iterable[PointRecord]]


# The representatives a tally counts: a queryset, or an SQL subquery of their ids (the
# dashboard's ranking tallies ``SELECT holder FROM serving``, a CTE of its statement,
# with no second join to the representatives: representatives/dashboard.py).
Holders = Union["QuerySet[Representative]", "RawSQL"]
# tally(holders, start, end) -> the same counts as one grouped values() queryset,
# rows {"point_holder": representative id, "point_code": rule code, "point_count": n},
# left unevaluated so that a ranking of a whole region (the dashboard's top and bottom
# ten, representatives/dashboard.py) is summed and ordered in the database. A tally
# filters on ``<its representative field>__in=holders``, which takes either form.
PointTally = Callable[[Holders, datetime.date, datetime.date], "QuerySet[Any]"]
# An ``area_tally``, and every ``month_tally``, also takes ``None``: everyone's rows,
# which the ranking narrows to a region's area columns where the rows keep them, and
# joins to the region's serving people itself (one semi-join of the people fewer per
# source).
AreaTally = Callable[[Holders | None, datetime.date, datetime.date], "QuerySet[Any]"]


def whole_months(start: datetime.date, end: datetime.date) -> bool:
    """Whether the period ``start``..``end`` (inclusive) is whole calendar months, as
    the dashboard's and the reports' periods always are."""
    return start.day == 1 and (end + datetime.timedelta(days=1)).day == 1


def month_summary_tally(
    summary: QuerySet[Any],
    holders: Holders | None,
    first: datetime.date,
    last: datetime.date,
    *,
    code: Expression | F,
    count: str,
) -> QuerySet[Any]:
    """A ``month_tally`` over a summary with one row per representative and month
    (``representative``, ``month``): its rows of the months ``first``..``last`` summed
    per holder and ``code`` from the column ``count``; everyone's for ``holders``
    ``None`` (a summary that keeps its holder's area: ``PointSource.month_areas``)."""
    rows = summary.filter(month__gte=first, month__lte=last)
    if holders is not None:
        rows = rows.filter(representative__in=holders)
    return (
        rows.order_by()
        .annotate(point_holder=F("representative_id"), point_code=code)
        .values("point_holder", "point_code")
        .annotate(point_count=Sum(count))
    )


@dataclass(frozen=True)
class PointSource:
    """A kind of record that earns points. ``tally`` counts the records of any period;
    ``month_tally``, where the source keeps a summary per representative and month
    (the closes per handler, the suggestions signed), gives the same rows for a period
    of whole months from that summary, and ``tally_of`` chooses between them, so the
    ranking of a whole region reads one row per person and month instead of every
    record (docs/dashboard.md)."""

    code: str
    label: str | Promise
    count: PointCounter
    records: PointLister
    tally: PointTally | None = None  # a source without one is not in the dashboard's ranking
    month_tally: AreaTally | None = None
    # Where the tally's rows keep their holder's ``area_N`` (``HolderAreaColumns``):
    # the same tally, taking ``None`` for everyone. The ranking of a region narrows
    # its rows to the region's on an index, not the period's rows of every region
    # semi-joined to the region's people.
    area_tally: AreaTally | None = None
    # Whether the monthly summary's rows keep their holder's ``area_N`` (its
    # ``month_tally`` then takes ``None`` for everyone, as an ``area_tally`` does).
    month_areas: bool = False

    def _summary_months(
        self, start: datetime.date, end: datetime.date
    ) -> tuple[datetime.date, datetime.date] | None:
        """The months the summary answers ``start``..``end`` with, if it does: the
        period must be whole months, and one that ends today or later is read as
        ending with its last month (what a summary counts, a close or a suggestion
        filed, is never dated after today), so the year so far (活跃度排名's default)
        reads the summary too."""
        if self.month_tally is None:
            return None
        through = last_day(end) if end >= timezone.localdate() else end
        return (start, through) if whole_months(start, through) else None

    def tally_of(self, holders: Holders, start: datetime.date, end: datetime.date) -> QuerySet[Any]:
        """The tally of ``start``..``end``: from the monthly summary when it answers
        the period, else from the records."""
        months = self._summary_months(start, end)
        if months is not None:
            assert self.month_tally is not None
            return self.month_tally(holders, *months)
        assert self.tally is not None
        return self.tally(holders, start, end)

    def area_tally_of(
        self, holders: Holders | None, start: datetime.date, end: datetime.date
    ) -> QuerySet[Any] | None:
        """``tally_of`` read from rows that keep their holder's ``area_N``, for the
        caller to narrow to a region on them (``None`` for ``holders``: everyone's);
        ``None`` where the rows that answer this period do not keep it."""
        months = self._summary_months(start, end)
        if months is not None:
            assert self.month_tally is not None
            return self.month_tally(holders, *months) if self.month_areas else None
        return None if self.area_tally is None else self.area_tally(holders, start, end)

    @classmethod
    def from_tally(
        cls,
        code: str,
        label: str | Promise,
        tally: PointTally,
        records: PointLister,
        month_tally: AreaTally | None = None,
        *,
        area_tally: AreaTally | None = None,
        month_areas: bool = False,
    ) -> PointSource:
        """A source whose counts are its tally's rows: one definition for both reads."""

        def count(
            representatives: QuerySet[Representative], start: datetime.date, end: datetime.date
        ) -> list[tuple[int, str, int]]:
            return [
                (row["point_holder"], row["point_code"], row["point_count"])
                for row in source.tally_of(representatives, start, end)
            ]

        source = cls(code, label, count, records, tally, month_tally, area_tally, month_areas)
        return source


@dataclass(frozen=True)
class PublicCase:
    """A handled case as the public may see it (no names, no phone numbers)."""

    title: str
    status: str | Promise
    date: datetime.date
    url: str = ""


PublicCaseProvider = Callable[["Station", int], list[PublicCase]]


@dataclass(frozen=True)
class ReportSection:
    """A block of the annual report: ``build(representative, year)`` returns
    ``{"title": ..., "rows": [(label, value), ...]}`` or None to leave it out."""

    code: str
    build: Callable[[Representative, int], dict[str, Any] | None]
    order: int = 100


point_sources: list[PointSource] = []
public_case_providers: list[PublicCaseProvider] = []
report_sections: list[ReportSection] = []


def register_point_source(source: PointSource) -> None:
    if all(existing.code != source.code for existing in point_sources):
        point_sources.append(source)


def register_public_case_provider(provider: PublicCaseProvider) -> None:
    if provider not in public_case_providers:
        public_case_providers.append(provider)


def register_report_section(section: ReportSection) -> None:
    if all(existing.code != section.code for existing in report_sections):
        report_sections.append(section)
        report_sections.sort(key=lambda entry: entry.order)
