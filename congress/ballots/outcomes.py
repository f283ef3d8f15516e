"""Outcome rules: what a closed box's counts decide. A feature app registers its own
(the livelihood-project vote keeps its rule of approvals, quorum and top N in its
selectors); the core gives the rating's default, the rule of 镇海 for satisfaction votes
on reports and the year-end evaluation of livelihood projects (docs/architecture.md,
'Satisfaction')."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from congress.ballots.errors import ResultsNotPublished
from congress.models.ballots import BallotBox, BoxStatus, Rating


@dataclass
class ItemOutcome:
    option: int
    counts: dict[str, Any]
    decision: str  # the rule's word: a Rating value for the rating rule


OutcomeRule = Callable[[BallotBox], list[ItemOutcome]]
OUTCOME_RULES: dict[str, OutcomeRule] = {}


def register_outcome_rule(name: str, rule: OutcomeRule) -> None:
    OUTCOME_RULES[name] = rule


def outcome(box: BallotBox, rule: str) -> list[ItemOutcome]:
    """The outcome of a closed box under the named rule; nothing before the close."""
    if box.status != BoxStatus.CLOSED or box.counts is None:
        raise ResultsNotPublished()
    return OUTCOME_RULES[rule](box)


def rating_half_of_members(box: BallotBox) -> list[ItemOutcome]:
    """满意 if 满意 reach half of all members (the frozen electorate, not those who voted);
    基本满意 if 满意 + 基本满意 reach half; else 不满意 (which means a new report)."""
    assert box.counts is not None
    results = []
    for option in box.options:
        row = box.counts["marks"].get(str(option), {})
        satisfied = row.get(Rating.SATISFIED, 0)
        basic = row.get(Rating.BASIC, 0)
        if satisfied * 2 >= box.electorate:
            decision = Rating.SATISFIED
        elif (satisfied + basic) * 2 >= box.electorate:
            decision = Rating.BASIC
        else:
            decision = Rating.DISSATISFIED
        results.append(ItemOutcome(option=option, counts=row, decision=str(decision)))
    return results


register_outcome_rule("rating_half_of_members", rating_half_of_members)
