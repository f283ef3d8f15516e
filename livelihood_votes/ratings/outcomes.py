"""The year-end rating's second outcome rule, registered with the core beside the
default (``congress.ballots.outcomes.rating_half_of_members``) so that the setting
``LIVELIHOOD_RATING_RULE`` chooses between real rules (docs/livelihood-rating.md)."""

from __future__ import annotations

from congress.ballots.outcomes import ItemOutcome, register_outcome_rule
from congress.models.ballots import BallotBox, Rating

HALF_OF_MEMBERS = "rating_half_of_members"
HALF_OF_VOTERS = "rating_half_of_voters"


def rating_half_of_voters(box: BallotBox) -> list[ItemOutcome]:
    """The halves of those who voted instead of the whole electorate: the base is the
    valid ballots (cast minus void, blank ones included: a voter who left a project
    unmarked abstained on it). 满意 if 满意 reach half of them, 基本满意 if 满意 + 基本满意
    do, else 不满意; nobody voted: 不满意 (no project is found satisfactory by nobody)."""
    assert box.counts is not None
    voters = box.counts["ballots"] - box.counts["void"]
    results = []
    for option in box.options:
        row = box.counts["marks"].get(str(option), {})
        satisfied = row.get(Rating.SATISFIED, 0)
        basic = row.get(Rating.BASIC, 0)
        if voters and satisfied * 2 >= voters:
            decision = Rating.SATISFIED
        elif voters and (satisfied + basic) * 2 >= voters:
            decision = Rating.BASIC
        else:
            decision = Rating.DISSATISFIED
        results.append(ItemOutcome(option=option, counts=row, decision=str(decision)))
    return results


register_outcome_rule(HALF_OF_VOTERS, rating_half_of_voters)
