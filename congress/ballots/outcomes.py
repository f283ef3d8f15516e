"""Outcome rules: what a closed box's counts decide. A feature app registers its own
(the livelihood-project vote keeps its rule of approvals, quorum and top N in its
selectors); the core gives the rating's default, the rule of 镇海 for satisfaction votes
on reports and the year-end evaluation of livelihood projects (docs/architecture.md,
'Satisfaction'), and the score form's weighted mean (部门评议)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from congress.ballots.errors import ResultsNotPublished
from congress.models.ballots import BallotBox, BoxStatus, Rating


@dataclass
class ItemOutcome:
    option: int
    counts: dict[str, Any]
    decision: str  # the rule's word: a Rating value for the rating rule
    score: Decimal | None = None  # a score rule's figure (None: nobody scored the item)


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


def _hundredths_half_up(value: Fraction) -> Decimal:
    """Rounded in integers, not through a float or a 28-digit decimal division: a mean
    such as 1/3 + 0.005 stays on its side of the half."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def score_weighted_mean(box: BallotBox) -> list[ItemOutcome]:
    """部门评议: per department (``box.form``'s items, in ballot order) the weighted mean
    of its criteria's mean scores, Σ weight × mean ÷ Σ weight, computed exactly (as a
    fraction) and rounded once, to two decimals, half up (7.125 → 7.13; the decision is
    that figure as text, e.g. "7.13"). Every valid ballot that is not blank scores every
    cell (``rules.online_problem``, ``rules.void_reason``), so each criterion has the same
    number of scores and this equals the mean of the ballots' own weighted scores.

    counts: ``valid`` (ballots − void, blank ones included), ``scored`` (the ballots that
    scored it, the divisor) and per criterion its ``sum`` and ``n``. Nobody scored it (no
    ballot, or only blank ones): no figure, ``score`` None and the decision ""."""
    assert box.counts is not None
    criteria = box.form["criteria"]
    weights = [Fraction(criterion["weight"]) for criterion in criteria]
    valid = box.counts["ballots"] - box.counts["void"]
    results = []
    for item in box.form["items"]:
        rows = [box.counts["marks"].get(str(cell), {}) for cell in item["cells"]]
        per_criterion = [
            {"criterion": c["name"], "sum": row.get("sum", 0), "n": row.get("n", 0)}
            for c, row in zip(criteria, rows, strict=True)
        ]
        score = None
        if all(row["n"] for row in per_criterion):
            weighted = sum(
                (
                    w * Fraction(row["sum"], row["n"])
                    for w, row in zip(weights, per_criterion, strict=True)
                ),
                Fraction(0),
            )
            mean = weighted / sum(weights, Fraction(0))
            score = _hundredths_half_up(mean)
        counts = {
            "valid": valid,
            "scored": min(row["n"] for row in per_criterion),
            "criteria": per_criterion,
        }
        results.append(
            ItemOutcome(
                option=item["item"],
                counts=counts,
                decision="" if score is None else str(score),
                score=score,
            )
        )
    return results


register_outcome_rule("score_weighted_mean", score_weighted_mean)
