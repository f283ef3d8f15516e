"""The ballot: what each ballot form accepts, who may cast one, and when. A refused
ballot writes nothing at all."""

from __future__ import annotations

import pytest

from congress.errors import RuleViolation
from congress.models import AuditEvent, CaseEvent, User
from livelihood_votes import services
from livelihood_votes.errors import AlreadyVoted, NotAnElector, VoteNotOpen
from livelihood_votes.models import BallotForm, LivelihoodVote, Mark
from representatives.models import MandateStatus
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    make_vote,
    marks_cast,
    opened,
    sealed_ballots,
    the_ballot,
    voted,
)


def _nothing_written() -> None:
    assert (voted().count(), len(sealed_ballots()), marks_cast()) == (
        0,
        0,
        0,
    )


def cast_as(rep: object, vote: LivelihoodVote, choices: dict[int, str]) -> str:
    return services.ballot_cast(
        vote=vote,
        representative=rep,  # type: ignore[arg-type]
        choices=choices,
        by=rep.user,  # type: ignore[attr-defined]
    )


def test_up_to_n_takes_any_number_up_to_the_seats(cast: Cast, open_vote: LivelihoodVote) -> None:
    options = candidates_of(open_vote)
    receipt = cast_as(cast.liu, open_vote, approve(*options[:10]))
    assert len(receipt) == 14 and receipt.count("-") == 2
    ballot = the_ballot()
    assert ballot.receipt == receipt and not ballot.void and ballot.source == "online"
    assert ballot.count(Mark.APPROVE) == 10
    assert voted().get().voter == cast.liu.pk
    # Fewer than N, even none at all, is a valid ballot.
    cast_as(cast.zhang, open_vote, {})
    assert len(sealed_ballots()) == 2


def test_more_than_n_is_refused_before_anything_is_saved(
    cast: Cast, open_vote: LivelihoodVote
) -> None:
    with pytest.raises(RuleViolation, match="您选了11项，最多可选10项，请取消1项"):
        cast_as(cast.liu, open_vote, approve(*candidates_of(open_vote)[:11]))
    _nothing_written()
    # The representative may still vote properly afterwards.
    cast_as(cast.liu, open_vote, approve(*candidates_of(open_vote)[:3]))


def test_exactly_n_refuses_any_other_count(cast: Cast, district_staff: User) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.EXACTLY_N),
        district_staff,
    )
    options = candidates_of(vote)
    for count, fix in ((1, "请再选9项"), (9, "请再选1项"), (11, "请取消1项")):
        with pytest.raises(RuleViolation, match=f"您选了{count}项，须正好选10项，{fix}"):
            cast_as(cast.liu, vote, approve(*options[:count]))
    _nothing_written()
    cast_as(cast.liu, vote, approve(*options[:10]))
    # An empty ballot is no mistake to correct: it is cast, and counted as blank.
    cast_as(cast.zhang, vote, {})
    assert sorted(len(b.marks) for b in sealed_ballots()) == [0, 10]


def test_per_candidate_needs_one_mark_for_every_project(cast: Cast, district_staff: User) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.PER_CANDIDATE),
        district_staff,
    )
    options = candidates_of(vote)
    partial = {c.pk: Mark.APPROVE for c in options[:11]}
    with pytest.raises(RuleViolation, match="还有1个项目没有表态"):
        cast_as(cast.liu, vote, partial)
    with pytest.raises(RuleViolation, match="无法识别"):
        cast_as(cast.liu, vote, {**partial, options[11].pk: "maybe"})
    _nothing_written()
    marks = {c.pk: [Mark.APPROVE, Mark.OPPOSE, Mark.ABSTAIN][n % 3] for n, c in enumerate(options)}
    cast_as(cast.liu, vote, marks)
    assert marks_cast() == 12
    assert marks_cast(Mark.OPPOSE) == 4


def test_select_forms_take_approvals_only(cast: Cast, open_vote: LivelihoodVote) -> None:
    first = candidates_of(open_vote)[0]
    with pytest.raises(RuleViolation, match="只需勾选赞成"):
        cast_as(cast.liu, open_vote, {first.pk: Mark.OPPOSE})
    _nothing_written()


def test_a_project_of_another_vote_is_refused(
    cast: Cast, open_vote: LivelihoodVote, other_vote: LivelihoodVote
) -> None:
    with pytest.raises(RuleViolation, match="不属于本次"):
        cast_as(cast.liu, open_vote, approve(candidates_of(other_vote)[0]))
    _nothing_written()


def test_a_second_ballot_is_refused_and_writes_nothing(
    cast: Cast, open_vote: LivelihoodVote
) -> None:
    options = candidates_of(open_vote)
    cast_as(cast.liu, open_vote, approve(*options[:2]))
    before = (len(sealed_ballots()), marks_cast())
    with pytest.raises(AlreadyVoted) as refusal:
        cast_as(cast.liu, open_vote, approve(*options[5:9]))
    assert str(refusal.value.message) == "您已投过票，每位代表只能投一次。"
    assert refusal.value.status == 409
    assert (len(sealed_ballots()), marks_cast()) == before
    assert voted().count() == 1


def test_only_representatives_of_that_congress_vote(cast: Cast, open_vote: LivelihoodVote) -> None:
    with pytest.raises(NotAnElector):
        cast_as(cast.outsider, open_vote, {})
    _nothing_written()


def test_the_electorate_is_frozen_when_the_vote_opens(cast: Cast, district_staff: User) -> None:
    """A seat that ended before the vote opened is no vote; one that ends while the
    vote is open changes nothing (the electorate, and so the quorum, was fixed)."""
    cast.liu.mandates.update(status=MandateStatus.TERMINATED)
    vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    with pytest.raises(NotAnElector):
        cast_as(cast.liu, vote, {})
    _nothing_written()
    cast.zhang.mandates.update(status=MandateStatus.TERMINATED)
    cast_as(cast.zhang, vote, {})
    assert vote.electorate == 9 and voted(vote).count() == 1


def test_nobody_votes_for_someone_else(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    with pytest.raises(NotAnElector):
        services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=district_staff)
    with pytest.raises(NotAnElector):  # 张伟's login casting 刘红's ballot
        services.ballot_cast(
            vote=open_vote, representative=cast.liu, choices={}, by=cast.zhang.user
        )  # type: ignore[arg-type]
    _nothing_written()


@pytest.mark.parametrize("moves", [[], ["vote_close"], ["vote_cancel"]])
def test_only_an_open_vote_takes_ballots(
    moves: list[str], cast: Cast, district_staff: User
) -> None:
    vote = make_vote(cast.world.district, district_staff)
    if moves:
        services.vote_open(vote=vote, by=district_staff)
        getattr(services, moves[0])(vote=vote, by=district_staff)
    with pytest.raises(VoteNotOpen):
        cast_as(cast.liu, vote, {})
    _nothing_written()


def test_a_stale_open_vote_in_memory_is_checked_in_the_database(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    page_copy = LivelihoodVote.objects.get(pk=open_vote.pk)  # the ballot page was loaded…
    services.vote_close(vote=open_vote, by=district_staff)  # …and then the vote closed
    with pytest.raises(VoteNotOpen):
        cast_as(cast.liu, page_copy, {})
    _nothing_written()


def test_casting_writes_no_event_and_no_audit_row(cast: Cast, open_vote: LivelihoodVote) -> None:
    events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
    cast_as(cast.liu, open_vote, approve(*candidates_of(open_vote)[:4]))
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
