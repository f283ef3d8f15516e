"""Giving a problem to a representative to handle, with the handling deadline."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import User
from representatives.models import Representative
from suggestions.citizen import conf
from suggestions.citizen.services.base import _require_place, _transition, issue_rules
from suggestions.citizen.services.steps import _finish_own_steps, _start_step
from suggestions.models.citizen import CitizenIssue


def citizen_issue_assign(
    *,
    issue: CitizenIssue,
    representative: Representative,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """Give the problem to a representative to handle, with the handling deadline."""
    _require_place(by, issue, representative)
    return _assign(issue, representative, by=by, note=note, expected_version=expected_version)


def _assign(
    issue: CitizenIssue,
    representative: Representative,
    *,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    first = issue.handler_id is None
    with transaction.atomic():
        _transition(
            issue,
            "assign",
            by=by,
            note=note,
            expected_version=expected_version,
            updates={"handler": representative},
            data={"representative": representative.name},
            public_note=_("已转交人大代表办理。") if first else "",
        )
        _finish_own_steps(
            issue, by=by, note=_("已分派给%(name)s代表") % {"name": representative.name}
        )
        _start_step(
            issue,
            by=by,
            representative=representative,
            deadline=conf.handling_deadline(recorded=issue_rules(issue)),
            note=note or _("请办理群众反映的问题"),
        )
    return issue
