"""Access rules of the livelihood year's rating (livelihood_votes/ratings/).

Scopes (livelihood_votes/ratings/selectors.py): staff see the cycles of their region and
below and run their ratings; a representative sees the rounds whose frozen electorate
they are in, rates in an open one and reads its result once counted; a rectification is
seen by staff of its region and the responsible department's clerk; a published result
is public. Everyone else gets 404. 刘红 (representative) sits for 海州区, 吴明 (other
representative) for 临江区; each district rates its own cycle, whose projects are its
department's (赵磊's, clerk; 孙丽's, other_clerk).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from congress.models import Region, User
from congress.models.ballots import Rating
from livelihood_votes.models import Cycle, Project, ProjectStatus
from livelihood_votes.models.ratings import RatingRound, Rectification
from livelihood_votes.ratings import services
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    LOGIN,
    NOT_ALLOWED,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    Builder,
    Case,
    Rule,
    api,
    everyone,
    only,
    outcomes,
    page,
    signed_in,
)
from tests.security.access_rules_representatives import rep_in, rep_out
from tests.security.conftest import Cast

BAD_REQUEST, FORBIDDEN, CONFLICT = 400, 403, 409
REP_IN = (*DISTRICT, "representative")
REP_OUT = (*OTHER_DISTRICT, "other_representative")


def _side(cast: Cast, side: str) -> tuple[Region, User, Any]:
    world = cast.world
    rep_in(cast), rep_out(cast)  # the electorates
    if side == "in":
        return world.district, cast.district_staff, world.department
    return world.other_district, cast.other_district_staff, world.other_department


def _cycle(cast: Cast, side: str) -> Cycle:
    region, _staff, department = _side(cast, side)
    today = timezone.localdate()
    year = today.year - Cycle.objects.filter(region=region).count()
    cycle = Cycle.objects.create(
        congress=region.congress,
        region=region,
        year=year,
        title=f"{region.name}{year}年度民生实事项目",
        evaluation_opens_on=today - datetime.timedelta(days=1),
        evaluation_closes_on=today + datetime.timedelta(days=10),
    )
    for n in (1, 2):
        Project.objects.create(
            cycle=cycle,
            title=f"民生项目{n}",
            department=department,
            order=n,
            status=ProjectStatus.COMPLETED,
        )
    return cycle


def _open(cast: Cast, side: str) -> RatingRound:
    _region, staff, _department = _side(cast, side)
    return services.rating_open(cycle=_cycle(cast, side), by=staff)


def _closed(cast: Cast, side: str) -> RatingRound:
    """Nobody rated: every project 不满意, each with its rectification."""
    _region, staff, _department = _side(cast, side)
    return services.rating_close(rating=_open(cast, side), by=staff)


def _published(cast: Cast, side: str) -> RatingRound:
    _region, staff, _department = _side(cast, side)
    return services.rating_publish(rating=_closed(cast, side), by=staff)


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def cycle(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lr_cycle_{side}", lambda: _cycle(cast, side)).pk}


def fresh_cycle(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _cycle(cast, side).pk, **extra}


def rating(state: str, side: str) -> Builder:
    build = {"open": _open, "closed": _closed, "published": _published}[state]
    return lambda cast: {"pk": _once(cast, f"lr_{state}_{side}", lambda: build(cast, side)).pk}


def fresh_open(side: str) -> Builder:
    return lambda cast: {"pk": _open(cast, side).pk}


def rectification(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        closed = _once(cast, f"lr_closed_{side}", lambda: _closed(cast, side))
        return {"pk": Rectification.objects.filter(round=closed).order_by("pk").first().pk}

    return build


def _round_status(cast: Cast, args: dict[str, Any]) -> Any:
    return list(RatingRound.objects.filter(cycle_id=args["pk"]).values_list("status", flat=True))


def _electors_taken(cast: Cast, args: dict[str, Any]) -> Any:
    rating_round = RatingRound.objects.get(pk=args["pk"])
    return rating_round.box.electors.filter(channel__isnull=False).count()


def _sign_in_data(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        voter = rep_in(cast) if side == "in" else rep_out(cast)
        return {"voter": voter.pk}

    return build


def staff_only(side_in: Builder, side_out: Builder, **kwargs: Any) -> Rule:
    return Rule(
        (
            Case("in 海州区", only(DISTRICT), side_in, **kwargs),
            Case("in 临江区", only(OTHER_DISTRICT), side_out, **kwargs),
        )
    )


def _api_marks(cast: Cast, args: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"marks": {}}  # a blank ballot: cast, and counted as blank


RULES: dict[str, Rule] = {
    "livelihood_rating_manage": staff_only(cycle("in"), cycle("out")),
    "livelihood_year_report": staff_only(cycle("in"), cycle("out")),
    "livelihood_rating_act": Rule(
        (
            Case(
                "开始测评 in 海州区: its staff; everyone else 404",
                only(DISTRICT, ok=REDIRECT),
                fresh_cycle("in", action="open"),
                "POST",
                fresh=True,
                unchanged=_round_status,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_cycle("out", action="open"),
                "POST",
                fresh=True,
                unchanged=_round_status,
            ),
            Case(
                "a name that is no step: 400 for its staff",
                only(DISTRICT, ok=BAD_REQUEST),
                lambda c: {**cycle("in")(c), "action": "nonsense"},
                "POST",
            ),
            Case(
                "GET is not a step",
                outcomes(NOT_ALLOWED, anonymous=LOGIN),
                lambda c: {"pk": 1, "action": "open"},
            ),
        )
    ),
    "my_livelihood_ratings": page(signed_in()),
    "livelihood_rating_ballot": Rule(
        (
            Case(
                "open, in 海州区: its electorate only",
                only(("representative",)),
                rating("open", "in"),
            ),
            Case("open, in 临江区", only(("other_representative",)), rating("open", "out")),
            Case(
                "a blank ballot, in 海州区: 刘红's answer is the receipt",
                only(("representative",)),
                fresh_open("in"),
                "POST",
                lambda c: {},
                fresh=True,
                writers=("representative",),
                unchanged=_electors_taken,
            ),
        )
    ),
    "livelihood_rating_results": Rule(
        (
            Case("counted, in 海州区: staff and electorate", only(REP_IN), rating("closed", "in")),
            Case("counted, in 临江区", only(REP_OUT), rating("closed", "out")),
            Case(
                "open: nothing counted yet, 409 for who sees it",
                only(REP_IN, ok=CONFLICT),
                rating("open", "in"),
            ),
        )
    ),
    "livelihood_rating_sign_in": Rule(
        (
            Case(
                "签到 in 海州区: its staff",
                only(DISTRICT, ok=REDIRECT),
                fresh_open("in"),
                "POST",
                _sign_in_data("in"),
                fresh=True,
                unchanged=_electors_taken,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_open("out"),
                "POST",
                _sign_in_data("out"),
                fresh=True,
                unchanged=_electors_taken,
            ),
            Case("GET is not a step", outcomes(NOT_ALLOWED, anonymous=LOGIN), rating("open", "in")),
        )
    ),
    "livelihood_rating_paper": Rule(
        (
            Case(
                "a sheet never handed out, in 海州区: 400 for its staff",
                only(DISTRICT, ok=BAD_REQUEST),
                rating("open", "in"),
                "POST",
                lambda c: {"sheet": 1},
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=BAD_REQUEST),
                rating("open", "out"),
                "POST",
                lambda c: {"sheet": 1},
            ),
            Case("GET is not a step", outcomes(NOT_ALLOWED, anonymous=LOGIN), rating("open", "in")),
        )
    ),
    "livelihood_rating_public": Rule(
        (
            Case("published: everyone", everyone(OK), rating("published", "in")),
            Case("counted, not published: nobody", everyone(404), rating("closed", "out")),
        )
    ),
    "livelihood_rectification_detail": Rule(
        (
            Case(
                "in 海州区: staff and the department's clerk",
                only((*DISTRICT, "clerk")),
                rectification("in"),
            ),
            Case("in 临江区", only((*OTHER_DISTRICT, "other_clerk")), rectification("out")),
        )
    ),
    # --- API ---
    "livelihood-rating-list": page(api(signed_in())),
    "livelihood-rating-detail": Rule(
        (
            Case("in 海州区", api(only(REP_IN)), rating("open", "in")),
            Case("in 临江区", api(only(REP_OUT)), rating("open", "out")),
        )
    ),
    "livelihood-rating-results": Rule(
        (
            Case("counted, in 海州区", api(only(REP_IN)), rating("closed", "in")),
            Case("counted, in 临江区", api(only(REP_OUT)), rating("closed", "out")),
            Case("open: 409 for who sees it", api(only(REP_IN, ok=CONFLICT)), rating("open", "in")),
        )
    ),
    "livelihood-rating-ballot": Rule(
        (
            Case(
                "in 海州区: 刘红 201; staff see it but are nobody's voter, 403",
                api(only(("representative",), ok=201)) | dict.fromkeys(DISTRICT, FORBIDDEN),
                fresh_open("in"),
                "POST",
                _api_marks,
                fresh=True,
                unchanged=_electors_taken,
            ),
            Case(
                "in 临江区",
                api(only(("other_representative",), ok=201))
                | dict.fromkeys(OTHER_DISTRICT, FORBIDDEN),
                fresh_open("out"),
                "POST",
                _api_marks,
                fresh=True,
                unchanged=_electors_taken,
            ),
            Case("get", api(signed_in(NOT_ALLOWED)), rating("open", "in")),
        )
    ),
    "livelihood-rating-cycle-act": Rule(
        (
            Case(
                "开始测评 in 海州区",
                api(only(DISTRICT)),
                fresh_cycle("in", action_name="open"),
                "POST",
                fresh=True,
                unchanged=_round_status,
            ),
            Case(
                "in 临江区",
                api(only(OTHER_DISTRICT)),
                fresh_cycle("out", action_name="open"),
                "POST",
                fresh=True,
                unchanged=_round_status,
            ),
            Case(
                "published already: 409 for its staff",
                api(only(DISTRICT, ok=CONFLICT)),
                lambda c: {
                    "pk": _once(c, "lr_published_in", lambda: _published(c, "in")).cycle_id,
                    "action_name": "publish",
                },
                "POST",
            ),
        )
    ),
    "livelihood-rating-public-detail": Rule(
        (
            Case("published: everyone", everyone(OK), rating("published", "in")),
            Case("counted, not published: nobody", everyone(404), rating("closed", "out")),
        )
    ),
}

__all__ = ["API_ANONYMOUS", "OK", "RULES", "Rating"]
