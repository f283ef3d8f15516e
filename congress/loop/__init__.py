"""The closed-loop engine: case types, assignments, deadlines, reminders, escalation.

Feature apps register their case types here (in ``AppConfig.ready``) and hand
work to assignees with ``assignment_create``; every later step is one of the
named ``assignment_*`` services, each a row in the transition table.
The periodic ``reminders_sweep`` turns due reminder stages into notifications.

One module per concern (docs/architecture.md, "The closed loop"); this package
re-exports their public names, so callers write ``from congress import loop`` and
``loop.assignment_accept(...)``:

- ``workflow``: the transition table, its timeline labels, the pausing statuses;
- ``cases``: the case types feature apps register;
- ``escalation``: who must act and who hears of an overdue assignment;
- ``selectors``: ``visible_assignments``;
- ``schedule``: when reminders fall due;
- ``services``: ``assignment_create`` and every step after it;
- ``deadlines``: counting due dates again when the calendar changes;
- ``actions``: the generic page's and API's action table;
- ``sweep``: the periodic reminder sweep.
"""

from congress.loop.actions import (
    GENERIC_ACTIONS,
    REQUIRED_MESSAGES,
    GenericAction,
    actions_for,
    assignment_perform,
)
from congress.loop.cases import CaseType, case_type_of, case_types, register_case_type
from congress.loop.deadlines import (
    RecalculationResult,
    assignment_recalculate_due,
    deadlines_recalculate,
    deadlines_settle_calendar,
)
from congress.loop.escalation import People, assignees, supervisors
from congress.loop.schedule import next_reminder_time, policy_for, stages_between
from congress.loop.selectors import handled_department_ids, visible_assignments
from congress.loop.services import (
    assignment_accept,
    assignment_cancel,
    assignment_close,
    assignment_create,
    assignment_decide_extension,
    assignment_decide_return,
    assignment_hold,
    assignment_reopen,
    assignment_reply,
    assignment_report_progress,
    assignment_request_extension,
    assignment_request_return,
    assignment_resume,
    assignment_start,
)
from congress.loop.sweep import (
    EVENT_FIELDS,
    SWEEP_BATCH,
    SweepResult,
    due_for_reminder,
    reminders_sweep,
)
from congress.loop.workflow import (
    ACTION_LABELS,
    ASSIGNMENT_TRANSITIONS,
    FIFTEEN_WORKDAYS,
    ONE_MONTH,
    PAUSING,
    RESUME,
)
from congress.models import OPEN_STATUSES, Assignment, AssignmentRole, AssignmentStatus

__all__ = [
    "ACTION_LABELS",
    "ASSIGNMENT_TRANSITIONS",
    "EVENT_FIELDS",
    "FIFTEEN_WORKDAYS",
    "GENERIC_ACTIONS",
    "ONE_MONTH",
    "OPEN_STATUSES",
    "PAUSING",
    "REQUIRED_MESSAGES",
    "RESUME",
    "SWEEP_BATCH",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "CaseType",
    "GenericAction",
    "People",
    "RecalculationResult",
    "SweepResult",
    "actions_for",
    "assignees",
    "assignment_accept",
    "assignment_cancel",
    "assignment_close",
    "assignment_create",
    "assignment_decide_extension",
    "assignment_decide_return",
    "assignment_hold",
    "assignment_perform",
    "assignment_recalculate_due",
    "assignment_reopen",
    "assignment_reply",
    "assignment_report_progress",
    "assignment_request_extension",
    "assignment_request_return",
    "assignment_resume",
    "assignment_start",
    "case_type_of",
    "case_types",
    "deadlines_recalculate",
    "deadlines_settle_calendar",
    "due_for_reminder",
    "handled_department_ids",
    "next_reminder_time",
    "policy_for",
    "register_case_type",
    "reminders_sweep",
    "stages_between",
    "supervisors",
    "visible_assignments",
]
