"""Supervision on the staff dashboard (docs/dashboard.md, "专项监督", issue 16): the
findings of the year's supervision topics of the region and below (open, closed off,
the close-off rate, by responsible department), the findings overdue now, and the
standing committee's meetings of the next 60 days with whether each report has arrived.

Every read is scoped by the app's selectors and bounded: the year's figures are sums of
the 销号清零 counts each topic keeps on its row (moved by the findings' services in the same
transaction); 当前超期 is read on the index (region, status, due_on) up to a bound, as the
core's departments panel reads its overdue steps; the departments' table is one grouped
count over the year's findings (tens to a few thousand a year for a city); the meetings
are one query and their reports one more. Five queries, whatever the number of findings.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from congress.dashboard import (
    DashboardPanel,
    Figure,
    PanelData,
    Scope,
    Table,
    rate,
    register_dashboard_panel,
)
from congress.summary import COUNT_BOUND
from supervision.meetings.selectors import visible_meetings
from supervision.models.meetings import AgendaItem, ItemKind, Meeting, MeetingStatus, ReportStatus
from supervision.models.topics import FindingStatus, TopicStatus
from supervision.selectors import visible_findings, visible_topics

# A meeting reads the first few dozen departments; a city's congresses hold a dozen
# meetings in two months.
DEPARTMENT_ROWS = 30
MEETING_ROWS = 20
UPCOMING_DAYS = 60

# A meeting of the next 60 days and the reports it is to hear.
Upcoming = tuple[Meeting, list[AgendaItem]]


@dataclass(frozen=True)
class DepartmentLine:
    name: str
    total: int = 0
    closed_off: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.closed_off


def _departments(
    grouped: list[dict[str, Any]], late: Counter[tuple[int, str]]
) -> list[DepartmentLine]:
    lines: dict[int, DepartmentLine] = {
        row["department_id"]: DepartmentLine(
            row["department__name"], row["total"], row["closed_off"]
        )
        for row in grouped
    }
    for (department, name), n in late.items():
        line = lines.get(department) or DepartmentLine(name)
        lines[department] = DepartmentLine(line.name, line.total, line.closed_off, n)
    return sorted(lines.values(), key=lambda line: (-line.overdue, -line.open, line.name))


def _report_state(item: AgendaItem, today: datetime.date) -> tuple[str, bool]:
    """(what the table says, whether it is late) for a report on an upcoming meeting."""
    if item.status == ReportStatus.RECEIVED:
        return (_("已报送（逾期）"), True) if item.late else (_("已报送"), False)
    if item.due_on is not None and item.due_on < today:
        return _("逾期未报送"), True
    return _("待报送"), False


def supervision_panel(scope: Scope) -> PanelData | None:
    year, today, path = scope.period.last.year, scope.today, scope.region.path
    totals = (
        visible_topics(scope.user)
        .filter(region__path__startswith=path, plan__year=year)
        .exclude(status=TopicStatus.CANCELLED)
        .aggregate(
            topics=Count("pk"),
            findings=Sum("findings_count"),
            closed_off=Sum("findings_closed_off"),
            cleared=Count(
                "pk", filter=Q(findings_count__gt=0, findings_closed_off=F("findings_count"))
            ),
        )
    )
    findings, closed_off = totals["findings"] or 0, totals["closed_off"] or 0
    # 当前超期 changes with the calendar, not with a write: the findings still with the
    # department past their due date, any year, longest overdue first, up to a bound.
    overdue_rows = list(
        visible_findings(scope.user)
        .filter(region__path__startswith=path, status=FindingStatus.RECTIFYING, due_on__lt=today)
        .order_by("due_on", "pk")
        .values_list("department_id", "department__name")[: COUNT_BOUND + 1]
    )
    overdue, more = min(len(overdue_rows), COUNT_BOUND), len(overdue_rows) > COUNT_BOUND
    grouped = list(
        visible_findings(scope.user)
        .filter(
            region__path__startswith=path,
            topic__plan__year=year,
        )
        .exclude(topic__status=TopicStatus.CANCELLED)
        .values("department_id", "department__name")
        .annotate(
            total=Count("pk"),
            closed_off=Count("pk", filter=Q(status=FindingStatus.CLOSED_OFF)),
        )
        .order_by()
    )
    meetings = list(
        visible_meetings(scope.user)
        .filter(
            region__path__startswith=path,
            status=MeetingStatus.SCHEDULED,
            held_on__gte=today,
            held_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.filter(kind=ItemKind.REPORT)
                .select_related("department")
                .order_by("position", "pk"),
                to_attr="reports",
            )
        )
        .order_by("held_on", "pk")[:MEETING_ROWS]
    )
    upcoming: list[Upcoming] = [(meeting, meeting.reports) for meeting in meetings]
    if not totals["topics"] and not overdue and not upcoming:
        return None
    departments = _departments(grouped, Counter(overdue_rows[:COUNT_BOUND]))
    return PanelData(
        "supervision",
        _("专项监督（%(year)s年度）") % {"year": year},
        note=_(
            "问题数、已销号、整改中和销号率是本年度监督工作计划中本区划及下级人大监督议题的问题清单；"
            "当前超期和近期会议是生成时此刻的情况。"
        ),
        figures=_figures(totals["topics"], totals["cleared"], findings, closed_off, overdue, more)
        + _meeting_figures(upcoming, today),
        tables=[_department_table(departments), _meeting_table(upcoming, today)],
    )


def _figures(
    topics: int, cleared: int, findings: int, closed_off: int, overdue: int, more: bool
) -> list[Figure]:
    return [
        Figure(
            "topics",
            _("监督议题"),
            topics,
            _("本年度监督工作计划中本区划及下级人大的监督议题数（不含已取消的）。"),
        ),
        Figure("findings", _("问题数"), findings, _("这些议题列入问题清单的问题数。")),
        Figure(
            "closed_off",
            _("已销号"),
            closed_off,
            _("其中经人大工作人员核实整改到位、已销号的问题数（回头看重新整改的不计）。"),
        ),
        Figure(
            "open",
            _("整改中"),
            findings - closed_off,
            _("其中尚未销号的问题数，含责任单位已申请销号、待核实的。"),
        ),
        Figure(
            "closed_off_rate",
            _("销号率"),
            rate(closed_off, findings),
            _("已销号 ÷ 问题数。"),
            unit="%",
        ),
        Figure(
            "cleared",
            _("已清零议题"),
            cleared,
            _("问题清单全部销号（销号清零）的议题数。"),
        ),
        Figure(
            "overdue",
            _("当前超期"),
            overdue,
            _(
                "此刻已过整改期限、责任单位仍在整改（未申请销号）的问题数，不限年度；"
                "超过1000项显示“1,000+”。"
            ),
            more=more,
        ),
    ]


def _meeting_figures(upcoming: list[Upcoming], today: datetime.date) -> list[Figure]:
    reports = [item for _meeting, items in upcoming for item in items]
    awaited = sum(1 for item in reports if item.status == ReportStatus.AWAITED)
    late = sum(1 for item in reports if _report_state(item, today)[1])
    return [
        Figure(
            "meetings",
            _("近期会议"),
            len(upcoming),
            _("今后60天内已安排的本区划及下级人大常委会会议数（最多列出20次）。"),
        ),
        Figure(
            "reports_awaited",
            _("待报送报告"),
            awaited,
            _("这些会议听取的专项工作报告中，报告单位尚未报送的份数。"),
        ),
        Figure(
            "reports_late",
            _("逾期报告"),
            late,
            _("这些会议的报告中，已过报送期限仍未报送或逾期才报送的份数。"),
        ),
    ]


def _department_table(lines: list[DepartmentLine]) -> Table:
    return Table(
        "supervision_departments",
        _("责任单位整改情况"),
        [_("责任单位"), _("整改中"), _("已销号"), _("销号率"), _("当前超期")],
        [
            [
                line.name,
                line.open,
                line.closed_off,
                None if not line.total else f"{rate(line.closed_off, line.total):.1f}%",
                line.overdue,
            ]
            for line in lines[:DEPARTMENT_ROWS]
        ],
        definition=_(
            "整改中、已销号和销号率为本年度议题的问题；当前超期不限年度，按超期最久的1000项计。"
            "超期多的在前，其次整改中多的在前；最多列出30个单位。"
        ),
    )


def _meeting_table(upcoming: list[Upcoming], today: datetime.date) -> Table:
    rows: list[list[Any]] = []
    for meeting, reports in upcoming:
        when = f"{meeting.held_on:%Y-%m-%d} {meeting}"
        for item in reports:
            state, _late = _report_state(item, today)
            rows.append(
                [
                    when,
                    item.title,
                    item.department.name if item.department else "",
                    f"{item.due_on:%Y-%m-%d}" if item.due_on else "",
                    state,
                ]
            )
        if not reports:
            rows.append([when, _("（无专项工作报告）"), "", "", ""])
    return Table(
        "supervision_meetings",
        _("近期会议和报告报送"),
        [_("会议"), _("报告"), _("报告单位"), _("报送期限"), _("报送情况")],
        rows,
        definition=_(
            "今后60天内的常委会会议及其听取的专项工作报告：报告须在报送期限前送达（监督法），"
            "逾期的标为逾期。"
        ),
    )


register_dashboard_panel(DashboardPanel("supervision", supervision_panel, order=45))
