"""The allowed moves of this app's stateful records, as data (action → from, to).

``congress.workflow.apply_transition`` enforces them with a compare-and-set and
writes the timeline row; the services in ``services.py`` are the only callers.
"""

from __future__ import annotations

from representatives.models import ActivityStatus, MandateStatus, ShiftStatus

MANDATE_CASE = "representatives.mandate"
SHIFT_CASE = "representatives.dutyshift"
ACTIVITY_CASE = "representatives.activity"

MANDATE_TRANSITIONS = {
    "end": (frozenset({MandateStatus.ACTIVE}), MandateStatus.ENDED),
    "terminate": (frozenset({MandateStatus.ACTIVE}), MandateStatus.TERMINATED),
}

SHIFT_TRANSITIONS = {
    "serve": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.SERVED),
    "take_leave": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.ON_LEAVE),
    "mark_absent": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.ABSENT),
    "swap": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.SWAPPED),
    "cancel": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.CANCELLED),
}

ACTIVITY_TRANSITIONS = {
    "close_signup": (frozenset({ActivityStatus.OPEN}), ActivityStatus.CLOSED),
    "reopen": (frozenset({ActivityStatus.CLOSED}), ActivityStatus.OPEN),
    "complete": (frozenset({ActivityStatus.OPEN, ActivityStatus.CLOSED}), ActivityStatus.COMPLETED),
    "cancel": (frozenset({ActivityStatus.OPEN, ActivityStatus.CLOSED}), ActivityStatus.CANCELLED),
}
