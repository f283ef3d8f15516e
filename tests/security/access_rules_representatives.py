"""Access rules of the representatives app (registry, stations, duty, grids, contacts).

Scopes (representatives/selectors.py): staff see their region and below; a
representative sees their own record, logs, shifts and the activities of their
regions; writes are for congress staff ("managers"), anyone else gets 404.
刘红 (representative) sits for 海州区; 吴明 (other representative) for 临江区.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from congress.models import Region, RegionLevel, Term
from representatives.models import (
    Activity,
    ActivityKind,
    ContactKind,
    ContactLog,
    DutyShift,
    Gender,
    GridAssignment,
    Representative,
    Station,
    StationMember,
    VoterDelegate,
    VoterDelegateKind,
)
from tests.representatives.factories import RepresentativeFactory, seat, station_with
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    FORBIDDEN,
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
from tests.security.conftest import Cast

REPS = ("representative", "other_representative")
REP_IN = (*DISTRICT, "representative")
REP_OUT = (*OTHER_DISTRICT, "other_representative")


# --- objects ------------------------------------------------------------------------


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def rep_in(cast: Cast) -> Representative:
    def build() -> Representative:
        rep = RepresentativeFactory(
            name="刘红", region=cast.world.village, user=cast.representative
        )
        seat(rep, cast.world.district)
        return rep

    return _once(cast, "rep_in", build)  # type: ignore[no-any-return]


def rep_out(cast: Cast) -> Representative:
    def build() -> Representative:
        rep = RepresentativeFactory(
            name="吴明", region=cast.world.other_district, user=cast.other_representative
        )
        seat(rep, cast.world.other_district)
        return rep

    return _once(cast, "rep_out", build)  # type: ignore[no-any-return]


def station_in(cast: Cast) -> Station:
    return _once(cast, "station_in", lambda: station_with(cast.world.town, [rep_in(cast)]))  # type: ignore[no-any-return]


def station_out(cast: Cast) -> Station:
    return _once(  # type: ignore[no-any-return]
        cast, "station_out", lambda: station_with(cast.world.other_district, [rep_out(cast)])
    )


def other_grid(cast: Cast) -> Region:
    return _once(  # type: ignore[no-any-return]
        cast,
        "other_grid",
        lambda: Region.objects.create(
            name="临江第1网格", level=RegionLevel.GRID, parent=cast.world.other_district
        ),
    )


def other_town(cast: Cast) -> Region:
    return _once(  # type: ignore[no-any-return]
        cast,
        "other_town",
        lambda: Region.objects.create(
            name="临江街道", level=RegionLevel.TOWNSHIP, parent=cast.world.other_district
        ),
    )


def _log(rep: Representative) -> ContactLog:
    return ContactLog.objects.create(
        representative=rep,
        kind=ContactKind.values[0],
        contacted_on=timezone.localdate(),
        summary="走访群众，了解路灯问题",
    )


def _activity(region: Region) -> Activity:
    return Activity.objects.create(
        title="集中视察",
        kind=ActivityKind.values[0],
        region=region,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )


def _shift(station: Station, rep: Representative) -> DutyShift:
    return DutyShift.objects.create(
        station=station,
        representative=rep,
        date=timezone.localdate() + datetime.timedelta(days=5 + next(_counter)),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )


def _delegate(region: Region) -> VoterDelegate:
    return VoterDelegate.objects.create(
        name="周平",
        gender=Gender.values[0],
        kind=VoterDelegateKind.values[0],
        region=region,
        starts_on=timezone.localdate(),
    )


def reps_exist(cast: Cast) -> dict[str, Any]:
    """Both representatives have their records (pages without an object need them too)."""
    rep_in(cast)
    rep_out(cast)
    return {}


def pk(build: Any) -> Builder:
    return lambda cast: reps_exist(cast) | {"pk": build(cast).pk}


def fresh_pk(build: Any) -> Builder:
    """A new object for every call (for requests that change or delete it)."""
    return lambda cast: reps_exist(cast) | {"pk": build(cast).pk}


def token(build: Any, **extra: Any) -> Builder:
    return lambda cast: {"token": build(cast).public_token, **extra}


_counter = iter(range(1, 10**6))


def _new_grid(parent: Region) -> Region:
    return Region.objects.create(
        name=f"网格{next(_counter)}", level=RegionLevel.GRID, parent=parent
    )


def _new_member(station: Station) -> StationMember:
    rep = RepresentativeFactory(region=station.region)
    return StationMember.objects.create(station=station, representative=rep)


IN: dict[str, Builder] = {
    "rep": pk(rep_in),
    "mandate": pk(lambda c: rep_in(c).mandates.first()),
    "station": pk(station_in),
    "member": fresh_pk(lambda c: _new_member(station_in(c))),
    "grid": lambda c: reps_exist(c) | {"pk": c.world.grid.pk},
    "grid_assignment": fresh_pk(
        lambda c: GridAssignment.objects.create(
            representative=rep_in(c), grid=_new_grid(c.world.village)
        )
    ),
    "log": pk(lambda c: _once(c, "log_in", lambda: _log(rep_in(c)))),
    "activity": pk(lambda c: _once(c, "activity_in", lambda: _activity(c.world.district))),
    "shift": fresh_pk(lambda c: _shift(station_in(c), rep_in(c))),
    "voter_delegate": pk(lambda c: _once(c, "delegate_in", lambda: _delegate(c.world.town))),
}
OUT: dict[str, Builder] = {
    "rep": pk(rep_out),
    "mandate": pk(lambda c: rep_out(c).mandates.first()),
    "station": pk(station_out),
    "member": fresh_pk(lambda c: _new_member(station_out(c))),
    "grid": pk(other_grid),
    "grid_assignment": fresh_pk(
        lambda c: GridAssignment.objects.create(
            representative=rep_out(c), grid=_new_grid(c.world.other_district)
        )
    ),
    "log": pk(lambda c: _once(c, "log_out", lambda: _log(rep_out(c)))),
    "activity": pk(lambda c: _once(c, "activity_out", lambda: _activity(c.world.other_district))),
    "shift": fresh_pk(lambda c: _shift(station_out(c), rep_out(c))),
    "voter_delegate": pk(
        lambda c: _once(c, "delegate_out", lambda: _delegate(c.world.other_district))
    ),
}


def _with(builder: Builder, **extra: Any) -> Builder:
    return lambda cast: {**builder(cast), **extra}


# --- rule shapes of this app -----------------------------------------------------------------


def manager_page() -> Rule:
    return page(only(STAFF), args=reps_exist)


def manager_detail(kind: str, **extra: Any) -> Rule:
    """A staff page about one object: staff whose region holds it; everyone else 404."""
    return scoped(_with(IN[kind], **extra), _with(OUT[kind], **extra))


def manager_post(kind: str, fresh: bool = False, **extra: Any) -> Rule:
    """A staff action: GET is 405 for staff (404 for others); POST redirects for staff
    whose region holds the object and is 404 for everyone else."""
    build_in, build_out = _with(IN[kind], **extra), _with(OUT[kind], **extra)
    return Rule(
        (
            Case("get", only(STAFF, ok=NOT_ALLOWED), build_in),
            Case("post in 海州区", only(DISTRICT, ok=REDIRECT), build_in, "POST", fresh=fresh),
            Case(
                "post in 临江区", only(OTHER_DISTRICT, ok=REDIRECT), build_out, "POST", fresh=fresh
            ),
        )
    )


def api_resource(
    kind: str,
    *,
    seen_in: tuple[str, ...] = DISTRICT,
    seen_out: tuple[str, ...] = OTHER_DISTRICT,
    patch: bool = False,
    delete: bool = False,
) -> dict[str, Rule]:
    """A router resource: list (everyone signed in, filtered), detail by scope, and
    the writes it allows (staff whose region holds the object; everyone else 404)."""
    detail = [
        Case("get in 海州区", api(only(seen_in)), IN[kind]),
        Case("get in 临江区", api(only(seen_out)), OUT[kind]),
    ]
    if patch:
        detail.append(Case("patch in 海州区", api(only(DISTRICT)), IN[kind], "PATCH"))
        detail.append(Case("patch in 临江区", api(only(OTHER_DISTRICT)), OUT[kind], "PATCH"))
    if delete:
        gone = 204
        detail.append(
            Case("delete in 海州区", api(only(DISTRICT, ok=gone)), IN[kind], "DELETE", fresh=True)
        )
        detail.append(
            Case(
                "delete in 临江区",
                api(only(OTHER_DISTRICT, ok=gone)),
                OUT[kind],
                "DELETE",
                fresh=True,
            )
        )
    return {
        "list": Rule(
            (
                Case("list", api(signed_in()), reps_exist),
                Case("create with nothing", api(signed_in(400)), reps_exist, "POST"),
            )
        ),
        "detail": Rule(tuple(detail)),
    }


def _api(basename: str, kind: str, **kwargs: Any) -> dict[str, Rule]:
    rules = api_resource(kind, **kwargs)
    return {f"{basename}-list": rules["list"], f"{basename}-detail": rules["detail"]}


def public(build: Builder) -> Rule:
    """A page behind a QR code: anyone with the token; a made-up token is a 404."""
    return Rule(
        (
            Case("with the printed token", everyone(OK), build),
            Case(
                "with a made-up token",
                everyone(NOT_FOUND),
                lambda c: {**build(c), "token": "x" * 43},
            ),
        )
    )


RULES: dict[str, Rule] = {
    # The registry
    "representative_list": page(
        outcomes(
            NOT_FOUND,
            anonymous=LOGIN,
            representative=REDIRECT,
            other_representative=REDIRECT,
            **dict.fromkeys(STAFF, OK),
        ),
        args=reps_exist,
    ),
    "representative_create": manager_page(),
    "representative_import": manager_page(),
    "representative_export": manager_page(),
    "representative_cards": manager_page(),
    "representative_detail": scoped(IN["rep"], OUT["rep"], allowed_in=REP_IN, allowed_out=REP_OUT),
    "representative_edit": manager_detail("rep"),
    "representative_photo": Rule((Case("no photo uploaded", only(()), IN["rep"]),)),
    "representative_points": scoped(IN["rep"], OUT["rep"], allowed_in=REP_IN, allowed_out=REP_OUT),
    "representative_report": scoped(
        _with(IN["rep"], year=2026),
        _with(OUT["rep"], year=2026),
        allowed_in=REP_IN,
        allowed_out=REP_OUT,
    ),
    "mandate_create": manager_detail("rep"),
    "mandate_end": manager_detail("mandate"),
    "representative_login_create": manager_post("rep"),
    "representative_rotate_token": manager_post("rep"),
    "voter_delegate_list": manager_page(),
    "voter_delegate_create": manager_page(),
    "voter_delegate_edit": manager_detail("voter_delegate"),
    # Grids
    "grid_assign": manager_post("rep"),
    "grid_unassign": manager_post("grid_assignment", fresh=True),
    "grid_coverage": manager_page(),
    "grid_detail": scoped(IN["grid"], OUT["grid"]),
    # Contacts with voters
    "contact_log_list": page(signed_in(), args=reps_exist),
    "contact_log_create": page(only(REPS), args=reps_exist),
    "contact_log_detail": scoped(IN["log"], OUT["log"], allowed_in=REP_IN, allowed_out=REP_OUT),
    "contact_log_edit": scoped(
        IN["log"], OUT["log"], allowed_in=("representative",), allowed_out=("other_representative",)
    ),
    # Activities
    "activity_list": page(signed_in(), args=reps_exist),
    "activity_create": manager_page(),
    "activity_detail": scoped(
        IN["activity"], OUT["activity"], allowed_in=REP_IN, allowed_out=REP_OUT
    ),
    "activity_sign_up": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), IN["activity"]),
            Case("post in 海州区", only(("representative",), ok=REDIRECT), IN["activity"], "POST"),
            Case(
                "post in 临江区",
                only(("other_representative",), ok=REDIRECT),
                OUT["activity"],
                "POST",
            ),
        )
    ),
    "activity_attendance": manager_post("activity"),
    "activity_transition": manager_post("activity", action="close_signup"),
    "points_ranking": manager_page(),
    # Duty
    "my_duty": page(only(REPS), args=reps_exist),
    "shift_action": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), _with(IN["shift"], action="take_leave")),
            Case(
                "leave in 海州区",
                only(REP_IN, ok=REDIRECT),
                _with(IN["shift"], action="take_leave"),
                "POST",
                fresh=True,
            ),
            Case(
                "leave in 临江区",
                only(REP_OUT, ok=REDIRECT),
                _with(OUT["shift"], action="take_leave"),
                "POST",
                fresh=True,
            ),
            Case(
                "marking absent is for staff",
                only(DISTRICT, ok=REDIRECT),
                _with(IN["shift"], action="mark_absent"),
                "POST",
                fresh=True,
            ),
        )
    ),
    # Stations
    "station_list": manager_page(),
    "station_create": manager_page(),
    "station_detail": manager_detail("station"),
    "station_edit": manager_detail("station"),
    "station_member_add": manager_post("station"),
    "station_member_remove": manager_post("member", fresh=True),
    "station_rotate_token": manager_post("station"),
    "station_poster": manager_detail("station"),
    "station_cards": manager_detail("station"),
    "station_duty": manager_detail("station"),
    # Public pages behind QR codes
    "public_station": public(token(station_in)),
    "public_station_evaluate": public(token(station_in)),
    "public_representative": public(token(rep_in)),
    "public_representative_photo": Rule(
        (Case("no photo uploaded", everyone(NOT_FOUND), token(rep_in)),)
    ),
    "qr_code": Rule(
        (
            Case("station QR", everyone(OK), token(station_in, kind="s", fmt="svg")),
            Case(
                "made-up token",
                everyone(NOT_FOUND),
                lambda c: {"kind": "r", "token": "nope", "fmt": "png"},
            ),
        )
    ),
    # The API
    **_api("representative", "rep", seen_in=REP_IN, seen_out=REP_OUT, patch=True),
    **_api("mandate", "mandate", seen_in=REP_IN, seen_out=REP_OUT),
    **_api("station", "station", seen_in=REP_IN, seen_out=REP_OUT, patch=True),
    **_api("station-member", "member", delete=True),
    **_api("duty-shift", "shift", seen_in=REP_IN, seen_out=REP_OUT),
    **_api("grid-assignment", "grid_assignment", seen_in=REP_IN, seen_out=REP_OUT, delete=True),
    # A contact log is its representative's own record: only they may write it.
    "contact-log-list": Rule(
        (
            Case("list", api(signed_in()), reps_exist),
            Case("create with nothing", api(only(REPS, ok=400)), reps_exist, "POST"),
        )
    ),
    "contact-log-detail": Rule(
        (
            Case("get in 海州区", api(only(REP_IN)), IN["log"]),
            Case("get in 临江区", api(only(REP_OUT)), OUT["log"]),
            Case("patch in 海州区", api(only(("representative",))), IN["log"], "PATCH"),
            Case("patch in 临江区", api(only(("other_representative",))), OUT["log"], "PATCH"),
        )
    ),
    **_api("activity", "activity", seen_in=REP_IN, seen_out=REP_OUT),
    "voter-delegate-list": Rule(
        (
            Case("list", api(signed_in())),
            Case("create with nothing", api(signed_in(400)), method="POST"),
        )
    ),
    "voter-delegate-detail": Rule(
        (
            Case("unknown id", api(signed_in(NOT_FOUND)), lambda c: {"pk": 999999}),
            Case("unknown id", api(signed_in(NOT_FOUND)), lambda c: {"pk": 999999}, "PATCH"),
        )
    ),
    "mandate-end": Rule(
        (
            Case("in 海州区", api(only(DISTRICT, ok=400)), IN["mandate"], "POST"),
            Case("in 临江区", api(only(OTHER_DISTRICT, ok=400)), OUT["mandate"], "POST"),
        ),
        note="an empty body is refused by validation after the scope and manager checks",
    ),
    "duty-shift-transition": Rule(
        (
            Case("in 海州区", api(only(REP_IN, ok=400)), IN["shift"], "POST", fresh=True),
            Case("in 临江区", api(only(REP_OUT, ok=400)), OUT["shift"], "POST", fresh=True),
        )
    ),
    "activity-sign-up": Rule(
        (
            Case("in 海州区", api(only(("representative",))), IN["activity"], "POST"),
            Case("in 临江区", api(only(("other_representative",))), OUT["activity"], "POST"),
        )
    ),
    "api-points-ranking": page(api(only(STAFF))),
}


# --- writes that would move an object out of the jurisdiction (docs/security.md) -----------
# 海州区's staff naming a place of 临江区 get 404, as if it did not exist; a place they
# see that the rule does not allow is a 400. Only those whose jurisdiction holds both
# the old and the new place (the city's staff, an administrator) succeed. That the
# refused rows stay unchanged is asserted in test_jurisdiction_moves.py.
BOTH = ("city_staff", "administrator")


def _moving(build: Builder, **data: Builder) -> tuple[Builder, Builder]:
    return build, lambda cast: {name: value(cast) for name, value in data.items()}


def _new_station(cast: Cast) -> dict[str, Any]:
    return reps_exist(cast) | {"pk": station_with(cast.world.town, [rep_in(cast)]).pk}


def _new_rep(cast: Cast) -> dict[str, Any]:
    return reps_exist(cast) | {"pk": RepresentativeFactory(region=cast.world.village).pk}


def _new_delegate(cast: Cast) -> dict[str, Any]:
    return reps_exist(cast) | {"pk": _delegate(cast.world.town).pk}


def _to_other_town(cast: Cast) -> dict[str, Any]:
    return {"region": other_town(cast).pk}


def _move(label: str, expect: dict[str, Any], build: Builder, data: Builder, method: str) -> Case:
    return Case(label, api(expect), build, method, data, fresh=True)


def _also(key: str, *cases: Case) -> None:
    RULES[key] = Rule((*RULES[key].cases, *cases), RULES[key].note, RULES[key].methods)


_also(
    "station-detail",
    _move("move into 临江区", only(BOTH), _new_station, _to_other_town, "PATCH"),
    _move(
        "a grid as its site",
        only(DISTRICT, ok=400),
        _new_station,
        lambda c: {"region": c.world.grid.pk},
        "PATCH",
    ),
)
_also(
    "representative-detail",
    _move("move into 临江区", only(BOTH), _new_rep, _to_other_town, "PATCH"),
)
_also(
    "voter-delegate-detail",
    _move("move into 临江区", only(BOTH), _new_delegate, _to_other_town, "PATCH"),
)
_also(
    "station-list",
    _move(
        "create in 临江区",
        only(OTHER_DISTRICT, ok=201),
        reps_exist,
        lambda c: {"name": "临江街道代表联络站", "kind": "station", **_to_other_town(c)},
        "POST",
    ),
)
_also(
    "voter-delegate-list",
    _move(
        "create in 临江区",
        only(OTHER_DISTRICT, ok=201),
        reps_exist,
        lambda c: {
            "name": "周平",
            "gender": "male",
            "kind": "subdistrict",
            "starts_on": "2026-01-01",
            **_to_other_town(c),
        },
        "POST",
    ),
)
_also(
    "activity-list",
    _move(
        "create in 临江区",
        only(OTHER_DISTRICT, ok=201),
        reps_exist,
        lambda c: {
            "title": "集中视察",
            "kind": "inspection",
            "region": c.world.other_district.pk,
            "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        },
        "POST",
    ),
)
_also(
    "station-member-list",
    _move(
        "station 海州区, representative 临江区",
        only(BOTH, ok=201),
        reps_exist,
        lambda c: {"station": station_in(c).pk, "representative": rep_out(c).pk},
        "POST",
    ),
)
_also(
    "grid-assignment-list",
    _move(
        "representative 海州区, grid 临江区",
        only(BOTH, ok=201),
        reps_exist,
        lambda c: {"representative": rep_in(c).pk, "grid": other_grid(c).pk},
        "POST",
    ),
)
_also(
    "mandate-list",
    # 吴明 already sits in 临江区's congress: those who may act on both places are told
    # so (400); to anyone else, he or 海州区's congress does not exist.
    _move(
        "临江区's representative, 海州区's congress",
        only(BOTH, ok=400),
        reps_exist,
        lambda c: {
            "representative": rep_out(c).pk,
            "level": "county",
            "term": Term.objects.get(congress__region=c.world.district).pk,
            "starts_on": "2026-01-01",
        },
        "POST",
    ),
)

__all__ = ["API_ANONYMOUS", "FORBIDDEN", "RULES"]
