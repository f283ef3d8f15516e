"""Who may move a representative's suggestion (代表建议) how, per person and per state,
written here by hand from 代表法 第51–52条 and the local rules (docs/architecture.md,
"Representatives' suggestions" and "Who sees what"), not read from the action table or
the transition table.

The rules:

- 领衔代表 (刘红) submits her draft and may withdraw it until it is registered; she
  rates the department's reply (测评; here she is the only signer, so her rating
  completes it).
- 人大工作人员 of the congress it is filed to (江海市: 周文华) review it (立案 or 不予立案),
  hand it to a department (交办) and may end the rating (结束测评). Staff of a district
  below (陈静, 海州区) or beside it (李强, 临江区) do not review a city suggestion.
- The lead department's clerk (赵磊, 海州区交通运输局) signs for it (签收) and then replies.
- Nobody else moves it: another representative (张伟, 孙悦), another department's clerk.

Each state is built once through the real services; each cell takes the step through
its declaration's runner as the API's ``actions/<name>/`` route does (a persona who
does not see the suggestion is refused before it, 404), so the services' own checks of
who acts and when are what is tested. An allowed cell must leave the stated status and
is then undone; a refused cell must raise and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from congress.errors import DomainError
from congress.models import Assignment, CaseEvent, User
from suggestions.formal import services
from suggestions.formal.actions import ASSIGNMENT_ACTIONS, SUGGESTION_ACTIONS, viewer_of
from suggestions.formal.selectors import lead_assignment_of, visible_suggestions
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import Suggestion, SuggestionRating
from tests.conftest import World
from tests.persona_matrix import walk
from tests.suggestions_formal.conftest import Cast, Clock, assigned, draft, registered

PERSONAS = (
    "lead",
    "cosigner",
    "outsider",
    "city_staff",
    "district_staff",
    "other_district_staff",
    "clerk",
    "city_clerk",
    "other_clerk",
)


@dataclass
class People:
    cast: Cast
    world: World
    users: dict[str, User]

    @property
    def staff(self) -> User:
        return self.users["city_staff"]

    @property
    def clerk(self) -> User:
        return self.users["clerk"]


@pytest.fixture
def people(
    clock: Clock,
    cast: Cast,
    world: World,
    city_staff: User,
    district_staff: User,
    other_district_staff: User,
    clerk: User,
    other_clerk: User,
) -> People:
    users = {
        "lead": cast.lead_user,
        "cosigner": cast.cosigner_user,
        "outsider": cast.outsider_user,
        "city_staff": city_staff,
        "district_staff": district_staff,
        "other_district_staff": other_district_staff,
        "clerk": clerk,
        "city_clerk": cast.city_clerk,
        "other_clerk": other_clerk,
    }
    return People(cast, world, users)


# --- the steps, each through its declaration's runner with valid input --------------------

Step = Callable[[People, Suggestion, User], Any]


def _on_suggestion(name: str, **data: Any) -> Step:
    def take(p: People, suggestion: Suggestion, user: User) -> Any:
        return SUGGESTION_ACTIONS[name].run(viewer_of(user, suggestion), data)

    return take


def _on_lead_assignment(name: str, **data: Any) -> Step:
    def take(p: People, suggestion: Suggestion, user: User) -> Any:
        assignment = lead_assignment_of(suggestion)
        if assignment is None:
            raise Http404  # no department's step to take a step on
        return ASSIGNMENT_ACTIONS[name].run(viewer_of(user, suggestion), assignment, data)

    return take


def _assign(p: People, suggestion: Suggestion, user: User) -> Any:
    data = {"lead_department": p.world.department, "co_handlers": [], "note": "", "version": None}
    return SUGGESTION_ACTIONS["assign"].run(viewer_of(user, suggestion), data)


STEPS: dict[str, Step] = {
    "submit": _on_suggestion("submit", version=None),
    "withdraw": _on_suggestion("withdraw", note="情况已变化"),
    "register": _on_suggestion("review", decision="register", note="", merge_into=None),
    "refuse": _on_suggestion("review", decision="refuse", note="不属于本级职权", merge_into=None),
    "assign": _assign,
    "sign_for": _on_lead_assignment("accept", version=None),
    "reply": _on_lead_assignment(
        "reply",
        category="A",
        text="已新增两条公交线路并加密班次。",
        signing_official="交通运输局局长",
        attachments=[],
        version=None,
    ),
    "rate": _on_suggestion("rate", attitude="satisfied", result="satisfied", comment=""),
    "close_rating": _on_suggestion("close_rating", note=""),
}


# --- the states, each reached through the services ---------------------------------------


def drafted(p: People) -> Suggestion:
    return draft(p.cast)


def submitted(p: People) -> Suggestion:
    suggestion = draft(p.cast)
    services.suggestion_submit(suggestion=suggestion, by=p.cast.lead_user)
    return suggestion


def registered_(p: People) -> Suggestion:
    return registered(p.cast, p.staff)


def handed_over(p: People) -> Suggestion:
    return assigned(p.cast, p.staff, p.world)


def signed_for(p: People) -> Suggestion:
    suggestion = assigned(p.cast, p.staff, p.world)
    lead = lead_assignment_of(suggestion)
    assert lead is not None
    services.handling_accept(assignment=lead, by=p.clerk)
    return suggestion


def replied(p: People) -> Suggestion:
    suggestion = signed_for(p)
    services.suggestion_reply(
        suggestion=suggestion,
        category="A",
        text="已新增两条公交线路。",
        signing_official="交通运输局局长",
        by=p.clerk,
    )
    return suggestion


def closed(p: People) -> Suggestion:
    suggestion = replied(p)
    services.suggestion_close_rating(suggestion=suggestion, by=p.staff)
    return suggestion


def withdrawn(p: People) -> Suggestion:
    suggestion = submitted(p)
    services.suggestion_withdraw(suggestion=suggestion, by=p.cast.lead_user)
    return suggestion


def declined(p: People) -> Suggestion:
    suggestion = submitted(p)
    services.suggestion_review(
        suggestion=suggestion, decision="refuse", note="不属于本级职权", by=p.staff
    )
    return suggestion


# --- the matrix: state → persona → {step: resulting status}; the rest are refused ---------

MATRIX: list[tuple[Callable[[People], Suggestion], str, dict[str, dict[str, str]]]] = [
    (drafted, "draft", {"lead": {"submit": "submitted", "withdraw": "withdrawn"}}),
    (
        submitted,
        "submitted",
        {
            "lead": {"withdraw": "withdrawn"},
            "city_staff": {"register": "registered", "refuse": "declined"},
        },
    ),
    (registered_, "registered", {"city_staff": {"assign": "handling"}}),
    (handed_over, "handling", {"clerk": {"sign_for": "handling"}}),
    (signed_for, "handling", {"clerk": {"reply": "replied"}}),
    (
        replied,
        "replied",
        # An A reply (已解决) rated, or its rating ended, is 办结 at once; B and C
        # replies go on to 跨年度跟踪 instead.
        {"lead": {"rate": "closed"}, "city_staff": {"close_rating": "closed"}},
    ),
    (closed, "closed", {}),
    (withdrawn, "withdrawn", {}),
    (declined, "declined", {}),
]

REFUSED = (DomainError, PermissionDenied, Http404)


def _snapshot(suggestion: Suggestion) -> tuple[Any, ...]:
    row = Suggestion.objects.get(pk=suggestion.pk)
    steps = Assignment.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    events = CaseEvent.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    return (
        row.status,
        row.version,
        sorted(steps.values_list("pk", "status")),
        events.count(),
        SuggestionRating.objects.filter(reply__suggestion=row).count(),
        row.replies.count(),
    )


def _take(p: People, suggestion: Suggestion, name: str, user: User) -> str:
    # The API's route: a suggestion the persona does not see is a 404 before any step.
    fresh = visible_suggestions(user).filter(pk=suggestion.pk).first()
    if fresh is None:
        raise Http404
    STEPS[name](p, fresh, user)
    return Suggestion.objects.get(pk=suggestion.pk).status


@pytest.mark.parametrize(
    ("build", "status", "expected"), MATRIX, ids=[row[0].__name__ for row in MATRIX]
)
def test_who_may_move_a_suggestion_in_each_state(
    people: People,
    build: Callable[[People], Suggestion],
    status: str,
    expected: dict[str, dict[str, str]],
) -> None:
    suggestion = build(people)
    assert _snapshot(suggestion)[0] == status
    walk(
        users=people.users,
        actions=STEPS,
        expected=expected,
        status=status,
        take=lambda name, user: _take(people, suggestion, name, user),
        snapshot=lambda: _snapshot(suggestion),
        refused=REFUSED,
    )
