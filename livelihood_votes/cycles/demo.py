"""The demo city's 2026 livelihood year up to the vote (docs/livelihood-call.md): the
cycle, a call closed in October 2025 with a few hundred proposals from every channel,
theme and district, screened with reasons, and the 23 projects shortlisted from them that
the city's vote (``livelihood_votes/demo.py``) is made on.

The proposals are written in bulk in the shapes the services write (a proposal row, its
submission event and its outcome event with the proposer's note), so the demo stays fast;
the cycle and the shortlist go through the services.
"""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal
from typing import Any

from django.db import transaction

from congress.models import CaseEvent, Department, Region
from livelihood_votes.cycles import services
from livelihood_votes.cycles.workflow import PROPOSAL_CASE
from livelihood_votes.models import (
    Cycle,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ProposalTheme,
    ScreeningReason,
)
from livelihood_votes.models.cycles import ShortlistEntry
from representatives.models import Mandate, MandateStatus, Representative

P = ProposalStatus
T = ProposalTheme

CALL_OPENS = datetime.date(2025, 9, 1)
CALL_CLOSES = datetime.date(2025, 10, 20)
SHORTLIST_CLOSES = datetime.date(2025, 12, 31)

# The theme of each shortlisted project of the city's vote (livelihood_votes/demo.py,
# CITY_CANDIDATES, in the same order) and where it is done.
SHORTLIST_THEMES: list[tuple[str, str]] = [
    (T.EDUCATION, "全市各区"),
    (T.HOUSING, "海州区、临江区老旧小区"),
    (T.TRANSPORT, "中心城区"),
    (T.ELDERLY, "全市各街道"),
    (T.WATER, "全市农村地区"),
    (T.OTHER, "全市"),
    (T.HOUSING, "中心城区背街小巷"),
    (T.TRANSPORT, "中心城区"),
    (T.ENVIRONMENT, "全市"),
    (T.HEALTH, "各乡镇卫生院、社区卫生服务中心"),
    (T.HEALTH, "全市"),
    (T.EMPLOYMENT, "全市"),
    (T.CULTURE, "全市各街道"),
    (T.RURAL, "全市农村地区"),
    (T.WATER, "中心城区易涝点"),
    (T.ELDERLY, "全市"),
    (T.OTHER, "全市政务服务中心"),
    (T.SAFETY, "全市"),
    (T.ELDERLY, "全市各区"),
    (T.ENVIRONMENT, "全市"),
    (T.CULTURE, "中心城区"),
    (T.OTHER, "中心城区"),
    (T.OTHER, "中心城区"),
]

# What people proposed that did not go on, by theme: (title, reason).
OTHER_IDEAS: list[tuple[str, str, str]] = [
    (T.TRANSPORT, "{town}增设公交站台和候车亭", ScreeningReason.NOT_FEASIBLE),
    (T.TRANSPORT, "{town}主干道增设过街天桥", ScreeningReason.NOT_FEASIBLE),
    (T.HOUSING, "{town}老小区加装电梯", ScreeningReason.ALREADY_FUNDED),
    (T.HOUSING, "{town}小区外墙保温改造", ScreeningReason.NOT_FEASIBLE),
    (T.ELDERLY, "{town}建设老年食堂", ScreeningReason.ALREADY_FUNDED),
    (T.EDUCATION, "{town}小学增建风雨操场", ScreeningReason.ALREADY_FUNDED),
    (T.EDUCATION, "{town}中学食堂改造", ScreeningReason.NOT_FEASIBLE),
    (T.HEALTH, "{town}卫生院增设儿科门诊", ScreeningReason.NOT_FEASIBLE),
    (T.ENVIRONMENT, "{town}河道清淤和驳岸整治", ScreeningReason.ALREADY_FUNDED),
    (T.ENVIRONMENT, "{town}垃圾分类亭改造", ScreeningReason.NOT_FEASIBLE),
    (T.WATER, "{town}雨污分流改造", ScreeningReason.ALREADY_FUNDED),
    (T.CULTURE, "{town}建设社区文化广场", ScreeningReason.NOT_FEASIBLE),
    (T.SAFETY, "{town}增设治安监控探头", ScreeningReason.NOT_LIVELIHOOD),
    (T.OTHER, "{town}商业综合体招商", ScreeningReason.NOT_LIVELIHOOD),
    (T.OTHER, "{town}企业厂房扩建补贴", ScreeningReason.NOT_LIVELIHOOD),
    (T.RURAL, "{town}农村道路亮化", ScreeningReason.NOT_FEASIBLE),
    (T.EMPLOYMENT, "{town}建设零工市场", ScreeningReason.OTHER),
]

CHANNEL_WEIGHTS = [
    (ProposalChannel.CITIZEN, 0.56),
    (ProposalChannel.REPRESENTATIVE, 0.24),
    (ProposalChannel.DEPARTMENT, 0.12),
    (ProposalChannel.PROBLEM, 0.08),
]


def month_end(text: str) -> datetime.date:
    """ "2026年12月底" → 2026-12-31."""
    found = re.match(r"(\d{4})年(\d{1,2})月", text)
    year, month = (int(found.group(1)), int(found.group(2))) if found else (2026, 12)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _channel(rng: Any) -> str:
    roll, total = rng.random(), 0.0
    for channel, weight in CHANNEL_WEIGHTS:
        total += weight
        if roll < total:
            return channel
    return ProposalChannel.CITIZEN


def build_city_cycle(ctx: Any, candidates: list[tuple[str, str, str, str, float]]) -> Cycle:
    """The city's 2026 cycle with its closed call and the shortlist of ``candidates``
    (title, 责任单位 short name, budget, 完成时限, popularity)."""
    rng = ctx.rng
    congress = ctx.congresses[ctx.city.pk]
    cycle = services.cycle_create(
        congress=congress,
        year=2026,
        title="江海市2026年度民生实事项目",
        by=None,
        call_opens_on=CALL_OPENS,
        call_closes_on=CALL_CLOSES,
        screening_closes_on=datetime.date(2025, 11, 20),
        shortlist_closes_on=SHORTLIST_CLOSES,
        vote_on=datetime.date(2026, 1, 15),
        implementation_starts_on=datetime.date(2026, 2, 1),
        midyear_on=datetime.date(2026, 7, 1),
        evaluation_opens_on=datetime.date(2026, 12, 1),
        evaluation_closes_on=datetime.date(2026, 12, 31),
    )
    towns = [t for t in ctx.towns if t.is_within(ctx.city)] or [ctx.city]
    counties = {c.pk: c for c in Region.objects.filter(parent=ctx.city)}
    seated = list(
        Representative.objects.filter(
            pk__in=Mandate.objects.filter(
                status=MandateStatus.ACTIVE, term__congress=congress
            ).values("representative")
        ).order_by("pk")[:200]
    )
    departments = [d for d in ctx.departments if d.region_id == ctx.city.pk and d.short_name]

    def area_of(region: Region) -> Region:
        ids = region.ancestor_ids()
        return (
            counties.get(ids[ctx.city.depth + 1], region)
            if len(ids) > ctx.city.depth + 1
            else region
        )

    rows: list[tuple[Proposal, datetime.date]] = []

    def add(title: str, theme: str, status: str, **fields: Any) -> Proposal:
        town = fields.pop("region", None) or rng.choice(towns)
        channel = fields.pop("channel", None) or _channel(rng)
        proposal = Proposal(
            cycle=cycle,
            channel=channel,
            theme=theme,
            region=town,
            area=area_of(town),
            title=title.format(town=town.name)[:200],
            description=f"{title.format(town=town.name)}。群众反映多年，希望列入年度民生实事。",
            place=town.name,
            estimated_cost=Decimal(rng.choice([50, 120, 300, 800, 1500, 3000, 6000])),
            beneficiaries=rng.choice(["周边居民", "老年人", "中小学生", "沿线群众", "全体市民"]),
            status=status,
            screened_at=None,
            **fields,
        )
        if channel == ProposalChannel.CITIZEN:
            number = f"139{rng.randrange(10**8):08d}"
            proposal.mobile = number
            proposal.mobile_hash = services.mobile_hash(number)
        elif channel == ProposalChannel.REPRESENTATIVE and seated:
            rep = rng.choice(seated)
            proposal.representative = rep
            proposal.submitted_by_id = rep.user_id
        elif channel == ProposalChannel.DEPARTMENT and departments:
            proposal.department = rng.choice(departments)
        day = CALL_OPENS + datetime.timedelta(
            days=rng.randrange((CALL_CLOSES - CALL_OPENS).days + 1)
        )
        rows.append((proposal, day))
        return proposal

    with transaction.atomic():
        shortlisted: list[tuple[int, list[Proposal]]] = []
        for index, ((title, *_rest), (theme, _place)) in enumerate(
            zip(candidates, SHORTLIST_THEMES, strict=True)
        ):
            group = [add(title, theme, P.SHORTLISTED) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
            shortlisted.append((index, group))
        accepted = [
            add(idea, theme, P.ACCEPTED) for theme, idea, _reason in rng.sample(OTHER_IDEAS, 8)
        ]
        screened = []
        while len(rows) < 260:
            theme, idea, reason = rng.choice(OTHER_IDEAS)
            screened.append((add(idea, theme, P.SCREENED_OUT, screening_reason=reason), reason))
        Proposal.objects.bulk_create([p for p, _day in rows])
        # Duplicates merged into what they repeat (same project from other people).
        merged = []
        for _ in range(45):
            _index, group = rng.choice(shortlisted)
            into = group[0]
            merged.append(
                add(
                    into.title,
                    into.theme,
                    P.MERGED,
                    merged_into=into,
                    screening_reason=ScreeningReason.MERGED,
                    region=into.region,
                )
            )
        Proposal.objects.bulk_create(merged)
        counts: dict[int, int] = {}
        for proposal in merged:
            assert proposal.merged_into is not None
            counts[proposal.merged_into.pk] = counts.get(proposal.merged_into.pk, 0) + 1
        for pk, n in counts.items():
            Proposal.objects.filter(pk=pk).update(merged_count=n)
        # The shortlist, in ballot order, from the shortlisted proposals.
        by_short = {d.short_name: d for d in departments}
        fallback = (
            departments[0]
            if departments
            else Department.objects.get(region=ctx.city, short_name="市政府办")
        )
        for index, group in shortlisted:
            title, short, budget, deadline, _popularity = candidates[index]
            entry = ShortlistEntry.objects.create(
                cycle=cycle,
                title=title,
                description=f"{title}。由{len(group)}条群众和代表建议汇总形成。",
                department=by_short.get(short) or fallback,
                budget=Decimal(budget),
                deadline=month_end(deadline),
                place=SHORTLIST_THEMES[index][1],
                order=index + 1,
            )
            Proposal.objects.filter(pk__in=[p.pk for p in group]).update(entry=entry)
        _events(rows, screened, accepted, merged, shortlisted)
    return cycle


def _events(
    rows: list[tuple[Proposal, datetime.date]],
    screened: list[tuple[Proposal, str]],
    accepted: list[Proposal],
    merged: list[Proposal],
    shortlisted: list[tuple[int, list[Proposal]]],
) -> None:
    """Each proposal's submission and its outcome, dated as they happened."""
    outcome_day = datetime.date(2025, 11, 10)
    events: list[tuple[CaseEvent, datetime.date]] = []
    for proposal, day in rows:
        events.append(
            (
                CaseEvent(
                    case_type=PROPOSAL_CASE,
                    case_id=proposal.pk,
                    action="proposal_submit",
                    actor_label="群众" if proposal.channel == ProposalChannel.CITIZEN else "",
                    to_status=P.SUBMITTED,
                    data={"channel": proposal.channel},
                ),
                day,
            )
        )
    for proposal, reason in screened:
        label = ScreeningReason(reason).label
        events.append(
            (
                CaseEvent(
                    case_type=PROPOSAL_CASE,
                    case_id=proposal.pk,
                    action="proposal_screen_out",
                    actor_label="江海市人大常委会",
                    from_status=P.SUBMITTED,
                    to_status=P.SCREENED_OUT,
                    public_note=f"您的建议经筛选暂不列入：{label}。",
                    data={"reason": reason},
                ),
                outcome_day,
            )
        )
    for proposal in accepted + [p for _i, group in shortlisted for p in group]:
        events.append(
            (
                CaseEvent(
                    case_type=PROPOSAL_CASE,
                    case_id=proposal.pk,
                    action="proposal_accept",
                    actor_label="江海市人大常委会",
                    from_status=P.SUBMITTED,
                    to_status=P.ACCEPTED,
                    public_note="您的建议经筛选予以采纳，将研究列入候选项目。",
                ),
                outcome_day,
            )
        )
    for _index, group in shortlisted:
        for proposal in group:
            events.append(
                (
                    CaseEvent(
                        case_type=PROPOSAL_CASE,
                        case_id=proposal.pk,
                        action="proposal_shortlist",
                        actor_label="江海市人大常委会",
                        from_status=P.ACCEPTED,
                        to_status=P.SHORTLISTED,
                        public_note=f"您的建议已列入候选项目“{proposal.title}”，将提交人大代表票决。",
                    ),
                    SHORTLIST_CLOSES,
                )
            )
    for proposal in merged:
        assert proposal.merged_into is not None
        events.append(
            (
                CaseEvent(
                    case_type=PROPOSAL_CASE,
                    case_id=proposal.pk,
                    action="proposal_merge",
                    actor_label="江海市人大常委会",
                    from_status=P.SUBMITTED,
                    to_status=P.MERGED,
                    public_note=f"您的建议与内容相同的建议“{proposal.merged_into.title}”合并研究。",
                    data={"into": proposal.merged_into.pk},
                ),
                outcome_day,
            )
        )
    CaseEvent.objects.bulk_create([event for event, _day in events])
    # Dated as they happened: one UPDATE per day (auto_now_add dated them today).
    proposals_by_day: dict[datetime.date, list[int]] = {}
    for proposal, day in rows:
        proposals_by_day.setdefault(day, []).append(proposal.pk)
    for day, ids in proposals_by_day.items():
        at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        Proposal.objects.filter(pk__in=ids).update(created_at=at)
    events_by_day: dict[datetime.date, list[int]] = {}
    for event, day in events:
        events_by_day.setdefault(day, []).append(event.pk)
    for day, ids in events_by_day.items():
        at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        CaseEvent.objects.filter(pk__in=ids).update(at=at)


def build(ctx: Any) -> None:
    from livelihood_votes.demo import CITY_CANDIDATES

    ctx.extra["city_cycle"] = build_city_cycle(ctx, CITY_CANDIDATES)
