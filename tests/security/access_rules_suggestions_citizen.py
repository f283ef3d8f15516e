"""Access rules of citizens' problems and appointments (suggestions.citizen).

Who sees a problem (suggestions/citizen/selectors.py ``visible_issues``): staff of
its region and above; the representative it was addressed to or given to handle
(not while it is held for SMS confirmation or moderation); the clerks of the
department it was handed to (交办). Everyone else gets a 404, in the pages, the
API and the photo downloads.

The cast: a problem in 桃园社区 (海州区) addressed to 刘红 (``representative``),
accepted by 海州区 staff and handed to 海州区交通运输局 (``clerk``'s department);
its twin in 临江区 addressed to 吴明 (``other_representative``) and handed to
临江区住建局 (``other_clerk``). Both carry a photo. The representatives are
access_rules_representatives.py's ``rep_in`` / ``rep_out``.

The citizen has no account: they hold the secret tracking link of their own
problem (or appointment). The matrix sends the same URL to every persona, so
a tracking link works for whoever holds it, signed in or not: that is the
design (a capability URL, 43 random characters, never in a log or a Referer);
what it must not do is reach anything else (another problem's photo, a made-up
token: 404).

Refused actions: the HTML action routes answer an action the persona may not
take on an object they can see with a redirect back to the page and a message
(nothing changes), so where it matters a case posts an action with an empty
form: the persona allowed to take it gets 400 (the form is checked), a persona
who merely sees the object gets the redirect (the API: 409), everyone else 404.
What actually changed is checked in test_scope_content_suggestions_citizen.py.

Rate limits: every request of the matrix comes from 127.0.0.1, while the public
endpoints allow 30 submissions and 120 tracking actions an hour per address
(tests/suggestions_citizen/test_ratelimit.py tests the limits). The builders of
the rate-limited routes' cases therefore start each case with fresh counters,
as tests/suggestions_citizen/conftest.py does for each test.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from congress.models import Assignment, CaseEvent, Department, Region, User
from congress.uploads import CleanUpload
from representatives.models import ContactKind, ContactLog, ContactProblem, Representative
from suggestions.citizen import services
from suggestions.models.citizen import (
    Appointment,
    CitizenIssue,
    CitizenMessage,
    IssueCategory,
    IssuePhoto,
    IssueSource,
    SavedIssueFilter,
)
from tests.security.access_rules import (
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
    signed_in,
)
from tests.security.access_rules_representatives import rep_in, rep_out, reps_exist, station_in
from tests.security.conftest import Cast

# Who sees the problem handed to 海州区交通运输局 / 临江区住建局.
ISSUE_IN = (*DISTRICT, "representative", "clerk")
ISSUE_OUT = (*OTHER_DISTRICT, "other_representative", "other_clerk")
# Before it is handed to a department: staff and the representative only.
REP_IN = (*DISTRICT, "representative")
REP_OUT = (*OTHER_DISTRICT, "other_representative")
REPS = ("representative", "other_representative")
MADE_UP = "no-such-token-" + "x" * 29
CONFIRM_CODE = re.compile(r"(\d{6})")


# --- objects ------------------------------------------------------------------------------


def _once(cast: Cast, key: str, build: Callable[[], Any]) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def _counters_reset() -> None:
    """See the module's note on rate limits."""
    cache.clear()


def _category(cast: Cast) -> IssueCategory:
    def build() -> IssueCategory:
        services.categories_ensure_defaults()
        return IssueCategory.objects.get(code="roads")

    return _once(cast, "ci_category", build)


def _jpeg() -> CleanUpload:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG")
    return CleanUpload(
        content=out.getvalue(),
        extension=".jpg",
        content_type="image/jpeg",
        original_name="现场.jpg",
        width=64,
        height=48,
    )


class Side:
    """One district's people and places, so that each builder is written once."""

    def __init__(self, cast: Cast, inside: bool) -> None:
        world = cast.world
        rep_in(cast)
        rep_out(cast)  # both exist: the other one is not a 404 by absence
        self.cast = cast
        self.region: Region = world.village if inside else world.other_district
        self.rep: Representative = rep_in(cast) if inside else rep_out(cast)
        self.staff: User = cast.district_staff if inside else cast.other_district_staff
        self.department: Department = world.department if inside else world.other_department


def _submit(
    side: Side, description: str = "幸福路路口有个大坑，电动车经过很危险", photos: bool = True
) -> CitizenIssue:
    """A citizen scans the representative's card (连心卡) and reports a problem."""
    submission = services.Submission(
        category=_category(side.cast),
        description=description,
        region=side.region,
        representative=side.rep,
        citizen_name="张建国",
        mobile="13812345678",
        consent=True,
        photos=[_jpeg()] if photos else [],
        source=IssueSource.REPRESENTATIVE,
    )
    issue, _created = services.citizen_issue_submit(
        submission=submission, idempotency_key=uuid.uuid4()
    )
    return issue


def submitted(side: Side) -> CitizenIssue:
    return _submit(side)


def with_representative(side: Side, photos: bool = True) -> CitizenIssue:
    """受理 by the district's staff: the addressed representative handles it."""
    issue = _submit(side, photos=photos)
    services.citizen_issue_accept(issue=issue, by=side.staff)
    return issue


def forwarded(side: Side, photos: bool = True) -> CitizenIssue:
    """交办: handed to the district's department (its clerk now sees it)."""
    issue = with_representative(side, photos=photos)
    services.citizen_issue_forward(issue=issue, department=side.department, by=side.staff)
    issue.refresh_from_db()
    return issue


def answered(side: Side) -> CitizenIssue:
    """The representative answered the citizen, who may now rate it."""
    issue = with_representative(side)
    assert side.rep.user is not None
    services.citizen_issue_answer(issue=issue, by=side.rep.user, answer="已协调修复路面。")
    return issue


def held(side: Side, photos: bool = True) -> CitizenIssue:
    """Held for moderation (a spam word): staff see it, the representative does not yet."""
    return _submit(side, description="代开发票，加微信领取", photos=photos)


def pending_confirmation(side: Side) -> CitizenIssue:
    """With SMS confirmation on: the citizen has been texted a code."""
    with override_settings(CITIZEN_SMS_CONFIRMATION=True):
        return _submit(side)


def sms_code(issue: CitizenIssue) -> str:
    """The code the citizen received by SMS (the outbox row the SMS task sends)."""
    message = CitizenMessage.objects.get(issue=issue, dedupe_key=f"issue:{issue.pk}:confirm")
    match = CONFIRM_CODE.search(message.text)
    assert match is not None, message.text
    return match.group(1)


def issue_in(cast: Cast) -> CitizenIssue:
    return _once(cast, "ci_issue_in", lambda: forwarded(Side(cast, True)))


def issue_out(cast: Cast) -> CitizenIssue:
    return _once(cast, "ci_issue_out", lambda: forwarded(Side(cast, False)))


def issues_exist(cast: Cast) -> dict[str, Any]:
    """Both problems exist (lists and exports have something to leave out)."""
    issue_in(cast)
    issue_out(cast)
    return {}


def photo_of(issue: CitizenIssue) -> IssuePhoto:
    found = issue.photos.order_by("pk").first()
    assert found is not None
    return found


def _citizen_appointment(side: Side) -> Appointment:
    appointment, _created = services.appointment_request(
        idempotency_key=uuid.uuid4(),
        representative=side.rep,
        topic="小区加装电梯的补贴政策",
        preferred_date=timezone.localdate() + datetime.timedelta(days=3),
        preferred_times="上午",
        citizen_name="王秀英",
        mobile="13812345678",
        consent=True,
    )
    return appointment


def _department_appointment(side: Side) -> Appointment:
    """The representative asks to meet the department's head; staff route it there."""
    assert side.rep.user is not None
    appointment, _created = services.appointment_request_department(
        idempotency_key=uuid.uuid4(),
        representative=side.rep,
        department=side.department,
        topic="公交线路调整",
        preferred_date=timezone.localdate() + datetime.timedelta(days=5),
        by=side.rep.user,
    )
    services.appointment_route(appointment=appointment, by=side.staff)
    return appointment


def appointment_in(cast: Cast) -> Appointment:
    return _once(cast, "ci_appt_in", lambda: _citizen_appointment(Side(cast, True)))


def appointment_out(cast: Cast) -> Appointment:
    return _once(cast, "ci_appt_out", lambda: _citizen_appointment(Side(cast, False)))


def department_appointment_in(cast: Cast) -> Appointment:
    return _once(cast, "ci_dept_appt_in", lambda: _department_appointment(Side(cast, True)))


def department_appointment_out(cast: Cast) -> Appointment:
    return _once(cast, "ci_dept_appt_out", lambda: _department_appointment(Side(cast, False)))


def appointments_exist(cast: Cast) -> dict[str, Any]:
    appointment_in(cast)
    appointment_out(cast)
    department_appointment_in(cast)
    department_appointment_out(cast)
    return {}


def citizen_cases_exist(cast: Cast) -> None:
    """For test_api_fuzz.py's cross-user replay: in each district a problem handed to
    the department, one held for moderation, a citizen's and a department appointment.
    No photos: that test keeps no MEDIA_ROOT of its own."""
    for inside in (True, False):
        side = Side(cast, inside)
        forwarded(side, photos=False)
        held(side, photos=False)
        _citizen_appointment(side)
        _department_appointment(side)


def contact_problem(cast: Cast) -> ContactProblem:
    """A problem 刘红 wrote down while meeting voters (her contact log)."""

    def build() -> ContactProblem:
        log = ContactLog.objects.create(
            representative=rep_in(cast),
            kind=ContactKind.values[0],
            contacted_on=timezone.localdate(),
            summary="走访桃园社区",
        )
        return ContactProblem.objects.create(log=log, text="桃园路路灯不亮")

    return _once(cast, "ci_contact_problem", build)


# --- URL arguments ------------------------------------------------------------------------------

IssueBuilder = Callable[[Side], CitizenIssue]


def pk(build: Callable[[Cast], Any], **extra: Any) -> Builder:
    return lambda cast: {"pk": build(cast).pk, **extra}


def fresh(state: IssueBuilder, inside: bool, **extra: Any) -> Builder:
    """A new problem for every call (for a request that changes it)."""
    return lambda cast: {"pk": state(Side(cast, inside)).pk, **extra}


def token(build: Callable[[Cast], Any], *, reset: bool = False, **extra: Any) -> Builder:
    def args(cast: Cast) -> dict[str, Any]:
        if reset:
            _counters_reset()
        return {"token": build(cast).tracking_token, **extra}

    return args


def fresh_token(state: IssueBuilder, **extra: Any) -> Builder:
    def args(cast: Cast) -> dict[str, Any]:
        _counters_reset()
        return {"token": state(Side(cast, True)).tracking_token, **extra}

    return args


def made_up_token(**extra: Any) -> Builder:
    def args(cast: Cast) -> dict[str, Any]:
        _counters_reset()
        issues_exist(cast)  # there are real problems: the token alone does not find them
        return {"token": MADE_UP, **extra}

    return args


def staff_photo(
    issue: Callable[[Cast], CitizenIssue], photo: Callable[[Cast], CitizenIssue]
) -> Builder:
    return lambda cast: {"pk": issue(cast).pk, "photo": photo_of(photo(cast)).token}


def track_photo(
    issue: Callable[[Cast], CitizenIssue], photo: Callable[[Cast], CitizenIssue]
) -> Builder:
    return lambda cast: {
        "token": issue(cast).tracking_token,
        "photo": photo_of(photo(cast)).token,
    }


def _fresh_appointment(inside: bool, **extra: Any) -> Builder:
    """A new citizen's request for every call (for a request that answers it)."""
    return lambda cast: {"pk": _citizen_appointment(Side(cast, inside)).pk, **extra}


def _fresh_department_appointment(inside: bool, **extra: Any) -> Builder:
    """A new request to meet the district's department head, routed to it, per call."""
    return lambda cast: {"pk": _department_appointment(Side(cast, inside)).pk, **extra}


def _confirm_time(cast: Cast) -> dict[str, Any]:
    moment = timezone.localdate() + datetime.timedelta(days=4)
    return {"scheduled_at": f"{moment.isoformat()} 10:00", "place": "桃园社区代表联络站"}


# --- data ------------------------------------------------------------------------------------


def submission_form(cast: Cast) -> dict[str, Any]:
    """What the phone form behind the station's QR code posts (no number: the per-phone
    limit is for another test)."""
    _counters_reset()
    return {
        "idempotency_key": str(uuid.uuid4()),
        "station": station_in(cast).public_token,
        "category": _category(cast).pk,
        "description": "小区门口路灯坏了一个多月，晚上很黑",
        "consent": "on",
    }


def api_submission(cast: Cast) -> dict[str, Any]:
    _counters_reset()
    return {
        "idempotency_key": str(uuid.uuid4()),
        "station": station_in(cast).public_token,
        "category": _category(cast).pk,
        "description": "公交站台顶棚漏雨",
        "consent": True,
    }


def appointment_form(cast: Cast) -> dict[str, Any]:
    _counters_reset()
    return {
        "idempotency_key": str(uuid.uuid4()),
        "station": station_in(cast).public_token,
        "representative": rep_in(cast).pk,
        "topic": "反映小区停车难",
        "preferred_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "citizen_name": "王秀英",
        "mobile": "13812345678",
        "consent": "on",
    }


def lookup_form(mobile: str) -> Builder:
    def data(cast: Cast) -> dict[str, Any]:
        _counters_reset()
        return {"tracking_code": issue_in(cast).tracking_code, "mobile": mobile}

    return data


def confirm_args(cast: Cast) -> dict[str, Any]:
    """A new problem awaiting its SMS code; the form (``confirm_data``) is kept in step
    with the latest one, since the matrix builds the data once per case."""
    _counters_reset()
    issue = pending_confirmation(Side(cast, True))
    form = cast.objects.setdefault("ci_confirm_form", {})
    form["code"] = sms_code(issue)
    return {"token": issue.tracking_token}


def confirm_data(cast: Cast) -> dict[str, Any]:
    return cast.objects.setdefault("ci_confirm_form", {})


def bulk_assign_form(cast: Cast) -> dict[str, Any]:
    issue = _once(cast, "ci_bulk_issue", lambda: submitted(Side(cast, True)))
    return {"issues": [issue.pk], "representative": rep_in(cast).pk, "query": ""}


def saved_filter(cast: Cast) -> dict[str, Any]:
    """district staff's own saved filter (deleted by the request)."""
    saved = SavedIssueFilter.objects.create(
        owner=cast.district_staff, name=f"交办中{uuid.uuid4().hex[:6]}", query="status=forwarded"
    )
    return {"pk": saved.pk}


def station_query(cast: Cast) -> dict[str, Any]:
    """?station=<token>: what the station's QR code opens (a GET's data is its query)."""
    return {"station": station_in(cast).public_token}


def similar_query(cast: Cast) -> dict[str, Any]:
    _counters_reset()
    issues_exist(cast)
    return {"region": cast.world.village.pk, "category": _category(cast).pk, "description": "大坑"}


def empty_body(cast: Cast) -> dict[str, Any]:
    _counters_reset()
    return {}


def pending_in(cast: Cast) -> CitizenIssue:
    return _once(cast, "ci_pending", lambda: pending_confirmation(Side(cast, True)))


def fresh_appointment_token(cast: Cast) -> dict[str, Any]:
    _counters_reset()
    return {"token": _citizen_appointment(Side(cast, True)).tracking_token, "action": "cancel"}


# --- rule shapes -----------------------------------------------------------------------------------


def issue_detail(*, api_route: bool = False) -> Rule:
    """A staff page (or API detail) of one problem: who sees it, and the two gates."""
    wrap = api if api_route else (lambda expect: expect)
    return Rule(
        (
            Case("handed to 海州区交通运输局", wrap(only(ISSUE_IN)), pk(issue_in)),
            Case("handed to 临江区住建局", wrap(only(ISSUE_OUT)), pk(issue_out)),
            Case(
                "with 刘红, not yet handed to a department",
                wrap(only(REP_IN)),
                pk(lambda c: _once(c, "ci_rep_in", lambda: with_representative(Side(c, True)))),
            ),
            Case(
                "held for moderation: staff only, not yet the representative",
                wrap(only(DISTRICT)),
                pk(lambda c: _once(c, "ci_held_in", lambda: held(Side(c, True)))),
            ),
        )
    )


# --- the table ---------------------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    # --- the citizen's pages (no account) ---
    "citizen_issue_new": Rule(
        (
            Case("the form", everyone(OK)),
            Case("from the station's QR code", everyone(OK), data=station_query),
            Case(
                "a real submission (one key: the first creates it, a retry returns it)",
                everyone(REDIRECT),
                method="POST",
                data=submission_form,
            ),
            Case(
                "turning a problem from a contact log into a case: its representative only",
                only(("representative",)),
                data=lambda c: {"contact_problem": contact_problem(c).pk},
            ),
        ),
        note="a public form; the contact-log conversion needs the representative who "
        "logged the problem",
    ),
    "citizen_issue_similar": Rule(
        (Case("hints while typing", everyone(OK), data=similar_query),),
        note="public by design: open problems nearby, titles with numbers masked",
    ),
    "citizen_issue_lookup": Rule(
        (
            Case("the form", everyone(OK)),
            Case(
                "the code and the number it was sent from: the tracking link",
                everyone(REDIRECT),
                issues_exist,
                "POST",
                lookup_form("13812345678"),
            ),
            Case(
                "the code with another number: no link",
                everyone(OK),
                issues_exist,
                "POST",
                lookup_form("13900000000"),
            ),
        ),
        note="who knows both the code and the number holds the link (the SMS gave them both)",
    ),
    "citizen_issue_track": Rule(
        (
            Case("the citizen's own link", everyone(OK), token(issue_in)),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token()),
        ),
        note="a capability URL: whoever holds the link sees that one problem",
    ),
    "citizen_issue_rate": Rule(
        (
            Case("get", everyone(NOT_ALLOWED), token(issue_in)),
            Case(
                "rating the answer to one's own problem",
                everyone(REDIRECT),
                fresh_token(answered),
                "POST",
                lambda c: {"rating": "satisfied", "comment": "很及时"},
                fresh=True,
            ),
            Case(
                "an empty rating form on one's own problem",
                everyone(400),
                token(issue_in, reset=True),
                "POST",
            ),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token(), "POST"),
        ),
        note="the tracking link is the citizen's key; rating needs nothing else",
    ),
    "citizen_issue_confirm": Rule(
        (
            Case("get", everyone(NOT_ALLOWED), token(issue_in)),
            Case(
                "the code from the SMS, on one's own problem",
                everyone(REDIRECT),
                confirm_args,
                "POST",
                confirm_data,
                fresh=True,
            ),
            Case(
                "a wrong code",
                everyone(400),
                token(pending_in, reset=True),
                "POST",
                lambda c: {"code": "000000"},
            ),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token(), "POST"),
        ),
        note="the link and the texted code together confirm the number",
    ),
    "citizen_issue_track_photo": Rule(
        (
            Case("one's own photo", everyone(OK), track_photo(issue_in, issue_in)),
            Case(
                "another problem's photo through one's own link",
                everyone(NOT_FOUND),
                track_photo(issue_in, issue_out),
            ),
            Case(
                "a real photo name with a made-up token",
                everyone(NOT_FOUND),
                lambda c: {"token": MADE_UP, "photo": photo_of(issue_in(c)).token},
            ),
        ),
        note="photos have no public URL: only through the link of their own problem",
    ),
    "appointment_new": Rule(
        (
            Case("without a representative's or station's code", everyone(NOT_FOUND)),
            Case("from the station's QR code", everyone(OK), data=station_query),
            Case("from 刘红's card", everyone(OK), data=lambda c: {"rep": rep_in(c).public_token}),
            Case(
                "a real request (one key: the first creates it)",
                everyone(REDIRECT),
                method="POST",
                data=appointment_form,
            ),
        )
    ),
    "appointment_track": Rule(
        (
            Case("the citizen's own link", everyone(OK), token(appointment_in)),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token()),
        ),
        note="a capability URL, like a problem's",
    ),
    "appointment_track_act": Rule(
        (
            Case("get", everyone(NOT_ALLOWED), token(appointment_in, action="cancel")),
            Case(
                "cancelling one's own request",
                everyone(REDIRECT),
                fresh_appointment_token,
                "POST",
                fresh=True,
            ),
            Case(
                "an action the citizen has not got",
                everyone(NOT_FOUND),
                token(appointment_in, reset=True, action="confirm"),
                "POST",
            ),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token(action="cancel"), "POST"),
        )
    ),
    # --- staff, representatives, department clerks ---
    "citizen_issue_list": Rule(
        (
            Case("the list", signed_in(), issues_exist),
            Case("filtered", signed_in(), issues_exist, query="status=forwarded&q=路"),
        ),
        note="each sees their own scope (content: test_scope_content_suggestions_citizen.py)",
    ),
    "citizen_issue_export": Rule(
        (
            Case("without personal data", signed_in(), issues_exist),
            Case(
                "with names and numbers: only with the permission (administrator)",
                outcomes(REDIRECT, anonymous=LOGIN, administrator=OK),
                issues_exist,
                query="personal=1",
            ),
        ),
        note="rows are the user's scope (content: test_scope_content_suggestions_citizen.py)",
    ),
    "citizen_issue_lookup_field": Rule(
        (
            *(
                Case(f"search {kind}", signed_in(), lambda cast, kind=kind: {"kind": kind})
                for kind in ("region", "station", "representative", "department")
            ),
            Case(
                "an unknown kind",
                signed_in(NOT_FOUND),
                lambda cast: {"kind": "citizen"},
            ),
        ),
        note="answers only names in the user's scope (tests/suggestions_citizen/test_list_lookup.py)",
    ),
    "citizen_issue_bulk_assign": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED)),
            Case(
                "a new problem in 海州区 to 刘红",
                only(STAFF, ok=REDIRECT),
                method="POST",
                data=bulk_assign_form,
            ),
        ),
        note="staff only; 临江区 staff can neither pick the problem nor 刘红 (nothing changes: "
        "test_scope_content_suggestions_citizen.py)",
    ),
    "citizen_issue_filter_save": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED)),
            Case(
                "save",
                signed_in(REDIRECT),
                method="POST",
                data=lambda c: {"name": "交办中", "query": "status=forwarded"},
            ),
        )
    ),
    "citizen_issue_filter_delete": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), saved_filter),
            Case(
                "district staff's own filter",
                only(("district_staff",), ok=REDIRECT),
                saved_filter,
                "POST",
                fresh=True,
            ),
        ),
        note="one's own saved filters only",
    ),
    "citizen_issue_detail": issue_detail(),
    "citizen_issue_print": issue_detail(),
    "citizen_issue_reveal": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), pk(issue_in)),
            Case(
                "in 海州区: staff and the handling representative, not the clerk",
                only(REP_IN),
                pk(issue_in),
                "POST",
            ),
            Case("in 临江区", only(REP_OUT), pk(issue_out), "POST"),
        ),
        note="the audited reveal of name and number: for who must contact the citizen",
    ),
    "citizen_issue_photo": Rule(
        (
            Case("in 海州区", only(ISSUE_IN), staff_photo(issue_in, issue_in)),
            Case("in 临江区", only(ISSUE_OUT), staff_photo(issue_out, issue_out)),
            Case(
                "临江区's photo under 海州区's problem",
                only(()),
                staff_photo(issue_in, issue_out),
            ),
        ),
        note="streamed after the scope check; never under MEDIA_URL",
    ),
    "citizen_issue_act": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), pk(issue_in, action="accept")),
            Case(
                "受理 a new problem in 海州区 (staff, or the representative it was sent to)",
                only(REP_IN, ok=REDIRECT),
                fresh(submitted, True, action="accept"),
                "POST",
                fresh=True,
            ),
            Case(
                "受理 a new problem in 临江区",
                only(REP_OUT, ok=REDIRECT),
                fresh(submitted, False, action="accept"),
                "POST",
                fresh=True,
            ),
            Case(
                "交办 to 海州区交通运输局 (its clerk cannot see it yet)",
                only(REP_IN, ok=REDIRECT),
                fresh(with_representative, True, action="forward"),
                "POST",
                lambda c: {"department": c.world.department.pk},
                fresh=True,
            ),
            Case(
                "approving a held submission: staff only",
                only(DISTRICT, ok=REDIRECT),
                fresh(held, True, action="approve"),
                "POST",
                fresh=True,
            ),
            Case(
                "a department's return request, empty: only the clerk may (400), "
                "others who see it are sent back",
                outcomes(
                    NOT_FOUND,
                    anonymous=LOGIN,
                    clerk=400,
                    **dict.fromkeys(REP_IN, REDIRECT),
                ),
                pk(issue_in, action="dept_return"),
                "POST",
            ),
            Case(
                "the same in 临江区",
                outcomes(
                    NOT_FOUND,
                    anonymous=LOGIN,
                    other_clerk=400,
                    **dict.fromkeys(REP_OUT, REDIRECT),
                ),
                pk(issue_out, action="dept_return"),
                "POST",
            ),
            Case(
                "banning the number, empty: staff only (400)",
                outcomes(
                    NOT_FOUND,
                    anonymous=LOGIN,
                    representative=REDIRECT,
                    clerk=REDIRECT,
                    **dict.fromkeys(DISTRICT, 400),
                ),
                pk(issue_in, action="ban_phone"),
                "POST",
            ),
        ),
        note="a refused action on a visible problem redirects back unchanged",
    ),
    "appointment_list": page(signed_in(), args=appointments_exist),
    "appointment_department_new": page(only(REPS), args=reps_exist),
    "appointment_detail": Rule(
        (
            Case("a citizen's request to 刘红", only(REP_IN), pk(appointment_in)),
            Case("a citizen's request to 吴明", only(REP_OUT), pk(appointment_out)),
            Case(
                "刘红 to meet 海州区交通运输局's head (routed)",
                only(ISSUE_IN),
                pk(department_appointment_in),
            ),
            Case(
                "吴明 to meet 临江区住建局's head (routed)",
                only(ISSUE_OUT),
                pk(department_appointment_out),
            ),
        )
    ),
    "appointment_act": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), pk(appointment_in, action="confirm")),
            Case(
                "confirming a citizen's request to 刘红",
                only(REP_IN, ok=REDIRECT),
                _fresh_appointment(True, action="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "confirming a citizen's request to 吴明",
                only(REP_OUT, ok=REDIRECT),
                _fresh_appointment(False, action="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "the department fixes the time, empty form: only its clerk (400)",
                outcomes(NOT_FOUND, anonymous=LOGIN, clerk=400, **dict.fromkeys(REP_IN, REDIRECT)),
                pk(department_appointment_in, action="confirm"),
                "POST",
            ),
            Case(
                "the same in 临江区",
                outcomes(
                    NOT_FOUND,
                    anonymous=LOGIN,
                    other_clerk=400,
                    **dict.fromkeys(REP_OUT, REDIRECT),
                ),
                pk(department_appointment_out, action="confirm"),
                "POST",
            ),
        )
    ),
    # --- the API ---
    "api-citizen-categories": page(everyone(OK)),
    "api-citizen-submit": Rule(
        (
            Case("get", everyone(NOT_ALLOWED)),
            Case("an empty body", everyone(400), method="POST", data=empty_body),
            Case(
                "a real submission, one key for all: the first caller (anonymous) creates it "
                "(201), every later one is a retry and gets the same case (200)",
                outcomes(200, anonymous=201),
                method="POST",
                data=api_submission,
            ),
        ),
        note="no authentication at all: a signed-in caller is a citizen here too",
    ),
    "api-citizen-track": Rule(
        (
            Case("the citizen's own link", everyone(OK), token(issue_in)),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token()),
        ),
        note="a capability URL",
    ),
    "api-citizen-rate": Rule(
        (
            Case(
                "rating the answer to one's own problem",
                everyone(OK),
                fresh_token(answered),
                "POST",
                lambda c: {"rating": "basically"},
                fresh=True,
            ),
            Case("an empty body", everyone(400), token(issue_in, reset=True), "POST"),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token(), "POST"),
        )
    ),
    "citizen-issue-list": Rule(
        (
            Case("list", api(signed_in()), issues_exist),
            Case("filtered", api(signed_in()), issues_exist, query="status=forwarded"),
        )
    ),
    "citizen-issue-detail": issue_detail(api_route=True),
    "citizen-issue-act": Rule(
        (
            Case(
                "签收 by the department (others who see it: 409)",
                api(outcomes(NOT_FOUND, anonymous=LOGIN, clerk=OK, **dict.fromkeys(REP_IN, 409))),
                fresh(forwarded, True, action_name="dept_accept"),
                "POST",
                fresh=True,
            ),
            Case(
                "签收 in 临江区",
                api(
                    outcomes(
                        NOT_FOUND, anonymous=LOGIN, other_clerk=OK, **dict.fromkeys(REP_OUT, 409)
                    )
                ),
                fresh(forwarded, False, action_name="dept_accept"),
                "POST",
                fresh=True,
            ),
            Case(
                "a return request without a reason: the clerk's form is checked (400)",
                api(outcomes(NOT_FOUND, anonymous=LOGIN, clerk=400, **dict.fromkeys(REP_IN, 409))),
                pk(issue_in, action_name="dept_return"),
                "POST",
            ),
        )
    ),
    "appointment-list": page(api(signed_in()), args=appointments_exist),
    "appointment-detail": Rule(
        (
            Case("a citizen's request to 刘红", api(only(REP_IN)), pk(appointment_in)),
            Case("a citizen's request to 吴明", api(only(REP_OUT)), pk(appointment_out)),
            Case("刘红 to meet a department", api(only(ISSUE_IN)), pk(department_appointment_in)),
            Case("吴明 to meet a department", api(only(ISSUE_OUT)), pk(department_appointment_out)),
        )
    ),
    # The one action route of an appointment (appointment_actions.APPOINTMENT_ACTIONS):
    # out of scope 404; seen but not the persona's to take 409; a name that is no
    # action 400. Who may take what in each state: tests/suggestions_citizen/
    # test_appointment_actions.py.
    "appointment-act": Rule(
        (
            Case(
                "confirming a citizen's request to 刘红 (she or 海州区's staff)",
                api(only(REP_IN)),
                _fresh_appointment(True, action_name="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "confirming a citizen's request to 吴明",
                api(only(REP_OUT)),
                _fresh_appointment(False, action_name="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "the bureau fixes the time of a routed request: its clerk; the others who "
                "see it 409",
                api(outcomes(NOT_FOUND, anonymous=LOGIN, clerk=OK, **dict.fromkeys(REP_IN, 409))),
                _fresh_department_appointment(True, action_name="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "the same in 临江区",
                api(
                    outcomes(
                        NOT_FOUND, anonymous=LOGIN, other_clerk=OK, **dict.fromkeys(REP_OUT, 409)
                    )
                ),
                _fresh_department_appointment(False, action_name="confirm"),
                "POST",
                _confirm_time,
                fresh=True,
            ),
            Case(
                "a name that is no action: 400 for who sees it",
                api(outcomes(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(REP_IN, 400))),
                pk(appointment_in, action_name="explode"),
                "POST",
            ),
        ),
        note="one route for every action on an appointment, as the page's",
    ),
}


# --- writes that would move a problem into another jurisdiction (docs/security.md) ----------
# 海州区's problem given to 临江区's representative or department: whoever sees the
# problem and may act on it is answered 400, the form shown again with "not a valid
# choice" (its lists hold only 海州区's people and the departments above the problem),
# and the problem, its assignments and its timeline are as they were. Everyone else
# gets the 404 of a problem they cannot see. An administrator may act anywhere: giving
# the problem to 吴明 is theirs to decide, the service checks both places.
# The refused requests are read back (Case.unchanged).
MOVE_REFUSED = outcomes(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(REP_IN, 400))


def _problem_as_stored(cast: Cast, args: dict[str, Any]) -> Any:
    issue = CitizenIssue.objects.filter(pk=args["pk"])
    return (
        issue.values().first(),
        list(Assignment.objects.filter(case_id=args["pk"]).values_list("pk", "status")),
        CaseEvent.objects.filter(case_id=args["pk"]).count(),
    )


def _issues_as_stored(cast: Cast, args: dict[str, Any]) -> Any:
    return list(CitizenIssue.objects.order_by("pk").values_list("pk", "status", "representative"))


def _to_rep_out(cast: Cast) -> dict[str, Any]:
    return {"representative": rep_out(cast).pk, "note": "改派"}


def _to_other_department(cast: Cast) -> dict[str, Any]:
    return {"department": cast.world.other_department.pk, "note": "交办"}


def _add_cases(key: str, *cases: Case) -> None:
    rule = RULES[key]
    RULES[key] = Rule((*rule.cases, *cases), rule.note, rule.methods)


_add_cases(
    "citizen_issue_act",
    Case(
        "受理 and give it to 临江区's representative",
        outcomes(
            NOT_FOUND,
            anonymous=LOGIN,
            **(dict.fromkeys(REP_IN, 400) | {"administrator": REDIRECT}),
        ),
        fresh(submitted, True, action="accept"),
        "POST",
        _to_rep_out,
        fresh=True,
        unchanged=_problem_as_stored,
    ),
    Case(
        "改派 to 临江区's representative",
        outcomes(
            NOT_FOUND,
            anonymous=LOGIN,
            representative=REDIRECT,  # not hers to do: back to the page, unchanged
            **(dict.fromkeys(DISTRICT, 400) | {"administrator": REDIRECT}),
        ),
        fresh(with_representative, True, action="assign"),
        "POST",
        _to_rep_out,
        fresh=True,
        unchanged=_problem_as_stored,
        writers=("administrator",),
    ),
    Case(
        "交办 to 临江区's department",
        MOVE_REFUSED,
        fresh(with_representative, True, action="forward"),
        "POST",
        _to_other_department,
        fresh=True,
        unchanged=_problem_as_stored,
    ),
)
_add_cases(
    "citizen-issue-act",
    Case(
        "交办 to 临江区's department",
        api(MOVE_REFUSED),
        fresh(with_representative, True, action_name="forward"),
        "POST",
        _to_other_department,
        fresh=True,
        unchanged=_problem_as_stored,
    ),
    Case(
        "改派 to 临江区's representative",
        api(
            outcomes(
                NOT_FOUND,
                anonymous=LOGIN,
                representative=409,  # not hers to do
                **(dict.fromkeys(DISTRICT, 400) | {"administrator": OK}),
            )
        ),
        fresh(with_representative, True, action_name="assign"),
        "POST",
        _to_rep_out,
        fresh=True,
        unchanged=_problem_as_stored,
    ),
)
_add_cases(
    "citizen_issue_bulk_assign",
    Case(
        # The list page goes back to itself with the reason; the city's staff and an
        # administrator hold both places and may (the one-problem form offers them only
        # 海州区's representatives, a narrower list than the service's rule).
        "a new problem in 海州区 to 临江区's representative",
        outcomes(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(STAFF, REDIRECT)),
        method="POST",
        data=lambda c: {
            "issues": [submitted(Side(c, True)).pk],
            "representative": rep_out(c).pk,
            "query": "",
        },
        fresh=True,
        unchanged=_issues_as_stored,
        writers=("city_staff", "administrator"),
    ),
)
