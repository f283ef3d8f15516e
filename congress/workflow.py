"""The one way a status changes: a transition table, a compare-and-set, an event row.

Every feature app's state machine uses ``apply_transition``; the table is data
(action → allowed from-statuses, to-status), in the spirit of django-oscar's
order pipeline. Status is assigned nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import F

from congress import history
from congress.audit import audit_record
from congress.errors import InvalidTransition, StaleState
from congress.models import Assignment, AuditAction, CaseEvent, User

Transitions = Mapping[str, tuple[frozenset[str], str]]


def allowed_actions(transitions: Transitions, status: str) -> list[str]:
    return [action for action, (sources, _target) in transitions.items() if status in sources]


def record_event(
    *,
    case_type: str,
    case_id: int,
    action: str,
    by: User | None,
    note: str = "",
    public_note: str = "",
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    assignment: Assignment | None = None,
    from_status: str = "",
    to_status: str = "",
) -> CaseEvent:
    """A timeline entry (also for steps that change no status, such as a progress note)."""
    return CaseEvent.objects.create(
        case_type=case_type,
        case_id=case_id,
        assignment=assignment,
        actor=by if by is not None and by.is_authenticated else None,
        actor_label=actor_label or (str(by) if by is not None else ""),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public_note=public_note,
        data=data or {},
    )


def apply_transition(
    *,
    instance: models.Model,
    transitions: Transitions,
    action: str,
    by: User | None,
    case_type: str,
    note: str = "",
    public_note: str = "",
    actor_label: str = "",
    updates: dict[str, Any] | None = None,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
    assignment: Assignment | None = None,
    case_id: int | None = None,
) -> CaseEvent:
    """Move ``instance`` by ``action`` if the table allows it from its current status.

    The UPDATE is conditional on the status (and the version, when the caller
    read one from a form): of two concurrent clicks exactly one changes a row;
    the other gets ``StaleState`` and nothing is written. The instance is
    refreshed so the caller sees the stored values. The event is filed under
    ``case_id`` (default: the instance itself; an assignment passes its case's id).
    """
    if action not in transitions:
        raise InvalidTransition()
    sources, target = transitions[action]
    current = instance.status  # type: ignore[attr-defined]
    if current not in sources:
        raise InvalidTransition()
    model = type(instance)
    lookup: dict[str, Any] = {"pk": instance.pk, "status": current}
    if expected_version is not None:
        lookup["version"] = expected_version
    with transaction.atomic():
        changed = model._default_manager.filter(**lookup).update(
            status=target, version=F("version") + 1, **(updates or {})
        )
        if changed != 1:
            raise StaleState()
        event = record_event(
            case_type=case_type,
            case_id=int(instance.pk) if case_id is None else case_id,
            action=action,
            by=by,
            note=note,
            public_note=public_note,
            actor_label=actor_label,
            data=data,
            assignment=assignment,
            from_status=current,
            to_status=target,
        )
        # The timeline is for the people on the case; the trail is for the
        # auditor, across cases, with the actor's address. No notes or data here:
        # they may carry a citizen's words.
        audit_record(
            action=AuditAction.STATE_CHANGE,
            actor=by,
            username=str(actor_label) if by is None else "",
            obj=instance,
            detail={
                "case_type": case_type,
                "case_id": event.case_id,
                "action": action,
                "from": current,
                "to": target,
            },
        )
        instance.refresh_from_db()
        # update() sends no post_save: the edit history of a tracked model (a
        # mandate's end) is written here, with the new status and values.
        history.record_update(instance)
    return event


def timeline(case_type: str, case_id: int) -> models.QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(case_type=case_type, case_id=case_id)
        .select_related("actor", "assignment__department", "assignment__user")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )
