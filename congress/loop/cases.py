"""Case types: what a feature app registers to hand its cases out (``register_case_type``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from congress.errors import RuleViolation
from congress.loop.workflow import (
    FIFTEEN_WORKDAYS,
)
from congress.models import (
    Assignment,
    User,
)
from congress.workdays import (
    Deadline,
)


@dataclass(frozen=True)
class CaseType:
    """A kind of case a feature app hands out (a citizen issue, a suggestion, a finding…)."""

    key: str
    label: str | Promise
    url: Callable[[int], str]
    can_view: Callable[[User, int], bool]
    default_deadline: Deadline = FIFTEEN_WORKDAYS
    longest: Deadline | None = None  # extensions may not pass this, counted from assignment
    policy_defaults: dict[str, Any] = field(default_factory=dict)
    # False where the reply needs more than a text (a suggestion's A/B/C/D
    # category): the generic assignment page then links to the case's own page.
    generic_reply: bool = True
    # The actions the generic assignment page and API may take for this case type;
    # None allows all. A case type whose steps carry its own rules (deadline
    # windows, notifications) lists only what is safe to do generically.
    generic_actions: frozenset[str] | None = None
    # Told the case's id whenever one of its assignments is created or changes its
    # status or due date, inside the same transaction: a case that keeps facts about
    # its open steps on its own row (the earliest due date, which the overdue lists
    # read from an index) refreshes them here.
    on_steps_changed: Callable[[int], None] | None = None


case_types: dict[str, CaseType] = {}


def register_case_type(case_type: CaseType) -> None:
    case_types[case_type.key] = case_type


def _tell_case(assignment: Assignment) -> None:
    kind = case_types.get(assignment.case_type)
    if kind is not None and kind.on_steps_changed is not None:
        kind.on_steps_changed(assignment.case_id)


def case_type_of(key: str) -> CaseType:
    try:
        return case_types[key]
    except KeyError:
        raise RuleViolation(f"Unknown case type {key!r}.") from None
