"""What every step of the citizen channel shares: the tracking code, the citizen's
label on the timeline, the problem's status move (with its count), and who may act
where.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import OutOfJurisdiction, RuleViolation
from congress.models import CaseEvent, Department, User
from congress.rules import rules_at
from congress.scoping import require_in_jurisdiction, within_reach
from congress.workflow import apply_transition
from representatives.models import Representative
from representatives.selectors import representative_of
from suggestions.citizen import conf
from suggestions.citizen.services.counts import _count_move, issue_departments_follow
from suggestions.citizen.services.monthly import month_count_moved
from suggestions.citizen.workflow import ISSUE_CASE, ISSUE_TRANSITIONS
from suggestions.models.citizen import CitizenIssue

# Tracking codes are read out on the phone: no 0/O, 1/I/L, 2/Z, 5/S look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8
KEY_NAMESPACE = uuid.UUID("5d3c8a52-3f3e-4b7a-9a55-8a0b3c7e9d21")


def issue_rules(issue: CitizenIssue) -> Mapping[str, Any]:
    """The rules a problem follows (docs/rules.md): those in force at its place when it
    was submitted (``rules_in_force``); for one from before rules were recorded, those
    in force there now (one query)."""
    recorded = issue.rules_in_force or {}
    missing = [key for key in conf.CASE_RULES if key not in recorded]
    if not missing:
        return recorded
    return {**rules_at(issue.region, missing), **recorded}


def _citizen_label() -> str:
    return _("群众")


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _transition(
    issue: CitizenIssue,
    action: str,
    *,
    by: User | None,
    note: str = "",
    public_note: str = "",
    updates: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    actor_label: str = "",
) -> CaseEvent:
    before = (issue.status, issue.needs_supervision)
    with transaction.atomic():
        event = apply_transition(
            instance=issue,
            transitions=ISSUE_TRANSITIONS,
            action=action,
            by=by,
            case_type=ISSUE_CASE,
            note=note,
            public_note=public_note,
            updates=updates,
            data=data,
            expected_version=expected_version,
            actor_label=actor_label or ("" if by is not None else _citizen_label()),
        )
        _count_move(issue, *before)
        if (issue.status, issue.needs_supervision) != before:
            issue_departments_follow(issue)
        month_count_moved(issue, action)
    return event


def _require_place(
    by: User | None, issue: CitizenIssue, representative: Representative | None = None
) -> None:
    """Staff act on the problems of their jurisdiction and give them to its
    representatives; a representative acts on a problem addressed to them or given
    them to handle, and gives it to nobody but themselves. Anything else is a 404."""
    mine = representative_of(by) if by is not None else None
    if (
        mine is not None
        and mine.pk in (issue.representative_id, issue.handler_id)
        and (representative is None or representative.pk == mine.pk)
    ):
        return
    require_in_jurisdiction(by, issue.region, representative.region if representative else None)


def _require_department(by: User | None, issue: CitizenIssue, department: Department) -> None:
    """A problem goes to a department of its own region or of a region above it. Another
    place's department is a 404, unless the staff may see it (then the rule is named)."""
    if department.region_id in issue.region.ancestor_ids():
        return
    if by is None or within_reach(by, department.region):
        raise RuleViolation(_("只能交办问题所在地区或上级地区的承办单位。"))
    raise OutOfJurisdiction
