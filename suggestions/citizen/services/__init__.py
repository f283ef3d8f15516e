"""Every write of the citizen channel: one named service per step.

A problem's own status moves with ``apply_transition`` and ``ISSUE_TRANSITIONS``.
The work on it is a chain of closed-loop *steps*, each an engine ``Assignment``
with a working-day deadline, so that reminders and escalation find every late
one: 受理 by the staff of its region (2 working days), handling by the
representative (15), a department's 交办 (15), the representative's review of
the department's reply (5), and re-handling after 不满意 (1 month). A step ends
when the person does the thing it asked for (it is "replied" on the engine).

Citizens have no account: their steps are called with ``by=None`` and the
timeline says 群众. Whatever a citizen should read goes into ``public_note``,
in plain language and without staff names; ``note`` stays internal.

One module per concern; this package re-exports the public API, so
``from suggestions.citizen import services`` and ``services.<name>`` work as before.
"""

from __future__ import annotations

from suggestions.citizen.services.acceptance import (
    citizen_issue_accept,
    citizen_issue_decline,
    citizen_issue_moderate,
)
from suggestions.citizen.services.appointments import (
    appointment_accept_proposal,
    appointment_cancel,
    appointment_confirm,
    appointment_decline,
    appointment_propose,
    appointment_record_meeting,
    appointment_request,
    appointment_request_department,
    appointment_route,
    appointments_remind_due,
)
from suggestions.citizen.services.assignment import (
    citizen_issue_assign,
)
from suggestions.citizen.services.base import (
    CODE_ALPHABET,
    CODE_LENGTH,
    KEY_NAMESPACE,
    new_tracking_code,
)
from suggestions.citizen.services.categories import (
    DEFAULT_CATEGORIES,
    categories_ensure_defaults,
)
from suggestions.citizen.services.contacts import (
    citizen_issue_create_from_contact,
)
from suggestions.citizen.services.conversion import (
    SUGGESTION_CATEGORY_OF,
    citizen_issue_convert,
)
from suggestions.citizen.services.counts import (
    issue_counts_differences,
    issue_counts_rebuild,
    issue_reads_rebuild,
    issue_steps_changed,
    issues_follow_region,
)
from suggestions.citizen.services.departments import (
    citizen_issue_decide_return,
    citizen_issue_department_reply,
    citizen_issue_forward,
    citizen_issue_send_back,
)
from suggestions.citizen.services.merging import (
    citizen_issue_merge,
)
from suggestions.citizen.services.messages import (
    citizen_message_send,
    pending_citizen_message_ids,
)
from suggestions.citizen.services.monthly import (
    handled_month_counts_differences,
    issue_month_areas_differences,
    issue_month_counts_differences,
    issue_month_counts_rebuild,
    issue_station_counts_differences,
)
from suggestions.citizen.services.rating import (
    citizen_issue_close_unrated,
    citizen_issue_log_return_visit,
    citizen_issue_rate,
    citizen_issues_close_unrated,
)
from suggestions.citizen.services.replies import (
    citizen_issue_answer,
    citizen_issue_report_back,
)
from suggestions.citizen.services.retention import (
    appointments_anonymise,
    expired_appointments,
    expired_issues,
    issues_anonymise,
)
from suggestions.citizen.services.routing import (
    citizen_issue_route,
    citizen_issues_route_pending,
    pending_route_issue_ids,
)
from suggestions.citizen.services.staff_tools import (
    BulkResult,
    citizen_issue_ban_phone,
    citizen_issue_reveal_contact,
    citizen_issue_set_public,
    citizen_issues_bulk_assign,
    citizen_issues_export,
)
from suggestions.citizen.services.submission import (
    MAX_CODE_ATTEMPTS,
    Submission,
    _title_from,
    citizen_issue_confirm,
    citizen_issue_submit,
    moderation_reason,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_CATEGORIES",
    "KEY_NAMESPACE",
    "MAX_CODE_ATTEMPTS",
    "SUGGESTION_CATEGORY_OF",
    "BulkResult",
    "Submission",
    "_title_from",
    "appointment_accept_proposal",
    "appointment_cancel",
    "appointment_confirm",
    "appointment_decline",
    "appointment_propose",
    "appointment_record_meeting",
    "appointment_request",
    "appointment_request_department",
    "appointment_route",
    "appointments_anonymise",
    "appointments_remind_due",
    "categories_ensure_defaults",
    "citizen_issue_accept",
    "citizen_issue_answer",
    "citizen_issue_assign",
    "citizen_issue_ban_phone",
    "citizen_issue_close_unrated",
    "citizen_issue_confirm",
    "citizen_issue_convert",
    "citizen_issue_create_from_contact",
    "citizen_issue_decide_return",
    "citizen_issue_decline",
    "citizen_issue_department_reply",
    "citizen_issue_forward",
    "citizen_issue_log_return_visit",
    "citizen_issue_merge",
    "citizen_issue_moderate",
    "citizen_issue_rate",
    "citizen_issue_report_back",
    "citizen_issue_reveal_contact",
    "citizen_issue_route",
    "citizen_issue_send_back",
    "citizen_issue_set_public",
    "citizen_issue_submit",
    "citizen_issues_bulk_assign",
    "citizen_issues_close_unrated",
    "citizen_issues_export",
    "citizen_issues_route_pending",
    "citizen_message_send",
    "expired_appointments",
    "expired_issues",
    "handled_month_counts_differences",
    "issue_counts_differences",
    "issue_counts_rebuild",
    "issue_month_areas_differences",
    "issue_month_counts_differences",
    "issue_month_counts_rebuild",
    "issue_reads_rebuild",
    "issue_station_counts_differences",
    "issue_steps_changed",
    "issues_anonymise",
    "issues_follow_region",
    "moderation_reason",
    "new_tracking_code",
    "pending_citizen_message_ids",
    "pending_route_issue_ids",
]
