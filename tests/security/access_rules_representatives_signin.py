"""Access rules of the representatives' SMS sign-in and the staff's bulk logins
(representatives/signin_urls.py).

The sign-in pages are public: anyone may ask for a code (rate-limited, and the
answer never says whether the number is known); the code page without a number
asked for first sends back to the first step. Giving logins in bulk is staff work:
staff of any region (each within their jurisdiction, which the service enforces)
and administrators; everyone else gets the same 404 as for an unknown page.
"""

from __future__ import annotations

from typing import Any

from tests.security.access_rules import (
    REDIRECT,
    STAFF,
    Case,
    Rule,
    everyone,
    only,
    page,
)
from tests.security.conftest import Cast

BAD_REQUEST = 400


def _nothing_chosen(cast: Cast) -> dict[str, Any]:
    return {}


RULES: dict[str, Rule] = {
    "sms_signin": page(everyone()),
    "sms_signin_code": page(everyone(REDIRECT)),
    "representative_accounts": Rule(
        (
            Case("the selection page", only(STAFF)),
            Case(
                "confirming without a selection is refused, for staff only",
                only(STAFF, ok=BAD_REQUEST),
                method="POST",
                data=_nothing_chosen,
            ),
        )
    ),
    "representative_accounts_import": page(only(STAFF)),
}
