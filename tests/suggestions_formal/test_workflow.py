"""The transition tables, exhaustively: every action from every status."""

import pytest

from congress.errors import InvalidTransition, StaleState
from congress.models import CaseEvent, User
from congress.workflow import allowed_actions, apply_transition
from suggestions.formal.workflow import (
    ACTION_LABELS,
    SIGNER_CASE,
    SIGNER_TRANSITIONS,
    SUGGESTION_CASE,
    SUGGESTION_TRANSITIONS,
)
from suggestions.models.formal import SignerStatus, Suggestion, SuggestionSigner, SuggestionStatus
from tests.suggestions_formal.conftest import Cast, draft

S = SuggestionStatus
TERMINAL = {S.MERGED, S.CONVERTED, S.DECLINED, S.WITHDRAWN}


@pytest.mark.parametrize("action", list(SUGGESTION_TRANSITIONS))
@pytest.mark.parametrize("status", list(S.values))
def test_every_suggestion_action_from_every_status(
    cast: Cast, city_staff: User, action: str, status: str
) -> None:
    suggestion = draft(cast)
    Suggestion.objects.filter(pk=suggestion.pk).update(status=status)
    suggestion.refresh_from_db()
    sources, target = SUGGESTION_TRANSITIONS[action]
    before = CaseEvent.objects.count()
    if status in sources:
        event = apply_transition(
            instance=suggestion,
            transitions=SUGGESTION_TRANSITIONS,
            action=action,
            by=city_staff,
            case_type=SUGGESTION_CASE,
        )
        assert suggestion.status == target
        assert (event.from_status, event.to_status) == (status, target)
        assert CaseEvent.objects.count() == before + 1
    else:
        with pytest.raises(InvalidTransition):
            apply_transition(
                instance=suggestion,
                transitions=SUGGESTION_TRANSITIONS,
                action=action,
                by=city_staff,
                case_type=SUGGESTION_CASE,
            )
        suggestion.refresh_from_db()
        assert suggestion.status == status
        assert CaseEvent.objects.count() == before


@pytest.mark.parametrize("action", list(SIGNER_TRANSITIONS))
@pytest.mark.parametrize("status", list(SignerStatus.values))
def test_every_signer_action_from_every_status(cast: Cast, action: str, status: str) -> None:
    suggestion = draft(cast)
    signer = SuggestionSigner.objects.create(
        suggestion=suggestion, representative=cast.cosigner, role="co_signer", status=status
    )
    sources, target = SIGNER_TRANSITIONS[action]
    if status in sources:
        apply_transition(
            instance=signer,
            transitions=SIGNER_TRANSITIONS,
            action=action,
            by=cast.cosigner_user,
            case_type=SIGNER_CASE,
        )
        assert signer.status == target
    else:
        with pytest.raises(InvalidTransition):
            apply_transition(
                instance=signer,
                transitions=SIGNER_TRANSITIONS,
                action=action,
                by=cast.cosigner_user,
                case_type=SIGNER_CASE,
            )


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
