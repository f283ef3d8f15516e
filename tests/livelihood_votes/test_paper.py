"""In the hall: staff sign representatives in for a paper ballot, and two staff enter
every sheet (双人录入). A signed-in representative cannot also vote online; a sheet is
counted when two different people's readings agree; readings that differ are kept and
shown, and a third person settles them; nobody confirms their own reading; a counted
sheet is closed; a paper ballot with too many ticks is void, not refused; there are
never more paper ballots than were handed out; the vote does not close over sheets
still on the desk."""

from __future__ import annotations

import copy
import time
from collections import Counter
from collections.abc import Mapping

import pytest
from django.db import connection

from congress.errors import RuleViolation
from congress.models import AuditEvent, PaperReading, SealedBallot, User
from livelihood_votes import selectors, services
from livelihood_votes.errors import (
    AlreadyVoted,
    BallotBusy,
    NotAnElector,
    SheetAlreadyEntered,
    SheetCounted,
    VoteNotOpen,
)
from livelihood_votes.models import BallotForm, LivelihoodVote, Mark
from tests.factories import UserFactory, grant
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    make_vote,
    marks_cast,
    opened,
    sealed_ballots,
    second_teller,
    the_ballot,
)
from tests.livelihood_votes.test_concurrent_ballots import in_threads

COUNTED, DIFFERS, WAITING = services.SHEET_COUNTED, services.SHEET_DIFFERS, services.SHEET_WAITING


def hand_out(vote: LivelihoodVote, cast: Cast, count: int, by: User) -> None:
    for rep in cast.others[:count]:
        services.participation_sign_in(vote=vote, representative=rep, by=by)


def enter(vote: LivelihoodVote, sheet: int, choices: Mapping[int, str], by: User) -> str:
    return services.paper_sheet_enter(vote=vote, sheet=sheet, choices=choices, by=by)


# --- 签到领票 ------------------------------------------------------------------------------


def test_sign_in_and_online_are_one_vote(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.liu, by=district_staff)
    signed = AuditEvent.objects.get(detail__action="paper_sign_in")
    assert (signed.actor, signed.detail["representative"]) == (district_staff, cast.liu.pk)
    with pytest.raises(AlreadyVoted):
        services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=cast.liu.user)  # type: ignore[arg-type]
    with pytest.raises(AlreadyVoted, match="已签到领取纸质选票"):
        services.participation_sign_in(vote=open_vote, representative=cast.liu, by=district_staff)
    services.ballot_cast(vote=open_vote, representative=cast.zhang, choices={}, by=cast.zhang.user)  # type: ignore[arg-type]
    with pytest.raises(AlreadyVoted, match="已在网上投票，不能再领取纸质选票"):
        services.participation_sign_in(vote=open_vote, representative=cast.zhang, by=district_staff)
    with pytest.raises(NotAnElector):
        services.participation_sign_in(
            vote=open_vote, representative=cast.outsider, by=district_staff
        )


# --- 双人录入 ------------------------------------------------------------------------------


def test_two_matching_readings_make_the_ballot(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, city_staff: User
) -> None:
    hand_out(open_vote, cast, 2, district_staff)
    picks = approve(*candidates_of(open_vote)[:3])
    assert enter(open_vote, 1, picks, district_staff) == WAITING
    assert not sealed_ballots()  # one reading is no ballot
    assert enter(open_vote, 1, dict(reversed(picks.items())), city_staff) == COUNTED
    ballot = the_ballot()
    assert (ballot.source, ballot.sheet, ballot.void) == ("paper", 1, False)
    assert ballot.picked() == set(picks)
    assert PaperReading.objects.count() == 2
    trail = AuditEvent.objects.filter(detail__action="paper_sheet_enter")
    assert [(e.actor, e.detail["sheet"], e.detail["outcome"]) for e in trail.order_by("pk")] == [
        (district_staff, 1, WAITING),
        (city_staff, 1, COUNTED),
    ]
    # The trail names the sheet number, never the ballot's id or receipt.
    assert all(ballot.receipt not in str(e.detail) for e in trail)


def test_a_mismatch_is_flagged_and_a_third_reading_settles_it(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    city_staff: User,
    administrator: User,
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    a, b, c = candidates_of(open_vote)[:3]
    assert enter(open_vote, 1, approve(a, b), district_staff) == WAITING
    assert enter(open_vote, 1, approve(a, c), city_staff) == DIFFERS  # one misread the paper
    assert not sealed_ballots()
    progress = selectors.paper_progress(open_vote, district_staff)
    assert progress.waiting == [] and progress.counted == []
    [(sheet, readings)] = progress.differing
    assert sheet == 1
    # Who read it, not what: the desk shows nothing per project before the close.
    assert [r.teller for r in readings] == ["陈静", "周文华"]
    assert [sorted(vars(r)) for r in readings] == [["entered_at", "teller"]] * 2
    # Neither of the first two may decide it by entering again.
    with pytest.raises(SheetAlreadyEntered, match="须由另一位工作人员录入核对"):
        enter(open_vote, 1, approve(a, b), district_staff)
    # A third person reads the paper: it agrees with the first reading.
    assert enter(open_vote, 1, approve(a, b), administrator) == COUNTED
    ballot = the_ballot()
    assert ballot.picked() == {a.pk, b.pk}
    assert PaperReading.objects.count() == 3  # both readings kept
    progress = selectors.paper_progress(open_vote, district_staff)
    assert (progress.counted, progress.differing) == ([1], [])


def test_a_third_reading_that_agrees_with_neither_leaves_the_sheet_in_dispute(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    city_staff: User,
    administrator: User,
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    a, b, c = candidates_of(open_vote)[:3]
    enter(open_vote, 1, approve(a), district_staff)
    enter(open_vote, 1, approve(b), city_staff)
    assert enter(open_vote, 1, approve(c), administrator) == DIFFERS
    fourth = grant(UserFactory(username="teller4"), "staff", region=cast.world.district)  # type: ignore[arg-type]
    assert enter(open_vote, 1, approve(b), fourth) == COUNTED
    assert the_ballot().picked() == {b.pk}


def test_the_same_person_cannot_enter_a_sheet_twice(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    picks = approve(candidates_of(open_vote)[0])
    enter(open_vote, 1, picks, district_staff)
    with pytest.raises(SheetAlreadyEntered, match="您已录入过第1张选票"):
        enter(open_vote, 1, picks, district_staff)
    assert not sealed_ballots() and PaperReading.objects.count() == 1


def test_a_counted_sheet_cannot_be_entered_again(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    city_staff: User,
    administrator: User,
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    picks = approve(candidates_of(open_vote)[0])
    enter(open_vote, 1, picks, district_staff)
    enter(open_vote, 1, picks, city_staff)
    with pytest.raises(SheetCounted, match="第1张选票已计入"):
        enter(open_vote, 1, {}, administrator)
    assert len(sealed_ballots()) == 1 and PaperReading.objects.count() == 2


def test_sheet_numbers_run_to_the_ballots_handed_out(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    """There are never more paper ballots than were handed out: each is a numbered sheet,
    and the numbers stop at the count of representatives who signed in for one."""
    with pytest.raises(RuleViolation, match="已发出纸质选票0张"):
        enter(open_vote, 1, {}, district_staff)
    hand_out(open_vote, cast, 2, district_staff)
    enter(open_vote, 2, {}, district_staff)
    for sheet in (0, 3):
        with pytest.raises(RuleViolation, match="选票编号须在1至2之间"):
            enter(open_vote, sheet, {}, district_staff)
    assert PaperReading.objects.count() == 1


def test_a_paper_ballot_over_n_is_void_not_refused(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    too_many = approve(*candidates_of(open_vote)[:11])  # 11 ticks for 10 seats
    enter(open_vote, 1, too_many, district_staff)
    assert enter(open_vote, 1, too_many, second_teller(open_vote)) == COUNTED
    ballot = the_ballot()
    assert ballot.void and ballot.void_reason == "所选项目超过应选数"
    assert ballot.source == "paper" and len(ballot.marks) == 11


def test_a_blank_project_on_an_approve_oppose_abstain_sheet_reads_as_abstain(
    cast: Cast, district_staff: User
) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.PER_CANDIDATE),
        district_staff,
    )
    hand_out(vote, cast, 1, district_staff)
    first, second, *rest = candidates_of(vote)
    enter(vote, 1, {first.pk: Mark.APPROVE, second.pk: Mark.OPPOSE}, district_staff)
    explicit = {first.pk: Mark.APPROVE, second.pk: Mark.OPPOSE} | {c.pk: Mark.ABSTAIN for c in rest}
    assert enter(vote, 1, explicit, second_teller(vote)) == COUNTED
    marks = Counter(m for b in sealed_ballots() for m in b.marks.values())
    assert marks == {"approve": 1, "oppose": 1, "abstain": len(rest)}
    with pytest.raises(RuleViolation, match="无法识别"):
        enter(vote, 1, {first.pk: "maybe"}, district_staff)


def test_entries_stop_when_the_vote_closes(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    hand_out(open_vote, cast, 1, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    with pytest.raises(VoteNotOpen, match="不能录入纸质选票"):
        enter(open_vote, 1, {}, district_staff)


def test_the_vote_does_not_close_over_sheets_still_on_the_desk(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    city_staff: User,
    administrator: User,
) -> None:
    """Closing publishes the result: a sheet entered once, or with readings that
    differ, must be settled first. Sheets never entered do not stop it (a representative
    may keep the ballot rather than put it in the box)."""
    hand_out(open_vote, cast, 4, district_staff)
    a, b = candidates_of(open_vote)[:2]
    enter(open_vote, 1, approve(a), district_staff)
    enter(open_vote, 1, approve(a), city_staff)  # counted
    enter(open_vote, 2, approve(a), district_staff)  # once
    enter(open_vote, 3, approve(a), district_staff)
    enter(open_vote, 3, approve(b), city_staff)  # differs
    with pytest.raises(RuleViolation, match="还有2张纸质选票未完成双人录入（第2、3张）"):
        services.vote_close(vote=open_vote, by=district_staff)
    open_vote.refresh_from_db()
    assert open_vote.status == "open"
    enter(open_vote, 2, approve(a), city_staff)
    enter(open_vote, 3, approve(b), administrator)
    services.vote_close(vote=open_vote, by=district_staff)  # sheet 4 never came out of the box
    tally = selectors.vote_tally(open_vote)
    assert (tally.participants, tally.ballots) == (4, 3)


def test_the_progress_hides_a_single_reading(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, city_staff: User
) -> None:
    """The second reader must read the paper, not the screen: a sheet entered once shows
    its number only, and the first sheet a reader has not entered is the form's default."""
    hand_out(open_vote, cast, 3, district_staff)
    enter(open_vote, 1, approve(candidates_of(open_vote)[0]), district_staff)
    mine = selectors.paper_progress(open_vote, district_staff)
    theirs = selectors.paper_progress(open_vote, city_staff)
    assert mine.waiting == theirs.waiting == [1] and mine.differing == []
    assert (mine.next_sheet(), theirs.next_sheet()) == (2, 1)
    assert (mine.counts.handed_out, mine.counts.counted, mine.counts.remaining) == (3, 0, 3)


# --- at the same instant ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_second_readings_at_the_same_instant_make_one_ballot(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    """Staff B and C confirm staff A's reading of sheet 1 at the same instant (and B
    clicks twice): one ballot; the others are told the sheet is counted, or that they
    entered it already. On PostgreSQL the vote-row lock and the unique (vote, sheet) on
    the ballot decide; SQLite takes one writer at a time (a busy one retries)."""
    hand_out(open_vote, cast, 1, district_staff)
    picks = approve(*candidates_of(open_vote)[:2])
    enter(open_vote, 1, picks, district_staff)
    b = grant(UserFactory(username="teller_b"), "staff", region=cast.world.district)  # type: ignore[arg-type]
    c = grant(UserFactory(username="teller_c"), "staff", region=cast.world.district)  # type: ignore[arg-type]
    tellers = [b, c] * 5  # ten submits: B's and C's, each clicked five times

    def submit(n: int) -> str:
        vote = copy.copy(open_vote)
        for _ in range(200):
            try:
                return enter(vote, 1, picks, tellers[n])
            except BallotBusy:
                time.sleep(0.005)  # the voter submits again a moment later
                continue
            except (SheetCounted, SheetAlreadyEntered) as refusal:
                return type(refusal).__name__
        return "busy"

    outcomes = Counter(in_threads(submit, len(tellers)))
    assert outcomes[COUNTED] == 1, outcomes
    assert set(outcomes) <= {COUNTED, "SheetCounted", "SheetAlreadyEntered"}, outcomes
    assert len(sealed_ballots(open_vote)) == 1
    assert marks_cast() == 2
    # A's reading and the one that counted the sheet; no entry outlived its refusal.
    assert PaperReading.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_first_readings_at_the_same_instant_still_count_the_sheet(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, city_staff: User
) -> None:
    """A and B type the same sheet at the same instant: each must see the other's
    reading, or both would be stored as "first" and the sheet never counted."""
    hand_out(open_vote, cast, 1, district_staff)
    picks = approve(candidates_of(open_vote)[0])
    tellers = [district_staff, city_staff]

    def submit(n: int) -> str:
        vote = copy.copy(open_vote)
        for _ in range(200):
            try:
                return enter(vote, 1, picks, tellers[n])
            except BallotBusy:
                time.sleep(0.005)  # the voter submits again a moment later
                continue
        return "busy"

    for _round in range(3 if connection.vendor == "postgresql" else 1):
        PaperReading.objects.all().delete()
        SealedBallot.objects.all().delete()
        assert sorted(in_threads(submit, 2)) == [COUNTED, WAITING]
        assert SealedBallot.objects.filter(box=open_vote.box_id, sheet=1).count() == 1
