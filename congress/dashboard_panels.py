"""The core's own dashboard panel: the departments' league table across every case
type of the closed loop (docs/dashboard.md, "承办单位"). Feature apps register
theirs in their ``AppConfig.ready``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from congress.areas import area_q, areas_under
from congress.dashboard import (
    DashboardPanel,
    Figure,
    PanelData,
    Scope,
    Table,
    mean,
    rate,
    register_dashboard_panel,
)
from congress.loop.selectors import visible_assignments
from congress.models import HANDLING_FIGURES, OPEN_STATUSES, HandlingCount
from congress.summary import COUNT_BOUND, BoundedCount

# The table ranks the departments that are late first; a city has a few hundred, a
# meeting reads the first few dozen.
LEAGUE_ROWS = 30


def overdue_assignments(scope: Scope) -> Any:
    """The departments' open assignments of the region past their due date, the longest
    overdue first. 当前超期 changes with the calendar: read on the partial index of open
    assignments (area_N, due_on, id), up to a bound, as 督办提醒's 按承办方 table does
    (docs/architecture.md, "Reads that do not grow with the data"). The user's scoping
    is worked out once per request (the citizens' panel reads it too)."""
    visible = scope.once("assignments", lambda: visible_assignments(scope.user))
    return visible.filter(
        area_q(scope.region),
        status__in=OPEN_STATUSES,
        due_on__lt=scope.today,
        department__isnull=False,
    ).order_by("due_on", "pk")


def _handled(scope: Scope) -> list[dict[str, Any]]:
    """The period's handling summary of the region by department and case type, read
    once per request: the departments' panel sums the case types, the citizens' panel
    keeps its own (one grouped query for both; a few rows per department)."""

    def read() -> list[dict[str, Any]]:
        period = scope.period
        return list(
            HandlingCount.objects.filter(
                areas_under(scope.region),
                month__gte=period.first,
                month__lte=period.last,
            )
            .values("department_id", "department__name", "case_type")
            .annotate(**{name: Sum(name) for name in HANDLING_FIGURES})
            .order_by()
        )

    rows: list[dict[str, Any]] = scope.once("handled", read)
    return rows


@dataclass(frozen=True)
class League:
    """The departments ranked, and how many assignments are overdue now (bounded)."""

    entries: list[dict[str, Any]]
    overdue: BoundedCount


def league(scope: Scope, case_type: str | None = None) -> League:
    """The departments with work in the period or overdue now, ranked (the most overdue
    first, then the lowest on-time rate): each with its name, handled, on-time,
    working days, ratings and overdue now, and the rates. ``case_type`` narrows it to
    one case type (the citizens' panel's 按承办单位). The period's summary rows
    (``_handled``, shared), and one bounded read of the longest overdue assignments'
    departments: its first 1,000 rows are counted per department, and its 1,001st
    says "1,000+" for the total (what ``bounded_count`` would say, without a second
    query)."""
    overdue_rows = overdue_assignments(scope)
    if case_type is not None:
        overdue_rows = overdue_rows.filter(case_type=case_type)
    read = list(overdue_rows.values_list("department_id", "department__name")[: COUNT_BOUND + 1])
    late: Counter[tuple[int, str]] = Counter(read[:COUNT_BOUND])
    league: dict[int, dict[str, Any]] = {}
    for row in _handled(scope):
        if case_type is not None and row["case_type"] != case_type:
            continue
        entry = league.setdefault(
            row["department_id"],
            {
                "department_id": row["department_id"],
                "department__name": row["department__name"],
                "name": row["department__name"],
                "overdue": 0,
                **dict.fromkeys(HANDLING_FIGURES, 0),
            },
        )
        for name in HANDLING_FIGURES:
            entry[name] += row[name] or 0
    for (department, name), n in late.items():
        entry = league.setdefault(
            department,
            {"department_id": department, "name": name, **dict.fromkeys(HANDLING_FIGURES, 0)},
        )
        entry["overdue"] = n
    entries = list(league.values())
    for entry in entries:
        entry["rate"] = rate(entry["on_time"], entry["finished"])
        entry["mean"] = mean(entry["workdays"], entry["finished"])
        entry["satisfaction"] = rate(entry["satisfied"], entry["rated"])
    entries.sort(
        key=lambda e: (-e["overdue"], e["rate"] if e["rate"] is not None else 101, e["name"])
    )
    return League(entries, BoundedCount(min(len(read), COUNT_BOUND), more=len(read) > COUNT_BOUND))


def league_entries(scope: Scope, case_type: str | None = None) -> list[dict[str, Any]]:
    """The league's ranked departments alone (see ``league``)."""
    return league(scope, case_type).entries


def percent(value: float | None) -> str | None:
    """A rate as a table shows it ("83.9%"; the Excel report reads it as 0.839)."""
    return None if value is None else f"{value:.1f}%"


def departments_panel(scope: Scope) -> PanelData:
    found = league(scope)
    entries, overdue_total = found.entries, found.overdue
    finished = sum(e["finished"] for e in entries)
    on_time = sum(e["on_time"] for e in entries)
    workdays = sum(e["workdays"] for e in entries)
    rated = sum(e["rated"] for e in entries)
    satisfied = sum(e["satisfied"] for e in entries)
    return PanelData(
        key="departments",
        title=_("承办单位"),
        note=_("所有交办事项（群众反映问题、代表建议等）的承办单位办理情况。"),
        figures=[
            Figure(
                "finished",
                _("办复件数"),
                finished,
                _(
                    "本期答复（或未答复直接办结）的交办事项件数，按答复日期计；不满意退回重办的，待再次答复后计入。"
                ),
            ),
            Figure(
                "on_time_rate",
                _("按期办复率"),
                rate(on_time, finished),
                _("办复件数中在办理期限（含批准的延期）当日或之前答复的比例。"),
                unit="%",
            ),
            Figure(
                "average_workdays",
                _("平均办理用时"),
                mean(workdays, finished),
                _("从交办到答复的工作日数的平均值。"),
                unit=_("工作日"),
            ),
            Figure(
                "satisfaction_rate",
                _("满意率"),
                rate(satisfied, rated),
                _(
                    "本期对承办单位答复的评价中满意和基本满意的比例（群众评价、代表测评、"
                    "二次评价、民生实事项目测评和专项工作报告满意度测评的每一票、"
                    "专题询问中询问人对回答的满意度，每次评价都计入）。"
                ),
                unit="%",
            ),
            Figure(
                "overdue",
                _("当前超期"),
                overdue_total.value,
                _("此刻已过办理期限仍未答复的交办事项件数（不限本期，超过1000件显示“1,000+”）。"),
                more=overdue_total.more,
            ),
        ],
        tables=[
            Table(
                "league",
                _("承办单位排名"),
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
                    for e in entries[:LEAGUE_ROWS]
                ],
                _(
                    "超期多的在前，其次按期办复率低的在前；最多列出30个单位。"
                    "超期件数按超期最久的1000件计。满意率为本期对该单位答复的评价中"
                    "满意和基本满意的比例。"
                ),
            )
        ],
    )


register_dashboard_panel(DashboardPanel("departments", departments_panel, order=50))
