"""Counting a closed vote: the quorum, the pass threshold (of the electorate by default),
the top N among those that pass, and a tie at the cut reported, never resolved silently."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import User
from livelihood_votes import selectors, services
from livelihood_votes.errors import ResultsNotPublished
from livelihood_votes.models import Candidate, LivelihoodVote, PassBase
from representatives.models import Mandate, Representative
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    make_vote,
    opened,
    paper_ballots,
)


def _paper(
    vote: LivelihoodVote, voters: list[Representative], ballots: list[list[Candidate]], by: User
) -> None:
    """In the hall: each voter signs in, then two staff enter each ballot as marked."""
    outcomes = paper_ballots(vote, voters, [approve(*picks) for picks in ballots], by)
    assert set(outcomes) <= {services.SHEET_COUNTED}


def test_no_results_until_closed(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    with pytest.raises(ResultsNotPublished):
        selectors.vote_tally(open_vote)
    services.vote_close(vote=open_vote, by=district_staff)
    assert selectors.vote_tally(open_vote).participants == 0


def test_quorum_is_more_than_half_of_the_electorate(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    options = candidates_of(open_vote)
    five = cast.seated[:5]  # 5 of 10: exactly half is not more than half
    _paper(open_vote, five, [options[:10]] * 5, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    tally = selectors.vote_tally(open_vote)
    assert (tally.electorate, tally.participants, tally.quorum_needed) == (10, 5, 6)
    assert not tally.quorate
    assert not any(
        row.passed or row.elected for row in tally.rows
    )  # an invalid vote elects nothing


def test_a_project_needs_more_than_half_of_all_representatives(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    a, b = candidates_of(open_vote)[:2]
    # 8 of 10 vote: A gets 6 (passes: 6 > 10/2), B gets 5 (half of all: fails, though
    # it is more than half of the 8 voters).
    ballots = [[a, b]] * 5 + [[a]] + [[]] * 2
    _paper(open_vote, cast.seated[:8], ballots, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    tally = selectors.vote_tally(open_vote)
    rows = {row.candidate.pk: row for row in tally.rows}
    assert tally.quorate and tally.approvals_needed == 6
    assert (rows[a.pk].approvals, rows[a.pk].passed, rows[a.pk].elected) == (6, True, True)
    assert (rows[b.pk].approvals, rows[b.pk].passed, rows[b.pk].elected) == (5, False, False)
    assert [row.candidate for row in tally.elected] == [a]


def test_of_those_voting_when_the_rule_says_so(
    cast: Cast, district_staff: User, settings: object
) -> None:
    settings.LIVELIHOOD_VOTE_PASS_BASE = "voters"  # type: ignore[attr-defined]
    vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    assert vote.pass_base == PassBase.VOTERS  # copied onto the vote when created
    settings.LIVELIHOOD_VOTE_PASS_BASE = "electorate"  # type: ignore[attr-defined]
    a, b = candidates_of(vote)[:2]
    _paper(vote, cast.seated[:8], [[a, b]] * 5 + [[a]] * 3, district_staff)
    services.vote_close(vote=vote, by=district_staff)
    tally = selectors.vote_tally(vote)
    assert tally.pass_base_count == 8 and tally.approvals_needed == 5
    assert [row.candidate for row in tally.elected] == [a, b]


def test_a_tie_at_the_cut_is_reported_and_a_runoff_follows(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    options = candidates_of(open_vote)  # 12 candidates, 10 seats, 10 voters
    # All ten approve the first 8; the 9th, 10th and 11th get 6 each (all pass: 6 > 5),
    # so three projects that pass share the last two seats.
    top8, (x, y, z) = options[:8], options[8:11]
    pairs = [(x, y)] * 3 + [(x, z)] * 3 + [(y, z)] * 3 + [()]
    _paper(open_vote, cast.seated, [[*top8, *pair] for pair in pairs], district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    tally = selectors.vote_tally(open_vote)
    assert {c.pk for c in tally.tied} == {x.pk, y.pk, z.pk}
    assert tally.runoff_seats == 2
    assert {row.candidate.pk for row in tally.elected} == {c.pk for c in top8}
    rest = [x, y, z]
    runoff = services.vote_runoff_create(from_vote=open_vote, by=district_staff)
    assert runoff.runoff_of == open_vote and runoff.seats == 2
    assert [c.title for c in candidates_of(runoff)] == [c.title for c in rest]
    # 3 candidates for 2 seats is 50 %: a run-off is exempt from the differential.
    services.vote_open(vote=runoff, by=district_staff)
    assert runoff.status == "open"


def test_a_tie_below_the_cut_needs_nothing(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    options = candidates_of(open_vote)
    _paper(open_vote, cast.seated, [options[:10]] * 10, district_staff)  # 10 tied at 10 votes
    services.vote_close(vote=open_vote, by=district_staff)
    tally = selectors.vote_tally(open_vote)
    assert not tally.tied and len(tally.elected) == 10


def test_void_paper_ballots_count_as_voters_but_not_as_approvals(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    options = candidates_of(open_vote)
    _paper(open_vote, cast.seated[:7], [options[:11]] + [options[:1]] * 6, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    tally = selectors.vote_tally(open_vote)
    assert (tally.ballots, tally.void_ballots, tally.valid_ballots) == (7, 1, 6)
    assert tally.rows[0].approvals == 6 and tally.rows[1].approvals == 0


def test_the_tally_costs_the_same_few_queries_however_many_ballots(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    _paper(open_vote, cast.seated, [candidates_of(open_vote)[:10]] * 10, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    with CaptureQueriesContext(connection) as queries:
        selectors.vote_tally(open_vote)
    # The box (its counts, written by the close), the candidates, the voters' number:
    # nothing is counted per ballot when the results are read.
    assert len(queries) == 3


def test_the_seeds_23_projects_20_seats_542_representatives(
    world: object, city_staff: User
) -> None:
    """南通 2022: 542 representatives chose 20 of 23 projects by secret ballot."""
    rng = random.Random(542)
    city = world.city  # type: ignore[attr-defined]
    term = city.congress.current_term()
    reps = Representative.objects.bulk_create(
        [Representative(name=f"市代表{n}", gender="male", region=city) for n in range(542)]
    )
    Mandate.objects.bulk_create(
        [
            Mandate(representative=r, level="city", term=term, starts_on=datetime.date(2022, 1, 8))
            for r in reps
        ]
    )
    vote = opened(make_vote(city, city_staff, candidates=23, seats=20), city_staff)
    assert vote.electorate == 542
    options = candidates_of(vote)
    popularity = [0.97 - 0.02 * n for n in range(20)] + [0.45, 0.40, 0.30]
    voters = [r for r in reps if rng.random() < 0.95]
    ballots = []
    for _ in voters:
        picks = [c for c, p in zip(options, popularity, strict=True) if rng.random() < p]
        ballots.append(picks if len(picks) <= 20 or rng.random() < 0.1 else picks[:20])
    _paper(vote, voters, ballots, city_staff)
    services.vote_close(vote=vote, by=city_staff)
    tally = selectors.vote_tally(vote)
    assert tally.quorate and tally.quorum_needed == 272 and tally.approvals_needed == 272
    assert tally.participants == len(voters) > 500
    assert tally.void_ballots == sum(1 for b in ballots if len(b) > 20)
    elected = {row.candidate.pk for row in tally.elected}
    assert elected == {c.pk for c in options[:20]}
    assert all(not row.passed for row in tally.rows if row.candidate.pk not in elected)
    assert sum(row.approvals for row in tally.rows) == sum(len(b) for b in ballots if len(b) <= 20)
