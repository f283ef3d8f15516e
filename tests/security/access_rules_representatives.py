"""Access rules of the representatives app (registry, stations, duty, grids, contacts).

Scopes (representatives/selectors.py): staff see their region and below; a
representative sees their own record, logs, shifts and the activities of their
regions; writes are for congress staff ("managers"), anyone else gets 404.
刘红 (representative) sits for 海州区; 吴明 (other representative) for 临江区.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from congress.models import Region, RegionLevel, Term
from representatives.forms import RepresentativeForm, StationForm, VoterDelegateForm
from representatives.models import (
    Activity,
    ActivityKind,
    ContactKind,
    ContactLog,
    DutyShift,
    Gender,
    GridAssignment,
    Mandate,
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


def card_job_of_district_staff(cast: Cast) -> dict[str, Any]:
    """陈静's 连心卡 PDF job, its file written (as the task would): only she may see it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from representatives import card_jobs

    def build() -> str:
        reps_exist(cast)
        job = card_jobs.card_pdf_request(by=cast.district_staff, query="", language="zh-hans")
        default_storage.save(job.pdf_name, ContentFile(b"%PDF-1.7 access matrix"))
        return job.token

    return {"token": _once(cast, "card_job", build)}


CARD_JOB_OWNER = ("district_staff",)


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
    "representative_cards_pdf": Rule(
        (
            Case("get", only(STAFF, ok=NOT_ALLOWED), reps_exist),
            Case("post", only(STAFF, ok=REDIRECT), reps_exist, "POST", data=lambda c: {}),
        )
    ),
    # A PDF job is its owner's alone (representatives/card_jobs.py): other staff, even of
    # the city or the administrator, get 404.
    "representative_cards_pdf_job": page(only(CARD_JOB_OWNER), args=card_job_of_district_staff),
    "representative_cards_pdf_download": page(
        only(CARD_JOB_OWNER), args=card_job_of_district_staff
    ),
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
    "duty_shift_list": manager_page(),
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
# the old and the new place (the city's staff, an administrator) succeed. Each case
# reads the row (or counts the rows) back after every refused request: nothing changed.
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


def _row(model: Any) -> Any:
    """The moving row as stored (a refused write leaves every column as it was)."""
    return lambda cast, args: model.objects.filter(pk=args["pk"]).values().first()


def _rows(model: Any) -> Any:
    """How many rows there are (a refused create adds none)."""
    return lambda cast, args: model.objects.count()


def _move(
    label: str,
    expect: dict[str, Any],
    build: Builder,
    data: Builder,
    method: str,
    unchanged: Any,
) -> Case:
    return Case(label, api(expect), build, method, data, fresh=True, unchanged=unchanged)


def _also(key: str, *cases: Case) -> None:
    RULES[key] = Rule((*RULES[key].cases, *cases), RULES[key].note, RULES[key].methods)


_also(
    "station-detail",
    _move("move into 临江区", only(BOTH), _new_station, _to_other_town, "PATCH", _row(Station)),
    _move(
        "a grid as its site",
        only(DISTRICT, ok=400),
        _new_station,
        lambda c: {"region": c.world.grid.pk},
        "PATCH",
        _row(Station),
    ),
)
_also(
    "representative-detail",
    _move("move into 临江区", only(BOTH), _new_rep, _to_other_town, "PATCH", _row(Representative)),
)
_also(
    "voter-delegate-detail",
    _move(
        "move into 临江区",
        only(BOTH),
        _new_delegate,
        _to_other_town,
        "PATCH",
        _row(VoterDelegate),
    ),
)
_also(
    "station-list",
    _move(
        "create in 临江区",
        only(OTHER_DISTRICT, ok=201),
        reps_exist,
        lambda c: {"name": "临江街道代表联络站", "kind": "station", **_to_other_town(c)},
        "POST",
        _rows(Station),
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
        _rows(VoterDelegate),
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
        _rows(Activity),
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
        _rows(StationMember),
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
        _rows(GridAssignment),
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
        _rows(Mandate),
    ),
)


# --- the same moves through the HTML forms ------------------------------------------------
# A form offers only the places its user may choose: a place outside them is "not a
# valid choice", the form shown again with its error (400), which confirms nothing.
# The object itself, out of the persona's scope, is a 404 as everywhere. Every refused
# request is read back (Case.unchanged): the row, or the number of rows, is as before.


def _html_data(form: Any) -> dict[str, Any]:
    """What an unchanged form posts back: its initial values, as a browser sends them."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def _moving_html(build: Any) -> Builder:
    """A fresh object per persona, kept where the form's data builder finds it."""

    def args(cast: Cast) -> dict[str, Any]:
        cast.objects["moving"] = build(cast)
        return reps_exist(cast) | {"pk": cast.objects["moving"].pk}

    return args


def _edited(form_class: Any, **changes: Callable[[Cast], Any]) -> Builder:
    """The moving object's own form, as the administrator sees it, with ``changes``."""

    def data(cast: Cast) -> dict[str, Any]:
        form = form_class(instance=cast.objects["moving"], user=cast.administrator)
        return _html_data(form) | {name: value(cast) for name, value in changes.items()}

    return data


def _other_town_pk(cast: Cast) -> int:
    return other_town(cast).pk


# Moving a 海州区 object into 临江区: 海州区's staff are told the place is not a choice
# (the form comes back, a 400); 临江区's staff do not see the object; the city's staff
# and an administrator may.
HTML_MOVE = outcomes(
    NOT_FOUND, anonymous=LOGIN, district_staff=400, city_staff=REDIRECT, administrator=REDIRECT
)
# Creating in 临江区: its own staff and those above may; 海州区's staff cannot choose it.
HTML_CREATE_THERE = outcomes(
    NOT_FOUND, anonymous=LOGIN, district_staff=400, **dict.fromkeys(OTHER_DISTRICT, REDIRECT)
)


def _html_move(label: str, build: Any, form_class: Any, model: Any) -> Case:
    return Case(
        label,
        HTML_MOVE,
        _moving_html(build),
        "POST",
        _edited(form_class, region=_other_town_pk),
        fresh=True,
        unchanged=_row(model),
    )


def _html_create(label: str, data: Builder, model: Any, expect: Any = HTML_CREATE_THERE) -> Case:
    return Case(label, expect, reps_exist, "POST", data, unchanged=_rows(model))


def _pks(**values: Callable[[Cast], Any]) -> Builder:
    return lambda cast: {name: str(value(cast)) for name, value in values.items()}


_also(
    "representative_edit",
    _html_move(
        "move into 临江区",
        lambda c: RepresentativeFactory(region=c.world.village),
        RepresentativeForm,
        Representative,
    ),
)
_also(
    "station_edit",
    _html_move(
        "move into 临江区",
        lambda c: station_with(c.world.town, [rep_in(c)]),
        StationForm,
        Station,
    ),
)
_also(
    "voter_delegate_edit",
    _html_move(
        "move into 临江区", lambda c: _delegate(c.world.town), VoterDelegateForm, VoterDelegate
    ),
)
_also(
    "representative_create",
    _html_create(
        "create in 临江区",
        lambda c: {
            "name": "周平",
            "gender": "male",
            "ethnicity": "汉族",
            "party": "cpc",
            "sector": "other",
            "phone_policy": "hidden",
            "region": str(other_town(c).pk),
        },
        Representative,
    ),
)
_also(
    "station_create",
    _html_create(
        "create in 临江区",
        lambda c: {
            "name": "临江街道代表联络站",
            "kind": "station",
            "region": str(other_town(c).pk),
        },
        Station,
    ),
)
_also(
    "voter_delegate_create",
    _html_create(
        "create in 临江区",
        lambda c: {
            "name": "周平",
            "gender": "male",
            "kind": "subdistrict",
            "region": str(other_town(c).pk),
            "starts_on": "2026-01-01",
            "is_active": "on",
        },
        VoterDelegate,
    ),
)
_also(
    "activity_create",
    _html_create(
        "create in 临江区",
        lambda c: {
            "title": "集中视察",
            "kind": "inspection",
            "region": str(c.world.other_district.pk),
            "starts_at": timezone.localtime(timezone.now() + datetime.timedelta(days=3)).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "half_days": "1",
        },
        Activity,
    ),
)
# 进站 is local and a grid lies in the representative's county: naming another
# district's representative or grid is not a choice even for the city's staff. These
# two forms sit on the station's and the representative's page, and go back to it
# with the error as a message: the redirect is the refusal, and nothing is written.
_also(
    "station_member_add",
    Case(
        "a representative of 临江区",
        only(DISTRICT, ok=REDIRECT),
        IN["station"],
        "POST",
        _pks(representative=lambda c: rep_out(c).pk, role=lambda c: "member"),
        unchanged=_rows(StationMember),
        writers=(),
    ),
)
_also(
    "grid_assign",
    Case(
        "a grid of 临江区",
        only(DISTRICT, ok=REDIRECT),
        IN["rep"],
        "POST",
        _pks(grid=lambda c: other_grid(c).pk),
        unchanged=_rows(GridAssignment),
        writers=(),
    ),
)
# A seat in a congress above the representative's place only: 吴明 (临江区) in 海州区's.
_also(
    "mandate_create",
    Case(
        "临江区's representative, 海州区's congress",
        only(OTHER_DISTRICT, ok=400),  # the form comes back with the refusal
        OUT["rep"],
        "POST",
        _pks(
            level=lambda c: "county",
            term=lambda c: Term.objects.get(congress__region=c.world.district).pk,
            starts_on=lambda c: "2026-01-01",
        ),
        unchanged=_rows(Mandate),
    ),
)
# A shift for a representative who is not stationed there (吴明 at 海州区's station).
_also(
    "station_duty",
    Case(
        "a shift for 临江区's representative",
        only(DISTRICT),
        IN["station"],
        "POST",
        _pks(
            form=lambda c: "shift",
            representative=lambda c: rep_out(c).pk,
            date=lambda c: timezone.localdate() + datetime.timedelta(days=7),
            start_time=lambda c: "09:00",
            end_time=lambda c: "11:30",
        ),
        unchanged=_rows(DutyShift),
    ),
)
# A contact logged at a station one is not a member of: 刘红 at 临江区's station.
_also(
    "contact_log_create",
    Case(
        "at another district's station",
        outcomes(NOT_FOUND, anonymous=LOGIN, representative=400, other_representative=REDIRECT),
        reps_exist,
        "POST",
        lambda c: {
            "idempotency_key": str(uuid.uuid4()),
            "kind": "visit",
            "contacted_on": timezone.localdate().isoformat(),
            "station": str(station_out(c).pk),
            "people_count": "3",
            "summary": "走访群众",
        },
        fresh=True,
        unchanged=lambda c, args: ContactLog.objects.filter(representative=rep_in(c)).count(),
    ),
)

__all__ = ["API_ANONYMOUS", "FORBIDDEN", "RULES"]
