"""The vote's staff steps refuse, in the service itself, a user who does not run the
vote: staff of another district and a representative get the 404 of an object
outside their reach, and the vote is unchanged (the pages and the API reach these
services only through ``livelihood_votes/actions.py``, which is a second gate)."""

from __future__ import annotations

import pytest

from congress.errors import OutOfJurisdiction
from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote, VoteStatus
from tests.livelihood_votes.conftest import Cast, make_vote


@pytest.mark.parametrize("step", ["open", "close", "cancel"])
def test_a_step_by_someone_who_does_not_run_the_vote_changes_nothing(
    cast: Cast,
    district_staff: User,
    other_district_staff: User,
    representative_user: User,
    step: str,
) -> None:
    vote = make_vote(cast.world.district, district_staff)
    if step != "open":
        services.vote_open(vote=vote, by=district_staff)
    before = LivelihoodVote.objects.get(pk=vote.pk).status
    for outsider in (other_district_staff, representative_user):
        with pytest.raises(OutOfJurisdiction):
            if step == "open":
                services.vote_open(vote=vote, by=outsider)
            elif step == "close":
                services.vote_close(vote=vote, by=outsider)
            else:
                services.vote_cancel(vote=vote, by=outsider, reason="不办了")
        assert LivelihoodVote.objects.get(pk=vote.pk).status == before
    # The vote's own staff may.
    if step == "open":
        assert services.vote_open(vote=vote, by=district_staff).status == VoteStatus.OPEN
    elif step == "cancel":
        services.vote_cancel(vote=vote, by=district_staff, reason="议程调整")
        assert LivelihoodVote.objects.get(pk=vote.pk).status == VoteStatus.CANCELLED
