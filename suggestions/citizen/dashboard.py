"""The citizens' problems panel of the staff dashboard (docs/dashboard.md, "群众诉求").

Every figure but 当前超期 is summed from the monthly summary (``IssueMonthCount``,
one row per area, month received and category) of the areas under the region:
one query grouped by month and category gives the totals, the trend and the
categories, and one by area the child regions (and the map), whatever the number
of problems. 当前超期 changes with the
calendar, not with a write: a bounded count on the (area_N, next_due_on) index.
按家站点 sums the stations' monthly summary (``IssueStationMonthCount``) in one
grouped query, the first rows only; 按承办单位 is the departments' league of the
citizens' case type (``congress.dashboard_panels.league_entries``: the engine's
``HandlingCount``, read once for both panels, and the bounded overdue read).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.areas import area_q
from congress.dashboard import Chart, Figure, PanelData, Scope, Table, drillable, mean, rate
from congress.dashboard_panels import league_entries, percent
from congress.summary import bounded_count
from suggestions.citizen.dashboard_map import received_by_child, region_map
from suggestions.citizen.selectors import overdue_q, visible_issues
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import IssueStatus
from suggestions.models.monthly import MONTH_FIGURES, IssueMonthCount, IssueStationMonthCount

# The first rows of the stations' and the departments' tables (a city has hundreds
# of stations; a meeting reads the busiest).
STATION_ROWS = 20
DEPARTMENT_ROWS = 20


def _list_url(scope: Scope, **filters: Any) -> str:
    """The problem list behind a figure or a row (its address reversed once a request:
    the panel links some fifty rows)."""
    query = {"region": scope.region.pk, **filters}
    return (
        scope.once("citizen_issue_list", lambda: reverse("citizen_issue_list"))
        + "?"
        + urlencode(query)
    )


def _received_filters(scope: Scope) -> dict[str, str]:
    return {
        "created_after": scope.period.start.isoformat(),
        "created_before": scope.period.end.isoformat(),
    }


def citizen_panel(scope: Scope) -> PanelData:
    period = scope.period
    # The region's rows on their own area column (an (area_N, month) index): a year
    # of a city's areas and categories, not the province's.
    under = IssueMonthCount.objects.filter(
        area_q(scope.region, region_field="area_id"), month__lte=period.last
    )
    rows = under.filter(month__gte=period.first)
    # One grouped read for the trend's months, the period's among them: the figures
    # and the categories are the period's rows.
    trend_months = period.trend_months
    by_month = _by_month_and_category(under.filter(month__gte=trend_months[0]))
    grouped = [row for row in by_month if row["month"] >= period.first]
    totals = {name: sum(row[name] or 0 for row in grouped) for name in MONTH_FIGURES}
    overdue = bounded_count(visible_issues(scope.user).filter(area_q(scope.region), overdue_q()))
    received = _received_filters(scope)
    t = totals
    figures = [
        Figure(
            "received",
            _("收到"),
            t["received"],
            _("本期提交的问题件数（含待审核、已并入同类问题的），按提交日期计。"),
            _list_url(scope, **received),
        ),
        Figure(
            "accepted",
            _("受理"),
            t["accepted"],
            _("本期收到的问题中已受理的件数。"),
        ),
        Figure(
            "closed",
            _("办结"),
            t["closed"],
            _("本期收到的问题中已办结（群众评价满意、基本满意，或评价期满未评价）的件数。"),
            _list_url(scope, status=IssueStatus.CLOSED, **received),
        ),
        Figure(
            "handling_rate",
            _("办结率"),
            rate(t["closed"], t["received"]),
            _("办结 ÷ 收到：本期收到的问题中已办结的比例。"),
            unit="%",
        ),
        Figure(
            "on_time_rate",
            _("按期办结率"),
            rate(t["closed_on_time"], t["closed"]),
            _("按期办结 ÷ 办结：办结的问题中每个办理环节都在期限内答复或办结的比例。"),
            unit="%",
        ),
        Figure(
            "average_workdays",
            _("平均办结用时"),
            mean(t["workdays_to_close"], t["closed"]),
            _("办结的问题从提交到办结的工作日数的平均值（按法定节假日和调休计）。"),
            unit=_("工作日"),
        ),
        Figure(
            "satisfaction_rate",
            _("满意率"),
            rate(t["satisfied"], t["rated"]),
            _(
                "（满意 + 基本满意）÷ 全部评价次数。每次评价都计入：不满意后重新办理再评价的，"
                "两次评价都算。未评价的不计入。"
            ),
            unit="%",
        ),
        Figure(
            "unsatisfied",
            _("不满意"),
            t["unsatisfied"],
            _("本期收到的问题得到的不满意评价次数（每次不满意都退回重新办理）。"),
        ),
        Figure(
            "reopened",
            _("重新办理"),
            t["reopened"],
            _("本期收到的问题因群众不满意而重新办理的次数。"),
        ),
        Figure(
            "overdue",
            _("当前超期"),
            overdue.value,
            _("此刻有办理环节已过期限的问题件数（不限本期，超过1000件显示“1,000+”）。"),
            _list_url(scope, overdue="true"),
            more=overdue.more,
        ),
    ]
    return PanelData(
        key="citizen",
        title=_("群众诉求"),
        figures=figures,
        charts=[
            _trend(trend_months, by_month),
            _by_category(scope, grouped),
            # Below a township the summary has no finer area to rank.
            *([_by_child(scope, rows)] if any(map(drillable, scope.children)) else []),
            *region_map(scope, rows),  # with the children's boundaries loaded
        ],
        tables=[_by_station(scope), _by_department(scope)],
        note=_("各项（当前超期除外）都是本期收到的问题的现状，随办理进展更新。"),
    )


def _by_station(scope: Scope) -> Table:
    """The stations of the region whose problems were the most received in the period,
    with closed, 办结率 and 满意率 (the panel's definitions, per station); a row opens
    the problem list of that station, the period's submission dates."""
    period = scope.period
    rows = list(
        IssueStationMonthCount.objects.filter(
            area_q(scope.region, region_field="area_id"),
            month__gte=period.first,
            month__lte=period.last,
        )
        .values("station_id", "station__name")
        .annotate(
            received=Sum("received"),
            closed=Sum("closed"),
            rated=Sum("rated"),
            satisfied=Sum("satisfied"),
        )
        .order_by("-received", "station__name", "station_id")[:STATION_ROWS]
    )
    received = _received_filters(scope)
    return Table(
        "stations",
        _("按家站点"),
        [_("家站点"), _("收到"), _("办结"), _("办结率"), _("满意率")],
        [
            [
                row["station__name"],
                row["received"],
                row["closed"],
                percent(rate(row["closed"], row["received"])),
                percent(rate(row["satisfied"], row["rated"])),
            ]
            for row in rows
        ],
        _(
            "本期在各家站点收到的问题（扫家站点二维码或在家站点接待登记），收到多的在前，"
            "最多列出20个；办结率、满意率的定义同上。不经家站点反映的问题不在此表。"
        ),
        [_list_url(scope, station=row["station_id"], **received) for row in rows],
    )


def _by_department(scope: Scope) -> Table:
    """The departments given the citizens' problems: the league of this case type."""
    entries = league_entries(scope, ISSUE_CASE)[:DEPARTMENT_ROWS]
    return Table(
        "departments",
        _("按承办单位"),
        [
            _("承办单位"),
            _("当前超期"),
            _("办复件数"),
            _("按期办复率"),
            _("平均用时（工作日）"),
            _("满意率"),
        ],
        [
            [
                e["name"],
                e["overdue"],
                e["finished"],
                percent(e["rate"]),
                e["mean"],
                percent(e["satisfaction"]),
            ]
            for e in entries
        ],
        _(
            "群众反映问题交办给承办单位的办理情况：本期答复件数、按期办复率、平均办理用时，"
            "本期群众对其答复的评价中满意和基本满意的比例，及此刻超期的件数（按超期最久的"
            "1000件计）。超期多的在前，最多列出20个单位。"
        ),
        [_list_url(scope, department=e["department_id"]) for e in entries],
    )


def _by_month_and_category(rows: Any) -> list[dict[str, Any]]:
    """The period's summary rows summed by month and category, with the category's
    name and order: one grouped query gives the totals, the trend and the categories
    (a few hundred rows at most: months × categories)."""
    return list(
        rows.values(
            "month", "category_id", "category__name", "category__sort_order", "category__code"
        )
        .annotate(**{name: Sum(name) for name in MONTH_FIGURES})
        .order_by()
    )


def _summed(grouped: list[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
    """Received and closed per ``key`` (the month or the category) of the grouped rows."""
    summed: dict[Any, dict[str, int]] = {}
    for row in grouped:
        entry = summed.setdefault(row[key], {"received": 0, "closed": 0})
        entry["received"] += row["received"] or 0
        entry["closed"] += row["closed"] or 0
    return summed


def _trend(months: list[datetime.date], grouped: list[dict[str, Any]]) -> Chart:
    by_month = _summed(grouped, "month")
    return Chart(
        "trend",
        _("月度趋势"),
        "line",
        [f"{month:%Y-%m}" for month in months],
        [
            (_("收到"), [by_month.get(m, {}).get("received") or 0 for m in months]),
            (_("办结"), [by_month.get(m, {}).get("closed") or 0 for m in months]),
        ],
        _(
            "近十二个月（到本期最后一个月为止；本期更长时为本期）每月收到的问题件数，及其中至今已办结的件数。"
        ),
    )


def _by_category(scope: Scope, grouped: list[dict[str, Any]]) -> Chart:
    counted = _summed(grouped, "category_id")
    order = {
        row["category_id"]: (
            row["category__sort_order"],
            row["category__code"],
            row["category__name"],
        )
        for row in grouped
    }
    categories = sorted(counted, key=lambda pk: order[pk][:2])
    received = _received_filters(scope)
    return Chart(
        "category",
        _("按类别"),
        "bar",
        [order[pk][2] for pk in categories],
        [
            (_("收到"), [counted[pk]["received"] for pk in categories]),
            (_("办结"), [counted[pk]["closed"] for pk in categories]),
        ],
        _("本期收到的问题按类别分。"),
        [_list_url(scope, category=pk, **received) for pk in categories],
    )


def _by_child(scope: Scope, rows: Any) -> Chart:
    """Problems per child region, largest first; a bar opens the child's dashboard."""
    received = received_by_child(scope, rows)
    ranked = sorted(
        scope.children, key=lambda child: (-received.get(child.pk, 0), child.code, child.pk)
    )
    return Chart(
        "regions",
        _("下级区划排名"),
        "ranking",
        [child.name for child in ranked],
        [(_("收到"), [received.get(child.pk, 0) for child in ranked])],
        _("本期收到的问题按下一级区划分，多者在前。"),
        [scope.drill_url(child) for child in ranked],
        hint=_("点击进入该区划。"),
    )
