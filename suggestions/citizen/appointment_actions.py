"""The actions on one appointment (约见), as data: one declaration per action with its
label, its input form and the one service it calls (docs/architecture.md, "Known
drift"; the pattern of ``suggestions/citizen/actions.py``).

The from-states are ``APPOINTMENT_TRANSITIONS`` (``suggestions/citizen/workflow.py``);
who may take which action now is still ``selectors.appointment_actions``. The case
page's buttons and its form handling read this table; a name not in it is refused
(``InvalidTransition``), never ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.errors import InvalidTransition
from congress.models import User
from suggestions.citizen import services
from suggestions.citizen.forms import (
    AppointmentCancelForm,
    AppointmentReasonForm,
    AppointmentTimeForm,
    MeetingForm,
)
from suggestions.models.citizen import Appointment

Runner = Callable[[Appointment, dict[str, Any], User, django_forms.Form], Any]


@dataclass(frozen=True)
class AppointmentAction:
    label: str | Promise
    form: type[django_forms.Form]
    run: Runner


APPOINTMENT_ACTIONS: dict[str, AppointmentAction] = {
    "route": AppointmentAction(
        _("转交承办单位"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_route(appointment=a, by=u, note=d["reason"]),
    ),
    "confirm": AppointmentAction(
        _("确认约见"),
        AppointmentTimeForm,
        lambda a, d, u, f: services.appointment_confirm(
            appointment=a, by=u, scheduled_at=d["scheduled_at"], place=d["place"], note=d["note"]
        ),
    ),
    "propose": AppointmentAction(
        _("提议另一时间（改期）"),
        AppointmentTimeForm,
        lambda a, d, u, f: services.appointment_propose(
            appointment=a, by=u, scheduled_at=d["scheduled_at"], place=d["place"], note=d["note"]
        ),
    ),
    "accept_proposal": AppointmentAction(
        _("同意新时间"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_accept_proposal(appointment=a, by=u),
    ),
    "decline": AppointmentAction(
        _("婉拒"),
        AppointmentReasonForm,
        lambda a, d, u, f: services.appointment_decline(appointment=a, by=u, reason=d["reason"]),
    ),
    "cancel": AppointmentAction(
        _("取消约见"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_cancel(appointment=a, by=u, reason=d["reason"]),
    ),
    "record_meeting": AppointmentAction(
        _("记录见面情况"),
        MeetingForm,
        lambda a, d, u, f: services.appointment_record_meeting(
            appointment=a,
            by=u,
            summary=d["summary"],
            problems=f.problem_list(),  # type: ignore[attr-defined]
            category=d["category"],
        ),
    ),
}


def appointment_action(name: str) -> AppointmentAction:
    """The declaration of ``name``; an unknown name is refused (409), never ignored."""
    try:
        return APPOINTMENT_ACTIONS[name]
    except KeyError:
        raise InvalidTransition() from None
