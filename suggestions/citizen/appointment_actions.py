"""The actions on one appointment (约见), as data: one declaration per action with its
label, its input form, the one service it calls and who may take it, on which kind of
appointment (docs/architecture.md, "Checklist: add a new case type", step 5; the
pattern of ``suggestions/formal/actions.py``).

The from-states are ``APPOINTMENT_TRANSITIONS`` (``suggestions/citizen/workflow.py``);
``allowed`` derives what a user may do now from this table and those states, and
nothing else restates it. The case page's buttons, its form handling and the API's one
``actions/<name>/`` route read this table through ``take``: a name not in it is an
error (400 in the API), an action the user may not take now is refused (409).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable
from congress.errors import RuleViolation
from congress.models import User
from congress.scoping import AnyUser
from suggestions.citizen import selectors, services
from suggestions.citizen.forms import (
    AppointmentCancelForm,
    AppointmentReasonForm,
    AppointmentTimeForm,
    MeetingForm,
)
from suggestions.citizen.workflow import APPOINTMENT_TRANSITIONS
from suggestions.models.citizen import Appointment, AppointmentKind, AppointmentStatus

Runner = Callable[[Appointment, dict[str, Any], User, django_forms.Form], Any]
# What a signed-in user is to one appointment (``selectors.appointment_parties``): the
# representative it is with, staff of its region (or an administrator), or a clerk of
# the department a representative asked to meet.
Party = selectors.AppointmentParty

A = AppointmentStatus
CITIZEN, DEPARTMENT = AppointmentKind.CITIZEN, AppointmentKind.DEPARTMENT
# The body asked acts once staff have routed the request to it (转交承办单位), and
# until the meeting: before that the request is staff's to route or decline.
ROUTED_ON = frozenset({A.ROUTED, A.CONFIRMED})


@dataclass(frozen=True)
class May:
    """These parties may take the action on this kind of appointment, from the
    transition table's states (narrowed to ``only_in`` when given)."""

    kind: AppointmentKind
    parties: frozenset[Party]
    only_in: frozenset[str] | None = None


def may(kind: AppointmentKind, *parties: Party, only_in: Iterable[str] | None = None) -> May:
    return May(kind, frozenset(parties), frozenset(only_in) if only_in is not None else None)


@dataclass(frozen=True)
class AppointmentAction:
    move: str  # of APPOINTMENT_TRANSITIONS: its from-states say when
    label: str | Promise
    form: type[django_forms.Form]
    run: Runner
    who: tuple[May, ...]
    # The citizen who asked (no account) takes it through the tracking link of their
    # own request, with this runner (``by_link``).
    link: Callable[[Appointment, dict[str, Any]], Any] | None = None


APPOINTMENT_ACTIONS: dict[str, AppointmentAction] = {
    "route": AppointmentAction(
        "route",
        _("转交承办单位"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_route(appointment=a, by=u, note=d["reason"]),
        (may(DEPARTMENT, "staff"),),
    ),
    "confirm": AppointmentAction(
        "confirm",
        _("确认约见"),
        AppointmentTimeForm,
        lambda a, d, u, f: services.appointment_confirm(
            appointment=a, by=u, scheduled_at=d["scheduled_at"], place=d["place"], note=d["note"]
        ),
        (
            may(CITIZEN, "representative", "staff"),
            may(DEPARTMENT, "clerk", only_in=ROUTED_ON),
        ),
    ),
    "propose": AppointmentAction(
        "propose",
        _("提议另一时间（改期）"),
        AppointmentTimeForm,
        lambda a, d, u, f: services.appointment_propose(
            appointment=a, by=u, scheduled_at=d["scheduled_at"], place=d["place"], note=d["note"]
        ),
        (
            may(CITIZEN, "representative", "staff"),
            may(DEPARTMENT, "clerk", only_in=ROUTED_ON),
        ),
    ),
    "accept_proposal": AppointmentAction(
        "accept_proposal",
        _("同意新时间"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_accept_proposal(appointment=a, by=u),
        (may(DEPARTMENT, "representative"),),
        lambda a, d: services.appointment_accept_proposal(appointment=a),
    ),
    "decline": AppointmentAction(
        "decline",
        _("婉拒"),
        AppointmentReasonForm,
        lambda a, d, u, f: services.appointment_decline(appointment=a, by=u, reason=d["reason"]),
        (
            may(CITIZEN, "representative", "staff"),
            may(DEPARTMENT, "staff"),
            may(DEPARTMENT, "clerk", only_in=ROUTED_ON),
        ),
    ),
    "cancel": AppointmentAction(
        "cancel",
        _("取消约见"),
        AppointmentCancelForm,
        lambda a, d, u, f: services.appointment_cancel(appointment=a, by=u, reason=d["reason"]),
        (may(CITIZEN, "representative", "staff"), may(DEPARTMENT, "staff", "representative")),
        lambda a, d: services.appointment_cancel(appointment=a, by=None, reason=d["reason"][:200]),
    ),
    "record_meeting": AppointmentAction(
        "record_meeting",
        _("记录见面情况"),
        MeetingForm,
        lambda a, d, u, f: services.appointment_record_meeting(
            appointment=a,
            by=u,
            summary=d["summary"],
            problems=f.problem_list(),  # type: ignore[attr-defined]
            category=d["category"],
        ),
        (may(CITIZEN, "representative", "staff"), may(DEPARTMENT, "representative")),
    ),
}


def _may(rule: May, appointment: Appointment, parties: frozenset[Party], move: str) -> bool:
    status = appointment.status
    return (
        appointment.kind == rule.kind
        and bool(rule.parties & parties)
        and status in APPOINTMENT_TRANSITIONS[move][0]
        and (rule.only_in is None or status in rule.only_in)
    )


TABLE: ActionTable[Appointment, AppointmentAction] = ActionTable(
    APPOINTMENT_ACTIONS,
    lambda parties, appointment, action: any(
        _may(rule, appointment, parties, action.move) for rule in action.who
    ),
    standing=selectors.appointment_parties,
)


def appointment_action(name: str) -> AppointmentAction:
    """The declaration of ``name``; an unknown name is an error (400), never ignored."""
    return TABLE.named(name)


def allowed(user: AnyUser, appointment: Appointment) -> list[str]:
    """The actions the user may take on the appointment now, in the table's order."""
    return TABLE.allowed(user, appointment)


def by_link(appointment: Appointment) -> list[str]:
    """What the citizen may do now through the tracking link of their own request."""
    if appointment.kind != CITIZEN:
        return []
    return [
        name
        for name, action in APPOINTMENT_ACTIONS.items()
        if action.link is not None and appointment.status in APPOINTMENT_TRANSITIONS[name][0]
    ]


def take_by_link(appointment: Appointment, name: str, data: Mapping[str, Any]) -> None:
    """The citizen's step through their link: an action that is not theirs is a 404 (the
    link is all they have); one the state does not allow now is refused by the service
    (409), a form that does not validate with its first message (400)."""
    declared = APPOINTMENT_ACTIONS.get(name)
    if declared is None or declared.link is None or appointment.kind != CITIZEN:
        raise Http404
    form = declared.form(data)
    if not form.is_valid():
        raise RuleViolation(str(next(iter(form.errors.values()))[0]))
    declared.link(appointment, form.cleaned_data)


def take(
    appointment: Appointment, name: str, user: User, form: django_forms.Form
) -> django_forms.Form:
    """Take one action for the page or the API (congress/actions.py: an unknown name 400,
    one the user may not take now 409); else the form is checked and, if valid, the
    action's service is called. The form comes back (its errors, if any)."""
    declared = TABLE.require(name, user, appointment)
    if form.is_valid():
        declared.run(appointment, form.cleaned_data, user, form)
    return form
