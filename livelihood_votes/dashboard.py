"""The livelihood projects on the staff dashboard (docs/dashboard.md, "民生实事项目"):
the year's projects of the region and below, how far they are and which are behind
their plan, from the facts the projects' services keep on each row
(docs/livelihood-projects.md). A region has a few dozen projects a year: two queries
(the figures, the rows), whatever the number of reports behind them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
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
from congress.models import Rating
from livelihood_votes.models import ProjectStatus
from livelihood_votes.projects.selectors import visible_projects

# The table lists the projects behind their plan first; a meeting reads the first few dozen.
TABLE_ROWS = 30
DONE = (ProjectStatus.COMPLETED, ProjectStatus.CLOSED)


def _wan(amount: Decimal | None) -> str:
    return f"{amount or 0:,.0f}"


def livelihood_panel(scope: Scope) -> PanelData | None:
    year = scope.period.last.year
    projects = visible_projects(scope.user).filter(
        cycle__region__path__startswith=scope.region.path, cycle__year=year
    )
    total = projects.aggregate(
        n=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE)),
        behind=Count("pk", filter=Q(behind_schedule=True)),
        mean=Avg("percent_complete"),
        budget=Sum("budget"),
        spent=Sum("spent"),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating="satisfied")),
    )
    if not total["n"]:
        return None
    figures = [
        Figure(
            "projects", _("项目"), total["n"], _("本年度票决产生（含上年度结转）的民生实事项目数。")
        ),
        Figure("done", _("已完成"), total["done"], _("已完成或已办结的项目数。")),
        Figure(
            "behind",
            _("进度滞后"),
            total["behind"],
            _("有节点到期未完成，或完成进度低于计划进度的项目数。"),
        ),
        Figure(
            "mean_percent",
            _("平均进度"),
            round(total["mean"], 1) if total["mean"] is not None else None,
            _("各项目最近一次被接受的月度进度报告所报完成进度的平均值。"),
            unit="%",
        ),
        Figure(
            "spent_share",
            _("投资完成率"),
            rate(float(total["spent"] or 0), float(total["budget"] or 0)),  # type: ignore[arg-type]
            _("已完成投资占项目预算合计的比例。"),
            unit="%",
        ),
        Figure(
            "satisfied",
            _("测评满意"),
            total["satisfied"],
            _("年终满意度测评结果为满意的项目数（已测评%(rated)s个）。")
            % {"rated": total["rated"]},
        ),
    ]
    rows = projects.order_by("-behind_schedule", "percent_complete", "order", "pk").values_list(
        "title",
        "department__name",
        "percent_complete",
        "spent",
        "budget",
        "status",
        "rating",
        "behind_schedule",
    )[:TABLE_ROWS]
    statuses, ratings = dict(ProjectStatus.choices), dict(Rating.choices)
    table = Table(
        "livelihood_projects",
        _("项目进度（滞后的在前）"),
        [
            _("项目"),
            _("责任单位"),
            _("完成进度"),
            _("已完成投资（万元）"),
            _("预算（万元）"),
            _("状态"),
        ],
        [
            [
                title,
                department,
                f"{percent}%",
                _wan(spent),
                _wan(budget),
                _state(ratings.get(rating) or statuses.get(status, status), behind),
            ]
            for title, department, percent, spent, budget, status, rating, behind in rows
        ],
        definition=_("进度和投资为责任单位最近一次被接受的月度进度报告所报数字。"),
    )
    return PanelData(
        "livelihood",
        _("民生实事项目（%(year)s年度）") % {"year": year},
        figures=figures,
        tables=[table],
    )


def _state(label: object, behind: bool) -> str:
    """A project's status, marked where it is one of the 进度滞后 counted above."""
    return _("%(status)s（滞后）") % {"status": label} if behind else str(label)


register_dashboard_panel(DashboardPanel("livelihood", livelihood_panel, order=40))
