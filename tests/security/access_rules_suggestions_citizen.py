"""Access rules of citizens' problems and appointments (suggestions.citizen).

BASELINE rules, written from the URLs and views while the app was being built:
they prove login is required where it must be, that a made-up id or tracking
token is a 404 (never a 403 or a 500), and that nothing answers with a server
error. The citizen app's engineer replaces each with in-scope / out-of-scope
cases (``scoped(...)`` with a problem in 海州区 and one in 临江区; the citizen
persona holding a real tracking link), as access_rules_representatives.py does.
"""

from __future__ import annotations

from suggestions.models import CitizenIssue  # noqa: F401 - no rules until the app exists
from tests.security.access_rules import Rule, baseline

RULES: dict[str, Rule] = {
    # Public, no login (rate-limited)
    "citizen_issue_new": baseline("public"),
    "citizen_issue_similar": baseline("public"),
    "citizen_issue_lookup": baseline("public"),
    "citizen_issue_track": baseline("token"),
    "citizen_issue_rate": baseline("token", "POST"),
    "citizen_issue_confirm": baseline("token", "POST"),
    "citizen_issue_track_photo": baseline("token", photo="1"),
    "appointment_new": baseline("public"),
    "appointment_track": baseline("token"),
    "appointment_track_act": baseline("token", "POST", action="cancel"),
    # Staff, representatives and clerks
    "citizen_issue_list": baseline("staff"),
    "citizen_issue_export": baseline("staff"),
    "citizen_issue_bulk_assign": baseline("staff", "POST"),
    "citizen_issue_filter_save": baseline("staff", "POST"),
    "citizen_issue_filter_delete": baseline("object", "POST"),
    "citizen_issue_detail": baseline("object"),
    "citizen_issue_print": baseline("object"),
    "citizen_issue_reveal": baseline("object", "POST"),
    "citizen_issue_photo": baseline("object", photo="1"),
    "citizen_issue_act": baseline("object", "POST", action="accept"),
    "appointment_list": baseline("staff"),
    "appointment_department_new": baseline("staff"),
    "appointment_detail": baseline("object"),
    "appointment_act": baseline("object", "POST", action="confirm"),
    # API
    "api-citizen-categories": baseline("api-public"),
    "api-citizen-submit": baseline("api-public", "POST"),
    "api-citizen-track": baseline("token"),
    "api-citizen-rate": baseline("token", "POST"),
    "citizen-issue-list": baseline("api"),
    "citizen-issue-detail": baseline("api-object"),
    "citizen-issue-act": baseline("api-object", "POST", action_name="accept"),
    "appointment-list": baseline("api"),
    "appointment-detail": baseline("api-object"),
}
