"""The fourth kind of vote on the core's secret ballot: representatives' online
evaluation of departments (部门评议). Each department is scored on each criterion, on the
box's scale, and the criteria are weighted; the outcome is each department's weighted
mean, rounded to two decimals half up, with the number of valid ballots.

The figures below are worked out by hand in the comments, not by the code under test.
The box is opened, cast into, closed and recounted through the core's services; the
voters are representatives by their user ids (the evaluation app will say who they are).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from congress.ballots import outcomes, rules, sealing
from congress.ballots import services as ballots
from congress.ballots.errors import ResultsNotPublished
from congress.errors import RuleViolation
from congress.models import BallotBox, PublishedBallot, SealedBallot, User
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRAFFIC, WATER = 41, 42  # the departments' ids in the evaluation app, in ballot order
RULE = "score_weighted_mean"


@pytest.fixture
def voters(world: World) -> list[User]:
    return [UserFactory(username=f"rep{n}", display_name=f"代表{n}") for n in range(6)]


def evaluation(
    world: World, voters: list[User], by: User, *, low: int = 0, high: int = 10
) -> BallotBox:
    form = rules.score_form(
        items=[TRAFFIC, WATER],
        criteria=[("服务态度", "0.6"), ("办理质量", "0.4")],
        low=low,
        high=high,
    )
    return open_evaluation(world, form, voters, by)


def open_evaluation(
    world: World, form: rules.ScoreForm, voters: list[User], by: User | None
) -> BallotBox:
    return ballots.box_open(
        region=world.district,
        kind="score",
        options=form.options(),
        voters=[v.pk for v in voters],
        form=form.definition(),
        by=by,
    )


def scores(traffic: tuple[int, int], water: tuple[int, int]) -> dict[int, int]:
    """A ballot as the evaluation page sends it: cells 1, 2 are 交通局's two criteria,
    3, 4 水务局's."""
    return {1: traffic[0], 2: traffic[1], 3: water[0], 4: water[1]}


def test_the_form_numbers_its_cells_department_by_department(
    world: World, voters: list[User], district_staff: User
) -> None:
    box = evaluation(world, voters, district_staff, low=1, high=5)
    assert box.kind == "score" and box.options == [1, 2, 3, 4]
    assert box.seats == 0  # seats are seats: the scale is in the form
    assert rules.score_scale(box.form) == (1, 5)
    assert BallotBox.objects.get(pk=box.pk).form == {
        "scale": [1, 5],
        "criteria": [
            {"name": "服务态度", "weight": "0.6"},
            {"name": "办理质量", "weight": "0.4"},
        ],
        "items": [{"item": TRAFFIC, "cells": [1, 2]}, {"item": WATER, "cells": [3, 4]}],
    }


def test_a_score_box_needs_its_form(world: World, district_staff: User) -> None:
    form = rules.score_form(items=[TRAFFIC], criteria=[("态度", 1)], low=1, high=5)
    for definition in [None, {}, form.definition() | {"items": [{"item": 41, "cells": [2]}]}]:
        with pytest.raises(RuleViolation):
            ballots.box_open(
                region=world.district,
                kind="score",
                options=[1],
                voters=[1],
                form=definition,
                by=district_staff,
            )
    assert not BallotBox.objects.exists()


def test_three_representatives_weighted_means_by_hand(
    world: World,
    voters: list[User],
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    box = evaluation(world, voters, district_staff)
    cast = {
        voters[0].pk: scores((8, 6), (5, 10)),
        voters[1].pk: scores((9, 7), (6, 9)),
        voters[2].pk: scores((7, 5), (4, 9)),
    }
    receipts = {v: ballots.ballot_cast(box=box, voter=v, choices=c) for v, c in cast.items()}
    # Sealed while open: three rows, nothing published, no figure for anyone.
    assert SealedBallot.objects.filter(box=box).count() == 3
    assert not PublishedBallot.objects.filter(box=box).exists()
    with pytest.raises(ResultsNotPublished):
        outcomes.outcome(box, RULE)

    with django_capture_on_commit_callbacks(execute=True):
        box = ballots.box_close(box=box, by=district_staff)
    with pytest.raises(sealing.KeyMissing):
        sealing.private_key(box.pk)
    assert not SealedBallot.objects.filter(box=box).exists()
    for voter, receipt in receipts.items():
        published = PublishedBallot.objects.get(box=box, receipt=receipt)
        assert published.marks == {str(k): v for k, v in cast[voter].items()}
        assert not published.void
    assert box.counts == {
        "ballots": 3,
        "void": 0,
        "blank": 0,
        "marks": {
            "1": {"sum": 24, "n": 3},  # 8 + 9 + 7
            "2": {"sum": 18, "n": 3},  # 6 + 7 + 5
            "3": {"sum": 15, "n": 3},  # 5 + 6 + 4
            "4": {"sum": 28, "n": 3},  # 10 + 9 + 9
        },
    }
    assert ballots.box_recount(box) == box.counts

    traffic, water = outcomes.outcome(box, RULE)
    # 交通局: 0.6 × 24/3 + 0.4 × 18/3 = 4.8 + 2.4 = 7.2
    # (the ballots' own: 7.2, 8.2, 6.2; their mean 7.2)
    assert (traffic.option, traffic.score, traffic.decision) == (TRAFFIC, Decimal("7.20"), "7.20")
    # 水务局: 0.6 × 15/3 + 0.4 × 28/3 = 3 + 3.7333… = 6.7333… → 6.73
    # (the ballots' own: 7.0, 7.2, 6.0; their mean 20.2 / 3 = 6.7333…)
    assert (water.option, water.score) == (WATER, Decimal("6.73"))
    assert traffic.counts["valid"] == water.counts["valid"] == 3
    assert water.counts == {
        "valid": 3,
        "scored": 3,
        "criteria": [
            {"criterion": "服务态度", "sum": 15, "n": 3},
            {"criterion": "办理质量", "sum": 28, "n": 3},
        ],
    }


def test_a_half_hundredth_rounds_up(world: World, voters: list[User], district_staff: User) -> None:
    form = rules.score_form(items=[TRAFFIC], criteria=[("态度", 1), ("质量", 1)], low=1, high=5)
    box = open_evaluation(world, form, voters, district_staff)
    for voter, pair in zip(voters, [(5, 4), (4, 4), (3, 3), (3, 3)], strict=False):
        ballots.ballot_cast(box=box, voter=voter.pk, choices={1: pair[0], 2: pair[1]})
    box = ballots.box_close(box=box, by=district_staff)
    (item,) = outcomes.outcome(box, RULE)
    # (15/4 + 14/4) / 2 = 29/8 = 3.625: half up gives 3.63 (banker's rounding would give 3.62)
    assert item.score == Decimal("3.63")


@pytest.mark.parametrize(
    ("choices", "refusal"),
    [
        (scores((11, 6), (5, 5)), "有1项评分不在0至10分之间，请改正。"),
        ({1: 8, 2: 6, 3: 5}, "还有1项没有打分。"),
        (scores((8, 6), (5, 5)) | {2: "七"}, "评分须为整数。"),
        (scores((8, 6), (5, 5)) | {2: 6.5}, "评分须为整数。"),
        (scores((8, 6), (5, 5)) | {9: 5}, "选票上有不属于本次投票的选项。"),
    ],
    ids=["out-of-range", "missing", "words", "fraction", "unknown-cell"],
)
def test_online_a_ballot_that_breaks_the_form_is_refused(
    world: World, voters: list[User], district_staff: User, choices: dict[int, Any], refusal: str
) -> None:
    box = evaluation(world, voters, district_staff)
    with pytest.raises(RuleViolation) as refused:
        ballots.ballot_cast(box=box, voter=voters[0].pk, choices=choices)
    assert str(refused.value.message) == refusal
    assert not SealedBallot.objects.exists()  # nothing written: she may vote again
    ballots.ballot_cast(box=box, voter=voters[0].pk, choices=scores((8, 6), (5, 5)))


def test_the_scale_is_the_boxs_own(world: World, voters: list[User], district_staff: User) -> None:
    box = evaluation(world, voters, district_staff, low=1, high=5)
    with pytest.raises(RuleViolation, match="有2项评分不在1至5分之间"):
        ballots.ballot_cast(box=box, voter=voters[0].pk, choices=scores((0, 5), (6, 1)))
    ballots.ballot_cast(box=box, voter=voters[0].pk, choices=scores((1, 5), (5, 1)))


def test_on_paper_out_of_range_or_missing_is_void_and_an_empty_ballot_is_blank(
    world: World, voters: list[User], district_staff: User, city_staff: User
) -> None:
    box = evaluation(world, voters, district_staff)
    ballots.ballot_cast(box=box, voter=voters[0].pk, choices=scores((8, 6), (5, 10)))
    ballots.ballot_cast(box=box, voter=voters[1].pk, choices={})  # blank online
    sheets = {
        1: scores((12, 6), (5, 5)),  # 12 on a 0–10 scale: void
        2: {1: 8, 2: 6, 3: 5},  # 水务局's 办理质量 left empty: void
        3: {},  # nothing written: blank
        4: scores((6, 8), (7, 6)),  # counts
    }
    for voter in voters[2:]:
        ballots.elector_sign_in(box=box, voter=voter.pk, by=district_staff)
    for sheet, reading in sheets.items():
        for teller in (district_staff, city_staff):
            ballots.paper_reading_enter(box=box, sheet=sheet, choices=reading, by=teller)
    box = ballots.box_close(box=box, by=district_staff)

    void = dict(
        PublishedBallot.objects.filter(box=box, void=True).values_list("sheet", "void_reason")
    )
    assert void == {1: "评分超出0至10分", 2: "有项目没有打分"}
    assert box.counts is not None
    assert (box.counts["ballots"], box.counts["void"], box.counts["blank"]) == (6, 2, 2)
    traffic, water = outcomes.outcome(box, RULE)
    # Two ballots scored: the online one and sheet 4.
    # 交通局: 0.6 × (8+6)/2 + 0.4 × (6+8)/2 = 4.2 + 2.8 = 7.00
    # 水务局: 0.6 × (5+7)/2 + 0.4 × (10+6)/2 = 3.6 + 3.2 = 6.80
    assert (traffic.score, water.score) == (Decimal("7.00"), Decimal("6.80"))
    assert traffic.counts["valid"] == 4  # 6 ballots − 2 void; the 2 blank ones are valid
    assert traffic.counts["scored"] == 2


def test_nobody_scored_means_no_figure(
    world: World, voters: list[User], district_staff: User
) -> None:
    box = evaluation(world, voters, district_staff)
    ballots.ballot_cast(box=box, voter=voters[0].pk, choices={})
    box = ballots.box_close(box=box, by=district_staff)
    traffic, _water = outcomes.outcome(box, RULE)
    assert (traffic.score, traffic.decision, traffic.counts["valid"]) == (None, "", 1)


@pytest.mark.parametrize(
    ("items", "criteria", "low", "high"),
    [
        ([], [("态度", 1)], 0, 10),
        ([TRAFFIC, TRAFFIC], [("态度", 1)], 0, 10),
        ([TRAFFIC], [], 0, 10),
        ([TRAFFIC], [("态度", 0)], 0, 10),
        ([TRAFFIC], [("态度", "很重要")], 0, 10),
        ([TRAFFIC], [("态度", 1)], 5, 5),
        ([TRAFFIC], [("态度", 1)], 0, 101),
    ],
    ids=["no-item", "item-twice", "no-criterion", "zero-weight", "word-weight", "flat", "over"],
)
def test_a_malformed_form_is_refused(
    items: list[int], criteria: list[tuple[str, Any]], low: int, high: int
) -> None:
    with pytest.raises(RuleViolation):
        rules.score_form(items=items, criteria=criteria, low=low, high=high)


def test_another_districts_staff_cannot_open_an_evaluation(
    world: World, voters: list[User], other_district_staff: User
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        evaluation(world, voters, other_district_staff)
    assert not BallotBox.objects.exists()
