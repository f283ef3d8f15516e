"""Access rules of representatives' suggestions and motions (suggestions.formal).

BASELINE rules, written from the URLs and views while the app was being built
(see access_rules_suggestions_citizen.py for what they prove). The formal
channel's engineer replaces them with in-scope / out-of-scope cases: a
suggestion led by 刘红 (海州区) and one by 吴明 (临江区); co-signers; the
handling department's clerk and another department's.
"""

from __future__ import annotations

import suggestions.formal.api  # noqa: F401 - no rules until the app exists
from tests.security.access_rules import Rule, baseline

_POST_ACTIONS = [
    "invite",
    "start-cosigning",
    "cosign",
    "submit",
    "withdraw",
    "pre-return",
    "review",
    "assign",
    "reassign",
    "rate",
    "close-rating",
    "key",
    "publish",
    "group-evaluation",
    "contact",
]
_ASSIGNMENT_ACTIONS = [
    "accept",
    "request-return",
    "decide-return",
    "request-extension",
    "decide-extension",
    "reply",
    "progress",
    "opinion",
    "follow-up",
]

RULES: dict[str, Rule] = {
    "formal_suggestion_list": baseline("staff"),
    "formal_suggestion_create": baseline("staff"),
    "formal_key_list": baseline("staff"),
    "formal_workspace": baseline("staff"),
    "formal_report": baseline("staff"),
    "formal_report_print": baseline("object", id_name="session_id"),
    "formal_report_xlsx": baseline("object", id_name="session_id"),
    "formal_suggestion_detail": baseline("object"),
    "formal_suggestion_edit": baseline("object"),
    "formal_suggestion_act": baseline("object", "POST", action="submit"),
    "formal_assignment_act": baseline("object", "POST", action="accept"),
    "formal_attachment": baseline("object", token="no-such-file"),
    "formal_public_list": baseline("public"),
    "formal_public_detail": baseline("public-object"),
    # API
    "formal-suggestion-list": Rule(baseline("api").cases + baseline("api", "POST").cases),
    "formal-suggestion-detail": Rule(
        baseline("api-object").cases + baseline("api-object", "PATCH").cases
    ),
    "formal-suggestion-timeline": baseline("api-object"),
    "formal-suggestion-report": baseline("api-object", id_name="session_id"),
    "formal-assignment-list": baseline("api"),
    "formal-assignment-detail": baseline("api-object"),
    "formal-public-suggestion-list": baseline("api-public"),
    "formal-public-suggestion-detail": baseline("api-public-object"),
    **{f"formal-suggestion-{a}": baseline("api-object", "POST") for a in _POST_ACTIONS},
    **{f"formal-assignment-{a}": baseline("api-object", "POST") for a in _ASSIGNMENT_ACTIONS},
}
