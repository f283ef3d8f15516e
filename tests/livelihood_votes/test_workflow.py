"""The vote's moves, exhaustively: every action from every status, through the named
services, with the event and audit rows each move writes.

The expected moves are written out here from the vote's rules (docs/architecture.md,
"The livelihood-project vote": prepared as a draft, opened once, closed once; cancelled
only before its result exists), not read from ``VOTE_TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from congress.errors import InvalidTransition, RuleViolation, StaleState
from congress.models import AuditEvent, CaseEvent, User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote, VoteStatus
from livelihood_votes.workflow import VOTE_CASE, VOTE_TRANSITIONS
from tests.livelihood_votes.conftest import Cast, make_vote
from tests.representatives.factories import RepresentativeFactory, seat

V = VoteStatus
# action: {status it may be taken from: status it leads to}; refused from any other.
MOVES: dict[str, dict[str, str]] = {
    "vote_open": {V.DRAFT: V.OPEN},
    "vote_close": {V.OPEN: V.CLOSED},
    "vote_cancel": {V.DRAFT: V.CANCELLED, V.OPEN: V.CANCELLED},
}
SERVICES: dict[str, Callable[..., LivelihoodVote]] = {
    "vote_open": services.vote_open,
    "vote_close": services.vote_close,
    "vote_cancel": services.vote_cancel,
}


def vote_in(status: str, cast: Cast, by: User) -> LivelihoodVote:
    """A vote brought to ``status`` by the services themselves."""
    vote = make_vote(cast.world.district, by)
    path = {
        V.DRAFT: [],
        V.OPEN: ["vote_open"],
        V.CLOSED: ["vote_open", "vote_close"],
        V.CANCELLED: ["vote_cancel"],
    }[status]
    for action in path:
        SERVICES[action](vote=vote, by=by)
    assert vote.status == status
    return vote


def test_the_vote_has_exactly_these_actions() -> None:
    assert set(VOTE_TRANSITIONS) == set(MOVES) == set(SERVICES)


@pytest.mark.parametrize("status", V.values)
@pytest.mark.parametrize("action", sorted(MOVES))
def test_every_action_from_every_status(
    action: str, status: str, cast: Cast, district_staff: User
) -> None:
    vote = vote_in(status, cast, district_staff)
    events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
    if status in MOVES[action]:
        target = MOVES[action][status]
        SERVICES[action](vote=vote, by=district_staff)
        assert vote.status == target
        event = CaseEvent.objects.filter(case_type=VOTE_CASE, case_id=vote.pk).latest("pk")
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
        assert event.actor == district_staff
        audit = AuditEvent.objects.filter(object_id=str(vote.pk)).latest("pk")
        assert audit.detail["action"] == action and audit.actor == district_staff
    else:
        with pytest.raises(InvalidTransition):
            SERVICES[action](vote=vote, by=district_staff)
        vote.refresh_from_db()
        assert vote.status == status
        assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


def test_opening_freezes_the_electorate_and_stamps_the_time(
    cast: Cast, district_staff: User
) -> None:
    vote = vote_in(V.DRAFT, cast, district_staff)
    assert vote.electorate is None and vote.opened_at is None
    services.vote_open(vote=vote, by=district_staff)
    assert vote.electorate == len(cast.seated) == 10
    assert vote.opened_at is not None
    # A seat won afterwards changes nothing: the halves are of the electorate at opening.
    seat(RepresentativeFactory(region=cast.world.village), cast.world.district)
    vote.refresh_from_db()
    assert vote.electorate == 10


def test_two_staff_closing_at_once_one_wins(
    cast: Cast, district_staff: User, city_staff: User
) -> None:
    vote = vote_in(V.OPEN, cast, district_staff)
    stale = LivelihoodVote.objects.get(pk=vote.pk)
    services.vote_close(vote=vote, by=district_staff)
    with pytest.raises((StaleState, InvalidTransition)):
        services.vote_close(vote=stale, by=city_staff)
    assert CaseEvent.objects.filter(case_id=vote.pk, action="vote_close").count() == 1


def test_candidates_change_only_while_a_draft(cast: Cast, district_staff: User) -> None:
    vote = vote_in(V.OPEN, cast, district_staff)
    candidate = vote.candidates.first()
    assert candidate is not None
    for attempt in (
        lambda: services.candidate_add(vote=vote, title="临时加塞项目", by=district_staff),
        lambda: services.candidate_edit(candidate=candidate, title="改名", by=district_staff),
        lambda: services.candidate_remove(candidate=candidate, by=district_staff),
    ):
        with pytest.raises(RuleViolation) as refusal:
            attempt()
        assert "筹备中" in str(refusal.value)
    assert vote.candidates.count() == 12
    assert vote.candidates.filter(title="改名").count() == 0
