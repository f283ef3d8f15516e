"""Access rules of the representatives' SMS sign-in and the staff's bulk logins
(representatives/signin_urls.py).

The sign-in pages are public: anyone may ask for a code (rate-limited, and the
answer never says whether the number is known); the code page without a number
asked for first sends back to the first step. Giving logins in bulk is staff work:
staff of any region (each within their jurisdiction, which the service enforces)
and administrators; everyone else gets the same 404 as for an unknown page. Over the
API (/api/v1/representative-accounts/) another role is told 403, and a region or
congress outside the staff member's jurisdiction is a 404.
"""

from __future__ import annotations

from typing import Any

from tests.security.access_rules import (
    DISTRICT,
    FORBIDDEN,
    NOT_FOUND,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Case,
    Outcome,
    Rule,
    api,
    everyone,
    only,
    page,
)
from tests.security.conftest import Cast

BAD_REQUEST = 400


def _nothing_chosen(cast: Cast) -> dict[str, Any]:
    return {}


def _district(cast: Cast) -> dict[str, Any]:
    return {"region": cast.world.district.pk}


def _other_district(cast: Cast) -> dict[str, Any]:
    return {"region": cast.world.other_district.pk}


def _staff_in(allowed: tuple[str, ...], ok: Outcome = 200) -> dict[str, Outcome]:
    """Staff whose jurisdiction holds the region: ``ok``; other staff: 404; every
    other role: 403."""
    expect = api(only(allowed, ok=ok, other=FORBIDDEN))
    expect.update({persona: NOT_FOUND for persona in STAFF if persona not in allowed})
    return expect


RULES: dict[str, Rule] = {
    "api-representative-accounts": Rule(
        (
            Case("preview 海州区", _staff_in(DISTRICT), data=_district),
            Case("preview 临江区", _staff_in(OTHER_DISTRICT), data=_other_district),
            Case(
                "create with nothing chosen",
                api(only(STAFF, ok=BAD_REQUEST, other=FORBIDDEN)),
                method="POST",
                data=_nothing_chosen,
            ),
            Case(
                "create in 临江区",
                _staff_in(OTHER_DISTRICT),
                method="POST",
                data=_other_district,
            ),
        )
    ),
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
