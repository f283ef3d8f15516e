"""A closed livelihood-project vote (民生实事项目票决) in each generated city (``generate_city``).

Unlike the problems, a vote is small (one per city congress: twenty-odd candidates,
a few hundred ballots), so it is played through the services, as the demo does
(``livelihood_votes.demo``): created and filled by the city's staff, opened (the
electorate frozen, the core ballot box opened), cast online by every seated
representative with a login who comes (the core seals each ballot), and closed
(the box opened, the ballots published and counted). The tally is therefore the
count of the published ballots by construction, and each ballot has its receipt.
Cost: a few queries per ballot; about 400 ballots in a city.
"""

from __future__ import annotations

from decimal import Decimal

from congress.models import Department, SessionKind
from congress.synthetic import SyntheticContext
from livelihood_votes import services
from livelihood_votes.demo import CITY_CANDIDATES
from livelihood_votes.models import LivelihoodVote, Mark
from representatives.models import Representative

SEATS = 20  # projects to choose from twenty-three candidates (the differential: 10-30% more)
TURNOUT = 0.94


def _vote(ctx: SyntheticContext, region_id: int) -> LivelihoodVote | None:
    rng = ctx.rng
    congress = ctx.congresses.get(region_id)
    staff = next(iter(ctx.staff.get(region_id, [])), None)
    sessions = [s for s in ctx.sessions.get(region_id, []) if s.kind == SessionKind.PLENARY]
    held = [s for s in sessions if s.opens_on <= ctx.today] or sessions
    if congress is None or staff is None or not held:
        return None
    session = held[-1]
    vote = services.vote_create(
        congress=congress,
        session=session,
        year=session.opens_on.year,
        title=f"{ctx.regions[region_id].name}{session.opens_on.year}年度民生实事项目代表票决",
        seats=SEATS,
        by=staff,
    )
    departments = {d.short_name: d for d in ctx.departments.get(region_id, []) if d.short_name}
    popularity: dict[int, float] = {}
    for title, short, budget, deadline, liked in CITY_CANDIDATES:
        department: Department | None = departments.get(short)
        candidate = services.candidate_add(
            vote=vote,
            title=title,
            department=department,
            budget=Decimal(budget),
            deadline=deadline,
            by=staff,
        )
        popularity[candidate.pk] = liked
    services.vote_open(vote=vote, by=staff)
    seated = sorted(set(ctx.extra["seats"].get(region_id, [])))
    voters = Representative.objects.filter(pk__in=seated, user__isnull=False).select_related("user")
    for rep in voters.order_by("pk"):
        if rng.random() >= TURNOUT or rep.user is None:
            continue
        picks = [pk for pk, liked in popularity.items() if rng.random() < liked]
        choices = dict.fromkeys(picks[:SEATS], Mark.APPROVE)
        services.ballot_cast(vote=vote, representative=rep, choices=choices, by=rep.user)
    services.vote_close(vote=vote, by=staff)
    return vote


def build(ctx: SyntheticContext) -> None:
    """One closed vote per city congress."""
    votes = [_vote(ctx, city.region.pk) for city in ctx.cities]
    ctx.extra["livelihood_votes"] = [vote.pk for vote in votes if vote is not None]
