"""Access rules of the rules per congress (congress/rules_views.py, docs/rules.md).

Staff read the rules of the congresses of their region and below; administrators also
change them. A congress outside the scope is a 404; staff who may read a congress's
rules but not change them get 403 on saving. Everyone else: 404 (the list too: the
page is for the office side only). A congress's point values (履职积分,
representatives/point_rules_views.py) follow the same rules.
"""

from __future__ import annotations

from typing import Any

from congress.models import Congress
from congress.models.rules import CongressRule
from representatives.models import PointRule
from tests.security.access_rules import (
    DISTRICT,
    FORBIDDEN,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    only,
    page,
    scoped,
)
from tests.security.conftest import Cast

ACCEPT = "citizen.accept_workdays"


def congress_of(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        return {"pk": Congress.objects.get(region=region).pk}

    return build


def _set_accept(cast: Cast) -> dict[str, Any]:
    return {ACCEPT: "4"}


def _accept_of(cast: Cast, args: dict[str, Any]) -> Any:
    return list(CongressRule.objects.filter(congress_id=args["pk"]).values_list("key", "value"))


def _save(side: str, readers: tuple[str, ...]) -> Case:
    """Saving a congress's rules: an administrator is sent back to the page; its staff,
    who may read them, 403; anyone else 404. Nothing changes for the refused."""
    return Case(
        f"save in {'海州区' if side == 'in' else '临江区'}: administrators; its staff 403",
        {**only(readers, ok=FORBIDDEN), "administrator": REDIRECT},
        congress_of(side),
        "POST",
        _set_accept,
        fresh=True,
        unchanged=_accept_of,
        writers=("administrator",),
    )


def _set_contact_points(cast: Cast) -> dict[str, Any]:
    return {"contact_log": "4"}


def _points_of(cast: Cast, args: dict[str, Any]) -> Any:
    return list(PointRule.objects.filter(congress_id=args["pk"]).values_list("code", "points"))


def _save_points(side: str, readers: tuple[str, ...]) -> Case:
    """Saving a congress's point values: as its other rules (administrators; its staff
    403; anyone else 404), nothing changed for the refused."""
    return Case(
        f"points in {'海州区' if side == 'in' else '临江区'}: administrators; its staff 403",
        {**only(readers, ok=FORBIDDEN), "administrator": REDIRECT},
        congress_of(side),
        "POST",
        _set_contact_points,
        fresh=True,
        unchanged=_points_of,
        writers=("administrator",),
    )


RULES: dict[str, Rule] = {
    "congress_rules_list": page(only(STAFF)),
    "congress_rules_detail": Rule(
        (
            *scoped(congress_of("in"), congress_of("out")).cases,
            _save("in", DISTRICT),
            _save("out", OTHER_DISTRICT),
        )
    ),
    "congress_point_rules": Rule(
        (
            *scoped(congress_of("in"), congress_of("out")).cases,
            _save_points("in", DISTRICT),
            _save_points("out", OTHER_DISTRICT),
        )
    ),
}
