"""差额: a vote opens only when candidates exceed seats by 10–30 % of the seats (a
setting); a run-off of tied candidates is exempt."""

from __future__ import annotations

import pytest
from django.test import override_settings

from congress.errors import RuleViolation
from congress.models import CaseEvent, User
from livelihood_votes import services
from livelihood_votes.models import VoteStatus
from tests.livelihood_votes.conftest import Cast, make_vote


@pytest.mark.parametrize("candidates", [22, 23, 26])
def test_23_for_20_opens_and_so_do_the_edges(
    candidates: int, cast: Cast, district_staff: User
) -> None:
    vote = make_vote(cast.world.district, district_staff, candidates=candidates, seats=20)
    services.vote_open(vote=vote, by=district_staff)
    assert vote.status == VoteStatus.OPEN


@pytest.mark.parametrize("candidates", [20, 21, 27])
def test_outside_the_range_is_refused_with_the_range_in_the_message(
    candidates: int, cast: Cast, district_staff: User
) -> None:
    vote = make_vote(cast.world.district, district_staff, candidates=candidates, seats=20)
    with pytest.raises(RuleViolation) as refusal:
        services.vote_open(vote=vote, by=district_staff)
    message = str(refusal.value.message)
    assert "10%至30%" in message
    assert "22至26项" in message and f"现有{candidates}项" in message
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT and vote.electorate is None
    assert not CaseEvent.objects.filter(case_id=vote.pk, action="vote_open").exists()


@override_settings(LIVELIHOOD_VOTE_DIFFERENTIAL_MIN=20, LIVELIHOOD_VOTE_DIFFERENTIAL_MAX=50)
def test_the_range_is_a_setting(cast: Cast, district_staff: User) -> None:
    fifteen = make_vote(cast.world.district, district_staff, candidates=23, seats=20)
    with pytest.raises(RuleViolation, match="20%至50%"):
        services.vote_open(vote=fifteen, by=district_staff)
    forty = make_vote(cast.world.district, district_staff, candidates=28, seats=20)
    services.vote_open(vote=forty, by=district_staff)
    assert forty.status == VoteStatus.OPEN


def test_a_small_vote_rounds_in_the_voters_favour(cast: Cast, district_staff: User) -> None:
    # 4 seats: 10 % is 0.4 of a project, so 5 candidates (25 %) is the only choice.
    vote = make_vote(cast.world.district, district_staff, candidates=4, seats=4)
    with pytest.raises(RuleViolation, match="候选项目应为5至5项"):
        services.vote_open(vote=vote, by=district_staff)
