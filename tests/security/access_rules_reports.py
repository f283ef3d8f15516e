"""Access rules of the monthly and yearly reports (congress/report_urls.py,
docs/dashboard.md "Reports").

Staff of a region and above (and administrators) open its reports and subscribe to
them; a region sideways (临江区 for 海州区's staff) is a 404, as is every report for
anyone who is not congress staff. Subscribing is a POST that goes back to the list;
GET is 405 for the signed-in.
"""

from __future__ import annotations

from typing import Any

from congress.models.reports import ReportSubscription
from tests.security.access_rules import (
    DISTRICT,
    NOT_ALLOWED,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    only,
    page,
    scoped,
    signed_in,
)
from tests.security.conftest import Cast


def region(side: str, **extra: Any) -> Builder:
    """The URL kwargs of 海州区 (in) or 临江区 (out), with a month or a year."""

    def build(cast: Cast) -> dict[str, Any]:
        found = cast.world.district if side == "in" else cast.world.other_district
        return {"region_id": found.pk, **extra}

    return build


def _subscriptions(cast: Cast, args: dict[str, Any]) -> list[tuple[int, int]]:
    return sorted(
        ReportSubscription.objects.filter(region_id=args["region_id"]).values_list(
            "user_id", "region_id"
        )
    )


def subscription_rule() -> Rule:
    """A POST on 海州区 and on 临江区: each side's staff (and the city's, and the
    administrator) are sent back to the list; everyone else gets 404 and no row."""
    return Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), region("in"), "GET"),
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                region("in"),
                "POST",
                unchanged=_subscriptions,
            ),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                region("out"),
                "POST",
                unchanged=_subscriptions,
            ),
        )
    )


RULES: dict[str, Rule] = {
    # The list of the user's own region's reports: congress staff and administrators
    # (another region by ?region=: tests/test_reports_monthly.py, the scope).
    "report_index": page(only(STAFF)),
    "report_month": scoped(
        region("in", year=2026, month="01"), region("out", year=2026, month="01")
    ),
    "report_year": scoped(region("in", year=2026), region("out", year=2026)),
    "report_subscribe": subscription_rule(),
    "report_unsubscribe": subscription_rule(),
}
