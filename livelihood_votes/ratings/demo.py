"""Demo: last year's (2025) city cycle, fully rated. The 2025 vote (12 candidates for 10
seats) held and closed through the vote's services, its ten projects completed, the
year-end rating opened on its own dates, rated by the representatives, closed with one
project 不满意 (its rectification handed to the department, the project carried into
2026) and published.

The ballots go through the core's secret ballot (``congress.ballots.services``) as the
representatives' online ballots would; everything else through the services, so the demo
is also a smoke test of the rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from congress.ballots import services as ballots
from congress.models import Department, User
from congress.models.ballots import Rating
from livelihood_votes import services as vote_services
from livelihood_votes.models import Cycle, Mark, Project, ProjectStatus
from livelihood_votes.ratings import services
from livelihood_votes.selectors import seated_representatives

YEAR = 2025
# (title, 责任单位 short name, budget in 万元, how popular, how well it was done)
CANDIDATES: list[tuple[str, str, str, float, float]] = [
    ("新建改扩建中小学8所，新增学位1万个", "教育局", "62000", 0.93, 0.9),
    ("实施老旧小区改造45个", "住建局", "38000", 0.9, 0.85),
    ("新增和优化公交线路12条", "交通局", "9000", 0.88, 0.8),
    ("建设社区助餐点60个", "民政局", "3000", 0.91, 0.92),
    ("整治城市易涝点30处", "水利局", "11000", 0.86, 0.15),  # the one rated 不满意
    ("新增公共停车泊位6000个", "自然资源局", "18000", 0.8, 0.75),
    ("建设口袋公园30个", "住建局", "12000", 0.78, 0.88),
    ("为65岁以上老年人免费体检", "卫健委", "3600", 0.89, 0.9),
    ("改造农村公路260公里", "交通局", "36000", 0.84, 0.75),
    ("新增普惠托位2000个", "卫健委", "4200", 0.76, 0.78),
    ("建设城市书房15家", "文广旅局", "1500", 0.42, 0.8),
    ("建设夜间经济街区2个", "商务局", "5000", 0.3, 0.6),
]


def _department(region_id: int, short_name: str) -> Department | None:
    return Department.objects.filter(region_id=region_id, short_name=short_name).first()


def build(ctx: Any) -> None:
    congress = ctx.congresses[ctx.city.pk]
    staff = User.objects.get(username="city_staff")
    if Cycle.objects.filter(region=ctx.city, year=YEAR).exists():
        return
    rng = ctx.rng
    vote = vote_services.vote_create(
        congress=congress,
        year=YEAR,
        title=f"江海市{YEAR}年度民生实事项目代表票决",
        seats=10,
        by=staff,
    )
    candidates = [
        vote_services.candidate_add(
            vote=vote,
            title=title,
            department=_department(ctx.city.pk, short),
            budget=Decimal(budget),
            deadline=f"{YEAR}年12月底",
            by=staff,
        )
        for title, short, budget, _popular, _done in CANDIDATES
    ]
    vote_services.vote_open(vote=vote, by=staff)
    voters = seated_representatives(congress)
    box = vote.box
    assert box is not None
    for voter in voters:
        if rng.random() > 0.93:
            continue
        picks = [
            c.pk for c, row in zip(candidates, CANDIDATES, strict=True) if rng.random() < row[3]
        ]
        ballots.ballot_cast(
            box=box, voter=voter, choices=dict.fromkeys(picks[: vote.seats], Mark.APPROVE)
        )
    vote_services.vote_close(vote=vote, by=staff)
    cycle = Cycle.objects.create(
        congress=congress,
        region=ctx.city,
        year=YEAR,
        title=f"江海市{YEAR}年度民生实事项目",
        call_opens_on=datetime.date(YEAR - 1, 10, 8),
        call_closes_on=datetime.date(YEAR - 1, 11, 15),
        screening_closes_on=datetime.date(YEAR - 1, 12, 10),
        shortlist_closes_on=datetime.date(YEAR - 1, 12, 31),
        vote_on=datetime.date(YEAR, 1, 16),
        implementation_starts_on=datetime.date(YEAR, 2, 1),
        midyear_on=datetime.date(YEAR, 7, 15),
        evaluation_opens_on=datetime.date(YEAR, 12, 1),
        evaluation_closes_on=datetime.date(YEAR, 12, 20),
        vote=vote,
        created_by=staff,
    )
    from livelihood_votes.selectors import vote_tally

    elected = [row.candidate for row in vote_tally(vote).elected]
    quality = {c.pk: row[4] for c, row in zip(candidates, CANDIDATES, strict=True)}
    projects = Project.objects.bulk_create(
        [
            Project(
                cycle=cycle,
                candidate=candidate,
                title=candidate.title,
                department=candidate.department,
                budget=candidate.budget,
                deadline=datetime.date(YEAR, 12, 31),
                order=n,
                status=ProjectStatus.COMPLETED,
                percent_complete=100,
                spent=(candidate.budget or Decimal(0)) * Decimal("0.97"),
            )
            for n, candidate in enumerate(elected, start=1)
            if candidate.department is not None
        ]
    )
    rating = services.rating_open(cycle=cycle, by=staff, today=datetime.date(YEAR, 12, 5))
    for voter in voters:
        if rng.random() > 0.9:
            continue
        choices = {}
        for project in projects:
            done = quality[project.candidate_id] if project.candidate_id else 0.8
            roll = rng.random()
            choices[project.pk] = (
                Rating.SATISFIED
                if roll < done
                else Rating.BASIC
                if roll < done + (1 - done) / 3
                else Rating.DISSATISFIED
            )
        ballots.ballot_cast(box=rating.box, voter=voter, choices=choices)
    services.rating_close(rating=rating, by=staff)
    services.rating_publish(rating=rating, by=staff)
