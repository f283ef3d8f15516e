"""The year's report against a hand-built year of 海州区: proposals by channel and the
ones screened out by reason, the vote's candidates and result, each project's progress,
money and rating. Every expected figure is counted by hand from the fixture below."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.ballots import services as ballots
from congress.models import User
from congress.models.ballots import Mark, Rating
from livelihood_votes import services as vote_services
from livelihood_votes.models import (
    Cycle,
    Project,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ScreeningReason,
)
from livelihood_votes.ratings import services
from livelihood_votes.ratings.report import year_report
from tests.livelihood_votes.conftest import Cast, make_vote
from tests.livelihood_votes.test_rating_support import cast_for, make_cycle, opened, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED
C, R, DEP = ProposalChannel.CITIZEN, ProposalChannel.REPRESENTATIVE, ProposalChannel.DEPARTMENT

# (channel, screened out for) — 3 by citizens, 2 by representatives, 1 by a department;
# two not feasible and one already funded screened out, the other three went on.
PROPOSALS = [
    (C, ScreeningReason.NOT_FEASIBLE),
    (C, ScreeningReason.NOT_FEASIBLE),
    (C, None),
    (R, ScreeningReason.ALREADY_FUNDED),
    (R, None),
    (DEP, None),
]


def _proposals(cycle: Cycle, rows: list[tuple[str, str | None]]) -> None:
    Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle,
                channel=channel,
                region=cycle.region,
                title=f"建议{n}",
                description="内容",
                place="海州区",
                status=ProposalStatus.SCREENED_OUT if reason else ProposalStatus.ACCEPTED,
                screening_reason=reason or "",
            )
            for n, (channel, reason) in enumerate(rows)
        ]
    )


def _year(cast: Cast, staff: User) -> Cycle:
    """12 candidates for 10 seats; six of the ten representatives approve candidates
    1–10: each of those has 6 approvals (6 × 2 > 10: passes), 11 and 12 none. Three
    projects (budgets 100, 200, 300; spent 50, 0, 300), rated A 满意, B 基本满意, C 不满意."""
    vote = make_vote(cast.world.district, staff)
    vote_services.vote_open(vote=vote, by=staff)
    first_ten = list(vote.candidates.order_by("order").values_list("pk", flat=True))[:10]
    for rep in cast.seated[:6]:
        ballots.ballot_cast(
            box=vote.box, voter=rep.pk, choices=dict.fromkeys(first_ten, Mark.APPROVE)
        )
    vote_services.vote_close(vote=vote, by=staff)
    cycle = make_cycle(cast.world.district, cast.world.department, vote=vote)
    _proposals(cycle, PROPOSALS)
    a, b, c = projects_of(cycle)
    for project, spent in ((a, 50), (b, 0), (c, 300)):
        Project.objects.filter(pk=project.pk).update(spent=Decimal(spent))
    rating = opened(cycle, staff)
    for rep in cast.seated[:4]:
        cast_for(rating, rep.pk, {a: S, b: S, c: S})
    cast_for(rating, cast.seated[4].pk, {a: S, b: B, c: D})
    services.rating_close(rating=rating, by=staff)
    return cycle


def _figures(cycle: Cycle) -> dict[str, object]:
    report = year_report(cycle)
    return {
        f"{panel.key}.{figure.key}": figure.value
        for panel in report.panels
        for figure in panel.figures
    }


def _table(cycle: Cycle, panel_key: str) -> list[list[object]]:
    panel = next(p for p in year_report(cycle).panels if p.key == panel_key)
    return panel.tables[0].rows


@pytest.mark.django_db
def test_the_years_figures(cast: Cast, district_staff: User) -> None:
    cycle = _year(cast, district_staff)
    assert _figures(cycle) == {
        "proposals.received": 6,
        "screening.screened_out": 3,
        "vote.candidates": 12,
        "vote.seats": 10,
        "vote.electorate": 10,
        "vote.ballots": 6,
        "vote.elected": 10,
        "projects.projects": 3,
        "projects.completed": 2,  # A and B 已办结; C 整改中
        "projects.budget": 600.0,
        "projects.spent": 350.0,
        "projects.satisfied": 1,
        "projects.basic": 1,
        "projects.dissatisfied": 1,
    }
    assert _table(cycle, "proposals") == [
        ["群众（扫码或网上）", 3],
        ["人大代表", 2],
        ["政府部门", 1],
        ["群众反映问题转来", 0],
    ]
    assert _table(cycle, "screening") == [
        ["条件尚不具备", 2],
        ["不属于民生实事范围", 0],
        ["已列入其他计划或已安排资金", 1],
        ["已合并到其他建议", 0],
        ["其他", 0],
    ]
    tally = _table(cycle, "vote")
    assert [row[1:] for row in tally[:10]] == [[6, 0, 0, "当选"]] * 10
    assert [row[1:] for row in tally[10:]] == [[0, 0, 0, "未当选"]] * 2
    projects = _table(cycle, "projects")
    assert [(row[0], row[4], row[5], row[6]) for row in projects] == [
        ("新建社区食堂5个", 100.0, 50.0, "满意"),
        ("改造老旧小区3个", 200.0, 0.0, "基本满意"),
        ("整治积水点8处", 300.0, 300.0, "不满意"),
    ]


@pytest.mark.django_db
def test_the_report_as_page_and_workbook(cast: Cast, district_staff: User) -> None:
    from openpyxl import load_workbook

    cycle = _year(cast, district_staff)
    client = Client()
    client.force_login(district_staff)
    page = client.get(f"/livelihood/cycles/{cycle.pk}/report/")
    assert page.status_code == 200
    assert 'data-figure="proposals.received"' in page.content.decode()
    workbook = client.get(f"/livelihood/cycles/{cycle.pk}/report/?format=xlsx")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.content))
    sheet = book["项目征集"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("收到项目建议", 6, "件", "征集期间各渠道收到的项目建议数") in values
    assert values[-4][:2] == ("群众（扫码或网上）", 3)


@pytest.mark.django_db
def test_the_report_reads_a_fixed_number_of_queries(cast: Cast, district_staff: User) -> None:
    cycle = _year(cast, district_staff)
    with CaptureQueriesContext(connection) as few:
        year_report(Cycle.objects.get(pk=cycle.pk))
    _proposals(cycle, PROPOSALS * 10)
    Project.objects.bulk_create(
        [
            Project(cycle=cycle, title=f"项目{n}", department=cast.world.department, order=10 + n)
            for n in range(10)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        year_report(Cycle.objects.get(pk=cycle.pk))
    assert len(few) == len(many)
    assert len(many) <= 10
