"""The generic assignment page's and API's actions, one table (``GENERIC_ACTIONS``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from congress.errors import RuleViolation, UnknownAction
from congress.loop.cases import (
    case_types,
)
from congress.loop.services import (
    assignment_accept,
    assignment_decide_extension,
    assignment_decide_return,
    assignment_hold,
    assignment_reply,
    assignment_report_progress,
    assignment_request_extension,
    assignment_request_return,
    assignment_resume,
    assignment_start,
)
from congress.loop.workflow import (
    ASSIGNMENT_TRANSITIONS,
)
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    User,
)
from congress.scoping import in_jurisdiction


@dataclass(frozen=True)
class GenericAction:
    """One action of the generic assignment page and API: who takes it, the one service
    it calls, and which of the generic form's fields (``note``, ``until``, ``version``)
    become which of the service's arguments."""

    service: Callable[..., Any]
    fields: dict[str, str]  # the service's argument ← the form's field
    fixed: dict[str, Any] = field(default_factory=dict)
    supervises: bool = False  # staff over the assignment decide; otherwise the assignee
    requires: tuple[str, ...] = ()  # form fields that may not be empty
    states: frozenset[str] | None = None  # None: wherever ASSIGNMENT_TRANSITIONS allows it


_NOTE = {"note": "note"}
_VERSIONED_NOTE = {"note": "note", "expected_version": "version"}
_REASON = {"reason": "note"}

GENERIC_ACTIONS: dict[str, GenericAction] = {
    "accept": GenericAction(assignment_accept, _VERSIONED_NOTE),
    "start": GenericAction(assignment_start, _NOTE),
    "request_return": GenericAction(
        assignment_request_return, {**_REASON, "expected_version": "version"}
    ),
    "approve_return": GenericAction(
        assignment_decide_return, _NOTE, {"approve": True}, supervises=True
    ),
    "reject_return": GenericAction(
        assignment_decide_return, _NOTE, {"approve": False}, supervises=True
    ),
    "request_extension": GenericAction(
        assignment_request_extension,
        {**_REASON, "until": "until", "expected_version": "version"},
        requires=("until",),
    ),
    "approve_extension": GenericAction(
        assignment_decide_extension, {**_NOTE, "until": "until"}, {"approve": True}, True
    ),
    "reject_extension": GenericAction(
        assignment_decide_extension, {**_NOTE, "until": "until"}, {"approve": False}, True
    ),
    "hold": GenericAction(assignment_hold, _REASON),
    "resume": GenericAction(assignment_resume, _NOTE),
    "reply": GenericAction(assignment_reply, {**_VERSIONED_NOTE, "public_note": "note"}),
    # Not a move: reported on any open assignment.
    "progress": GenericAction(assignment_report_progress, _NOTE, states=frozenset(OPEN_STATUSES)),
}
REQUIRED_MESSAGES = {"until": gettext_lazy("请填写延期后的办理期限。")}


def actions_for(user: User, assignment: Assignment) -> list[str]:
    """What this user may do now: assignees work the case; staff decide requests."""
    is_assignee = (
        assignment.user_id == user.pk
        or (assignment.department_id in user.department_ids)
        or (
            assignment.staff_region_id
            and any(r.pk == assignment.staff_region_id for r in user.staff_regions)
        )
    )
    is_staff = in_jurisdiction(user, assignment.region)
    kind = case_types.get(assignment.case_type)

    def may(name: str, action: GenericAction) -> bool:
        states = action.states or ASSIGNMENT_TRANSITIONS[name][0]
        if assignment.status not in states:
            return False
        if action.supervises:
            return bool(is_staff)
        if kind is not None and not kind.generic_reply and name == "reply":
            return False  # answered on the case's own page (e.g. with a category)
        generic = kind is None or kind.generic_actions is None or name in kind.generic_actions
        return bool(is_assignee) and generic

    return [name for name, action in GENERIC_ACTIONS.items() if may(name, action)]


def assignment_perform(
    *,
    assignment: Assignment,
    action: str,
    by: User,
    note: str = "",
    until: datetime.date | None = None,
    version: int | None = None,
) -> None:
    """Run one action of ``GENERIC_ACTIONS`` for the HTML page and the API alike (the
    caller checked ``actions_for``). A name not in the table is an error (400), never
    ignored."""
    spec = GENERIC_ACTIONS.get(action)
    if spec is None:
        raise UnknownAction(action, GENERIC_ACTIONS)
    given: dict[str, Any] = {"note": note, "until": until, "version": version}
    for name in spec.requires:
        if given[name] in (None, ""):
            raise RuleViolation(REQUIRED_MESSAGES[name])
    arguments = {argument: given[name] for argument, name in spec.fields.items()}
    spec.service(assignment=assignment, by=by, **spec.fixed, **arguments)
