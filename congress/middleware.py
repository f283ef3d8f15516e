"""Response headers Django 5.2 does not set by itself."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from congress.api.authentication import check_token
from congress.audit import current_request
from congress.health import OK, stack_health
from congress.logging import carries_secret_token
from congress.ratelimit import is_limited, too_many_requests

# Scripts only from our own origin (every front-end file is vendored under
# static/): an injected <script> or inline handler will not run. Inline styles
# stay allowed because Bootstrap's JavaScript sets element styles.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if _private(request):
            # Personal data must not stay in a browser's or a proxy's cache on a
            # shared office PC (the back button after logout) or a citizen's phone.
            response.headers["Cache-Control"] = "no-store"
        return response


def _private(request: HttpRequest) -> bool:
    """Every answer to a signed-in user (a session, or an API token, which DRF checks
    only later), and every page behind a secret link: a citizen's tracking page."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return signed_in or "Authorization" in request.headers or carries_secret_token(request.path)


class HealthCheckMiddleware:
    """Answer ``/healthz`` before host validation and the HTTPS redirect.

    The container health check calls it over plain HTTP on 127.0.0.1, which is
    neither an allowed host nor HTTPS; it must still learn whether the stack is
    alive: 200 when every part is, 503 naming the part that is not
    (``congress.health.stack_health``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != "/healthz":
            return self.get_response(request)
        parts = stack_health()
        healthy = all(state == OK for state in parts.values())
        response = JsonResponse({"status": "ok" if healthy else "failing", **parts})
        response.status_code = 200 if healthy else 503
        response.headers["Cache-Control"] = "no-store"
        return response


class RequestSizeLimitMiddleware:
    """Refuse an oversized body before Django reads it (413).

    Django limits form fields but not uploaded files; the uploads module refuses
    a large photo only after it has arrived. A proxy should cap the body too
    (nginx ``client_max_body_size``); this is the same rule inside the app.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("提交的内容太大（上限 %(mb)s MB），请减少照片数量或压缩后再试。") % {
                "mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class AnonymousRateLimitMiddleware:
    """A flood guard on every request made without an account, per client address.

    Submission, tracking and evaluation endpoints keep their own tighter limits
    (congress.ratelimit); this one covers every other public page and any public
    endpoint added later, so no anonymous route is unlimited. Static files and
    /healthz are answered before it. An API client with a valid token is signed
    in (knox's check, whose answer the API's authentication reuses); a made-up
    token counts as anonymous, so the header is no way round this limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.user.is_authenticated
            and not check_token(request)
            and is_limited(request, group="anonymous", rate=settings.ANONYMOUS_RATE_LIMIT)
        ):
            return too_many_requests(request, _("访问过于频繁，请稍后再试。"))
        return self.get_response(request)


class AuditContextMiddleware:
    """Makes the request known to the audit trail for the time it is answered, so
    that services called with ``by=user`` record the actor's address too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class NulCharacterMiddleware:
    """Refuse (400) a request whose path, query or form fields carry a NUL character.

    PostgreSQL cannot store or compare a string containing NUL: any lookup with one
    (a station token from ``?station=``, a tracking token in the path) would fail
    with a server error. No person types one; the API fuzzer sent one (``rep``).
    Uploaded files are binary and are not looked at; a JSON body is checked for
    the escaped form too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = _("请求中含有无效字符。")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    try:
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(
                "\x00" in key or "\x00" in value
                for key, values in request.POST.lists()
                for value in values
            )
    except Exception:  # a malformed body: the view's own parsing answers it (400)
        return False
    return False


# The session key of the last time the session's expiry was moved forward.
SESSION_REFRESHED = "_refreshed_at"


class SessionRefreshMiddleware:
    """A signed-in session ends after ``SESSION_COOKIE_AGE`` without activity; activity
    moves its end forward by saving the session (docs/security.md, "A staff session
    ends after 8 hours of inactivity"). It is saved at most once every
    ``SESSION_REFRESH_SECONDS``, not on every request: ``SESSION_SAVE_EVERY_REQUEST``
    made every page a write and a commit of the session row. The idle limit is kept
    to within that interval. Placed just inside ``SessionMiddleware``, which saves
    what this marks as changed; a request that never read its session (a citizen's
    page, a static file) is left alone, and a view that must leave the session row
    untouched (``congress.ballots.http.session_untouched``) still does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(SESSION_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED] = now
        return response


def session_refreshed_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A login saves its new session anyway: it counts as the last refresh."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED] = int(time.time())
