"""The outcome rules of the year-end rating, on edge cases worked out by hand.

镇海's rule (``rating_half_of_members``, the default): 满意 if 满意 ≥ half of the whole
frozen electorate; 基本满意 if 满意 + 基本满意 ≥ half; else 不满意. The second rule
(``rating_half_of_voters``) takes the same halves of the valid ballots instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from congress.ballots.outcomes import OUTCOME_RULES
from congress.models import BallotBox, User
from congress.models.ballots import BallotKind, BoxStatus, Rating
from livelihood_votes.models.ratings import RatingResult
from livelihood_votes.ratings import services
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import cast_for, make_cycle, opened, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


def _box(electorate: int, ballots: int, marks: dict[int, dict[str, int]], void: int = 0) -> Any:
    return BallotBox(
        kind=BallotKind.RATING,
        status=BoxStatus.CLOSED,
        options=list(marks),
        electorate=electorate,
        counts={
            "ballots": ballots,
            "void": void,
            "blank": 0,
            "marks": {str(k): v for k, v in marks.items()},
        },
    )


def _decisions(rule: str, box: Any) -> list[str]:
    return [item.decision for item in OUTCOME_RULES[rule](box)]


# (electorate, ballots, marks of one project) → decision under each rule, by hand.
CASES = [
    # 10 members, 5 满意: exactly half of the members → 满意; of 6 voters, 10 ≥ 6 → 满意.
    (10, 6, {S: 5, D: 1}, S, S),
    # 4 满意 + 1 基本满意 of 10: 满意 one short (8 < 10), together 10 ≥ 10 → 基本满意;
    # of 5 voters: 8 ≥ 5 → 满意.
    (10, 5, {S: 4, B: 1}, B, S),
    # 4 满意, 1 不满意 of 10: one short of half for both levels → 不满意; of 5 voters 满意.
    (10, 5, {S: 4, D: 1}, D, S),
    # odd electorate 7: 3 满意 (6 < 7) + 1 基本满意 (8 ≥ 7) → 基本满意.
    (7, 4, {S: 3, B: 1}, B, S),
    # 7 members, 4 满意: 8 ≥ 7 → 满意.
    (7, 4, {S: 4}, S, S),
    # nobody voted: 不满意 under both (no voter found it satisfactory).
    (10, 0, {}, D, D),
    # abstentions: 6 ballots, 2 marked 满意, 4 left it unmarked (blank on this project):
    # 4 < 10 members → 不满意; of 6 voters 4 < 6, 2 满意+基本 4 < 6 → 不满意.
    (10, 6, {S: 2}, D, D),
    # of voters, 3 满意 of 6 ballots: exactly half → 满意; of 10 members 6 < 10, → 不满意.
    (10, 6, {S: 3, D: 3}, D, S),
    # of voters, 2 满意 + 1 基本满意 of 6: 4 < 6, 6 ≥ 6 → 基本满意.
    (10, 6, {S: 2, B: 1, D: 3}, D, B),
]


@pytest.mark.parametrize(("electorate", "ballots", "marks", "members", "voters"), CASES)
def test_the_two_rules_on_edge_cases(
    electorate: int, ballots: int, marks: dict[str, int], members: str, voters: str
) -> None:
    box = _box(electorate, ballots, {1: marks})
    assert _decisions("rating_half_of_members", box) == [members]
    assert _decisions("rating_half_of_voters", box) == [voters]


def test_void_ballots_are_not_voters() -> None:
    # 5 ballots, 2 void: 3 valid; 2 满意: 4 ≥ 3 → 满意 of voters; of 10 members → 不满意.
    box = _box(10, 5, {1: {S: 2}}, void=2)
    assert _decisions("rating_half_of_voters", box) == [S]
    assert _decisions("rating_half_of_members", box) == [D]


def _rate(cast: Cast, staff: User) -> tuple[list[Any], Any]:
    """Six of ten vote: A 5 满意; B 4 满意 + 1 基本满意; C 4 满意 + 1 不满意; one blank."""
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, staff)
    voters = [rep.pk for rep in cast.seated]
    for voter in voters[:4]:
        cast_for(rating, voter, {a: S, b: S, c: S})
    cast_for(rating, voters[4], {a: S, b: B, c: D})
    cast_for(rating, voters[5], {})  # blank: abstains on all three
    services.rating_close(rating=rating, by=staff)
    return [a, b, c], rating


@pytest.mark.django_db
def test_default_rule_through_a_real_round(cast: Cast, district_staff: User) -> None:
    (a, b, c), rating = _rate(cast, district_staff)
    assert rating.outcome_rule == "rating_half_of_members"
    rows = {
        r.project_id: (r.satisfied, r.basic, r.dissatisfied, r.decision)
        for r in RatingResult.objects.filter(round=rating)
    }
    assert rows == {a.pk: (5, 0, 0, S), b.pk: (4, 1, 0, B), c.pk: (4, 0, 1, D)}


@pytest.mark.django_db
@override_settings(LIVELIHOOD_RATING_RULE="rating_half_of_voters")
def test_the_setting_chooses_the_rule_and_it_is_copied_onto_the_round(
    cast: Cast, district_staff: User
) -> None:
    # 6 valid ballots (the blank one included): A 10 ≥ 6, B 8 ≥ 6, C 8 ≥ 6 → all 满意.
    (a, b, c), rating = _rate(cast, district_staff)
    assert rating.outcome_rule == "rating_half_of_voters"
    decisions = dict(RatingResult.objects.filter(round=rating).values_list("project", "decision"))
    assert decisions == {a.pk: S, b.pk: S, c.pk: S}


@pytest.mark.django_db
@override_settings(LIVELIHOOD_RATING_RULE="no_such_rule")
def test_an_unknown_rule_is_refused_at_opening(cast: Cast, district_staff: User) -> None:
    from congress.errors import RuleViolation

    cycle = make_cycle(cast.world.district, cast.world.department)
    with pytest.raises(RuleViolation):
        opened(cycle, district_staff)
