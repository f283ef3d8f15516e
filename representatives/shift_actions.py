"""The steps on a duty shift (值班), as data: one declaration per step with its label,
who may take it and the one service it calls (docs/architecture.md, "Known drift";
the pattern of ``suggestions/citizen/appointment_actions.py``).

The from-states are ``SHIFT_TRANSITIONS`` (``representatives/workflow.py``). Staff of
the station's region take every step; the shift's own representative may also ask for
leave (请假). The station's duty page derives its buttons from this table and the
step's view reads it; a name not in it is refused (a 404 on the page), never ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.errors import RuleViolation
from congress.models import User
from representatives import services
from representatives.models import DutyShift
from representatives.workflow import SHIFT_TRANSITIONS

Runner = Callable[[DutyShift, Mapping[str, Any], User], Any]


@dataclass(frozen=True)
class ShiftAction:
    label: str | Promise
    own: bool  # the shift's own representative may take it, not only the station's staff
    run: Runner


def _swap(shift: DutyShift, data: Mapping[str, Any], by: User) -> Any:
    to_representative = data.get("to_representative")
    if to_representative is None:
        raise RuleViolation(_("请选择接替的代表。"))
    return services.duty_shift_swap(
        shift=shift, to_representative=to_representative, reason=data.get("reason", ""), by=by
    )


SHIFT_ACTIONS: dict[str, ShiftAction] = {
    "serve": ShiftAction(
        _("已值班"), False, lambda s, d, by: services.duty_shift_serve(shift=s, by=by)
    ),
    "take_leave": ShiftAction(
        _("请假"),
        True,
        lambda s, d, by: services.duty_shift_take_leave(shift=s, reason=d.get("reason", ""), by=by),
    ),
    "mark_absent": ShiftAction(
        _("缺勤"),
        False,
        lambda s, d, by: services.duty_shift_mark_absent(
            shift=s, reason=d.get("reason", ""), by=by
        ),
    ),
    "swap": ShiftAction(_("换班"), False, _swap),
    "cancel": ShiftAction(
        _("取消"),
        False,
        lambda s, d, by: services.duty_shift_cancel(shift=s, reason=d.get("reason", ""), by=by),
    ),
}


def may_take(name: str, *, manages: bool, is_own: bool) -> bool:
    """Whether someone may take the step ``name`` (unknown names: nobody)."""
    action = SHIFT_ACTIONS.get(name)
    return action is not None and (manages or (is_own and action.own))


def staff_steps_by_status() -> dict[str, list[tuple[str, str | Promise]]]:
    """For each status, the (name, label) of the steps that start from it."""
    steps: dict[str, list[tuple[str, str | Promise]]] = {}
    for name, (sources, _to) in SHIFT_TRANSITIONS.items():
        for status in sources:
            steps.setdefault(status, []).append((name, SHIFT_ACTIONS[name].label))
    return steps
