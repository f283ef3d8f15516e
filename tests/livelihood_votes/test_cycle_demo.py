"""The demo city's 2026 call (livelihood_votes/cycles/demo.py): a closed call of a few
hundred proposals from every channel, screened with every reason, and the 23 projects
shortlisted from them that the city's vote is made on."""

import pytest
from django.utils import timezone

from congress.demo import build_core
from congress.registry import demo_builders
from livelihood_votes.cycles.workflow import Phase, phase
from livelihood_votes.models import (
    Cycle,
    LivelihoodVote,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ScreeningReason,
)


@pytest.mark.django_db
def test_the_demo_call_feeds_the_city_vote() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=0.25)
    by_name = {builder.name: builder for builder in demo_builders}
    by_name["representatives"].build(ctx)
    by_name["livelihood call"].build(ctx)
    by_name["livelihood votes"].build(ctx)

    cycle = Cycle.objects.get(region=ctx.city, year=2026)
    assert cycle.call_closes_on is not None and phase(cycle, cycle.call_closes_on) == Phase.CALL
    proposals = Proposal.objects.filter(cycle=cycle)
    assert 250 <= proposals.count() <= 400
    assert set(proposals.values_list("channel", flat=True)) == set(ProposalChannel.values)
    reasons = set(
        proposals.filter(status=ProposalStatus.SCREENED_OUT).values_list(
            "screening_reason", flat=True
        )
    )
    assert reasons == set(ScreeningReason.values) - {ScreeningReason.MERGED}
    assert not proposals.filter(status=ProposalStatus.SUBMITTED).exists()  # screening is done
    assert len(set(proposals.values_list("theme", flat=True))) >= 8
    # Every proposal was made while the call was open.
    days = {at.date() for at in proposals.values_list("created_at", flat=True)}
    assert min(days) >= cycle.call_opens_on and max(days) <= cycle.call_closes_on

    vote = LivelihoodVote.objects.get(congress__region=ctx.city, year=2026)
    assert cycle.vote_id == vote.pk and vote.status == "closed"
    entries = list(cycle.shortlist.order_by("order"))
    candidates = list(vote.candidates.order_by("order"))
    assert len(entries) == len(candidates) == 23
    assert [e.candidate_id for e in entries] == [c.pk for c in candidates]
    assert [e.title for e in entries] == [c.title for c in candidates]
    for candidate in candidates:
        assert candidate.proposals.filter(status=ProposalStatus.SHORTLISTED).exists()
    merged = proposals.filter(status=ProposalStatus.MERGED)
    assert merged.exists() and not merged.filter(merged_into__isnull=True).exists()
