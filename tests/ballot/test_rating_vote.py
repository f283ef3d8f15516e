"""The second kind of vote on the core's secret ballot: the standing committee's
satisfaction rating of a report (满意 / 基本满意 / 不满意, exactly one mark per item),
with the default outcome rule (满意 if 满意 reach half of all members; 基本满意 if 满意 +
基本满意 reach half; else 不满意). 27 members of 海州区's standing committee rate the
government's report on its livelihood projects, online and on paper.

The box is opened, cast into, closed and recounted through the core's services; the
members are voters by their user ids (the supervision app will say who they are).
"""

from __future__ import annotations

from typing import Any

import pytest

from congress.ballots import outcomes, sealing
from congress.ballots import services as ballots
from congress.ballots.errors import AlreadyVoted, NotAnElector, ResultsNotPublished
from congress.errors import RuleViolation
from congress.models import BallotBox, BallotKind, PublishedBallot, Rating, SealedBallot, User
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = 7  # the report's id in the supervision app: the box's one item
S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED
RULE = "rating_half_of_members"


@pytest.fixture
def members(world: World) -> list[User]:
    return [UserFactory(username=f"member{n}", display_name=f"委员{n}") for n in range(27)]


def rating_box(world: World, members: list[User], by: User) -> BallotBox:
    return ballots.box_open(
        region=world.district,
        kind=BallotKind.RATING,
        options=[REPORT],
        voters=[m.pk for m in members],
        by=by,
    )


def rate(box: BallotBox, members: list[User], marks: list[str]) -> list[str]:
    return [
        ballots.ballot_cast(box=box, voter=m.pk, choices={REPORT: mark})
        for m, mark in zip(members, marks, strict=False)
    ]


def decided(box: BallotBox) -> str:
    (item,) = outcomes.outcome(box, RULE)
    return item.decision


@pytest.mark.parametrize(
    ("satisfied", "basic", "dissatisfied", "expected"),
    [
        (13, 1, 13, B),  # 13 of 27 is short of half; 13 + 1 = 14 reaches it
        (14, 0, 0, S),  # 14 of 27 reach half although 13 did not vote
        (26, 0, 0, S),
        (13, 0, 14, D),
        (0, 13, 14, D),  # 13 基本满意 is short of half of all members
    ],
)
def test_the_default_rule_on_27_members(
    world: World,
    members: list[User],
    district_staff: User,
    satisfied: int,
    basic: int,
    dissatisfied: int,
    expected: str,
) -> None:
    box = rating_box(world, members, district_staff)
    rate(box, members, [S] * satisfied + [B] * basic + [D] * dissatisfied)
    with pytest.raises(ResultsNotPublished):
        decided(box)  # nothing before the close
    box = ballots.box_close(box=box, by=district_staff)
    assert box.electorate == 27
    assert box.counts is not None and box.counts["ballots"] == satisfied + basic + dissatisfied
    assert decided(box) == expected


def test_two_marks_are_refused_online_and_void_on_paper(
    world: World, members: list[User], district_staff: User, city_staff: User
) -> None:
    box = rating_box(world, members, district_staff)
    with pytest.raises(RuleViolation, match="只能选择满意、基本满意、不满意中的一个"):
        ballots.ballot_cast(box=box, voter=members[0].pk, choices={REPORT: [S, D]})
    assert not SealedBallot.objects.exists()  # refused: nothing written, may vote again
    ballots.ballot_cast(box=box, voter=members[0].pk, choices={REPORT: S})
    # In the hall: member 1 ticks two boxes on paper; two staff read it alike.
    ballots.elector_sign_in(box=box, voter=members[1].pk, by=district_staff)
    for teller in (district_staff, city_staff):
        outcome = ballots.paper_reading_enter(box=box, sheet=1, choices={REPORT: [S, D]}, by=teller)
    assert outcome == ballots.SHEET_COUNTED
    box = ballots.box_close(box=box, by=district_staff)
    paper = PublishedBallot.objects.get(box=box, source="paper")
    assert paper.void and paper.void_reason == "同一项目有两个以上意见"
    assert box.counts == {
        "ballots": 2,
        "void": 1,
        "blank": 0,
        "marks": {str(REPORT): {S: 1}},
    }


def test_one_ballot_per_member_and_only_members(
    world: World, members: list[User], district_staff: User
) -> None:
    box = rating_box(world, members, district_staff)
    rate(box, members[:1], [S])
    with pytest.raises(AlreadyVoted):
        ballots.ballot_cast(box=box, voter=members[0].pk, choices={REPORT: D})
    with pytest.raises(NotAnElector):
        ballots.ballot_cast(box=box, voter=district_staff.pk, choices={REPORT: D})
    assert SealedBallot.objects.count() == 1


def test_each_member_finds_their_receipt_with_their_mark_and_the_recount_agrees(
    world: World, members: list[User], district_staff: User
) -> None:
    box = rating_box(world, members, district_staff)
    marks = [S] * 13 + [B] * 1 + [D] * 12
    receipts = rate(box, members, marks)
    ballots.ballot_cast(box=box, voter=members[26].pk, choices={})  # a blank ballot
    box = ballots.box_close(box=box, by=district_staff)
    for receipt, mark in zip(receipts, marks, strict=True):
        found = PublishedBallot.objects.get(box=box, receipt=receipt)
        assert found.marks == {str(REPORT): mark} and not found.void
    assert ballots.box_recount(box) == box.counts
    assert box.counts is not None and box.counts["blank"] == 1
    assert box.counts["marks"] == {str(REPORT): {S: 13, B: 1, D: 12}}
    assert decided(box) == B


def test_the_close_destroys_the_key_and_a_discarded_box_is_never_opened(
    world: World,
    members: list[User],
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    box = rating_box(world, members, district_staff)
    rate(box, members[:3], [S, S, D])
    assert sealing.private_key(box.pk)  # on the application server while open
    with django_capture_on_commit_callbacks(execute=True):  # the key goes once committed
        ballots.box_close(box=box, by=district_staff)
    with pytest.raises(sealing.KeyMissing):
        sealing.private_key(box.pk)
    other = rating_box(world, members, district_staff)
    rate(other, members[:2], [D, D])
    with django_capture_on_commit_callbacks(execute=True):
        ballots.box_discard(box=other, by=district_staff)
    assert not SealedBallot.objects.filter(box=other).exists()
    assert not PublishedBallot.objects.filter(box=other).exists()
    with pytest.raises(sealing.KeyMissing):
        sealing.private_key(other.pk)


def test_another_districts_staff_cannot_open_or_close_the_box(
    world: World, members: list[User], district_staff: User, other_district_staff: User
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        rating_box(world, members, other_district_staff)
    box = rating_box(world, members, district_staff)
    with pytest.raises(Http404):
        ballots.box_close(box=box, by=other_district_staff)
    assert BallotBox.objects.get(pk=box.pk).status == "open"
