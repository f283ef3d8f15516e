"""In the hall: staff sign representatives in for a paper ballot and enter the ballots.
A signed-in representative cannot also vote online; a paper ballot with too many ticks
is void, not refused; there are never more paper ballots than were handed out."""

from __future__ import annotations

import pytest

from congress.errors import RuleViolation
from congress.models import AuditEvent, User
from livelihood_votes import services
from livelihood_votes.errors import AlreadyVoted, NotAnElector, VoteNotOpen
from livelihood_votes.models import Ballot, LivelihoodVote
from tests.livelihood_votes.conftest import Cast, approve, candidates_of


def test_sign_in_and_online_are_one_vote(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.liu, by=district_staff)
    with pytest.raises(AlreadyVoted):
        services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=cast.liu.user)  # type: ignore[arg-type]
    services.ballot_cast(vote=open_vote, representative=cast.zhang, choices={}, by=cast.zhang.user)  # type: ignore[arg-type]
    with pytest.raises(AlreadyVoted, match="已投票或已领取纸质选票"):
        services.participation_sign_in(vote=open_vote, representative=cast.zhang, by=district_staff)
    with pytest.raises(NotAnElector):
        services.participation_sign_in(
            vote=open_vote, representative=cast.outsider, by=district_staff
        )


def test_a_paper_ballot_over_n_is_void(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    ballot = services.paper_ballot_enter(
        vote=open_vote, choices=approve(*candidates_of(open_vote)[:11]), by=district_staff
    )
    assert (
        ballot.void and ballot.void_reason == "赞成项目超过应选项目数" and ballot.source == "paper"
    )
    audit = AuditEvent.objects.filter(detail__action="paper_ballot_enter").get()
    assert str(ballot.pk) not in str(audit.detail) and ballot.receipt not in str(audit.detail)


def test_no_more_paper_ballots_than_were_handed_out(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    services.paper_ballot_enter(vote=open_vote, choices={}, by=district_staff)
    with pytest.raises(RuleViolation, match="已等于领票人数"):
        services.paper_ballot_enter(vote=open_vote, choices={}, by=district_staff)
    assert Ballot.objects.count() == 1


def test_paper_ballots_are_entered_before_the_close(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    with pytest.raises(VoteNotOpen):
        services.paper_ballot_enter(vote=open_vote, choices={}, by=district_staff)
