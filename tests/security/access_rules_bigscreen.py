"""Access rules of the big screen (数据大屏, congress/bigscreen_urls.py, docs/dashboard.md
"Big screen").

Signed in, congress staff open their own region's screen (and its JSON); the links
page is theirs too; anyone else signed in gets 404. A link is made for a region in the
maker's jurisdiction (临江区's staff making one for 海州区 get the form back, 400) and
revoked by the staff of its region or above (sideways: 404). A live link's screen
and JSON open for everyone, signed in or not (it reads as its creator, never as the
visitor); a revoked link is a 404 for everyone. The API operation answers for a
region in the caller's jurisdiction, else 404.
"""

from __future__ import annotations

from typing import Any

from congress import bigscreen
from congress.models import Region
from congress.models.bigscreen import BigScreenLink
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    everyone,
    only,
    outcomes,
    page,
    scoped,
)
from tests.security.conftest import Cast

BAD_REQUEST = 400


def _region(cast: Cast, side: str) -> Region:
    return cast.world.district if side == "in" else cast.world.other_district  # type: ignore[no-any-return]


def _link(side: str, *, revoked: bool = False) -> Builder:
    """A link of 海州区 (in) or 临江区 (out), made by its staff; its pk and token."""

    def build(cast: Cast) -> dict[str, Any]:
        key = f"bigscreen-{side}-{revoked}"
        if key not in cast.objects:
            by = cast.district_staff if side == "in" else cast.other_district_staff
            link, token = bigscreen.bigscreen_link_create(
                region=_region(cast, side), label="代表之家大厅", by=by
            )
            if revoked:
                bigscreen.bigscreen_link_revoke(link=link, by=by)
            cast.objects[key] = (link, token)
        return cast.objects[key]  # type: ignore[no-any-return]

    return build


def _pk(side: str) -> Builder:
    return lambda cast: {"pk": _link(side)(cast)[0].pk}


def _token(side: str, *, revoked: bool = False) -> Builder:
    return lambda cast: {"token": _link(side, revoked=revoked)(cast)[1]}


def _region_id(side: str) -> Builder:
    return lambda cast: {"region_id": _region(cast, side).pk}


def _links(cast: Cast, args: dict[str, Any]) -> int:
    return BigScreenLink.objects.count()


def _shared(name: str) -> Rule:
    return Rule(
        (
            Case("a live link", everyone(OK), _token("in"), route=name),
            Case("a revoked link", everyone(NOT_FOUND), _token("in", revoked=True), route=name),
        )
    )


RULES: dict[str, Rule] = {
    "bigscreen": page(only(STAFF)),
    "bigscreen_data": page(only(STAFF)),
    "bigscreen_links": Rule(
        (
            Case("list", only(STAFF)),
            Case(
                "make one for 海州区",
                outcomes(
                    NOT_FOUND,
                    anonymous=LOGIN,
                    other_district_staff=BAD_REQUEST,
                    **dict.fromkeys(DISTRICT, OK),
                ),
                method="POST",
                data=lambda cast: {"region": cast.world.district.pk, "label": "会场"},
                unchanged=_links,
                writers=DISTRICT,
            ),
        )
    ),
    "bigscreen_link_revoke": scoped(_pk("in"), _pk("out"), method="POST", ok=REDIRECT),
    "bigscreen_shared": _shared("bigscreen_shared"),
    "bigscreen_shared_data": _shared("bigscreen_shared_data"),
    "api-bigscreen": scoped(_region_id("in"), _region_id("out"), anonymous=API_ANONYMOUS),
}
