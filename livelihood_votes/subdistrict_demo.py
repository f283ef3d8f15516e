"""Demo: a subdistrict's 2026 民生实事 vote (docs/livelihood-subdistricts.md).

The first 街道 of the demo district (town_staff's, 王芳 of its 人大工委) has no people's
congress: its 2026 cycle is under the district congress, and its 议政会's voter delegates
voted on ten candidates for eight seats in the hall, on paper, entered twice by the
人大工委's staff and a district teller; one delegate (voter_delegate, with a login) voted
on the phone. The vote is closed, so staff see its results and the ballot list.

Everything goes through the services, as the city's vote does (livelihood_votes/demo.py).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from congress.models import Department, DepartmentKind, Region, User
from livelihood_votes import services
from livelihood_votes.models import Cycle, Electorate, LivelihoodVote, Mark
from representatives.models import VoterDelegate

SEATS = 8
# (title, budget in 万元, 完成时限, how popular among the delegates)
CANDIDATES: list[tuple[str, str, str, float]] = [
    ("老旧小区雨污分流改造3个", "860", "2026年10月底", 0.92),
    ("社区长者食堂新建2家", "240", "2026年8月底", 0.95),
    ("背街小巷路灯补缺更新300盏", "120", "2026年6月底", 0.88),
    ("口袋公园及健身步道建设2处", "380", "2026年11月底", 0.8),
    ("老旧小区加装电梯12部", "720", "2026年12月底", 0.84),
    ("社区卫生服务站标准化改造1处", "150", "2026年9月底", 0.78),
    ("非机动车集中充电设施建设40处", "90", "2026年7月底", 0.86),
    ("农贸市场提档升级1家", "460", "2026年12月底", 0.7),
    ("社区图书室改造提升3家", "60", "2026年10月底", 0.38),
    ("智慧停车诱导系统建设", "300", "2026年12月底", 0.32),
]


def _office(town: Region) -> Department | None:
    return Department.objects.filter(region=town, kind=DepartmentKind.TOWNSHIP).first()


def build(ctx: Any) -> None:
    staff = User.objects.filter(username="town_staff").first()
    teller = User.objects.filter(username="district_staff").first()
    if staff is None or teller is None or not staff.staff_regions:
        return
    town = staff.staff_regions[0]
    committee = getattr(town, "working_committee", None)
    if committee is None:  # a 镇: it has its own congress, not a subdistrict's 议政会
        return
    delegates = list(
        VoterDelegate.objects.filter(is_active=True, region__path__startswith=town.path).order_by(
            "pk"
        )
    )
    if len(delegates) < 3:
        return
    build_vote(ctx, town, committee.congress, staff, teller, delegates)


def build_vote(
    ctx: Any,
    town: Region,
    congress: Any,
    staff: User,
    teller: User,
    delegates: list[VoterDelegate],
) -> LivelihoodVote:
    rng = ctx.rng
    year = 2026
    cycle = Cycle.objects.create(
        congress=congress,
        region=town,
        year=year,
        title=f"{town.name}{year}年度民生实事项目",
        electorate=Electorate.VOTER_DELEGATES,
        call_opens_on=datetime.date(year - 1, 10, 8),
        call_closes_on=datetime.date(year - 1, 11, 15),
        screening_closes_on=datetime.date(year - 1, 12, 10),
        shortlist_closes_on=datetime.date(year - 1, 12, 25),
        vote_on=datetime.date(year, 2, 26),
        implementation_starts_on=datetime.date(year, 3, 1),
        midyear_on=datetime.date(year, 7, 15),
        evaluation_opens_on=datetime.date(year, 12, 1),
        evaluation_closes_on=datetime.date(year, 12, 20),
        created_by=staff,
    )
    vote = services.vote_create(
        congress=congress,
        cycle=cycle,
        year=year,
        title=f"{town.name}{year}年度民生实事项目议政代表票决",
        seats=SEATS,
        by=staff,
    )
    office = _office(town)
    popularity: dict[int, float] = {}
    for title, budget, deadline, liked in CANDIDATES:
        candidate = services.candidate_add(
            vote=vote,
            title=title,
            department=office,
            budget=Decimal(budget),
            deadline=deadline,
            by=staff,
        )
        popularity[candidate.pk] = liked
    services.vote_open(vote=vote, by=staff)

    # One delegate votes on the phone: the demo's delegate login.
    phone = delegates[0]
    user = ctx.add_account("voter_delegate", phone.name, f"{town.name}议政会 议政代表（手机投票）")
    VoterDelegate.objects.filter(pk=phone.pk).update(user=user)
    phone.user = user
    picks = sorted(popularity, key=lambda pk: -popularity[pk])[:SEATS]
    services.ballot_cast(
        vote=vote, voter=phone, choices=dict.fromkeys(picks, Mark.APPROVE), by=user
    )
    # The hall: most of the others come, sign in and vote on paper.
    papers: list[dict[int, str]] = []
    for person in delegates[1:]:
        if rng.random() >= 0.85:  # a few do not come
            continue
        services.participation_sign_in(vote=vote, voter=person, by=staff)
        ticked = [pk for pk, liked in popularity.items() if rng.random() < liked][:SEATS]
        papers.append(dict.fromkeys(ticked, Mark.APPROVE))
    rng.shuffle(papers)  # the ballot box keeps no order
    for sheet, choices in enumerate(papers, start=1):
        services.paper_sheet_enter(vote=vote, sheet=sheet, choices=choices, by=staff)
        services.paper_sheet_enter(vote=vote, sheet=sheet, choices=choices, by=teller)
    services.vote_close(vote=vote, by=staff)
    return vote
