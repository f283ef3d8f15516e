"""The moves of a suggestion and of a co-signer, exhaustively: every action from every
status.

The expected moves are written out below from 代表法 (2025) 第五十一、五十二条 and the
filing and handling rules of docs/architecture.md ("Representatives' suggestions"), not
read from ``SUGGESTION_TRANSITIONS``: a wrong table fails here. A co-signer answers
through the named service (``signer_respond``), as the co-signer. A suggestion's moves
are checked through the engine (``apply_transition`` with the app's table): their
services need a session, departments, replies and ratings that a row put into a status
by hand does not have; tests/suggestions_formal/test_filing.py and test_handling.py
walk those services.
"""

import pytest

from congress.errors import InvalidTransition, StaleState
from congress.models import CaseEvent, User
from congress.workflow import allowed_actions, apply_transition
from suggestions.formal import services
from suggestions.formal.workflow import (
    ACTION_LABELS,
    SIGNER_TRANSITIONS,
    SUGGESTION_CASE,
    SUGGESTION_TRANSITIONS,
)
from suggestions.models.formal import SignerStatus, Suggestion, SuggestionSigner, SuggestionStatus
from tests.suggestions_formal.conftest import Cast, draft

S = SuggestionStatus
TERMINAL = {S.MERGED, S.CONVERTED, S.DECLINED, S.WITHDRAWN}
# While the lead representative still holds it (a draft, collecting co-signers, or sent
# back by the pre-session review) it may be submitted or withdrawn.
_FILING = {"submit": S.SUBMITTED, "withdraw": S.WITHDRAWN}

# status: {action: status it leads to}; every action not listed is refused there.
SUGGESTION_MOVES: dict[str, dict[str, str]] = {
    S.DRAFT: {"start_cosigning": S.CO_SIGNING, **_FILING},
    S.CO_SIGNING: {**_FILING},
    S.PRE_RETURNED: {"start_cosigning": S.CO_SIGNING, **_FILING},
    # 审查 by the congress staff: registered (a motion may be registered as a
    # suggestion), merged with another, passed on as a letter, or refused; before the
    # session the township congress may send it back for changes; the representative
    # may still withdraw it.
    S.SUBMITTED: {
        "withdraw": S.WITHDRAWN,
        "pre_return": S.PRE_RETURNED,
        "register": S.REGISTERED,
        "convert_to_suggestion": S.REGISTERED,
        "merge": S.MERGED,
        "convert_to_letter": S.CONVERTED,
        "refuse": S.DECLINED,
    },
    # 第五十一条: the staff hand it (交办) to the bodies that must study and answer it.
    S.REGISTERED: {"assign": S.HANDLING},
    # A return approved: handed to the right department, still being handled. 第五十二条:
    # the answer (答复) within three months (six with approval).
    S.HANDLING: {"reassign": S.HANDLING, "reply": S.REPLIED},
    # The signers rate the answer: 不满意 sends it back for re-handling (第五十二条), or
    # the rating is complete.
    S.REPLIED: {"send_back": S.REHANDLING, "complete_rating": S.RATED},
    S.REHANDLING: {"reply": S.REPLIED},
    # B/C answers are followed into the next year (跨年度跟踪), report after report,
    # until the item is closed.
    S.RATED: {"carry_over": S.CARRIED_OVER, "close": S.CLOSED},
    S.CARRIED_OVER: {"follow_up": S.CARRIED_OVER, "close": S.CLOSED},
    # 二次评价 by a representative group found the result wanting: 二次交办.
    S.CLOSED: {"second_assign": S.REHANDLING},
    S.MERGED: {},
    S.CONVERTED: {},
    S.DECLINED: {},
    S.WITHDRAWN: {},
}
SUGGESTION_ACTIONS = sorted({a for moves in SUGGESTION_MOVES.values() for a in moves})

# A co-signer invited by the lead confirms (附议) or declines, once.
SIGNER_MOVES: dict[str, dict[bool, str]] = {
    SignerStatus.INVITED: {True: SignerStatus.CONFIRMED, False: SignerStatus.DECLINED},
    SignerStatus.CONFIRMED: {},
    SignerStatus.DECLINED: {},
}


def test_the_tables_have_exactly_these_statuses_and_actions() -> None:
    assert set(SUGGESTION_MOVES) == set(S.values)
    assert set(SUGGESTION_TRANSITIONS) == set(SUGGESTION_ACTIONS)
    assert set(SIGNER_MOVES) == set(SignerStatus.values)
    assert set(SIGNER_TRANSITIONS) == {"confirm_cosign", "decline_cosign"}


@pytest.mark.parametrize("action", SUGGESTION_ACTIONS)
@pytest.mark.parametrize("status", list(S.values))
def test_every_suggestion_action_from_every_status(
    cast: Cast, city_staff: User, action: str, status: str
) -> None:
    suggestion = draft(cast)
    Suggestion.objects.filter(pk=suggestion.pk).update(status=status)
    suggestion.refresh_from_db()
    before = CaseEvent.objects.count()

    def move() -> CaseEvent:
        return apply_transition(
            instance=suggestion,
            transitions=SUGGESTION_TRANSITIONS,
            action=action,
            by=city_staff,
            case_type=SUGGESTION_CASE,
        )

    if action in SUGGESTION_MOVES[status]:
        target = SUGGESTION_MOVES[status][action]
        event = move()
        suggestion.refresh_from_db()
        assert suggestion.status == target
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
        assert CaseEvent.objects.count() == before + 1
    else:
        with pytest.raises(InvalidTransition):
            move()
        suggestion.refresh_from_db()
        assert suggestion.status == status
        assert CaseEvent.objects.count() == before


@pytest.mark.parametrize("confirm", [True, False], ids=["confirm_cosign", "decline_cosign"])
@pytest.mark.parametrize("status", list(SignerStatus.values))
def test_every_signer_answer_from_every_status(cast: Cast, confirm: bool, status: str) -> None:
    suggestion = draft(cast)
    Suggestion.objects.filter(pk=suggestion.pk).update(status=S.CO_SIGNING)
    suggestion.refresh_from_db()
    signer = SuggestionSigner.objects.create(
        suggestion=suggestion, representative=cast.cosigner, role="co_signer", status=status
    )
    if confirm in SIGNER_MOVES[status]:
        services.signer_respond(signer=signer, confirm=confirm, by=cast.cosigner_user)
        signer.refresh_from_db()
        assert signer.status == SIGNER_MOVES[status][confirm]
        assert signer.responded_at is not None
    else:
        with pytest.raises(InvalidTransition):
            services.signer_respond(signer=signer, confirm=confirm, by=cast.cosigner_user)
        signer.refresh_from_db()
        assert signer.status == status


def test_a_stale_instance_cannot_move(cast: Cast, city_staff: User) -> None:
    suggestion = draft(cast)
    stale = Suggestion.objects.get(pk=suggestion.pk)
    apply_transition(
        instance=suggestion,
        transitions=SUGGESTION_TRANSITIONS,
        action="submit",
        by=cast.lead_user,
        case_type=SUGGESTION_CASE,
    )
    with pytest.raises(StaleState):
        apply_transition(
            instance=stale,
            transitions=SUGGESTION_TRANSITIONS,
            action="withdraw",
            by=cast.lead_user,
            case_type=SUGGESTION_CASE,
        )


def test_every_status_is_reachable_from_a_draft() -> None:
    reached, frontier = {S.DRAFT.value}, [S.DRAFT.value]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(SUGGESTION_TRANSITIONS, status):
            target = SUGGESTION_TRANSITIONS[action][1]
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S.values)


def test_only_the_end_states_have_no_way_out() -> None:
    stuck = {s for s in S.values if not allowed_actions(SUGGESTION_TRANSITIONS, s)}
    assert stuck == {s.value for s in TERMINAL}


def test_every_action_has_words_on_the_timeline() -> None:
    assert set(SUGGESTION_TRANSITIONS) | set(SIGNER_TRANSITIONS) <= set(ACTION_LABELS)
