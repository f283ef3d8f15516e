"""Reads of the vote: one scoping function per model, who may do what, and the tally.

Who sees a vote (docs/architecture.md, 'Who sees what'):
- congress staff of the congress's region or a region above it (and administrators);
- representatives with a live seat in that congress, once the vote is no longer a draft.
Everyone else (department clerks, committee members as such) gets a 404.

Who voted and what was voted are the core's ballot box (``congress/ballots/``): the
electors of the vote's box, and its published list once closed. The tally is read from
the counts the close wrote on the box: while a vote is open there is no count per
candidate anywhere, not even in the database (the ballots are sealed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from congress.ballots import services as ballot_services
from congress.models import (
    Congress,
    Elector,
    PaperReading,
    PublishedBallot,
    Region,
    SealedBallot,
)
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from livelihood_votes.errors import ResultsNotPublished
from livelihood_votes.models import (
    BallotSource,
    Candidate,
    Cycle,
    Electorate,
    LivelihoodVote,
    Mark,
    PassBase,
    VoteStatus,
)
from representatives.models import Mandate, MandateStatus, Representative, VoterDelegate
from representatives.selectors import representative_of

V = VoteStatus


# --- who ---------------------------------------------------------------------------------


def seat_in(congress_field: str = "congress") -> Q:
    """Mandates that are a live seat in the congress named by ``congress_field``."""
    return Q(status=MandateStatus.ACTIVE, term__congress=OuterRef(congress_field))


def holds_seat(representative: Representative, congress: Congress) -> bool:
    """A current mandate in ``congress`` (any of its terms' live seats)."""
    return Mandate.objects.filter(
        representative=representative, status=MandateStatus.ACTIVE, term__congress=congress
    ).exists()


def seated_representatives(congress: Congress) -> list[int]:
    """The ids of the congress's representatives with a live seat (each person once):
    the electorate a vote freezes when it opens."""
    return list(
        Mandate.objects.filter(status=MandateStatus.ACTIVE, term__congress=congress)
        .values_list("representative", flat=True)
        .distinct()
    )


def cycle_voters(cycle: Cycle) -> list[int]:
    """The ids of who votes and rates in ``cycle``: the congress's seated
    representatives, or, in a subdistrict run by its 议政会, the active voter delegates
    registered in the subdistrict or its communities (docs/livelihood-year.md). The
    ids are a representative's or a voter delegate's, by the cycle's electorate."""
    if cycle.electorate == Electorate.VOTER_DELEGATES:
        return list(
            VoterDelegate.objects.filter(is_active=True, region__path__startswith=cycle.region.path)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return seated_representatives(cycle.congress)


# --- a subdistrict's vote: its 议政会's voter delegates vote ---------------------------------

# Who votes in a vote: a representative, or (a subdistrict's vote) a voter delegate. The
# box's electors are the one or the other's ids, never both, so a voter is always
# checked against the vote's kind of electorate before its id is looked up in the box.
Voter = Representative | VoterDelegate


def _subdistrict_cycles(vote_field: str) -> QuerySet[Cycle]:
    """The subdistrict cycle (electorate: voter delegates) whose vote is the one named by
    ``vote_field`` (an OuterRef's name)."""
    return Cycle.objects.filter(electorate=Electorate.VOTER_DELEGATES, vote=OuterRef(vote_field))


BY_DELEGATES = Q(Exists(_subdistrict_cycles("pk"))) | Q(Exists(_subdistrict_cycles("runoff_of")))
"""Votes whose electorate is a subdistrict's voter delegates: a cycle's vote, or the
run-off of one (docs/livelihood-subdistricts.md). Subqueries, not joins, so that its
negation keeps the votes that have no cycle."""


def vote_cycle(vote: LivelihoodVote) -> Cycle | None:
    """The cycle the vote is the vote of (a run-off: the cycle of the vote it follows)."""
    current: LivelihoodVote | None = vote
    while current is not None:
        try:
            return current.cycle
        except Cycle.DoesNotExist:
            current = current.runoff_of
    return None


def subdistrict_cycle(vote: LivelihoodVote) -> Cycle | None:
    """The subdistrict cycle whose 议政会 votes in ``vote``, or None (representatives)."""
    cycle = vote_cycle(vote)
    return cycle if cycle is not None and cycle.electorate == Electorate.VOTER_DELEGATES else None


def by_delegates(vote: LivelihoodVote) -> bool:
    return subdistrict_cycle(vote) is not None


def vote_region(vote: LivelihoodVote) -> Region:
    """Where the vote is run: the subdistrict (its 人大工委's staff run it) or the
    congress's region."""
    cycle = subdistrict_cycle(vote)
    return cycle.region if cycle is not None else vote.congress.region


def vote_voters(vote: LivelihoodVote) -> list[int]:
    """The electorate the vote freezes when it opens: the cycle's voters (a
    subdistrict's active voter delegates), else the congress's seated representatives."""
    cycle = subdistrict_cycle(vote)
    return cycle_voters(cycle) if cycle is not None else seated_representatives(vote.congress)


def delegate_of(user: AnyUser) -> VoterDelegate | None:
    """The voter delegate linked to this login, if any."""
    if not user.is_authenticated:
        return None
    try:
        return user.voter_delegate
    except VoterDelegate.DoesNotExist:
        return None


def voter_of(user: AnyUser, vote: LivelihoodVote) -> Voter | None:
    """Who this login votes as in ``vote``: its voter delegate in a subdistrict's vote,
    its representative in any other (None: neither)."""
    return delegate_of(user) if by_delegates(vote) else representative_of(user)


def is_voter_login(user: AnyUser) -> bool:
    """A representative's or a voter delegate's login (their phone pages). Staff, clerks
    and committee members (a role grant, read once per request already) are not asked
    for a delegate: the navigation asks this on every page."""
    if representative_of(user) is not None:
        return True
    return user.is_authenticated and not user.grants and delegate_of(user) is not None


def of_its_kind(vote: LivelihoodVote, voter: Voter) -> bool:
    """The voter is of the kind the vote's electorate is made of (ids of a delegate and
    of a representative may be equal: the box alone cannot tell them apart)."""
    return isinstance(voter, VoterDelegate) == by_delegates(vote)


def _electors(vote_field: str = "pk") -> QuerySet[Elector]:
    """The electors of the vote named by ``vote_field`` (an OuterRef's name)."""
    return Elector.objects.filter(box__livelihood_vote=OuterRef(vote_field))


def manages(user: AnyUser, vote: LivelihoodVote) -> bool:
    """Staff of the vote's congress region or above, or an administrator; a
    subdistrict's vote: staff of the subdistrict (its 人大工委) or above."""
    return in_jurisdiction(user, vote_region(vote))


def congresses_managed(user: AnyUser) -> QuerySet[Congress]:
    """The congresses a user may hold votes for: those in their region and below."""
    query = region_scope_q(user, "region__path")
    congresses = Congress.objects.select_related("region").order_by("region__path")
    return congresses if query is None else congresses.filter(query)


# --- the scopes ----------------------------------------------------------------------------


def vote_scope_q(user: AnyUser) -> Q | None:
    """The filter behind ``visible_votes``; None means everything (administrators)."""
    staff = region_scope_q(user, "congress__region__path")
    if staff is None:
        return None
    # A subdistrict's vote: also its 人大工委's staff (staff of the 街道 or above).
    subdistrict = region_scope_q(user, "region__path")
    assert subdistrict is not None
    staff |= Q(Exists(_subdistrict_cycles("pk").filter(subdistrict)))
    staff |= Q(Exists(_subdistrict_cycles("runoff_of").filter(subdistrict)))
    representative = representative_of(user)
    if representative is not None:
        seated = Mandate.objects.filter(
            representative=representative,
            status=MandateStatus.ACTIVE,
            term__congress=OuterRef("congress"),
        )
        staff |= Q(Exists(seated)) & ~Q(status=V.DRAFT) & ~BY_DELEGATES
    # A delegate's login has no role grant: staff (their grants read once per request
    # already) are not asked for one, so the staff's home card and lists cost no more.
    delegate = delegate_of(user) if user.is_authenticated and not user.grants else None
    if delegate is not None:
        # A delegate sees the votes whose frozen electorate they are in.
        elector = Elector.objects.filter(box=OuterRef("box"), voter=delegate.pk)
        staff |= Q(Exists(elector)) & ~Q(status=V.DRAFT) & BY_DELEGATES
    return staff


def visible_votes(user: AnyUser) -> QuerySet[LivelihoodVote]:
    votes = LivelihoodVote.objects.select_related(
        "congress__region", "session__term", "cycle__region", "runoff_of__cycle__region"
    )
    query = vote_scope_q(user)
    return votes if query is None else votes.filter(query)


def _voter_model(vote: LivelihoodVote) -> type[Representative] | type[VoterDelegate]:
    return VoterDelegate if by_delegates(vote) else Representative


def voters(vote: LivelihoodVote) -> QuerySet[Representative] | QuerySet[VoterDelegate]:
    """Who voted (the roll call, for the staff who run the vote), by name, each with the
    channel: no times, and nothing in the order they voted."""
    voted = Elector.objects.filter(
        box=vote.box_id, voter=OuterRef("pk"), channel__isnull=False
    ).values("channel")[:1]
    model = _voter_model(vote)
    return (
        model._default_manager.annotate(channel=Subquery(voted))
        .filter(channel__isnull=False)
        .order_by("name", "pk")
    )


def visible_ballots(user: AnyUser) -> QuerySet[PublishedBallot]:
    """The published ballot list: ballots of closed votes the user can see, by receipt."""
    boxes = visible_votes(user).filter(status=V.CLOSED).values("box")
    return PublishedBallot.objects.filter(box__in=boxes).order_by("receipt")


# --- lists ---------------------------------------------------------------------------------


def vote_list(user: AnyUser) -> QuerySet[LivelihoodVote]:
    return (
        visible_votes(user).annotate(candidate_count=Count("candidates")).order_by("-year", "-pk")
    )


def _votes_of(voter: Voter) -> Q:
    """The votes ``voter`` votes in: a representative, the votes of the congresses where
    they hold a live seat (not a subdistrict's); a delegate, the subdistrict votes whose
    frozen electorate they are in."""
    if isinstance(voter, VoterDelegate):
        return Q(Exists(Elector.objects.filter(box=OuterRef("box"), voter=voter.pk))) & (
            BY_DELEGATES
        )
    seated = Mandate.objects.filter(representative=voter).filter(seat_in())
    return Q(Exists(seated)) & ~BY_DELEGATES


def open_votes_for(voter: Voter) -> QuerySet[LivelihoodVote]:
    """我的票决: open votes of the congresses where this representative has a live seat
    (a voter delegate: their subdistrict's open votes), each with whether they have
    voted already."""
    voted = _electors().filter(voter=voter.pk, channel__isnull=False)
    return (
        LivelihoodVote.objects.filter(_votes_of(voter), status=V.OPEN)
        .select_related("congress")
        .annotate(voted=Exists(voted), candidate_count=Count("candidates"))
        .order_by("-opened_at", "-pk")
    )


def recent_closed_for(voter: Voter) -> QuerySet[LivelihoodVote]:
    return (
        LivelihoodVote.objects.filter(_votes_of(voter), status=V.CLOSED)
        .select_related("congress")
        .order_by("-closed_at", "-pk")
    )


def has_voted(vote: LivelihoodVote, voter: Voter) -> bool:
    if not of_its_kind(vote, voter):
        return False
    return Elector.objects.filter(box=vote.box_id, voter=voter.pk, channel__isnull=False).exists()


def is_elector(vote: LivelihoodVote, voter: Voter) -> bool:
    """In the electorate frozen when the vote opened (a draft: holds a seat now, or is
    one of the subdistrict's active delegates)."""
    if not of_its_kind(vote, voter):
        return False
    if vote.box_id is None:
        if isinstance(voter, VoterDelegate):
            return voter.pk in vote_voters(vote)
        return holds_seat(voter, vote.congress)
    return Elector.objects.filter(box=vote.box_id, voter=voter.pk).exists()


def live_runoff(vote: LivelihoodVote) -> LivelihoodVote | None:
    """The run-off made for this vote's tie, unless it was cancelled (at most one, by
    the database's ``vote_one_runoff_per_tie``)."""
    return vote.runoffs.exclude(status=V.CANCELLED).first()


def vote_candidates(vote: LivelihoodVote) -> QuerySet[Candidate]:
    return vote.candidates.select_related("department").order_by("order", "pk")


def participant_count(vote: LivelihoodVote) -> int:
    """How many have voted so far: staff may see it while the vote is open (it says
    nothing about what was voted)."""
    return Elector.objects.filter(box=vote.box_id, channel__isnull=False).count()


# --- in the hall: sign-in and paper ballots ---------------------------------------------


def electorate(vote: LivelihoodVote) -> QuerySet[Representative] | QuerySet[VoterDelegate]:
    """The representatives with a live seat in the vote's congress (a subdistrict's
    vote: the voter delegates of its frozen electorate), each with how they took part
    so far (``channel``: online, paper, or None), by name."""
    taken = Elector.objects.filter(box=vote.box_id, voter=OuterRef("pk"))
    if by_delegates(vote):
        return (
            VoterDelegate.objects.filter(Exists(taken))
            .annotate(channel=Subquery(taken.values("channel")[:1]))
            .order_by("name", "pk")
        )
    seated = Mandate.objects.filter(representative=OuterRef("pk"), status=MandateStatus.ACTIVE)
    return (
        Representative.objects.filter(Exists(seated.filter(term__congress=vote.congress_id)))
        .annotate(channel=Subquery(taken.values("channel")[:1]))
        .order_by("name", "pk")
    )


@dataclass
class PaperCounts:
    handed_out: int  # paper ballots handed out: representatives signed in (签到领票)
    counted: int  # paper ballots in: sheets two readings agreed on
    online: int

    @property
    def remaining(self) -> int:
        return max(self.handed_out - self.counted, 0)


def paper_counts(vote: LivelihoodVote) -> PaperCounts:
    """Two aggregate queries, whatever the size of the hall."""
    taken = Elector.objects.filter(box=vote.box_id).aggregate(
        paper=Count("pk", filter=Q(channel=BallotSource.PAPER)),
        online=Count("pk", filter=Q(channel=BallotSource.ONLINE)),
    )
    # Sealed while open, published once closed: either way a row per counted sheet.
    sealed = SealedBallot.objects.filter(box=vote.box_id, source=BallotSource.PAPER).count()
    counted = sealed or (
        PublishedBallot.objects.filter(box=vote.box_id, source=BallotSource.PAPER).count()
    )
    return PaperCounts(handed_out=taken["paper"], counted=counted, online=taken["online"])


@dataclass
class Reading:
    """That one person read a sheet, and when: never what they read. While the vote is
    open nothing per project may show on any page (the readings of the disputed
    sheets would be a partial count), and the person who settles a dispute must read
    the paper, not pick one of two readings on the screen."""

    teller: str
    entered_at: datetime.datetime


@dataclass
class PaperProgress:
    """The entry desk's picture of a vote: which sheets are counted, which wait for a
    second reading, which have readings that differ (and who read them). No reading's
    content is shown: a second reader reads the paper, not the screen, and a third
    settles a dispute by reading it again (``paper_sheet_enter``)."""

    counts: PaperCounts
    counted: list[int]
    waiting: list[int]
    differing: list[tuple[int, list[Reading]]]
    mine: set[int]  # sheets the viewer has entered

    def next_sheet(self) -> int | None:
        """The first sheet the viewer may still enter (the form's default)."""
        done = set(self.counted) | self.mine
        return next((n for n in range(1, self.counts.handed_out + 1) if n not in done), None)


def paper_progress(vote: LivelihoodVote, user: AnyUser) -> PaperProgress:
    """Four queries (two counts, counted sheets, entries with their tellers) whatever
    the number of sheets."""
    counts = paper_counts(vote)
    counted = {
        sheet
        for sheet in SealedBallot.objects.filter(box=vote.box_id, sheet__isnull=False)
        .order_by()
        .values_list("sheet", flat=True)
        .union(
            PublishedBallot.objects.filter(box=vote.box_id, sheet__isnull=False)
            .order_by()
            .values_list("sheet", flat=True)
        )
        if sheet is not None
    }

    entries = list(
        PaperReading.objects.filter(box=vote.box_id)
        .exclude(sheet__in=counted)
        .select_related("entered_by")
        .order_by("sheet", "created_at", "pk")
    )
    by_sheet: dict[int, list[PaperReading]] = {}
    for entry in entries:
        by_sheet.setdefault(entry.sheet, []).append(entry)
    mine = {e.sheet for e in entries if e.entered_by_id == user.pk}  # counted ones aside
    differing = [
        (sheet, [Reading(teller=str(e.entered_by), entered_at=e.created_at) for e in readings])
        for sheet, readings in by_sheet.items()
        if len(readings) > 1
    ]
    return PaperProgress(
        counts=counts,
        counted=sorted(counted),
        waiting=[sheet for sheet, readings in by_sheet.items() if len(readings) == 1],
        differing=differing,
        mine=mine,
    )


# --- the tally -----------------------------------------------------------------------------


@dataclass
class CandidateResult:
    candidate: Candidate
    approvals: int
    opposes: int
    abstains: int
    passed: bool = False
    elected: bool = False
    tied: bool = False


@dataclass
class Tally:
    """The result of a closed vote. ``tied`` names the candidates tied at the cut (who
    share the last seats' number of approvals): a run-off for ``runoff_seats`` seats is
    needed, the system never picks among them."""

    vote: LivelihoodVote
    electorate: int
    participants: int
    ballots: int
    void_ballots: int
    pass_base: str
    pass_base_count: int
    rows: list[CandidateResult] = field(default_factory=list)
    tied: list[Candidate] = field(default_factory=list)
    runoff_seats: int = 0

    @property
    def quorum_needed(self) -> int:
        """The smallest number of voters that is more than half of the electorate."""
        return self.electorate // 2 + 1

    @property
    def quorate(self) -> bool:
        return self.participants * 2 > self.electorate

    @property
    def approvals_needed(self) -> int:
        """The smallest number of approvals that is more than half of the pass base."""
        return self.pass_base_count // 2 + 1

    @property
    def elected(self) -> list[CandidateResult]:
        return [row for row in self.rows if row.elected]

    @property
    def valid_ballots(self) -> int:
        return self.ballots - self.void_ballots


def vote_tally(vote: LivelihoodVote) -> Tally:
    """Count a closed vote from the counts its box's close wrote (the recount,
    ``congress.ballots.services.box_recount``, gives the same from the published list);
    the quorum
    (more than half of the electorate voted), the pass rule (approvals from more than
    half of the electorate, or of the voters, as the vote was set up) and the top N of
    the projects that pass. Raises ``ResultsNotPublished`` unless the vote is closed."""
    if vote.status != V.CLOSED:
        raise ResultsNotPublished()
    box = vote.box
    counts = (box.counts if box is not None else None) or {"ballots": 0, "void": 0, "marks": {}}
    marks = counts["marks"]

    def mark(candidate: Candidate, choice: str) -> int:
        return int(marks.get(str(candidate.pk), {}).get(choice, 0))

    rows = [
        CandidateResult(c, mark(c, Mark.APPROVE), mark(c, Mark.OPPOSE), mark(c, Mark.ABSTAIN))
        for c in vote.candidates.select_related("department").order_by("order", "pk")
    ]
    rows.sort(key=lambda row: -row.approvals)  # stable: ballot order among equals
    participants = participant_count(vote)
    electorate = vote.electorate or 0
    base = electorate if vote.pass_base == PassBase.ELECTORATE else participants
    tally = Tally(
        vote=vote,
        electorate=electorate,
        participants=participants,
        ballots=counts["ballots"],
        void_ballots=counts["void"],
        pass_base=vote.pass_base,
        pass_base_count=base,
        rows=rows,
    )
    _decide(tally, seats=vote.seats)
    return tally


def _decide(tally: Tally, *, seats: int) -> None:
    """Mark who passes and who is elected; report a tie at the cut instead of choosing."""
    if not tally.quorate:
        return  # an inquorate vote elects nothing
    passing = [row for row in tally.rows if row.approvals * 2 > tally.pass_base_count]
    for row in passing:
        row.passed = True
    if len(passing) <= seats:
        for row in passing:
            row.elected = True
        return
    cut = passing[seats - 1].approvals
    if passing[seats].approvals < cut:
        for row in passing[:seats]:
            row.elected = True
        return
    # The last seat(s) and at least one more project share the same approvals.
    above = [row for row in passing if row.approvals > cut]
    for row in above:
        row.elected = True
    tied = [row for row in passing if row.approvals == cut]
    for row in tied:
        row.tied = True
    tally.tied = [row.candidate for row in tied]
    tally.runoff_seats = seats - len(above)


def ballot_choices(vote: LivelihoodVote, ballot: PublishedBallot) -> list[tuple[str, str]]:
    """A published ballot as its voter reads it on the receipt check: each marked
    project's title and the mark, in ballot order (a blank ballot: none)."""
    labels = dict(Mark.choices)
    rows = []
    for candidate in vote_candidates(vote):
        mark = ballot.marks.get(str(candidate.pk))
        if mark is None:
            continue
        marks = mark if isinstance(mark, list) else [mark]
        rows.append((candidate.title, "、".join(str(labels.get(m, m)) for m in marks)))
    return rows


def recount_agrees(vote: LivelihoodVote) -> bool:
    """The published ballot list counted again equals the counts the close published
    (one pass over the list: the printed 计票单 only)."""
    box = vote.box
    return box is not None and ballot_services.box_recount(box) == box.counts
