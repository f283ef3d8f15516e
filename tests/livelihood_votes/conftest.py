"""The cast for vote stories.

海州区's congress (the district) holds a vote on its livelihood projects. 刘红
(representative_user) and 张伟 are 海州区 representatives with logins; eight more
海州区 representatives have none (they vote on paper, or not at all). 吴明 sits only
for 临江区, the other district. District staff (陈静) run the vote; city staff see it
too; 临江区 staff, the department clerks and the committee member do not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import QuerySet

from congress.ballots import rules, sealing
from congress.models import Elector, Region, Role, SealedBallot, User
from livelihood_votes import services
from livelihood_votes.models import BallotForm, Candidate, LivelihoodVote, Mark
from representatives.models import Representative
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.representatives.factories import RepresentativeFactory, seat


@dataclass
class Cast:
    world: World
    liu: Representative
    zhang: Representative
    others: list[Representative]
    outsider: Representative

    @property
    def seated(self) -> list[Representative]:
        return [self.liu, self.zhang, *self.others]


@pytest.fixture
def cast(world: World, representative_user: User) -> Cast:
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)
    zhang = RepresentativeFactory(
        name="张伟",
        region=world.village,
        user=UserFactory(username="zhangwei", display_name="张伟"),
    )
    seat(zhang, world.district)
    others = []
    for n in range(8):
        rep = RepresentativeFactory(name=f"海州代表{n}", region=world.village)
        seat(rep, world.district)
        others.append(rep)
    outsider = RepresentativeFactory(
        name="吴明",
        region=world.other_district,
        user=UserFactory(username="wuming", display_name="吴明"),
    )
    seat(outsider, world.other_district)
    return Cast(world=world, liu=liu, zhang=zhang, others=others, outsider=outsider)


def make_vote(
    region: Region,
    by: User,
    *,
    candidates: int = 12,
    seats: int = 10,
    ballot_form: str = BallotForm.UP_TO_N,
    title: str = "2026年度民生实事项目代表票决",
) -> LivelihoodVote:
    vote = services.vote_create(
        congress=region.congress,
        title=title,
        year=2026,
        seats=seats,
        ballot_form=ballot_form,
        by=by,
    )
    for n in range(1, candidates + 1):
        services.candidate_add(vote=vote, title=f"民生项目{n}", by=by)
    return vote


def opened(vote: LivelihoodVote, by: User) -> LivelihoodVote:
    return services.vote_open(vote=vote, by=by)


def candidates_of(vote: LivelihoodVote) -> list[Candidate]:
    return list(vote.candidates.order_by("order"))


def approve(*candidates: Candidate) -> dict[int, str]:
    return dict.fromkeys((c.pk for c in candidates), Mark.APPROVE)


@pytest.fixture
def open_vote(cast: Cast, district_staff: User) -> LivelihoodVote:
    """海州区's vote: 12 candidates for 10 seats (20 %), up to 10 ticks, open."""
    return opened(make_vote(cast.world.district, district_staff), district_staff)


@pytest.fixture
def other_vote(cast: Cast, other_district_staff: User) -> LivelihoodVote:
    """临江区's vote, open: 吴明 may vote in it, nobody from 海州区 sees it."""
    return opened(make_vote(cast.world.other_district, other_district_staff), other_district_staff)


VoteMaker = Callable[..., LivelihoodVote]


def second_teller(vote: LivelihoodVote) -> User:
    """Another staff member of the vote's region (the second reader at the entry desk)."""
    region = vote.congress.region
    user = User.objects.filter(username=f"teller{region.pk}").first()
    if user is None:
        user = grant(
            UserFactory(username=f"teller{region.pk}", display_name="沈计票"),
            Role.STAFF,
            region=region,
        )
    return user


def paper_ballots(
    vote: LivelihoodVote,
    voters: list[Representative],
    ballots: list[dict[int, str]],
    by: User,
) -> list[str]:
    """In the hall: each voter signs in for a paper ballot, then every sheet is entered
    by ``by`` and by a second teller (双人录入), which counts it."""
    for rep in voters:
        services.participation_sign_in(vote=vote, representative=rep, by=by)
    other = second_teller(vote)
    outcomes = []
    for sheet, choices in enumerate(ballots, start=1):
        services.paper_sheet_enter(vote=vote, sheet=sheet, choices=choices, by=by)
        outcomes.append(
            services.paper_sheet_enter(vote=vote, sheet=sheet, choices=choices, by=other)
        )
    return outcomes


# --- reading the box in tests ---------------------------------------------------------------
# While a vote is open its ballots are sealed. The tests open them with the box's key file,
# as the close does (the key is on the application server, which the tests play), to check
# what was cast without closing the vote.


@dataclass
class Opened:
    receipt: str
    marks: dict[str, Any]
    source: str
    sheet: int | None
    void_reason: str  # as the close will judge it: a paper sheet that breaks the form

    @property
    def void(self) -> bool:
        return bool(self.void_reason)

    def picked(self) -> set[int]:
        return {int(option) for option in self.marks}

    def count(self, choice: str) -> int:
        return sum(1 for mark in self.marks.values() if mark == choice)

    def titles(self) -> set[str]:
        return set(Candidate.objects.filter(pk__in=self.picked()).values_list("title", flat=True))


def sealed_ballots(vote: LivelihoodVote | None = None) -> list[Opened]:
    rows = SealedBallot.objects.select_related("box")
    if vote is not None:
        rows = rows.filter(box=vote.box_id)
    opened = []
    for row in rows:
        ballot = sealing.unseal(sealing.private_key(row.box_id), row.sealed)
        box = row.box
        void = (
            rules.void_reason(box.kind, box.seats, box.options, ballot["m"])
            if row.source == "paper"
            else ""
        )
        opened.append(Opened(ballot["r"], ballot["m"], row.source, row.sheet, void))
    return opened


def the_ballot() -> Opened:
    (ballot,) = sealed_ballots()
    return ballot


def marks_cast(choice: str | None = None) -> int:
    return sum(len(b.marks) if choice is None else b.count(choice) for b in sealed_ballots())


def voted(vote: LivelihoodVote | None = None) -> QuerySet[Elector]:
    """The electors who voted (the roll call's rows)."""
    rows = Elector.objects.filter(channel__isnull=False)
    return rows if vote is None else rows.filter(box=vote.box_id)
