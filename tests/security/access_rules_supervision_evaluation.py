"""Access rules of the department evaluation (工作评议, 云评议; supervision/evaluation_urls.py,
supervision/evaluation_api_urls.py).

Scopes (supervision/evaluation/selectors.py): staff see the evaluations of the congresses
in their region and below and run them; a representative with a seat in the congress
sees it once open and scores it; the published ranking is public; everyone else gets
404. Only staff create one (``POST …/evaluations/``), for a congress in their region or
below. 刘红 (representative) sits for 海州区, 吴明 (other representative) for 临江区; each
district holds its own evaluation of its own departments.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from congress.models import Department, Region, User
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    api,
    everyone,
    only,
    outcomes,
    page,
    scoped,
    signed_in,
)
from tests.security.access_rules_representatives import rep_in, rep_out
from tests.security.conftest import Cast

REP_IN = (*DISTRICT, "representative")
REP_OUT = (*OTHER_DISTRICT, "other_representative")
CONFLICT = 409


def _staff(cast: Cast, region: Region) -> User:
    return cast.district_staff if region == cast.world.district else cast.other_district_staff  # type: ignore[no-any-return]


def _draft(cast: Cast, region: Region) -> Evaluation:
    rep_in(cast), rep_out(cast)  # the electorates
    department = (
        cast.world.department if region == cast.world.district else cast.world.other_department
    )
    assert isinstance(department, Department)
    now = timezone.now()
    return services.evaluation_create(
        congress=region.congress,
        title=f"{region.name}工作评议",
        year=2026,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7),
        criteria=[("工作作风", 60), ("服务质量", 40)],
        departments=[department],
        by=_staff(cast, region),
    )


def _open(cast: Cast, region: Region) -> Evaluation:
    return services.evaluation_open(evaluation=_draft(cast, region), by=_staff(cast, region))


def _closed(cast: Cast, region: Region) -> Evaluation:
    return services.evaluation_close(evaluation=_open(cast, region), by=_staff(cast, region))


def _published(cast: Cast, region: Region) -> Evaluation:
    return services.evaluation_publish(evaluation=_closed(cast, region), by=_staff(cast, region))


MAKE = {"draft": _draft, "open": _open, "closed": _closed, "published": _published}


def evaluation(state: str, side: str) -> Builder:
    """The URL kwargs of an evaluation in ``state`` in 海州区 (in) or 临江区 (out)."""

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        key = f"ev_{state}_{side}"
        if key not in cast.objects:
            cast.objects[key] = MAKE[state](cast, region)
        return {"pk": cast.objects[key].pk}

    return build


def fresh(state: str, side: str, **extra: Any) -> Builder:
    """A new evaluation for each request (the request changes it)."""

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        return {"pk": MAKE[state](cast, region).pk, **extra}

    return build


def _published_in(cast: Cast) -> dict[str, Any]:
    evaluation("published", "in")(cast)
    return {}


def reps_exist(cast: Cast) -> dict[str, Any]:
    rep_in(cast), rep_out(cast)
    return {}


def _status_of(cast: Cast, args: dict[str, Any]) -> str:
    return Evaluation.objects.get(pk=args["pk"]).status  # type: ignore[no-any-return]


def _scores(cast: Cast) -> dict[str, Any]:
    """Every cell of the newest evaluation scored 80 (the page's field names)."""
    latest = Evaluation.objects.order_by("-pk").first()
    assert latest is not None
    return {f"s{s}-c{c}": 80 for (s, c) in services.cells_of(latest)}


def _api_scores(cast: Cast) -> dict[str, Any]:
    latest = Evaluation.objects.order_by("-pk").first()
    assert latest is not None
    return {
        "scores": [
            {"subject": s, "criterion": c, "score": 80} for (s, c) in services.cells_of(latest)
        ]
    }


def _evaluation_count(cast: Cast, args: dict[str, Any]) -> int:
    return Evaluation.objects.count()


def _new_evaluation(side: str) -> Builder:
    """The API's create body for the side's congress, one of its departments scored on
    two criteria in a window from tomorrow on (the new-evaluation page's fields)."""

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        department = cast.world.department if side == "in" else cast.world.other_department
        now = timezone.now()
        return {
            "congress": region.congress.pk,
            "title": f"{region.name}工作评议",
            "year": 2026,
            "opens_at": (now + datetime.timedelta(days=1)).isoformat(),
            "closes_at": (now + datetime.timedelta(days=8)).isoformat(),
            "departments": [department.pk],
            "criteria": "工作作风 60\n服务质量 40",
        }

    return build


def _create(side: str, name: str, allowed: tuple[str, ...]) -> Case:
    """Staff whose region holds the congress create (201); everyone else 404 (the
    congress outside their scope, or not staff: a representative who sees the list too),
    and nothing is written."""
    return Case(
        f"create in {name}",
        api(only(allowed, ok=201)),
        method="POST",
        data=_new_evaluation(side),
        fresh=True,
        unchanged=_evaluation_count,
    )


RULES: dict[str, Rule] = {
    "evaluation_list": page(signed_in(), args=reps_exist),
    "evaluation_create": page(only(STAFF), args=reps_exist),
    "evaluation_detail": Rule(
        (
            *scoped(
                evaluation("open", "in"),
                evaluation("open", "out"),
                allowed_in=REP_IN,
                allowed_out=REP_OUT,
            ).cases,
            Case("a draft is for staff", only(DISTRICT), evaluation("draft", "in")),
        )
    ),
    # The staff's steps (supervision/evaluation/actions.py): the managing staff take them
    # (a redirect back to the page); everyone else 404, the evaluation unchanged.
    "evaluation_act": Rule(
        (
            Case(
                "get",
                everyone(NOT_ALLOWED),
                lambda c: {**evaluation("draft", "in")(c), "name": "evaluation_open"},
            ),
            Case(
                "开始评议 in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh("draft", "in", name="evaluation_open"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "结束评议 in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh("open", "out", name="evaluation_close"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
        )
    ),
    "evaluation_ballot": Rule(
        (
            Case("the scoring page in 海州区", only(("representative",)), evaluation("open", "in")),
            Case(
                "the scoring page in 临江区",
                only(("other_representative",)),
                evaluation("open", "out"),
            ),
            Case(
                "scoring in 海州区",
                only(("representative",)),
                fresh("open", "in"),
                "POST",
                _scores,
                fresh=True,
            ),
            Case(
                "scoring in 临江区",
                only(("other_representative",)),
                fresh("open", "out"),
                "POST",
                _scores,
                fresh=True,
            ),
        )
    ),
    "evaluation_public": Rule(
        (
            Case("published, 海州区", everyone(OK), evaluation("published", "in")),
            Case("published, 临江区", everyone(OK), evaluation("published", "out")),
            Case("closed, not yet published", everyone(NOT_FOUND), evaluation("closed", "in")),
        )
    ),
    "evaluation_public_region": Rule(
        (
            Case(
                "海州区's published rankings",
                everyone(OK),
                lambda c: {"region_id": c.world.district.pk, **_published_in(c)},
            ),
            Case("a made-up region", everyone(NOT_FOUND), lambda c: {"region_id": 987654}),
        )
    ),
    # The API
    "evaluation-list": Rule(
        (
            Case("list", api(signed_in()), reps_exist),
            _create("in", "海州区", DISTRICT),
            _create("out", "临江区", OTHER_DISTRICT),
        )
    ),
    "evaluation-detail": scoped(
        evaluation("open", "in"),
        evaluation("open", "out"),
        allowed_in=REP_IN,
        allowed_out=REP_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "evaluation-results": Rule(
        (
            Case("closed, in 海州区", api(only(REP_IN)), evaluation("closed", "in")),
            Case("closed, in 临江区", api(only(REP_OUT)), evaluation("closed", "out")),
            Case(
                "open: nobody sees scores",
                api(only(REP_IN, ok=CONFLICT)),
                evaluation("open", "in"),
            ),
        )
    ),
    "evaluation-ballot": Rule(
        (
            Case("get", api(signed_in(NOT_ALLOWED)), evaluation("open", "in")),
            Case(
                "post in 海州区",
                api(only(("representative",), ok=201)),
                fresh("open", "in"),
                "POST",
                _api_scores,
                fresh=True,
            ),
            Case(
                "post in 临江区",
                api(only(("other_representative",), ok=201)),
                fresh("open", "out"),
                "POST",
                _api_scores,
                fresh=True,
            ),
        )
    ),
    # A representative who sees the evaluation may not take a staff step: 409.
    "evaluation-act": Rule(
        (
            Case(
                "开始评议 in 海州区",
                api(
                    outcomes(
                        NOT_FOUND,
                        anonymous=LOGIN,
                        **dict.fromkeys(DISTRICT, OK),
                    )
                ),
                fresh("draft", "in", action_name="evaluation_open"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "结束评议 in 海州区: its representative sees it, 409",
                api(
                    outcomes(
                        NOT_FOUND,
                        anonymous=LOGIN,
                        representative=CONFLICT,
                        **dict.fromkeys(DISTRICT, OK),
                    )
                ),
                fresh("open", "in", action_name="evaluation_close"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "结束评议 in 临江区",
                api(
                    outcomes(
                        NOT_FOUND,
                        anonymous=LOGIN,
                        other_representative=CONFLICT,
                        **dict.fromkeys(OTHER_DISTRICT, OK),
                    )
                ),
                fresh("open", "out", action_name="evaluation_close"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "a name that is no step: 400",
                api(only(DISTRICT, ok=400)),
                fresh("draft", "in", action_name="nonsense"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
        )
    ),
}
