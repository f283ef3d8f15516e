"""Who may reach what: the declarative access-control table (OWASP API1 / ASVS V8).

``tests/security/test_access_matrix.py`` walks every URL route and every
OpenAPI operation and fails, naming it, for any that has no rule here. A rule
is a list of ``Case``: how to build the URL's object from the cast (the
``world`` fixture's personas), and what each persona must get: 200, 403, 404,
405, ``LOGIN`` (sent to the login page) or ``REDIRECT`` (any other redirect).
An object outside a persona's scope must be a 404, never a 403.

Adding a route? Add its rule, usually one line with a helper:

    "thing_list": page(signed_in()),                      # any signed-in user
    "thing_detail": in_district(build_thing, ...),        # staff-scoped detail by pk
    "thing_act": in_district(build_thing, method="POST", ok=REDIRECT),

A rule whose route does not exist (a feature still being built) is skipped, so
a rule can be written before its view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from congress import loop
from congress.models import (
    Assignment,
    AuditAction,
    AuditEvent,
    EventAttachment,
    Notification,
)
from congress.workdays import Deadline
from tests.security.conftest import PERSONAS, Cast

Outcome = int | str
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = "login"  # a redirect to the login page
REDIRECT = "redirect"  # any other redirect
# Only for baseline rules of a feature still being built: any answer but a server
# error. The feature's engineer replaces it with the real outcome.
NOT_5XX = "not-5xx"
# An anonymous API call is answered 401 with a WWW-Authenticate challenge (token
# authentication comes first, congress/settings.py REST_FRAMEWORK).
API_ANONYMOUS = 401

SIGNED_IN = tuple(p for p in PERSONAS if p not in ("anonymous", "citizen"))
STAFF = ("district_staff", "other_district_staff", "city_staff", "administrator")
# Who sees an object that lies in 海州区 (the district) / 临江区 (the other district).
DISTRICT = ("district_staff", "city_staff", "administrator")
OTHER_DISTRICT = ("other_district_staff", "city_staff", "administrator")

Builder = Callable[[Cast], dict[str, Any]]


def no_args(cast: Cast) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    label: str
    expect: Mapping[str, Outcome]
    args: Builder = no_args
    method: str = "GET"
    data: Builder | None = None
    query: str = ""
    route: str = ""  # for a rule that covers a family of routes ("admin:*")
    path: str = ""  # a literal path, for unnamed routes
    fresh: bool = False  # build the object (and the data) anew for each persona
    # What a refused request must leave as it was: read before and after each
    # persona's request that the case expects to be refused, with the URL's args; the
    # matrix fails when the two differ (docs/security.md, "nothing changed").
    unchanged: Callable[[Cast, dict[str, Any]], Any] | None = None
    # Who is expected to change something. None: those whose expected answer is a
    # redirect, a 201/204 or an API 200. Name them where a redirect is a refusal too
    # (a form that goes back to its page with the error as a message).
    writers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Rule:
    cases: tuple[Case, ...]
    note: str = ""
    methods: frozenset[str] = field(default=frozenset())

    def covers(self, method: str) -> bool:
        return method.upper() in ({case.method for case in self.cases} | self.methods)


# --- expectations --------------------------------------------------------------


def outcomes(default: Outcome, **given: Outcome) -> dict[str, Outcome]:
    """Every persona gets ``default`` unless named; the citizen (an anonymous client
    holding a tracking link) gets what the anonymous visitor gets unless named."""
    unknown = set(given) - set(PERSONAS)
    assert not unknown, f"unknown personas: {unknown}"
    result = {persona: default for persona in PERSONAS}
    result.update(given)
    result.setdefault("citizen", result["anonymous"])
    if "citizen" not in given:
        result["citizen"] = result["anonymous"]
    return result


def everyone(outcome: Outcome = OK) -> dict[str, Outcome]:
    return outcomes(outcome)


def signed_in(ok: Outcome = OK, anonymous: Outcome = LOGIN) -> dict[str, Outcome]:
    return outcomes(ok, anonymous=anonymous)


def only(
    allowed: Iterable[str], ok: Outcome = OK, other: Outcome = NOT_FOUND, anonymous: Outcome = LOGIN
) -> dict[str, Outcome]:
    return outcomes(other, anonymous=anonymous, **dict.fromkeys(allowed, ok))


def baseline(route_kind: str, method: str = "GET", **kwargs: Any) -> Rule:
    """A first rule for a route whose feature is still being built (see NOT_5XX).

    ``staff``: login required, no server error; ``object``: a made-up id is 404
    for everyone signed in; ``token``: a made-up tracking token is 404 for
    everyone; ``public``: no server error for anyone; ``public-object``: a
    made-up id on a public page is 404; ``api*``: the same for the API
    (anonymous refused where login is required). ``kwargs`` are
    the URL's other parts (an action name, a photo name).
    """
    made_up: dict[str, Any] = {kwargs.pop("id_name", "pk"): 987654, **kwargs}
    made_up_token: dict[str, Any] = {"token": "no-such-token-" + "x" * 20, **kwargs}
    shapes = {
        "staff": Case("baseline", signed_in(NOT_5XX), lambda c: dict(kwargs), method),
        "object": Case("made-up id", signed_in(NOT_FOUND), lambda c: made_up, method),
        "token": Case("made-up token", everyone(NOT_FOUND), lambda c: made_up_token, method),
        "public": Case("baseline", everyone(NOT_5XX), lambda c: dict(kwargs), method),
        "api": Case("baseline", api(signed_in(NOT_5XX)), lambda c: dict(kwargs), method),
        "api-object": Case("made-up id", api(signed_in(NOT_FOUND)), lambda c: made_up, method),
        "api-public": Case("baseline", everyone(NOT_5XX), lambda c: dict(kwargs), method),
        "public-object": Case("made-up id", everyone(NOT_FOUND), lambda c: made_up, method),
        "api-public-object": Case("made-up id", everyone(NOT_FOUND), lambda c: made_up, method),
    }
    return Rule((shapes[route_kind],), note="baseline: the feature's engineer refines it")


def api(expect: dict[str, Outcome]) -> dict[str, Outcome]:
    """The same expectations for an API route: anonymous is refused, not redirected."""
    return {p: API_ANONYMOUS if outcome == LOGIN else outcome for p, outcome in expect.items()}


# --- rule shapes ---------------------------------------------------------------


def page(expect: dict[str, Outcome], *, method: str = "GET", **kwargs: Any) -> Rule:
    """One request without an object: public pages, lists, forms."""
    return Rule((Case(method.lower(), expect, method=method, **kwargs),))


def scoped(
    build_in: Builder,
    build_out: Builder,
    *,
    allowed_in: Iterable[str] = DISTRICT,
    allowed_out: Iterable[str] = OTHER_DISTRICT,
    ok: Outcome = OK,
    method: str = "GET",
    anonymous: Outcome = LOGIN,
    data: Builder | None = None,
    other: Outcome = NOT_FOUND,
) -> Rule:
    """A detail route by pk: an object in 海州区 and one in 临江区, each seen only by
    the personas whose scope holds it; everyone else gets 404."""
    return Rule(
        (
            Case(
                "in 海州区",
                only(allowed_in, ok=ok, anonymous=anonymous, other=other),
                build_in,
                method,
                data,
            ),
            Case(
                "in 临江区",
                only(allowed_out, ok=ok, anonymous=anonymous, other=other),
                build_out,
                method,
                data,
            ),
        )
    )


def post_only(expect_post: dict[str, Outcome], args: Builder = no_args, **kwargs: Any) -> Rule:
    """A login-required POST endpoint: GET is 405 for the signed-in, login for others."""
    return Rule(
        (
            Case("get", signed_in(NOT_ALLOWED), args, "GET"),
            Case("post", expect_post, args, "POST", **kwargs),
        )
    )


# --- objects built from the cast ------------------------------------------------------

MATRIX_CASE = "tests.matrix_case"


def _can_view_matrix_case(user: Any, case_id: int) -> bool:
    return loop.visible_assignments(user).filter(case_type=MATRIX_CASE, case_id=case_id).exists()


loop.register_case_type(
    loop.CaseType(
        key=MATRIX_CASE,
        label="矩阵测试事项",
        url=lambda case_id: f"/loop/cases/{case_id}/",
        can_view=_can_view_matrix_case,
        default_deadline=Deadline(15, "workdays"),
    )
)


def assignment_in_district(cast: Cast) -> Assignment:
    """A case in 桃园社区 (海州区) handed to 海州区交通运输局 (the clerk's department)."""
    if "assignment" not in cast.objects:
        cast.objects["assignment"] = loop.assignment_create(
            case_type=MATRIX_CASE,
            case_id=101,
            title="路灯不亮",
            region=cast.world.village,
            department=cast.world.department,
            by=cast.district_staff,
        )
    return cast.objects["assignment"]  # type: ignore[no-any-return]


def assignment_in_other_district(cast: Cast) -> Assignment:
    if "other_assignment" not in cast.objects:
        cast.objects["other_assignment"] = loop.assignment_create(
            case_type=MATRIX_CASE,
            case_id=102,
            title="小区积水",
            region=cast.world.other_district,
            department=cast.world.other_department,
            by=cast.other_district_staff,
        )
    return cast.objects["other_assignment"]  # type: ignore[no-any-return]


def _attachment(assignment: Assignment) -> EventAttachment:
    event = assignment.events.first()
    assert event is not None
    attachment = EventAttachment(
        event=event,
        token=f"tok{assignment.pk:08d}matrix",
        original_name="答复.pdf",
        extension=".pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save(f"{attachment.token}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def district_attachment(cast: Cast) -> dict[str, Any]:
    return {"token": _attachment(assignment_in_district(cast)).token}


def other_district_attachment(cast: Cast) -> dict[str, Any]:
    return {"token": _attachment(assignment_in_other_district(cast)).token}


def notification_of(persona: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        note = Notification.objects.create(
            recipient=cast.users[persona], kind="test", title="提醒", url="/"
        )
        return {"pk": note.pk}

    return build


def api_token_of(persona: str) -> Builder:
    """The form that revokes one of ``persona``'s API tokens (named by its digest)."""

    def build(cast: Cast) -> dict[str, Any]:
        from knox.models import AuthToken

        row, _token = AuthToken.objects.create(user=cast.users[persona])
        return {"token": row.digest}

    return build


def audit_event(cast: Cast) -> dict[str, Any]:
    event = AuditEvent.objects.create(username="chenjing", action=AuditAction.EXPORT)
    return {"object_id": event.pk}


def pk_of(attribute: str) -> Builder:
    """The pk of a world object, e.g. ``pk_of("district")``."""
    return lambda cast: {"pk": getattr(cast.world, attribute).pk}


def pk_from(build: Callable[[Cast], Any]) -> Builder:
    return lambda cast: {"pk": build(cast).pk}


# --- the table -------------------------------------------------------------------------

RULES: dict[str, Rule] = {
    # Public and account pages
    "login": page(everyone(OK)),
    "logout": Rule(
        (Case("get", everyone(NOT_ALLOWED)), Case("post", everyone(LOGIN), method="POST"))
    ),
    "password_change": page(signed_in()),
    "set_language": Rule(
        (
            Case("get", everyone(REDIRECT)),
            Case("post", everyone(REDIRECT), method="POST", data=lambda c: {"language": "en"}),
        ),
        note="Django's i18n view: GET changes nothing and sends you back",
    ),
    # Without a second factor the code step just sends you on; setting one up is for staff.
    "login_otp": page(signed_in(REDIRECT)),
    "otp_setup": page(only(STAFF)),
    "audit_list": page(only(STAFF)),
    # The edit history: the audit permission, which of the cast only the administrator has.
    "audit_history": page(only(("administrator",))),
    # API tokens: one's own only. Issuing one (POST) shows it on the page.
    "api_tokens": Rule(
        (Case("get", signed_in()), Case("issue one", signed_in(), method="POST")),
    ),
    "api_token_revoke": Rule(
        (
            Case("get", signed_in(NOT_ALLOWED)),
            Case("no such token", signed_in(NOT_FOUND), method="POST"),
            Case(
                "the clerk's token",
                only(("clerk",), ok=REDIRECT),
                method="POST",
                data=api_token_of("clerk"),
            ),
        )
    ),
    "home": page(signed_in()),
    # The product's icon for browsers that ask /favicon.ico: the same for everyone.
    "favicon": Rule(
        (
            Case("get", everyone(REDIRECT)),
            Case("post", everyone(NOT_ALLOWED), method="POST"),
        ),
        note="a redirect to the static icon, reading nothing",
    ),
    # The dashboard of the user's own region (docs/dashboard.md); another region's is
    # a 404 (tests/suggestions_citizen/test_dashboard.py, the drill-down's scope).
    "dashboard": page(only(STAFF)),
    # Core staff pages: lists show only what is in scope, details 404 outside it
    "region_list": page(signed_in()),
    "region_detail": scoped(
        pk_of("district"),
        pk_of("other_district"),
        allowed_in=(*DISTRICT, "clerk"),  # a clerk sees their department's region
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
    ),
    "department_list": page(signed_in()),
    "department_detail": scoped(
        pk_of("department"),
        pk_of("other_department"),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
    ),
    # The closed loop: a case handed to a department is seen by the staff of its
    # region and above, and by that department's clerks; nobody else.
    "assignment_list": page(signed_in()),
    "assignment_detail": scoped(
        pk_from(assignment_in_district),
        pk_from(assignment_in_other_district),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
    ),
    "assignment_act": Rule(
        (
            Case(
                "get",
                only((*DISTRICT, "clerk"), ok=NOT_ALLOWED, other=NOT_ALLOWED),
                pk_from(assignment_in_district),
            ),
            Case(
                "post in 海州区 (an empty form changes nothing)",
                only((*DISTRICT, "clerk"), ok=REDIRECT),
                pk_from(assignment_in_district),
                "POST",
            ),
            Case(
                "post in 临江区",
                only((*OTHER_DISTRICT, "other_clerk"), ok=REDIRECT),
                pk_from(assignment_in_other_district),
                "POST",
            ),
        )
    ),
    "attachment_download": scoped(
        district_attachment,
        other_district_attachment,
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
    ),
    # The inbox: one's own messages only
    "inbox": page(signed_in()),
    "inbox_open": Rule(
        (
            Case("the clerk's message", only(("clerk",), ok=REDIRECT), notification_of("clerk")),
            Case(
                "the district staff's message",
                only(("district_staff",), ok=REDIRECT),
                notification_of("district_staff"),
            ),
        )
    ),
    "inbox_mark_all_read": post_only(signed_in(REDIRECT)),
    "inbox_preferences": page(signed_in()),
    # The API (session clients; tokens behave the same, see test_api_fuzz.py)
    "api-root": page(api(signed_in())),
    "api-me": page(api(signed_in())),
    "api-dashboard": page(api(only(STAFF))),
    "region-list": page(api(signed_in())),
    "region-detail": scoped(
        pk_of("district"),
        pk_of("other_district"),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
        anonymous=API_ANONYMOUS,
    ),
    "department-list": page(api(signed_in())),
    "department-detail": scoped(
        pk_of("department"),
        pk_of("other_department"),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
        anonymous=API_ANONYMOUS,
    ),
    "assignment-list": page(api(signed_in())),
    "assignment-detail": scoped(
        pk_from(assignment_in_district),
        pk_from(assignment_in_other_district),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
        anonymous=API_ANONYMOUS,
    ),
    "assignment-timeline": scoped(
        pk_from(assignment_in_district),
        pk_from(assignment_in_other_district),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
        anonymous=API_ANONYMOUS,
    ),
    "assignment-act": scoped(
        pk_from(assignment_in_district),
        pk_from(assignment_in_other_district),
        allowed_in=(*DISTRICT, "clerk"),
        allowed_out=(*OTHER_DISTRICT, "other_clerk"),
        anonymous=API_ANONYMOUS,
        method="POST",
        ok=400,  # an empty body: refused by validation, after the scope check
    ),
    # The schema and its browser need a login in production (API_DOCS_PUBLIC opens them).
    "api-schema": page(api(signed_in())),
    "api-docs": page(signed_in()),
    # The Django admin: administrators only; everyone else is sent to its login.
    "admin:*": Rule(
        (
            Case("login page", outcomes(OK, administrator=REDIRECT), route="admin:login"),
            Case("index", outcomes(REDIRECT, administrator=OK), route="admin:index"),
            Case(
                "audit trail list",
                outcomes(REDIRECT, administrator=OK),
                route="admin:congress_auditevent_changelist",
            ),
            Case(
                "an audit event (read-only)",
                outcomes(REDIRECT, administrator=OK),
                audit_event,
                route="admin:congress_auditevent_change",
            ),
            Case(
                "deleting an audit event",
                outcomes(REDIRECT, administrator=FORBIDDEN),
                audit_event,
                route="admin:congress_auditevent_delete",
            ),
            Case(
                "adding an audit event",
                outcomes(REDIRECT, administrator=FORBIDDEN),
                route="admin:congress_auditevent_add",
            ),
            Case(
                "the user list",
                outcomes(REDIRECT, administrator=OK),
                route="admin:congress_user_changelist",
            ),
        ),
        note="every admin view checks is_staff, which only administrators have",
    ),
    # The admin's unnamed routes: the catch-all and the old "<id>/" redirect.
    "admin/*": Rule(
        (
            Case("catch-all", outcomes(REDIRECT, administrator=NOT_FOUND), path="/admin/nothing/"),
            Case("old object URL", outcomes(REDIRECT), path="/admin/congress/auditevent/1/"),
        ),
        note="admin_view-wrapped redirects; same rule as admin:*",
    ),
}

RULES_BY_APP: dict[str, list[str]] = {"core": sorted(RULES)}

# Each feature app keeps its rules beside these, in access_rules_<app>.py; a module
# whose app is not there yet (its models do not import) adds nothing.
for _module in (
    "representatives",
    "suggestions_citizen",
    "suggestions_formal",
    "livelihood_votes",
    "livelihood_cycles",
    "livelihood_projects",
    "livelihood_ratings",
    "representatives_signin",
    "representatives_offline",
    "rules",
    "reports",
    "bigscreen",
    "supervision_evaluation",
    "supervision_meetings",
    "supervision",
    "supervision_sources",
    "supervision_monitoring",
    "supervision_dossier",
    "boundaries",
):
    try:
        _extra = __import__(f"tests.security.access_rules_{_module}", fromlist=["RULES"])
    except ImportError as _error:
        # The app (or a part its rules need) is not there yet: no rules for it.
        _missing = getattr(_error, "name", None) or ""
        if not _missing.startswith(("representatives", "suggestions", "tests.")):
            raise
        continue
    _overlap = set(_extra.RULES) & set(RULES)
    assert not _overlap, f"rules defined twice: {_overlap}"
    RULES.update(_extra.RULES)
    RULES_BY_APP[_module] = sorted(_extra.RULES)

# Paths that are no URL pattern (answered by middleware) but are routes all the same.
# /healthz answers everyone alike, without a login: 503 here, since no worker or beat
# runs beside the matrix (tests/reliability/test_health.py has it healthy).
EXTRA_PATHS: dict[str, dict[str, Outcome]] = {"/healthz": everyone(503)}
