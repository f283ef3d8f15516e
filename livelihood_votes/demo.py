"""Demo votes: the city's 2026 vote (23 candidates for 20 seats, as 南通 did in 2022),
made on the shortlist of the city's 2026 call for proposals (``cycles/demo.py``), held in
the hall at the January session and closed, and an open vote in rep_liu's county that
rep_liu can cast on the phone.

Everything goes through the services (votes, candidates, sign-in, paper ballots entered
twice by two staff, the one online ballot): the demo is also a smoke test of the rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from congress.models import Congress, Department, Role, RoleGrant, Session, SessionKind, User
from livelihood_votes import services
from livelihood_votes.cycles import services as cycle_services
from livelihood_votes.models import Candidate, Cycle, LivelihoodVote, Mark
from representatives.models import Mandate, MandateStatus, Representative

# (title, 责任单位 short name, budget in 万元, 完成时限, how popular among representatives)
CITY_CANDIDATES: list[tuple[str, str, str, str, float]] = [
    ("新建改扩建中小学、幼儿园12所，新增学位1.5万个", "教育局", "86000", "2026年12月底", 0.95),
    ("实施老旧小区改造60个，加装电梯200部", "住建局", "52000", "2026年11月底", 0.93),
    ("新增城市公交线路10条，更新新能源公交车200辆", "交通局", "18000", "2026年10月底", 0.9),
    ("建设社区嵌入式养老服务中心30家", "民政局", "9000", "2026年12月底", 0.92),
    ("改造农村供水管网800公里，实现城乡供水同网同质", "水利局", "36000", "2026年12月底", 0.88),
    ("新建改造农贸市场15家", "商务局", "7500", "2026年9月底", 0.8),
    ("实施背街小巷整治120条", "城管局", "15000", "2026年11月底", 0.84),
    ("新增公共停车泊位8000个", "自然资源局", "24000", "2026年12月底", 0.79),
    ("建设城市口袋公园40个、绿道60公里", "住建局", "21000", "2026年10月底", 0.77),
    ("建设基层医疗卫生机构标准化发热诊室50个", "卫健委", "6000", "2026年8月底", 0.82),
    ("为65岁以上老年人免费体检并建立健康档案", "卫健委", "4200", "2026年12月底", 0.9),
    ("新增城镇就业岗位并开展职业技能培训5万人次", "人社局", "8000", "2026年12月底", 0.76),
    ("建设“15分钟健身圈”，新建全民健身场地100处", "文广旅局", "5600", "2026年11月底", 0.74),
    ("改造农村公路300公里、危桥40座", "交通局", "42000", "2026年12月底", 0.86),
    ("整治城市易涝点35处", "水利局", "13000", "2026年6月底", 0.85),
    ("建设婴幼儿托育机构，新增普惠托位3000个", "卫健委", "5400", "2026年12月底", 0.78),
    ("推进“一网通办”，实现200项政务服务掌上办", "数据局", "3000", "2026年10月底", 0.7),
    ("实施食品安全“守底线”抽检2万批次", "市场监管局", "1800", "2026年12月底", 0.72),
    ("建设残疾人之家和康复服务站20个", "民政局", "2600", "2026年11月底", 0.75),
    ("实施城乡生活污水管网改造200公里", "生态环境局", "28000", "2026年12月底", 0.73),
    ("新建城市书房20家", "文广旅局", "2000", "2026年12月底", 0.45),
    ("建设智慧菜场示范点10个", "商务局", "1500", "2026年12月底", 0.36),
    ("建设城市夜间经济街区3个", "商务局", "6000", "2026年12月底", 0.3),
]
COUNTY_CANDIDATES: list[tuple[str, str, str, str]] = [
    ("新建城区第二实验小学", "教育局", "12000", "2027年8月底"),
    ("改造老旧小区12个", "住建局", "6800", "2027年11月底"),
    ("建设镇村公交首末站8个", "交通局", "1600", "2027年10月底"),
    ("新建居家养老服务站20个", "民政局", "1200", "2027年12月底"),
    ("改造农村危桥15座", "交通局", "3000", "2027年12月底"),
    ("建设标准化菜市场3家", "市场监管局", "2100", "2027年9月底"),
    ("整治城区积水点10处", "水利局", "2500", "2027年6月底"),
    ("新增普惠托位600个", "卫健委", "900", "2027年12月底"),
    ("实施农村人居环境整治提升", "农业农村局", "4000", "2027年12月底"),
    ("建设乡镇卫生院康复科5个", "卫健委", "1500", "2027年12月底"),
    ("新建公共停车场6处", "城管局", "3600", "2027年11月底"),
    ("开展职业技能培训8000人次", "人社局", "800", "2027年12月底"),
]


def _department(region_id: int, short_name: str) -> Department | None:
    return Department.objects.filter(region_id=region_id, short_name=short_name).first()


def _add_candidates(
    vote: LivelihoodVote, rows: list[tuple[str, str, str, str]], by: User
) -> list[Candidate]:
    return [
        services.candidate_add(
            vote=vote,
            title=title,
            department=_department(vote.congress.region_id, short),
            budget=Decimal(budget),
            deadline=deadline,
            by=by,
        )
        for title, short, budget, deadline in rows
    ]


def _seated(congress: Congress) -> list[Representative]:
    ids = (
        Mandate.objects.filter(status=MandateStatus.ACTIVE, term__congress=congress)
        .values_list("representative_id", flat=True)
        .distinct()
    )
    return list(Representative.objects.filter(pk__in=ids).order_by("pk"))


def build_city_vote(
    ctx: Any, tellers: list[User], online: dict[str, Representative]
) -> LivelihoodVote:
    """In the hall at the 2026 session: sign-in, paper ballots entered twice by two staff
    (in the order the ballot box gives them; one sheet misread, and settled by a third
    reading), one representative voting on the phone; closed."""
    rng = ctx.rng
    staff = tellers[0]
    congress = ctx.congresses[ctx.city.pk]
    session = (
        Session.objects.filter(
            term__congress=congress, kind=SessionKind.PLENARY, opens_on__year=2026
        ).first()
        or Session.objects.filter(term__congress=congress, kind=SessionKind.PLENARY).first()
    )
    cycle: Cycle | None = ctx.extra.get("city_cycle")
    if cycle is not None:
        # The candidates are the call's shortlist, in its ballot order (the order of
        # CITY_CANDIDATES), reviewed by the standing committee's chairmen's meeting and
        # made into the vote on the day the shortlist closed.
        cycle_services.shortlist_review(
            cycle=cycle,
            note="经市人大常委会主任会议审议，同意提交市人民代表大会代表票决。",
            by=staff,
            day=cycle.shortlist_closes_on,
        )
        vote = cycle_services.cycle_vote_create(
            cycle=cycle,
            seats=20,
            session=session,
            title="江海市2026年度民生实事项目代表票决",
            by=staff,
            day=cycle.shortlist_closes_on,
        )
        candidates = list(vote.candidates.order_by("order", "pk"))
    else:
        vote = services.vote_create(
            congress=congress,
            session=session,
            year=2026,
            title="江海市2026年度民生实事项目代表票决",
            seats=20,
            by=staff,
        )
        candidates = _add_candidates(vote, [row[:4] for row in CITY_CANDIDATES], staff)
    popularity = {c.pk: row[4] for c, row in zip(candidates, CITY_CANDIDATES, strict=True)}
    services.vote_open(vote=vote, by=staff)
    voters = [rep for rep in _seated(congress) if rng.random() < 0.94]
    online_ids = {rep.pk for rep in online.values() if rep.user_id is not None}
    papers: list[dict[int, str]] = []
    for rep in voters:
        picks = [pk for pk, p in popularity.items() if rng.random() < p]
        if rep.pk in online_ids and rep.user is not None:
            choices: dict[int, str] = dict.fromkeys(picks[: vote.seats], Mark.APPROVE)
            services.ballot_cast(vote=vote, representative=rep, choices=choices, by=rep.user)
            continue
        services.participation_sign_in(vote=vote, representative=rep, by=staff)
        if len(picks) > vote.seats and rng.random() < 0.85:
            picks = rng.sample(picks, vote.seats)  # most who ticked too many correct it
        papers.append(dict.fromkeys(picks, Mark.APPROVE))
    rng.shuffle(papers)  # the ballot box keeps no order
    for sheet, choices in enumerate(papers, start=1):
        readings = [choices, choices]
        if sheet == 1 and len(tellers) > 2:
            # The second teller misreads sheet 1 (one tick more or less); the third
            # reading agrees with the first and counts it.
            misread = dict(choices)
            if misread:
                misread.popitem()
            else:
                misread[candidates[0].pk] = Mark.APPROVE
            readings = [choices, misread, choices]
        for teller, reading in zip(tellers, readings, strict=False):
            services.paper_sheet_enter(vote=vote, sheet=sheet, choices=reading, by=teller)
    services.vote_close(vote=vote, by=staff)
    return vote


def build_open_vote(ctx: Any, rep: Representative) -> LivelihoodVote | None:
    """Next year's vote of rep_liu's county congress, open now: rep_liu has not voted yet,
    and the paper desk is half-way through a few sheets."""
    mandate = (
        Mandate.objects.filter(representative=rep, status=MandateStatus.ACTIVE, level="county")
        .select_related("term__congress__region")
        .first()
    )
    if mandate is None or mandate.term is None:
        return None
    congress = mandate.term.congress
    staff = User.objects.filter(
        role_grants__role="staff", role_grants__region=congress.region
    ).first() or User.objects.get(username="city_staff")
    year = ctx.today.year + 1
    vote = services.vote_create(
        congress=congress,
        year=year,
        title=f"{congress.region.name}{year}年度民生实事项目代表票决",
        seats=10,
        by=staff,
    )
    _add_candidates(vote, COUNTY_CANDIDATES, staff)
    services.vote_open(vote=vote, by=staff)
    _paper_desk_at_work(ctx, vote, rep, staff)
    return vote


def _paper_desk_at_work(ctx: Any, vote: LivelihoodVote, keep: Representative, staff: User) -> None:
    """The county's hall mid-count, for the entry page: three representatives (not rep_liu,
    who votes on the phone) signed in; sheet 1 counted, sheet 2 waiting for its second
    reading, sheet 3 read two ways (有差异)."""
    second = (
        User.objects.filter(username__in=["city_staff", "admin"])
        .exclude(pk=staff.pk)
        .order_by("-username")  # city_staff if it is not the first reader
        .first()
    )
    hall = [r for r in _seated(vote.congress) if r.pk != keep.pk][:3]
    if second is None or len(hall) < 3:
        return
    for rep in hall:
        services.participation_sign_in(vote=vote, representative=rep, by=staff)
    pks = list(vote.candidates.order_by("order").values_list("pk", flat=True))
    sheets = [ctx.rng.sample(pks, 8) for _ in range(3)]
    readings = {
        1: (sheets[0], sheets[0]),
        2: (sheets[1], None),
        3: (sheets[2], sheets[2][:-1]),  # the second reader missed a tick
    }
    for sheet, (first, other) in readings.items():
        services.paper_sheet_enter(
            vote=vote, sheet=sheet, choices=dict.fromkeys(first, Mark.APPROVE), by=staff
        )
        if other is not None:
            services.paper_sheet_enter(
                vote=vote, sheet=sheet, choices=dict.fromkeys(other, Mark.APPROVE), by=second
            )


def build(ctx: Any) -> None:
    staff = User.objects.get(username="city_staff")
    # The second teller of the city's counting desk (双人录入 needs two people), and the
    # administrator as the third reader who settles a sheet read two ways.
    teller = ctx.add_account("city_teller", "沈梅", "江海市人大常委会办公室 工作人员（计票录入）")
    RoleGrant.objects.create(user=teller, role=Role.STAFF, region=ctx.city)
    third = User.objects.filter(username="admin").first()
    tellers = [staff, teller, *([third] if third is not None else [])]
    accounts: dict[str, Representative] = ctx.extra.get("representative_accounts", {})
    build_city_vote(ctx, tellers, accounts)
    liu = accounts.get("rep_liu")
    if liu is not None:
        build_open_vote(ctx, liu)
