"""Access rules of the livelihood year's projects (livelihood_votes/projects/).

Scopes (livelihood_votes/projects/selectors.py): staff see the projects of the cycles in
their region and below and run them; the responsible department's clerk sees its
projects and files their monthly reports; a representative of a project's 1+1+N group
sees it and may record an inspection. Everyone else gets 404. In these rules 海州区's
project is 赵磊's department's (clerk) and 刘红 (representative) sits in its group;
临江区's is 孙丽's (other_clerk). The public pages and their API answer everyone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache

from livelihood_votes import services as vote_services
from livelihood_votes.models.projects import ProgressReport, Project
from livelihood_votes.projects import services
from representatives.models import Representative
from tests.livelihood_votes.test_project_fixtures import cycle_of, photo, project_of, started
from tests.representatives.factories import RepresentativeFactory
from tests.security.access_rules import (
    DISTRICT,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
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
    scoped,
    signed_in,
)
from tests.security.conftest import Cast

IN_PARTIES = (*DISTRICT, "clerk", "representative")
OUT_PARTIES = (*OTHER_DISTRICT, "other_clerk")
BAD_REQUEST = 400


def _side(cast: Cast, side: str) -> tuple[Any, Any, Any]:
    world = cast.world
    if side == "in":
        return world.district, cast.district_staff, world.department
    return world.other_district, cast.other_district_staff, world.other_department


def _project(cast: Cast, side: str) -> Project:
    """A project in implementation with one filed report (and its photo); 海州区's has
    刘红 in its group; next month's report is awaited."""
    region, staff, department = _side(cast, side)
    project = started(project_of(region, department), staff)
    services.report_file(
        project=project,
        percent_complete=10,
        spent=Decimal(50),
        text="开工",
        photos=[photo()],
        by=staff,
    )
    if side == "in":
        liu = Representative.objects.filter(user=cast.representative).first()
        if liu is None:
            liu = RepresentativeFactory(
                name="刘红", region=cast.world.village, user=cast.representative
            )
        project.group_members.add(liu)
    project.refresh_from_db()
    services.report_request(
        project=project, month=(project.last_report_on.replace(day=28) + _days(4)).replace(day=1)
    )
    return project


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def project(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lp_{side}", lambda: _project(cast, side)).pk}


def fresh_project(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _project(cast, side).pk, **extra}


def cycle(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lp_{side}", lambda: _project(cast, side)).cycle_id}


def photo_token(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = _once(cast, f"lp_{side}", lambda: _project(cast, side))
        report = found.reports.filter(status="filed").get()
        return {"token": report.photos.get().token}

    return build


def _vote(cast: Cast, side: str) -> Any:
    region, staff, _department = _side(cast, side)
    vote = vote_services.vote_create(
        congress=region.congress, title="票决", year=2026, seats=2, ballot_form="up_to_n", by=staff
    )
    return vote


def vote(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lv_{side}", lambda: _vote(cast, side)).pk}


def public_project(side: str = "in") -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        cache.clear()  # every matrix request comes from 127.0.0.1: fresh counters
        return {"pk": _once(cast, f"lp_{side}", lambda: _project(cast, side)).pk}

    return build


def _awaited(cast: Cast, args: dict[str, Any]) -> int:
    return ProgressReport.objects.filter(project_id=args["pk"], status="awaited").count()


_REPORT = {"percent_complete": "20", "spent": "80", "text": "主体施工"}

RULES: dict[str, Rule] = {
    "livelihood_project_list": page(signed_in()),
    "livelihood_cycle_projects": scoped(cycle("in"), cycle("out")),
    "livelihood_cycle_projects_start": Rule(
        (
            Case(
                "开始实施 in 海州区: its staff (refused with a message: no vote)",
                only(DISTRICT, ok=REDIRECT),
                cycle("in"),
                "POST",
            ),
            Case("in 临江区", only(OTHER_DISTRICT, ok=REDIRECT), cycle("out"), "POST"),
            Case("GET is not a step", outcomes(NOT_ALLOWED, anonymous=LOGIN), cycle("in")),
        )
    ),
    "livelihood_vote_start_implementation": Rule(
        (
            Case(
                "a draft vote in 海州区: its staff (refused with a message)",
                only(DISTRICT, ok=REDIRECT),
                vote("in"),
                "POST",
            ),
            Case("in 临江区", only(OTHER_DISTRICT, ok=REDIRECT), vote("out"), "POST"),
            Case("GET is not a step", outcomes(NOT_ALLOWED, anonymous=LOGIN), vote("in")),
        )
    ),
    "livelihood_project_detail": Rule(
        (
            Case("in 海州区", only(IN_PARTIES), project("in")),
            Case("in 临江区", only(OUT_PARTIES), project("out")),
        )
    ),
    "livelihood_project_act": Rule(
        (
            Case(
                "the report form in 海州区: staff and the clerk; the group member 403",
                only((*DISTRICT, "clerk")) | {"representative": FORBIDDEN},
                lambda c: {**project("in")(c), "action": "report_file"},
            ),
            Case(
                "报送月度进度 in 海州区",
                only((*DISTRICT, "clerk"), ok=REDIRECT) | {"representative": FORBIDDEN},
                fresh_project("in", action="report_file"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_awaited,
            ),
            Case(
                "报送月度进度 in 临江区",
                only((*OTHER_DISTRICT, "other_clerk"), ok=REDIRECT),
                fresh_project("out", action="report_file"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_awaited,
            ),
            Case(
                "a name that is no step: 400 for who sees it",
                only(IN_PARTIES, ok=BAD_REQUEST),
                lambda c: {**project("in")(c), "action": "nonsense"},
            ),
        )
    ),
    "livelihood_project_photo": Rule(
        (
            Case("in 海州区", only(IN_PARTIES), photo_token("in")),
            Case("in 临江区", only(OUT_PARTIES), photo_token("out")),
        )
    ),
    "livelihood_public_cycle": Rule(
        (
            Case("a cycle with projects", everyone(OK), cycle("in")),
            Case("made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        )
    ),
    "livelihood_public_project": Rule(
        (
            Case("the page", everyone(OK), public_project("in")),
            Case(
                "a comment (no account)",
                everyone(REDIRECT),
                public_project("in"),
                "POST",
                lambda c: {"text": "希望早日完工"},
                fresh=True,
            ),
            Case("made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        )
    ),
    "livelihood_public_project_qr": Rule(
        (
            Case("svg", everyone(OK), lambda c: {**project("in")(c), "fmt": "svg"}),
            Case("png", everyone(OK), lambda c: {**project("in")(c), "fmt": "png"}),
            Case("other format", everyone(NOT_FOUND), lambda c: {**project("in")(c), "fmt": "gif"}),
        )
    ),
    "livelihood_public_photo": Rule(
        (
            Case("a filed report's photo", everyone(OK), photo_token("in")),
            Case("made-up token", everyone(NOT_FOUND), lambda c: {"token": "x" * 20}),
        )
    ),
    # --- API ---
    "livelihood-project-list": page(api(signed_in())),
    "livelihood-project-detail": Rule(
        (
            Case("in 海州区", api(only(IN_PARTIES)), project("in")),
            Case("in 临江区", api(only(OUT_PARTIES)), project("out")),
        )
    ),
    "livelihood-project-act": Rule(
        (
            Case(
                "报送月度进度 in 海州区: staff and the clerk; the group member 409",
                api(only((*DISTRICT, "clerk"))) | {"representative": 409},
                fresh_project("in", action_name="report_file"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_awaited,
            ),
            Case(
                "报送月度进度 in 临江区",
                api(only((*OTHER_DISTRICT, "other_clerk"))),
                fresh_project("out", action_name="report_file"),
                "POST",
                lambda c: _REPORT,
                fresh=True,
                unchanged=_awaited,
            ),
            Case(
                "a name that is no step: 400 for who sees it",
                api(only(IN_PARTIES, ok=BAD_REQUEST)),
                lambda c: {**project("in")(c), "action_name": "nonsense"},
                "POST",
            ),
        )
    ),
    "livelihood-project-report-list": page(api(signed_in())),
    "livelihood-project-report-detail": Rule(
        (
            Case(
                "in 海州区",
                api(only(IN_PARTIES)),
                lambda c: {
                    "pk": ProgressReport.objects.filter(project_id=project("in")(c)["pk"])
                    .order_by("month")
                    .first()
                    .pk  # type: ignore[union-attr]
                },
            ),
            Case(
                "in 临江区",
                api(only(OUT_PARTIES)),
                lambda c: {
                    "pk": ProgressReport.objects.filter(project_id=project("out")(c)["pk"])
                    .order_by("month")
                    .first()
                    .pk  # type: ignore[union-attr]
                },
            ),
        )
    ),
    "livelihood-public-project-list": Rule(
        (Case("without ?cycle= an empty page; anyone", everyone(OK)),)
    ),
    "livelihood-public-project-detail": Rule(
        (
            Case("a project's page data", everyone(OK), project("in")),
            Case("made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        )
    ),
}

__all__ = ["OK", "RULES", "cycle_of"]
