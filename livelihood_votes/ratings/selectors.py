"""Reads of the year-end rating: one scoping function per model, who may do what, the
results and the year's report figures.

Who sees a rating round (docs/livelihood-rating.md, 'Who sees what'):
- congress staff of the cycle's region or a region above it (and administrators);
- the voters of its frozen electorate (a representative, or a voter delegate with a
  login), to rate and to read the result once counted.
A rectification is seen by the staff of its region and the responsible department's
clerks. Everyone else gets a 404. The public results page reads a published round only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from congress.loop import handled_department_ids
from congress.models import Elector, User
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from livelihood_votes.models import Cycle, Electorate, Project
from livelihood_votes.models.ratings import (
    RatingResult,
    RatingRound,
    RatingStatus,
    Rectification,
)
from livelihood_votes.selectors import cycle_voters, delegate_of
from representatives.models import VoterDelegate
from representatives.selectors import representative_of

# --- who -------------------------------------------------------------------------------


def electorate_of(cycle: Cycle) -> list[int]:
    """Who rates the cycle's projects: the shared selector of the cycle's electorate
    (``livelihood_votes.selectors.cycle_voters``), so the vote and the rating freeze
    the same people."""
    return cycle_voters(cycle)


def voter_id(user: AnyUser, cycle: Cycle) -> int | None:
    """The user's id in the cycle's electorate's terms (a representative's or a voter
    delegate's), or None: a login of the other kind is nobody in this rating."""
    if cycle.electorate == Electorate.VOTER_DELEGATES:
        delegate = delegate_of(user)
        return None if delegate is None else delegate.pk
    representative = representative_of(user)
    return None if representative is None else representative.pk


def manages(user: AnyUser, cycle: Cycle) -> bool:
    """Staff of the cycle's region or above, or an administrator."""
    return in_jurisdiction(user, cycle.region)


def is_elector(rating: RatingRound, user: AnyUser) -> bool:
    voter = voter_id(user, rating.cycle)
    return voter is not None and Elector.objects.filter(box=rating.box_id, voter=voter).exists()


def has_rated(rating: RatingRound, user: AnyUser) -> bool:
    voter = voter_id(user, rating.cycle)
    return (
        voter is not None
        and Elector.objects.filter(box=rating.box_id, voter=voter, channel__isnull=False).exists()
    )


# --- the scopes --------------------------------------------------------------------------


def rating_cycles(user: AnyUser) -> QuerySet[Cycle]:
    """The cycles whose rating a user runs: those of their region and below."""
    cycles = Cycle.objects.select_related("region", "congress")
    query = region_scope_q(user, "region__path")
    return cycles if query is None else cycles.filter(query)


def rating_scope_q(user: AnyUser) -> Q | None:
    """The filter behind ``visible_ratings``; None means everything (administrators)."""
    query = region_scope_q(user, "region__path")
    if query is None:
        return None
    representative = representative_of(user)
    if representative is not None:
        elector = Elector.objects.filter(box=OuterRef("box"), voter=representative.pk)
        query |= Q(Exists(elector)) & Q(cycle__electorate=Electorate.REPRESENTATIVES)
    delegate = delegate_of(user)
    if delegate is not None:
        elector = Elector.objects.filter(box=OuterRef("box"), voter=delegate.pk)
        query |= Q(Exists(elector)) & Q(cycle__electorate=Electorate.VOTER_DELEGATES)
    return query


def visible_ratings(user: AnyUser) -> QuerySet[RatingRound]:
    ratings = RatingRound.objects.select_related("cycle__region", "cycle__congress", "box")
    query = rating_scope_q(user)
    return ratings if query is None else ratings.filter(query)


def published_ratings() -> QuerySet[RatingRound]:
    """The public pages' rounds: published ones only."""
    return RatingRound.objects.select_related("cycle__region").filter(status=RatingStatus.PUBLISHED)


def visible_rectifications(user: AnyUser) -> QuerySet[Rectification]:
    """Staff of its region (and above); the responsible department's clerks (and of the
    office above it, which escalation reaches)."""
    rows = Rectification.objects.select_related(
        "project__cycle", "carried_into__cycle", "department", "region"
    )
    query = region_scope_q(user, "region__path")
    if query is None:
        return rows
    if isinstance(user, User):
        query |= Q(department_id__in=handled_department_ids(user))
    return rows.filter(query)


def open_ratings_for(user: AnyUser) -> QuerySet[RatingRound]:
    """The open rounds the user may rate (their phone's list)."""
    return _electorate_rounds(user).filter(status=RatingStatus.OPEN).order_by("-opened_at")


def _electorate_rounds(user: AnyUser) -> QuerySet[RatingRound]:
    query = Q(pk__in=[])
    representative = representative_of(user)
    if representative is not None:
        elector = Elector.objects.filter(box=OuterRef("box"), voter=representative.pk)
        query |= Q(Exists(elector)) & Q(cycle__electorate=Electorate.REPRESENTATIVES)
    delegate = delegate_of(user)
    if delegate is not None:
        elector = Elector.objects.filter(box=OuterRef("box"), voter=delegate.pk)
        query |= Q(Exists(elector)) & Q(cycle__electorate=Electorate.VOTER_DELEGATES)
    return RatingRound.objects.select_related("cycle__region").filter(query)


# --- what is rated and what came of it -----------------------------------------------------


def rated_projects(cycle: Cycle) -> QuerySet[Project]:
    """The projects on the ballot, in ballot order."""
    return Project.objects.filter(cycle=cycle).select_related("department").order_by("order", "pk")


@dataclass
class RoundFigures:
    electorate: int
    ballots: int
    void: int
    blank: int

    @property
    def turnout_percent(self) -> float | None:
        return None if not self.electorate else round(self.ballots * 100 / self.electorate, 1)


def round_figures(rating: RatingRound) -> RoundFigures | None:
    """The round's participation as the close wrote it on the box (None while open:
    nothing is counted before the close)."""
    counts = rating.box.counts
    if rating.status == RatingStatus.OPEN or counts is None:
        return None
    return RoundFigures(
        electorate=rating.box.electorate,
        ballots=counts["ballots"],
        void=counts["void"],
        blank=counts["blank"],
    )


def rating_results(rating: RatingRound) -> QuerySet[RatingResult]:
    """One row per project with its counts and decision (one query)."""
    return rating.results.select_related("project__department").order_by(
        "project__order", "project__pk"
    )


def participants(rating: RatingRound) -> int:
    """How many of the electorate have rated so far (online or signed in for paper):
    a count of electors, never who."""
    return Elector.objects.filter(box=rating.box_id, channel__isnull=False).count()


def electorate_names(rating: RatingRound) -> list[tuple[int, str]]:
    """The frozen electorate by name, for the hall's sign-in (one query)."""
    voters = Elector.objects.filter(box=rating.box_id).values("voter")
    if rating.cycle.electorate == Electorate.VOTER_DELEGATES:
        rows = VoterDelegate.objects.filter(pk__in=voters).order_by("name", "pk")
    else:
        from representatives.models import Representative

        return list(
            Representative.objects.filter(pk__in=voters)
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
    return list(rows.values_list("pk", "name"))


def paper_handed_out(rating: RatingRound) -> int:
    return Elector.objects.filter(box=rating.box_id, channel="paper").count()
