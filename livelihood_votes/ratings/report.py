"""The year's report of a cycle (民生实事项目年度报告): proposals received by channel,
screened out by reason, the candidates, the vote's result, and each project's progress,
money and rating. Printable (HTML, PDF through WeasyPrint) and Excel, with the core's
report helpers (``congress.reports``: ``report_workbook``, ``report_pdf``).

Read by plain queries on the shared models, counts grouped in the database: a fixed
number of queries whatever the number of proposals and projects (docs/livelihood-rating.md,
'The year's report'). No personal data: counts, titles, departments and money only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.dashboard import Figure, PanelData, Period, Table
from congress.reports import YEAR, Report
from livelihood_votes.models import (
    Cycle,
    LivelihoodVote,
    Project,
    ProjectStatus,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ScreeningReason,
    VoteStatus,
)
from livelihood_votes.models.ratings import RatingRound, RatingStatus
from livelihood_votes.selectors import vote_tally


@dataclass(frozen=True)
class YearReport(Report):
    """The core's report shape (panels of figures and tables), titled for the cycle."""

    cycle_title: str = ""

    @property
    def title(self) -> str:
        return _("%(title)s年度报告") % {"title": self.cycle_title}

    @property
    def slug(self) -> str:
        stem = self.region.code or str(self.region.pk)
        return f"livelihood-{stem}-{self.period.first:%Y}"


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _proposals(cycle: Cycle) -> list[PanelData]:
    by_channel = dict(
        Proposal.objects.filter(cycle=cycle)
        .order_by()
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    by_reason = dict(
        Proposal.objects.filter(cycle=cycle, status=ProposalStatus.SCREENED_OUT)
        .order_by()
        .values_list("screening_reason")
        .annotate(n=Count("pk"))
        .values_list("screening_reason", "n")
    )
    received = sum(by_channel.values())
    screened_out = sum(by_reason.values())
    call = PanelData(
        key="proposals",
        title=_("项目征集"),
        figures=[
            Figure(
                "received",
                _("收到项目建议"),
                received,
                _("征集期间各渠道收到的项目建议数"),
                unit=_("件"),
            ),
        ],
        tables=[
            Table(
                "by_channel",
                _("按来源"),
                [_("来源"), _("件数")],
                [
                    [str(label), by_channel.get(value, 0)]
                    for value, label in ProposalChannel.choices
                ],
            )
        ],
    )
    screening = PanelData(
        key="screening",
        title=_("筛选"),
        figures=[
            Figure(
                "screened_out",
                _("未采纳"),
                screened_out,
                _("筛选中未采纳的项目建议数"),
                unit=_("件"),
            ),
        ],
        tables=[
            Table(
                "by_reason",
                _("未采纳原因"),
                [_("原因"), _("件数")],
                [[str(label), by_reason.get(value, 0)] for value, label in ScreeningReason.choices],
            )
        ],
    )
    return [call, screening]


def _vote(cycle: Cycle) -> PanelData:
    vote = (
        LivelihoodVote.objects.select_related("box").filter(pk=cycle.vote_id).first()
        if cycle.vote_id
        else None
    )
    panel = PanelData(key="vote", title=_("候选项目与代表票决"))
    if vote is None:
        panel.note = _("本年度尚未建立票决。")
        return panel
    candidates = vote.candidates.count()
    panel.figures = [
        Figure("candidates", _("候选项目"), candidates, _("提交票决的候选项目数"), unit=_("项")),
        Figure("seats", _("应选项目"), vote.seats, _("票决确定的项目数"), unit=_("项")),
    ]
    if vote.status != VoteStatus.CLOSED:
        panel.note = _("票决尚未结束，不公布计票结果。")
        return panel
    tally = vote_tally(vote)
    panel.figures += [
        Figure(
            "electorate",
            _("应到人数"),
            tally.electorate,
            _("票决开始时确定的投票人数（在任代表或议政代表）"),
            unit=_("人"),
        ),
        Figure("ballots", _("收回选票"), tally.ballots, _("网上和纸质选票合计"), unit=_("张")),
        Figure(
            "elected",
            _("当选项目"),
            len(tally.elected),
            _("赞成票过半且在应选数内的项目"),
            unit=_("项"),
        ),
    ]
    panel.tables = [
        Table(
            "tally",
            _("票决结果"),
            [_("候选项目"), _("赞成"), _("反对"), _("弃权"), _("结果")],
            [
                [
                    row.candidate.title,
                    row.approvals,
                    row.opposes,
                    row.abstains,
                    _("当选")
                    if row.elected
                    else (_("并列，待补充票决") if row.tied else _("未当选")),
                ]
                for row in tally.rows
            ],
        )
    ]
    return panel


def _projects(cycle: Cycle, rating: RatingRound | None) -> PanelData:
    projects = list(
        Project.objects.filter(cycle=cycle).select_related("department").order_by("order", "pk")
    )
    budget = sum((p.budget or Decimal(0) for p in projects), Decimal(0))
    spent = sum((p.spent for p in projects), Decimal(0))
    counted = rating is not None and rating.status != RatingStatus.OPEN
    rated = {
        value: sum(1 for p in projects if p.rating == value)
        for value in ("satisfied", "basic", "dissatisfied")
    }
    figures = [
        Figure(
            "projects",
            _("民生实事项目"),
            len(projects),
            _("本年度跟踪的项目数（含上年度结转）"),
            unit=_("项"),
        ),
        Figure(
            "completed",
            _("已完成"),
            sum(1 for p in projects if p.status in (ProjectStatus.COMPLETED, ProjectStatus.CLOSED)),
            _("状态为已完成或已办结的项目数"),
            unit=_("项"),
        ),
        Figure("budget", _("预算合计"), float(budget), _("各项目预算之和"), unit=_("万元")),
        Figure(
            "spent",
            _("已完成投资"),
            float(spent),
            _("各项目最近一次进度报告的已完成投资之和"),
            unit=_("万元"),
        ),
    ]
    if counted:
        figures += [
            Figure(
                "satisfied",
                _("测评满意"),
                rated["satisfied"],
                _("年终测评结果为满意的项目数"),
                unit=_("项"),
            ),
            Figure(
                "basic",
                _("测评基本满意"),
                rated["basic"],
                _("年终测评结果为基本满意的项目数"),
                unit=_("项"),
            ),
            Figure(
                "dissatisfied",
                _("测评不满意"),
                rated["dissatisfied"],
                _("年终测评结果为不满意、交责任单位整改并结转下年度跟踪的项目数"),
                unit=_("项"),
            ),
        ]
    rows = [
        [
            p.title,
            p.department.name,
            p.get_status_display(),
            f"{p.percent_complete}%",
            _money(p.budget),
            _money(p.spent),
            p.get_rating_display() if p.rating else "",
            _("上年度结转") if p.carried_from_id else "",
        ]
        for p in projects
    ]
    return PanelData(
        key="projects",
        title=_("项目实施与年终测评"),
        figures=figures,
        tables=[
            Table(
                "projects",
                _("各项目进度、资金和测评结果"),
                [
                    _("项目"),
                    _("责任单位"),
                    _("状态"),
                    _("完成进度"),
                    _("预算（万元）"),
                    _("已完成投资（万元）"),
                    _("测评结果"),
                    _("备注"),
                ],
                rows,
            )
        ],
        note="" if counted else _("年终测评尚未计票。"),
    )


def year_report(cycle: Cycle, *, today: datetime.date | None = None) -> YearReport:
    """The cycle's year in figures (nine queries at most, whatever its size)."""
    today = today or timezone.localdate()
    rating = RatingRound.objects.filter(cycle=cycle).first()
    panels = [*_proposals(cycle), _vote(cycle), _projects(cycle, rating)]
    year_end = datetime.date(cycle.year, 12, 1)
    return YearReport(
        region=cycle.region,
        kind=YEAR,
        period=Period("months", datetime.date(cycle.year, 1, 1), year_end),
        panels=panels,
        made_at=timezone.now(),
        complete=cycle.year < today.year,
        cycle_title=cycle.title,
    )


__all__ = ["YearReport", "year_report"]
