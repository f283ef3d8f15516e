"""Who may take which step on a citizen's problem (码上办), per person and per state,
written here by hand from the channel's rules (docs/architecture.md, "Citizens'
problems and appointments" and "Who sees what"), not read from the action table or
the transition table.

The rules:

- 人大工作人员 of the problem's district (and the city's above it) review what the
  content check held back (审核通过 / 屏蔽), accept it (受理, which hands it to the
  addressed, the grid's or the station's representative at once) or decline it, give
  it to a representative (分派/改派), merge it into the same problem, and may do
  whatever the handling representative may; they decide a department's request to
  return it or for more time; in any state they may hide it from the station's public
  board (or show it again) and restrict the phone number that sent it.
- The representative the citizen wrote to (刘红) may accept or decline it; once she
  handles it she answers the citizen, hands it to a department (交办, once: not while
  a department still holds it), merges or converts it into a suggestion; when the
  department has replied she reports back to the citizen or sends it back to the
  department; after the citizen was answered she records a return visit (回访).
- The department's clerk (赵磊, 海州区交通运输局) acts only on their department's step
  while the problem is with departments: 签收, then reply, report progress, ask for
  more time; ask to return it before replying.
- Nobody else acts: another district's staff, another representative, another
  department's clerk.
- The citizen rates through the tracking link (not in this table).

Each state is built once through the real services; each cell takes the action
through the declaration's one entry point (``actions.take``, as the API does) as that
persona: an allowed cell must succeed and leave the stated status (then it is undone,
so the next cell starts from the same state); a refused cell must be refused and change
nothing (``tests/persona_matrix.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from congress import loop
from congress.errors import InvalidTransition
from congress.models import Assignment, CaseEvent, User
from representatives.models import Representative
from suggestions.citizen import actions, services
from suggestions.citizen.selectors import department_assignment
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueRating
from tests.conftest import World
from tests.persona_matrix import SAME, walk
from tests.suggestions_citizen.conftest import submit

PERSONAS = (
    "representative",
    "other_representative",
    "district_staff",
    "other_district_staff",
    "city_staff",
    "clerk",
    "other_clerk",
)
STAFF = ("district_staff", "city_staff")

# Every step on a problem a signed-in person may take, written out.
ACTIONS = (
    "approve",
    "reject",
    "accept",
    "decline",
    "assign",
    "answer",
    "forward",
    "merge",
    "convert",
    "dept_accept",
    "dept_reply",
    "dept_progress",
    "dept_extension",
    "dept_return",
    "decide_return",
    "decide_extension",
    "report_back",
    "send_back",
    "return_visit",
    "hide_public",
    "show_public",
    "ban_phone",
)


def test_the_matrix_names_every_declared_action() -> None:
    """A step added to the declaration without a row here fails."""
    assert set(actions.ISSUE_ACTIONS) == set(ACTIONS)


@dataclass
class People:
    world: World
    rep: Representative
    users: dict[str, User]
    roads: IssueCategory

    @property
    def staff(self) -> User:
        return self.users["district_staff"]

    @property
    def clerk(self) -> User:
        return self.users["clerk"]

    @property
    def rep_user(self) -> User:
        return self.users["representative"]


@pytest.fixture
def people(request: pytest.FixtureRequest, world: World, categories: Any) -> People:
    users: dict[str, User] = {}
    for name in PERSONAS:
        value = request.getfixturevalue(name)
        users[name] = value.user if isinstance(value, Representative) else value
    rep = request.getfixturevalue("representative")
    return People(world, rep, users, categories["roads"])


# --- the states, each reached through the services --------------------------------------


def _to_liu(p: People, **extra: Any) -> CitizenIssue:
    """A citizen scans 刘红's card (连心卡) in her grid and reports a pothole."""
    return submit(region=p.world.grid, representative=p.rep, category=p.roads, **extra)


def pending_review(p: People) -> CitizenIssue:
    # The content check holds back a submission with links in it for a person.
    return _to_liu(p, description="详见 http://x.example 和 www.y.example")


def submitted(p: People) -> CitizenIssue:
    return _to_liu(p)


def accepted(p: People) -> CitizenIssue:
    """受理 with nobody to hand it to: written to no one, in a village without a grid
    representative or a station."""
    issue = submit(region=p.world.village, category=p.roads)
    services.citizen_issue_accept(issue=issue, by=p.staff)
    return issue


def with_representative(p: People) -> CitizenIssue:
    issue = _to_liu(p)
    services.citizen_issue_accept(issue=issue, by=p.staff)  # 刘红 handles it
    return issue


def forwarded(p: People) -> CitizenIssue:
    issue = with_representative(p)
    services.citizen_issue_forward(issue=issue, department=p.world.department, by=p.rep_user)
    return issue


def _step(issue: CitizenIssue) -> Assignment:
    found = department_assignment(issue)
    assert found is not None
    return found


def forwarded_signed(p: People) -> CitizenIssue:
    issue = forwarded(p)
    loop.assignment_accept(assignment=_step(issue), by=p.clerk)
    return issue


def return_requested(p: People) -> CitizenIssue:
    issue = forwarded(p)
    loop.assignment_request_return(assignment=_step(issue), by=p.clerk, reason="不属于本局职责")
    return issue


def extension_requested(p: People) -> CitizenIssue:
    issue = forwarded_signed(p)
    loop.assignment_request_extension(
        assignment=_step(issue), by=p.clerk, until=_later(50), reason="需采购材料"
    )
    return issue


def department_replied(p: People) -> CitizenIssue:
    issue = forwarded_signed(p)
    services.citizen_issue_department_reply(
        issue=issue, assignment=_step(issue), by=p.clerk, reply="已安排施工修复。"
    )
    return issue


def answered(p: People) -> CitizenIssue:
    issue = with_representative(p)
    services.citizen_issue_answer(issue=issue, by=p.rep_user, answer="已协调修复路面。")
    return issue


def closed(p: People) -> CitizenIssue:
    issue = answered(p)
    services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)
    return issue


def closed_hidden(p: People) -> CitizenIssue:
    issue = closed(p)
    services.citizen_issue_set_public(issue=issue, hidden=True, by=p.staff, reason="涉及隐私")
    return issue


def declined(p: People) -> CitizenIssue:
    issue = _to_liu(p)
    services.citizen_issue_decline(
        issue=issue, by=p.staff, reason="属于诉讼事项", channel="litigation"
    )
    return issue


def merged(p: People) -> CitizenIssue:
    target = _to_liu(p, mobile="13900000009")
    issue = _to_liu(p)
    services.citizen_issue_merge(issue=issue, into=target, by=p.staff)
    return issue


def converted(p: People) -> CitizenIssue:
    issue = with_representative(p)
    services.citizen_issue_convert(issue=issue, by=p.rep_user, to="livelihood")
    return issue


def rejected(p: People) -> CitizenIssue:
    issue = pending_review(p)
    services.citizen_issue_moderate(issue=issue, by=p.staff, approve=False)
    return issue


def _later(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- the matrix: state → persona → {action: resulting status} ----------------------------
# Every (persona, action) pair not written is refused.

ALWAYS = {"hide_public": SAME, "ban_phone": SAME}  # staff, in any state shown on the board


def _staff(cells: dict[str, str]) -> dict[str, dict[str, str]]:
    return dict.fromkeys(STAFF, cells)


MATRIX: list[tuple[Callable[[People], CitizenIssue], str, dict[str, dict[str, str]]]] = [
    (
        pending_review,
        "pending_review",
        _staff({"approve": "submitted", "reject": "rejected", **ALWAYS}),
    ),
    (
        submitted,
        "submitted",
        {
            **_staff(
                {
                    "accept": "with_representative",
                    "decline": "declined",
                    "merge": "merged",
                    **ALWAYS,
                }
            ),
            "representative": {"accept": "with_representative", "decline": "declined"},
        },
    ),
    (
        accepted,
        "accepted",
        _staff(
            {
                "decline": "declined",
                "assign": "with_representative",
                "merge": "merged",
                **ALWAYS,
            }
        ),
    ),
    (
        with_representative,
        "with_representative",
        {
            **_staff(
                {
                    "assign": "with_representative",
                    "answer": "answered",
                    "forward": "forwarded",
                    "merge": "merged",
                    "convert": "converted",
                    **ALWAYS,
                }
            ),
            "representative": {
                "answer": "answered",
                "forward": "forwarded",
                "merge": "merged",
                "convert": "converted",
            },
        },
    ),
    (
        forwarded,
        "forwarded",
        {
            **_staff(ALWAYS),  # not handed on while the department holds it
            "clerk": {"dept_accept": "forwarded", "dept_return": "forwarded"},
        },
    ),
    (
        forwarded_signed,
        "forwarded",
        {
            **_staff(ALWAYS),
            "clerk": {
                "dept_reply": "department_replied",
                "dept_progress": "forwarded",
                "dept_extension": "forwarded",
                "dept_return": "forwarded",
            },
        },
    ),
    (
        return_requested,
        "forwarded",
        _staff({"decide_return": "with_representative", **ALWAYS}),
    ),
    (
        extension_requested,
        "forwarded",
        _staff({"decide_extension": "forwarded", **ALWAYS}),
    ),
    (
        department_replied,
        "department_replied",
        {
            **_staff({"report_back": "answered", "send_back": "forwarded", **ALWAYS}),
            "representative": {"report_back": "answered", "send_back": "forwarded"},
        },
    ),
    (answered, "answered", {**_staff(ALWAYS), "representative": {"return_visit": SAME}}),
    (closed, "closed", {**_staff(ALWAYS), "representative": {"return_visit": SAME}}),
    (
        closed_hidden,
        "closed",
        {
            **_staff({"show_public": SAME, "ban_phone": SAME}),
            "representative": {"return_visit": SAME},
        },
    ),
    (declined, "declined", _staff(ALWAYS)),
    (merged, "merged", _staff(ALWAYS)),
    (converted, "converted", _staff(ALWAYS)),
    (rejected, "rejected", _staff(ALWAYS)),
]


# --- each cell through the declaration's entry point ----------------------------------------


def _data(name: str, p: People, issue: CitizenIssue) -> dict[str, Any]:
    """Valid input for each step's form."""
    return {
        "decline": {"reason": "属于诉讼事项", "channel": "litigation"},
        "assign": {"representative": p.rep.pk},
        "answer": {"answer": "已协调修复路面。"},
        "report_back": {"answer": "部门已修复路面。"},
        "forward": {"department": p.world.department.pk},
        "merge": {"into": _merge_target(p, issue).tracking_code},
        "convert": {"to": "livelihood"},  # a suggestion also needs a session to file to
        "dept_reply": {"reply": "已安排施工修复。"},
        "dept_progress": {"reason": "正在施工"},
        "dept_extension": {"until": _later(60).isoformat(), "reason": "需采购材料"},
        "dept_return": {"reason": "不属于本局职责"},
        "decide_return": {"approve": "1"},
        "decide_extension": {"approve": "1"},
        "send_back": {"reason": "答复不具体"},
        "return_visit": {"summary": "电话回访，群众表示满意"},
        "ban_phone": {"reason": "恶意重复提交", "days": "30"},
    }.get(name, {})


def _merge_target(p: People, issue: CitizenIssue) -> CitizenIssue:
    """An open problem of the same kind that both staff and 刘红 see."""
    found = (
        CitizenIssue.objects.filter(category=issue.category, representative=p.rep)
        .exclude(pk=issue.pk)
        .filter(status="submitted")
        .first()
    )
    return found or _to_liu(p, mobile="13900000008", description="幸福路另一个坑")


def _snapshot(issue: CitizenIssue) -> tuple[Any, ...]:
    row = CitizenIssue.objects.get(pk=issue.pk)
    steps = Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk)
    events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count()
    return (
        row.status,
        row.version,
        row.hidden_from_public,
        row.handler_id,
        sorted(steps.values_list("pk", "status")),
        events,
    )


def _take(issue: CitizenIssue, name: str, user: User, p: People) -> str:
    issue = CitizenIssue.objects.get(pk=issue.pk)
    form = actions.ISSUE_ACTIONS[name].form(_data(name, p, issue), {}, issue=issue, user=user)
    actions.take(issue, name, user, form)
    assert form.is_valid(), (name, form.errors)
    return CitizenIssue.objects.get(pk=issue.pk).status


@pytest.mark.parametrize(
    ("build", "status", "expected"), MATRIX, ids=[row[0].__name__ for row in MATRIX]
)
def test_who_may_take_which_step_in_each_state(
    people: People,
    build: Callable[[People], CitizenIssue],
    status: str,
    expected: dict[str, dict[str, str]],
) -> None:
    issue = build(people)
    _merge_target(people, issue)  # exists before the cells, so refusals are compared alike
    assert _snapshot(issue)[0] == status
    walk(
        users=people.users,
        actions=ACTIONS,
        expected=expected,
        status=status,
        take=lambda name, user: _take(issue, name, user, people),
        snapshot=lambda: _snapshot(issue),
        refused=InvalidTransition,
    )


# --- the citizen's own steps through the tracking link --------------------------------------


def pending_confirmation(p: People) -> CitizenIssue:
    with override_settings(CITIZEN_SMS_CONFIRMATION=True):
        return _to_liu(p)


# Written by hand: the citizen confirms their number while it waits for the code, and
# rates once answered; in every other state the link only shows the progress.
LINK: list[tuple[Callable[[People], CitizenIssue], list[str]]] = [
    (pending_confirmation, ["confirm"]),
    (submitted, []),
    (with_representative, []),
    (forwarded, []),
    (department_replied, []),
    (answered, ["rate"]),
    (closed, []),
    (declined, []),
]


@pytest.mark.parametrize(("build", "expected"), LINK, ids=[row[0].__name__ for row in LINK])
def test_what_the_citizen_may_do_through_the_link(
    people: People, build: Callable[[People], CitizenIssue], expected: list[str]
) -> None:
    issue = build(people)
    assert actions.by_link(issue) == expected
    page = Client().get(issue.get_tracking_url()).content.decode()
    assert ('name="rating"' in page) == ("rate" in expected)
    assert ('name="code"' in page) == ("confirm" in expected)
