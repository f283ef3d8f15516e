"""Timeline words: each case type says its own statuses and actions in its own words.

"已结束" for a vote, the suggestion's own word for its "closed", and the engine's
words for an assignment's own events, filed under whatever case they serve.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from congress.loop import ASSIGNMENT_TRANSITIONS, RESUME
from congress.models import AssignmentStatus, CaseEvent
from congress.registry import label_of
from congress.workflow import Transitions
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


# Every case type whose events a service writes, with its transition table: each action
# of the table and each status it moves to is said in words on the timeline.
def _tables() -> list[tuple[str, Transitions]]:
    from livelihood_votes.workflow import VOTE_TRANSITIONS
    from representatives import workflow as reps
    from suggestions.citizen.workflow import (
        APPOINTMENT_CASE,
        APPOINTMENT_TRANSITIONS,
        ISSUE_TRANSITIONS,
    )
    from suggestions.formal.workflow import SIGNER_CASE, SIGNER_TRANSITIONS, SUGGESTION_TRANSITIONS

    return [
        ("", ASSIGNMENT_TRANSITIONS),
        (SUGGESTION_CASE, SUGGESTION_TRANSITIONS),
        (SIGNER_CASE, SIGNER_TRANSITIONS),
        (ISSUE_CASE, ISSUE_TRANSITIONS),
        (APPOINTMENT_CASE, APPOINTMENT_TRANSITIONS),
        (VOTE_CASE, VOTE_TRANSITIONS),
        (reps.MANDATE_CASE, reps.MANDATE_TRANSITIONS),
        (reps.SHIFT_CASE, reps.SHIFT_TRANSITIONS),
        (reps.ACTIVITY_CASE, reps.ACTIVITY_TRANSITIONS),
    ]


def _unsaid(case_type: str, kind: str, key: str, *, of_assignment: bool = False) -> list[str]:
    """What is wrong with the words for one key: missing in Chinese, or untranslated."""
    problems = []
    with translation.override("zh-hans"):
        chinese = label_of(kind, key, case_type=case_type, of_assignment=of_assignment)
    with translation.override("en"):
        english = label_of(kind, key, case_type=case_type, of_assignment=of_assignment)
    if chinese == key:
        problems.append(f"{case_type or 'engine'} {kind} {key!r} has no label")
    elif english == chinese or re.search(r"[\u4e00-\u9fff]", english):
        problems.append(f"{case_type or 'engine'} {kind} {key!r} ({chinese}) has no English")
    return problems


def test_every_transition_is_said_in_both_languages() -> None:
    problems = []
    for case_type, table in _tables():
        for action, (_from, to) in table.items():
            problems += _unsaid(case_type, "action", action)
            if to != RESUME:  # back to the status before, which is itself in the table
                problems += _unsaid(case_type, "status", str(to))
    assert not problems, "\n".join(problems)


def test_a_confirmed_cosigner_reads_in_words() -> None:
    """确认附议 wrote the signer's status "confirmed", which the timeline showed raw."""
    from suggestions.formal.workflow import SIGNER_CASE
    from suggestions.models.formal import SignerStatus

    event = _event(SIGNER_CASE, "confirmed", action="confirm_cosign")
    with translation.override("zh-hans"):
        assert (event.action_label, event.to_status_label) == ("确认附议", "已确认")
    assert SignerStatus.CONFIRMED.label == "已确认"


@pytest.mark.django_db
def test_every_event_the_demo_writes_is_said_in_both_languages() -> None:
    """The demo runs every app's services (filing, handling, rating, votes, duty,
    activities, citizen problems): whatever they wrote, actions recorded without a status
    change included, has its words in Chinese and in English."""
    call_command("seed_demo", scale=0.1, stdout=io.StringIO())
    written = CaseEvent.objects.values_list(
        "case_type", "action", "to_status", "assignment_id"
    ).distinct()
    problems: set[str] = set()
    for case_type, action, to_status, assignment_id in written:
        own = assignment_id is not None
        problems.update(_unsaid(case_type, "action", action, of_assignment=own))
        if to_status:
            problems.update(_unsaid(case_type, "status", to_status, of_assignment=own))
    assert CaseEvent.objects.count() > 100
    assert not problems, "\n".join(sorted(problems))
