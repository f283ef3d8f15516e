"""The side lines of a representative's suggestion, per person and per state, written
here by hand from 代表法 第51–52条 and the local rules (docs/architecture.md,
"Representatives' suggestions"), as the main line is in test_persona_matrix.py:

- 附议 (co-signing): while signatures are collected, only an invited representative
  answers (确认 or 谢绝), and the lead cannot submit until nobody is left to answer; the
  lead may still withdraw. Once all have answered, the lead submits.
- 并案 (merge): at review the city's staff may merge a suggestion into another one
  already registered, as they may register or refuse it.
- 退回与重新交办 (return and re-assignment): a department that was handed a
  suggestion it should not handle asks for its return; the staff decide, and after an
  approved return hand it to another department. Nobody else moves it meanwhile.
- 不满意 (unsatisfied): the lead's unsatisfied rating sends the reply back; the same
  department replies again.
- 跨年度跟踪 (carried over): a B reply, once rated, is tracked into the next year as a
  new handover the department signs for; its follow-up report closes the suggestion
  when the problem is solved (A) and keeps it tracked otherwise (B).
- 二次评价 (a representative group's second evaluation): recorded by staff on an
  answered suggestion; found unsatisfied on a closed one, it is handed over again.

Each state is built through the real services, each cell taken through its
declaration's runner as the API's ``actions/<name>/`` route does; an allowed cell must
leave the stated status and is undone, a refused one must raise and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from congress.models import User
from suggestions.formal import services
from suggestions.formal.actions import SUGGESTION_ACTIONS, viewer_of
from suggestions.formal.selectors import lead_assignment_of, visible_suggestions
from suggestions.models.formal import Suggestion
from tests.persona_matrix import SAME, walk
from tests.suggestions_formal.conftest import assigned, draft, registered
from tests.suggestions_formal.test_persona_matrix import (  # noqa: F401 - the fixture
    REFUSED,
    STEPS,
    People,
    Step,
    _on_lead_assignment,
    _on_suggestion,
    _snapshot,
    people,
)

# The suggestion a merge goes into: registered before each walk (so that an undone
# cell does not take it away), found by its title.
TARGET = "关于新增公交线路的建议"


def _merge(p: People, suggestion: Suggestion, user: User) -> Any:
    target = Suggestion.objects.get(title=TARGET)
    data = {"decision": "merge", "note": "与已立案的建议内容相同", "merge_into": target}
    return SUGGESTION_ACTIONS["review"].run(viewer_of(user, suggestion), data)


def _reassign(p: People, suggestion: Suggestion, user: User) -> Any:
    data = {"department": p.world.city_department, "note": "改由市级部门办理"}
    return SUGGESTION_ACTIONS["reassign"].run(viewer_of(user, suggestion), data)


def _second_evaluation(p: People, suggestion: Suggestion, user: User) -> Any:
    data = {
        "group": p.cast.group,
        "held_on": timezone.localdate(),
        "participants": 8,
        "result": "unsatisfied",
        "comment": "线路开通后班次仍然不足。",
    }
    return SUGGESTION_ACTIONS["group_evaluation"].run(viewer_of(user, suggestion), data)


def _follow_up(category: str) -> Step:
    return _on_lead_assignment(
        "follow_up",
        category=category,
        text="新增线路已开通，班次加密至10分钟一班。",
        signing_official="交通运输局局长",
        attachments=[],
        version=None,
    )


SIDE_STEPS: dict[str, Step] = {
    **STEPS,
    "cosign_confirm": _on_suggestion("cosign", answer="confirm"),
    "cosign_decline": _on_suggestion("cosign", answer="decline"),
    "merge": _merge,
    "request_return": _on_lead_assignment(
        "request_return", reason="不属于本单位职责，应由市交通运输局办理", version=None
    ),
    "decide_return": _on_lead_assignment("decide_return", approve=True, note="同意退回"),
    "reassign": _reassign,
    "rate_unsatisfied": _on_suggestion(
        "rate", attitude="unsatisfied", result="unsatisfied", comment="问题没有解决"
    ),
    "follow_up_solved": _follow_up("A"),
    "follow_up_again": _follow_up("B"),
    "second_evaluation": _second_evaluation,
}


# --- the states ---------------------------------------------------------------------------


def co_signing(p: People) -> Suggestion:
    suggestion = draft(p.cast)
    lead = p.cast.lead_user
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[p.cast.cosigner], by=lead
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=lead)
    return suggestion


def co_signed(p: People) -> Suggestion:
    suggestion = co_signing(p)
    signer = suggestion.signers.get(representative=p.cast.cosigner)
    services.signer_respond(signer=signer, confirm=True, by=p.cast.cosigner_user)
    return suggestion


def submitted(p: People) -> Suggestion:
    suggestion = draft(p.cast, title="关于加密城区公交班次的建议")
    services.suggestion_submit(suggestion=suggestion, by=p.cast.lead_user)
    return suggestion


def return_asked(p: People) -> Suggestion:
    suggestion = assigned(p.cast, p.staff, p.world)
    lead = lead_assignment_of(suggestion)
    assert lead is not None
    services.handling_request_return(assignment=lead, by=p.clerk, reason="不属于本单位职责")
    return suggestion


def returned(p: People) -> Suggestion:
    suggestion = return_asked(p)
    lead = lead_assignment_of(suggestion)
    assert lead is not None
    services.handling_decide_return(assignment=lead, approve=True, by=p.staff)
    return suggestion


def _replied(p: People, category: str) -> Suggestion:
    suggestion = assigned(p.cast, p.staff, p.world)
    lead = lead_assignment_of(suggestion)
    assert lead is not None
    services.handling_accept(assignment=lead, by=p.clerk)
    services.suggestion_reply(
        suggestion=suggestion,
        category=category,
        text="已新增两条公交线路。" if category == "A" else "已列入明年公交线网优化计划。",
        signing_official="交通运输局局长",
        by=p.clerk,
    )
    return suggestion


def replied(p: People) -> Suggestion:
    return _replied(p, "A")


def rehandling(p: People) -> Suggestion:
    suggestion = replied(p)
    services.suggestion_rate(
        suggestion=suggestion,
        representative=p.cast.lead,
        attitude="unsatisfied",
        result="unsatisfied",
        comment="问题没有解决",
        by=p.cast.lead_user,
    )
    return suggestion


def carried_over(p: People) -> Suggestion:
    suggestion = _replied(p, "B")
    services.suggestion_rate(
        suggestion=suggestion,
        representative=p.cast.lead,
        attitude="satisfied",
        result="satisfied",
        comment="",
        by=p.cast.lead_user,
    )
    return suggestion


def tracked(p: People) -> Suggestion:
    suggestion = carried_over(p)
    tracking = lead_assignment_of(suggestion)
    assert tracking is not None
    services.handling_accept(assignment=tracking, by=p.clerk)
    return suggestion


def closed(p: People) -> Suggestion:
    suggestion = replied(p)
    services.suggestion_close_rating(suggestion=suggestion, by=p.staff)
    return suggestion


# --- the matrix: state → persona → {step: resulting status}; the rest are refused ---------

MATRIX: list[tuple[Callable[[People], Suggestion], str, dict[str, dict[str, str]]]] = [
    (
        co_signing,
        "co_signing",
        {
            "lead": {"withdraw": "withdrawn"},
            "cosigner": {"cosign_confirm": SAME, "cosign_decline": SAME},
        },
    ),
    (co_signed, "co_signing", {"lead": {"submit": "submitted", "withdraw": "withdrawn"}}),
    (
        submitted,
        "submitted",
        {
            "lead": {"withdraw": "withdrawn"},
            "city_staff": {"register": "registered", "refuse": "declined", "merge": "merged"},
        },
    ),
    (return_asked, "handling", {"city_staff": {"decide_return": SAME}}),
    (returned, "handling", {"city_staff": {"reassign": SAME}}),
    (
        replied,
        "replied",
        {
            "lead": {"rate": "closed", "rate_unsatisfied": "rehandling"},
            "city_staff": {"close_rating": "closed", "second_evaluation": SAME},
        },
    ),
    (
        rehandling,
        "rehandling",
        {"clerk": {"reply": "replied"}, "city_staff": {"second_evaluation": SAME}},
    ),
    (
        carried_over,
        "carried_over",
        {
            # The year's tracking is a new handover: the department signs for it first.
            "clerk": {"sign_for": SAME},
            "city_staff": {"second_evaluation": SAME},
        },
    ),
    (
        tracked,
        "carried_over",
        {
            "clerk": {"follow_up_solved": "closed", "follow_up_again": "carried_over"},
            "city_staff": {"second_evaluation": SAME},
        },
    ),
    (closed, "closed", {"city_staff": {"second_evaluation": "rehandling"}}),
]


@pytest.mark.parametrize(
    ("build", "status", "expected"), MATRIX, ids=[row[0].__name__ for row in MATRIX]
)
def test_who_may_take_a_side_line_in_each_state(
    people: People,  # noqa: F811
    build: Callable[[People], Suggestion],
    status: str,
    expected: dict[str, dict[str, str]],
) -> None:
    registered(people.cast, people.staff, title=TARGET)
    suggestion = build(people)
    assert _snapshot(suggestion)[0] == status
    walk(
        users=people.users,
        actions=SIDE_STEPS,
        expected=expected,
        status=status,
        take=lambda name, user: _take_side(people, suggestion, name, user),
        snapshot=lambda: _snapshot(suggestion),
        refused=REFUSED,
    )


def _take_side(p: People, suggestion: Suggestion, name: str, user: User) -> str:
    # The API's route: a suggestion the persona does not see is a 404 before any step.
    fresh = visible_suggestions(user).filter(pk=suggestion.pk).first()
    if fresh is None:
        raise Http404
    SIDE_STEPS[name](p, fresh, user)
    return Suggestion.objects.get(pk=suggestion.pk).status
