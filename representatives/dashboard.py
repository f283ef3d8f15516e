"""The representatives panel of the staff dashboard (docs/dashboard.md, "代表工作"):
seats by level, stations by kind, contacts with voters logged in the period, duty
shifts served against those scheduled, and the activity ranking (top and bottom ten).

Read through the app's scoping functions, filtered to the region's subtree; each
figure is one grouped query, so the number of queries does not grow with the
data (their cost is the region's representatives and the period's records, on the
region-path and date indexes).

The ranking is the product's own measure, 履职积分 (representatives/points.py, the
活跃度排名 page): the point sources' tallies (representatives/registry.py,
``PointTally``) are summed, weighted by the rules in force and ranked in one SQL
statement, so a city of 7,600 representatives returns twenty rows, never 7,600.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.areas import AREA_DEPTHS, area_q
from congress.dashboard import Chart, Figure, PanelData, Scope, Table, rate
from congress.models import CongressLevel, Region
from representatives.models import (
    NOT_OWED,
    Representative,
    ShiftStatus,
    StationKind,
    holder_area_q,
)
from representatives.point_rules import RuleBook, spans
from representatives.registry import PointSource, point_sources
from representatives.seat_counts import LEVELS, seat_figures
from representatives.selectors import (
    visible_contact_logs,
    visible_duty_shifts,
    visible_representatives,
    visible_stations,
)

# How many representatives the ranking shows at each end.
RANKED = 10


def _url(name: str, scope: Scope, **filters: object) -> str:
    return reverse(name) + "?" + urlencode({"region": scope.region.pk, **filters})


def _duty_url(scope: Scope, **filters: str) -> str:
    """The period's shifts of the region behind a duty figure (值班记录)."""
    period = scope.period
    return _url(
        "duty_shift_list",
        scope,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        **filters,
    )


def _holders_area(scope: Scope) -> Q:
    """The records (contacts, shifts) of the region's representatives, on the records'
    own copy of their representative's area (``HolderAreaColumns``)."""
    return holder_area_q(scope.region)


# --- duty shifts (值班) --------------------------------------------------------------


@dataclass(frozen=True)
class DutyFigures:
    scheduled: int  # shifts of the period owed (not cancelled, not handed over)
    due: int  # of those, dated today or earlier
    served: int  # of those, 已值班


def duty_figures(scope: Scope) -> DutyFigures:
    """The period's shifts of the region's representatives, in one grouped query on
    the shifts' own area columns (``HolderAreaColumns``: the region's shifts of the
    period, on the (area_N, date, status) index)."""
    counts = (
        visible_duty_shifts(scope.user)
        .filter(
            _holders_area(scope),
            date__range=(scope.period.start, scope.period.end),
        )
        .exclude(status__in=NOT_OWED)
        .order_by()
        .aggregate(
            scheduled=Count("pk"),
            due=Count("pk", filter=Q(date__lte=scope.today)),
            served=Count("pk", filter=Q(status=ShiftStatus.SERVED)),
        )
    )
    return DutyFigures(counts["scheduled"], counts["due"], counts["served"])


# --- the activity ranking (履职活跃度排名) ----------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One representative's place: ``place`` is the competition rank (1, 2, 2, 4) by
    points, ``by_source`` the points earned from each counted source."""

    pk: int
    name: str
    region: str
    place: int
    total: int
    by_source: list[int]


@dataclass(frozen=True)
class Ranking:
    sources: list[PointSource]
    top: list[Ranked]
    bottom: list[Ranked]


def serving_representatives(scope: Scope) -> QuerySet[Any]:
    """The ids of the region's representatives with at least one active seat (在任代表),
    scoped: the population the ranking ranks and the sources tally."""
    # The seats' fact kept on the row (``serving``, by the seats summary's recount):
    # a look-up of each person's active seat cost a city's ranking 18–24 ms of its
    # 7,500 people at any size (docs/benchmarks.md).
    return (
        visible_representatives(scope.user)
        .filter(area_q(scope.region), serving=True)
        .order_by()
        .values("pk")
    )


def _weights(sql_code: str, sql_path: str, book: RuleBook) -> tuple[str, list[Any]]:
    """``CASE <code> WHEN 'contact_log' THEN 1 … ELSE 0 END``: a record's points. Where
    congresses set their own value for a code, its points are a ``CASE`` on the
    holder's region path (``sql_path``), the deepest congress first, as
    ``RuleBook.at`` chooses them for the points page."""
    whens, params = [], []
    for code, installation, own in book.weighted():
        value = str(int(installation))
        if own:
            prefixes = " ".join(
                f"WHEN SUBSTR({sql_path}, 1, {len(path)}) = %s THEN {int(own_points)}"
                for path, own_points in own
            )
            value = f"CASE {prefixes} ELSE {int(installation)} END"
        whens.append(f"WHEN %s THEN {value}")
        params.extend([code, *(path for path, _points in own)])
    if not whens:
        return "0", []
    return f"CASE {sql_code} {' '.join(whens)} ELSE 0 END", params


def _sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


@functools.lru_cache(maxsize=256)
def _tally_sql(
    code: str, start: datetime.date, end: datetime.date, depth: int | None
) -> tuple[str, tuple[Any, ...]]:
    """A source's grouped rows for one year as SQL over the statement's ``serving``
    representatives: the same text for every region of a depth and every request, so
    it is compiled once per process (the ORM's compiling of five tallies cost a
    dashboard more than running them). A source whose rows keep their holder's area
    (``area_tally``) is read at ``depth`` as the rows of the statement's
    ``region_area``, whoever holds them: ``ranking`` joins its serving people to the
    tallies, so the rows of others in the area are left there."""
    source = next(source for source in point_sources if source.code == code)
    everyone = source.area_tally_of(None, start, end) if depth is not None else None
    if everyone is not None:
        # The region's rows of the period on their (area_N, date) index, without a
        # semi-join of the region's thousands of people for each source.
        area = RawSQL("SELECT region_area.area FROM region_area", [])
        return _sql(everyone.filter(**{f"area_{depth}": area}))
    # The CTE's ids as they are: a queryset of representatives would join the
    # representatives again for each source (14 ms for a city's 7,500 at 10k problems).
    return _sql(source.tally_of(RawSQL("SELECT serving.holder FROM serving", []), start, end))


def _tallies(
    depth: int | None, start: datetime.date, end: datetime.date, sources: list[PointSource]
) -> tuple[str, list[Any]]:
    """Every source's grouped rows in each year of the period, weighted by the values in
    force at the holder's region in that year: ``(holder, source, points)`` rows, as one
    ``UNION ALL`` over the statement's ``serving`` representatives (a semi-join on their
    ids, not the region and the seats again)."""
    quote = connection.ops.quote_name
    people = quote(Representative._meta.db_table)
    regions = quote(Region._meta.db_table)
    # The holder's region path, for the congresses' own values (none set: no join).
    place = f" JOIN {people} wp ON wp.id = t.point_holder JOIN {regions} wg ON wg.id = wp.region_id"
    parts = ["SELECT 0 AS holder, 0 AS source, 0 AS points WHERE 1 = 0"]
    params: list[Any] = []
    years = spans(start, end)
    for index, source in enumerate(sources):
        for year in years:
            tally_sql, tally_params = _tally_sql(source.code, year.start, year.end, depth)
            weight, weight_params = _weights("t.point_code", "wg.path", year.book)
            parts.append(
                f"SELECT t.point_holder, {index}, t.point_count * {weight} FROM ({tally_sql}) t"  # noqa: S608 - our SQL, values are parameters
                + (place if year.book.own else "")
            )
            params.extend([*weight_params, *tally_params])
    return " UNION ALL ".join(parts), params


def _depth(region: Region | None) -> int | None:
    """The depth of ``region``'s area columns, where records keep them (else None)."""
    return region.depth if region is not None and region.depth < AREA_DEPTHS else None


def ranked_ids(
    people: QuerySet[Representative],
    region: Region | None,
    start: datetime.date,
    end: datetime.date,
    offset: int,
    limit: int,
) -> list[int]:
    """活跃度排名 a page at a time: the ids of ``people`` ranked ``offset`` to
    ``offset + limit`` by their points in the period (ties by name, then id), in one
    statement that tallies every source as the dashboard's ranking does; ``region``,
    where all of ``people`` are registered in it, lets the sources with area columns
    read its records only. The sort is of the people ranked (a city's thousands), the
    tallies' cost that of the region's records of the period."""
    sources = [source for source in point_sources if source.tally is not None]
    serving_sql, serving_params = _sql(people.order_by().values("pk", "name", "region_id"))
    tallies, tally_params = _tallies(_depth(region), start, end, sources)
    sql = f"""
        WITH region_area (area) AS (SELECT CAST(%s AS BIGINT)),
        serving (holder, name, region_id) AS ({serving_sql})
        SELECT v.holder
        FROM serving v
        LEFT JOIN (
            SELECT holder, SUM(points) AS total FROM ({tallies}) tally GROUP BY holder
        ) s ON s.holder = v.holder
        ORDER BY COALESCE(s.total, 0) DESC, v.name, v.holder
        LIMIT %s OFFSET %s
    """  # noqa: S608 - names from the models, values are parameters
    params = [region.pk if region else 0, *serving_params, *tally_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ranking(scope: Scope, ranked: int = RANKED) -> Ranking:
    """The region's serving representatives by their 履职积分 in the period: the
    ``ranked`` highest and the ``ranked`` lowest (those with no record at all
    included), ties in name order. Two queries: the rules in force (per year of the
    period, a past year's copy may cost one more), and one statement that tallies
    every source and sums it per representative (``scored``), then keeps each end
    with its own ``ORDER BY … LIMIT`` (a bounded heap of ``ranked`` rows, not a sort
    of the region's thousands by points and name), and finds a kept row's place
    (the competition rank, 1, 2, 2, 4) by counting the totals above it among the
    region's few distinct totals (``levels``). Only the kept rows read a name."""
    sources = [source for source in point_sources if source.tally is not None]
    # The serving representatives with their names, read once: the ends are ordered
    # on these rows (no second read of the representatives).
    serving_sql, serving_params = _sql(
        serving_representatives(scope).values("pk", "name", "region_id")
    )
    tallies, tally_params = _tallies(
        _depth(scope.region), scope.period.start, scope.period.end, sources
    )
    regions = connection.ops.quote_name(Region._meta.db_table)
    columns = "".join(f", s{index}" for index in range(len(sources)))
    per_source = "".join(
        f", SUM(CASE WHEN source = {index} THEN points ELSE 0 END) AS s{index}"
        for index in range(len(sources))
    )
    chosen = "".join(
        f", CAST(COALESCE(s.s{index}, 0) AS BIGINT) AS s{index}" for index in range(len(sources))
    )

    def end(order: str) -> str:
        # One end of the ranking: a top-N heap on (points, name, id), then its order.
        return f"""
            SELECT e.*, ROW_NUMBER() OVER (ORDER BY e.total {order}, e.name, e.id) AS row
            FROM (
                SELECT id, total, name, region_id{columns}
                FROM scored
                ORDER BY total {order}, name, id
                LIMIT %s
            ) e"""  # noqa: S608 - names from the models, values are parameters

    sql = f"""
        WITH region_area (area) AS (SELECT CAST(%s AS BIGINT)),
        serving (holder, name, region_id) AS ({serving_sql}),
        scored AS MATERIALIZED (
            SELECT v.holder AS id, v.name, v.region_id,
                   CAST(COALESCE(s.total, 0) AS BIGINT) AS total{chosen}
            FROM serving v
            LEFT JOIN (
                SELECT holder, SUM(points) AS total{per_source}
                FROM ({tallies}) tally
                GROUP BY holder
            ) s ON s.holder = v.holder
        ),
        levels AS MATERIALIZED (SELECT total, COUNT(*) AS n FROM scored GROUP BY total)
        SELECT kept.id, kept.name, g.name, kept.total,
               1 + COALESCE((SELECT SUM(l.n) FROM levels l WHERE l.total > kept.total), 0),
               kept.top_end, kept.row{columns}
        FROM (
            SELECT 1 AS top_end, t.* FROM ({end("DESC")}) t
            UNION ALL
            SELECT 0 AS top_end, b.* FROM ({end("ASC")}) b
        ) kept
        JOIN {regions} g ON g.id = kept.region_id
    """  # noqa: S608 - names from the models, values are parameters
    params = [scope.region.pk, *serving_params, *tally_params, ranked, ranked]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    top: list[tuple[int, Ranked]] = []
    bottom: list[tuple[int, Ranked]] = []
    for pk, name, region, score, place, top_end, row, *by_source in rows:
        entry = Ranked(pk, name, region, int(place), int(score), [int(n) for n in by_source])
        (top if top_end else bottom).append((row, entry))
    return Ranking(
        sources,
        [entry for _row, entry in sorted(top, key=lambda item: item[0])],
        [entry for _row, entry in sorted(bottom, key=lambda item: item[0])],
    )


def _ranking_table(
    key: str, title: str, entries: Sequence[Ranked], ranking: Ranking, definition: str
) -> Table:
    return Table(
        key,
        title,
        [
            _("代表"),
            _("名次"),
            _("所属区划"),
            _("履职积分"),
            *[str(source.label) for source in ranking.sources],
        ],
        [
            [entry.name, entry.place, entry.region, entry.total, *entry.by_source]
            for entry in entries
        ],
        definition,
        links=[reverse("representative_detail", args=[entry.pk]) for entry in entries],
    )


def _ranking_tables(scope: Scope, people: int) -> list[Table]:
    found = ranking(scope)
    counted = _("、").join(str(source.label) for source in found.sources)
    definition = _(
        "本区划在任代表按本期履职积分排名（积分规则同“活跃度排名”页：%(sources)s，"
        "按系统记录自动计算）；同分按姓名排序，名次相同者并列。各来源列为该项所得积分。"
    ) % {"sources": counted}
    tables = [
        _ranking_table(
            "activity_top", _("履职活跃度前%(n)d名") % {"n": RANKED}, found.top, found, definition
        )
    ]
    # With ten or fewer representatives the bottom ten are the top ten read backwards.
    if people > RANKED:
        tables.append(
            _ranking_table(
                "activity_bottom",
                _("履职活跃度后%(n)d名") % {"n": RANKED},
                found.bottom,
                found,
                _(
                    "积分最低的在任代表（本期没有任何记录的代表计0分，缺勤等扣分可为负），最低者在前。"
                )
                + definition,
            )
        )
    return tables


# --- the panel -----------------------------------------------------------------------


def representatives_panel(scope: Scope) -> PanelData:
    period = scope.period
    # The seats from their summary (one query over the region's areas, not its
    # representatives: representatives/seat_counts.py).
    counted = seat_figures(scope.region)
    by_level = {level: counted[level] for level in LEVELS}
    people = counted["people"]
    stations = dict(
        visible_stations(scope.user)
        .filter(area_q(scope.region), is_active=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    contacts = (
        visible_contact_logs(scope.user)
        .filter(
            _holders_area(scope),
            contacted_on__gte=period.start,
            contacted_on__lte=period.end,
        )
        .order_by()
        .aggregate(n=Count("pk"), people=Count("representative_id", distinct=True))
    )
    duty = duty_figures(scope)
    levels = [level for level in LEVELS if by_level.get(level)]
    kinds = [kind for kind, _label in StationKind.choices if stations.get(kind)]
    return PanelData(
        key="representatives",
        title=_("代表工作"),
        figures=[
            Figure(
                "representatives",
                _("在任代表"),
                people,
                _("本区划及以下有在任代表资格的代表人数（一人多级只计一次）。"),
                _url("representative_list", scope, active="true"),
            ),
            Figure(
                "seats",
                _("在任代表资格"),
                sum(by_level.values()),
                _("各级人大在任代表资格数（一人多级分别计）。"),
            ),
            Figure(
                "contacts",
                _("联系选民次数"),
                contacts["n"],
                _("本期登记的联系选民记录条数（按联系日期计）。"),
                _url(
                    "contact_log_list",
                    scope,
                    start=period.start.isoformat(),
                    end=period.end.isoformat(),
                ),
            ),
            Figure(
                "contact_share",
                _("联系选民代表占比"),
                rate(min(contacts["people"], people), people),
                _("本期至少登记一次联系选民的代表人数 ÷ 在任代表人数。"),
                unit="%",
            ),
            Figure(
                "duty_scheduled",
                _("应值班班次"),
                duty.scheduled,
                _(
                    "本区划及以下代表本期排定的值班班次（按值班日期计），"
                    "不含已取消的和已换班的原班次（换班后由接替的班次计入）。"
                ),
                _duty_url(scope, owed="true"),
            ),
            Figure(
                "duty_served",
                _("已值班班次"),
                duty.served,
                _("其中登记为“已值班”的班次（代表到站接待）。"),
                _duty_url(scope, status=ShiftStatus.SERVED),
            ),
            Figure(
                "duty_rate",
                _("值班率"),
                rate(duty.served, duty.due),
                _(
                    "已值班班次 ÷ 截至今天应值班班次（今天以后的班次尚未到期，不计入）；"
                    "请假、缺勤和到期未登记的班次都算未值班。"
                ),
                # The list behind a rate: the shifts it counts as not served.
                _duty_url(scope, missed="true"),
                unit="%",
            ),
        ],
        charts=[
            Chart(
                "levels",
                _("在任代表资格（按层级）"),
                "bar",
                [str(CongressLevel(level).label) for level in levels],
                [(_("人数"), [by_level[level] for level in levels])],
                _("各级人大在任代表资格数。"),
                [
                    _url("representative_list", scope, level=level, active="true")
                    for level in levels
                ],
            ),
            Chart(
                "stations",
                _("家站点（按类型）"),
                "bar",
                [str(StationKind(kind).label) for kind in kinds],
                [(_("个数"), [stations[kind] for kind in kinds])],
                _("本区划及以下启用的代表之家、联络站等。"),
                [_url("station_list", scope, kind=kind, active="true") for kind in kinds],
            ),
        ],
        tables=_ranking_tables(scope, people),
    )
