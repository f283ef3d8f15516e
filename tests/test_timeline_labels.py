"""Timeline words: each case type says its own statuses and actions in its own words.

"已结束" for a vote, the suggestion's own word for its "closed", and the engine's
words for an assignment's own events, filed under whatever case they serve.
"""

from __future__ import annotations

from congress.models import AssignmentStatus, CaseEvent
from livelihood_votes.models import VoteStatus
from livelihood_votes.workflow import VOTE_CASE
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.citizen import IssueStatus
from suggestions.models.formal import SuggestionStatus


def _event(case_type: str, to_status: str, action: str = "x", **kwargs: object) -> CaseEvent:
    return CaseEvent(case_type=case_type, case_id=1, action=action, to_status=to_status, **kwargs)


def test_the_same_status_word_is_said_by_its_own_app() -> None:
    assert _event(VOTE_CASE, "closed").to_status_label == VoteStatus.CLOSED.label
    assert _event(SUGGESTION_CASE, "closed").to_status_label == SuggestionStatus.CLOSED.label
    assert _event(ISSUE_CASE, "closed").to_status_label == IssueStatus.CLOSED.label
    assert VoteStatus.CLOSED.label != SuggestionStatus.CLOSED.label
    # One global table said a citizen's accepted problem was "已签收" (the
    # department's word) on the citizen's own tracking page.
    assert _event(ISSUE_CASE, "accepted").to_status_label == IssueStatus.ACCEPTED.label == "已受理"


def test_an_assignments_own_event_is_said_in_the_engines_words() -> None:
    event = _event(ISSUE_CASE, "accepted", action="accept", assignment_id=5)
    assert event.to_status_label == AssignmentStatus.ACCEPTED.label


def test_an_unknown_word_is_shown_as_it_is() -> None:
    event = _event("some.case", "weird", action="made_up")
    assert (event.action_label, event.to_status_label) == ("made_up", "weird")
