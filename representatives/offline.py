"""The representative's phone pages without signal (docs/offline.md).

- ``service_worker``: the worker script, served from the site root so that it may
  control the whole site (``Service-Worker-Allowed: /``), with the list of what it
  keeps for offline use written into it (the pages' URLs and the hashed names of
  the static files they need).
- ``offline_session``: who is signed in, and a CSRF token, for the phone's queue:
  it sends a log only as the representative who recorded it.
- ``offline_contact_log``: the queue's upload of one contact log (with photos),
  through the same form and service as the page, answering JSON; a resend with the
  same idempotency key finds the first log.
- ``contact_log_unverified`` / ``contact_log_act``: staff see the logs that
  arrived after the representative's mandate ended (待核实) and confirm them (the
  steps are declared once, ``FLAG_ACTIONS``).
- ``contact_log_photo``: a log's photo, for whoever may see the log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congress.errors import DomainError, InvalidTransition, UnknownAction
from congress.files import stream_file
from congress.keyset import keyset_page
from congress.models import CaseEvent, EventAttachment, User
from congress.registry import register_labels
from congress.scoping import (
    AnyUser,
    acting_user,
    get_visible_or_404,
    in_jurisdiction,
    is_staff_or_admin,
)
from representatives import forms, selectors, services
from representatives.models import ContactLog
from representatives.services import CONTACT_LOG_CASE, CONTACT_LOG_FLAG, CONTACT_LOG_VERIFIED

register_labels(
    case_type=CONTACT_LOG_CASE,
    actions={
        "photos": gettext_lazy("添加照片"),
        CONTACT_LOG_FLAG: gettext_lazy("待核实"),
        CONTACT_LOG_VERIFIED: gettext_lazy("已核实"),
    },
)

# The pages a representative can open without signal (each is theirs alone: their
# home page, which the installed app opens (the manifest's start_url), the form,
# their open problems, their duty schedule), by URL name.
OFFLINE_PAGES = ("home", "contact_log_create", "citizen_issue_list", "my_duty")
# What those pages load (base.html and the form's own script).
OFFLINE_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "css/app.css",
    "icons/icons.svg",
    "icons/manifest.webmanifest",
    "icons/app-icon.svg",
    "icons/app-icon-192.png",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/app.js",
    "representatives/app.js",
    "js/offline/offline.js",
    "js/offline/queue.js",
    "js/offline/photos.js",
)
WORKER_SOURCE = "js/offline/sw.js"
UNVERIFIED_ORDER = ("-created_at", "-pk")


def offline_pages() -> list[str]:
    """The offline pages' URLs (a page whose app is not installed is left out)."""
    urls = []
    for name in OFFLINE_PAGES:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


@lru_cache(maxsize=1)
def _worker_source() -> str:
    path = finders.find(WORKER_SOURCE)
    if not path:
        raise Http404
    with open(path if isinstance(path, str) else path[0], encoding="utf-8") as handle:
        return handle.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker script at /sw.js. It holds nothing personal: the list of pages is the
    same for everyone, and what it caches is fetched with the user's own session."""
    config = {
        "version": _asset_version(),
        "pages": offline_pages(),
        "assets": [static(name) for name in OFFLINE_ASSETS],
        "session": reverse("offline_session"),
        "upload": reverse("offline_contact_log"),
        "login": reverse("login"),
    }
    body = f"self.OFFLINE = {json.dumps(config)};\n{_worker_source()}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response.headers["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on each visit; no cache may keep an old one.
    response.headers["Cache-Control"] = "no-cache"
    return response


def _asset_version() -> str:
    """Changes whenever a static file's hashed name changes (a new release)."""
    names = "\n".join([*(static(name) for name in OFFLINE_ASSETS), _worker_source()])
    return hashlib.sha256(names.encode()).hexdigest()[:12]


@login_required
@require_GET
def offline_session(request: HttpRequest) -> JsonResponse:
    """Who is signed in here: the phone's queue sends only this user's logs."""
    me = selectors.representative_of(request.user)
    return JsonResponse(
        {"user": request.user.pk, "representative": me is not None, "csrf": get_token(request)}
    )


@login_required
@require_POST
def offline_contact_log(request: HttpRequest) -> JsonResponse:
    """One queued log from the phone: the page's form and service, answered in JSON.

    201 with the log's page when it is recorded, 200 when the key was seen before
    (a resend), 400 with the messages when the server will not take it."""
    me = selectors.representative_of(request.user)
    if me is None:
        raise Http404
    form = forms.ContactLogCreateForm(request.POST, request.FILES, representative=me)
    if not form.is_valid():
        errors = {
            field: [str(message) for message in messages_]
            for field, messages_ in form.errors.items()
        }
        return JsonResponse({"code": "invalid", "errors": errors}, status=400)
    data = form.cleaned_data
    try:
        log, created = services.contact_log_record(
            representative=me,
            by=acting_user(request),
            idempotency_key=data["idempotency_key"],
            **form.log_fields(),
            photos=data["photos"],
        )
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=400)
    if request.GET.get("shown"):
        # Sent from the form itself, which moves to the log's page: say so there.
        messages.success(
            request, _("已记录。") if created else _("这条记录此前已保存，未重复记录。")
        )
    return JsonResponse(
        {"id": log.pk, "url": reverse("contact_log_detail", args=[log.pk]), "created": created},
        status=201 if created else 200,
    )


def unverified_contact_logs(user: Any) -> QuerySet[ContactLog]:
    """Logs in the user's scope flagged 待核实 and not yet confirmed (few rows: the
    flags are read first, from the timeline's (case_type, case_id) index)."""
    events = CaseEvent.objects.filter(case_type=CONTACT_LOG_CASE, case_id=OuterRef("pk"))
    flagged = CaseEvent.objects.filter(case_type=CONTACT_LOG_CASE, action=CONTACT_LOG_FLAG).values(
        "case_id"
    )
    return (
        selectors.visible_contact_logs(user)
        .filter(pk__in=flagged)
        .exclude(Exists(events.filter(action=CONTACT_LOG_VERIFIED)))
        .select_related("representative__region")
    )


@login_required
@require_GET
def contact_log_unverified(request: HttpRequest) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        raise Http404
    page = keyset_page(
        unverified_contact_logs(request.user), request.GET, ordering=UNVERIFIED_ORDER
    )
    rows = [
        (log, [(name, FLAG_ACTIONS[name].label) for name in flag_actions_for(request.user, log)])
        for log in page
    ]
    return render(
        request, "representatives/contact_log_unverified.html", {"page": page, "rows": rows}
    )


@dataclass(frozen=True)
class FlagAction:
    """One step staff take on a log flagged 待核实: its button, who may take it now,
    the one service it calls, and what the page says once it is done."""

    label: str | Promise
    may: Callable[[AnyUser, ContactLog], bool]
    run: Callable[[ContactLog, User], Any]
    done: str | Promise


def _manages(user: AnyUser, log: ContactLog) -> bool:
    return in_jurisdiction(user, log.representative.region)


# The steps on a flagged log, declared once: the list page's buttons and its POST
# route (``contacts/<pk>/actions/<name>/``) read this table; an unknown name is an error.
FLAG_ACTIONS: dict[str, FlagAction] = {
    "verify": FlagAction(
        gettext_lazy("核实无误"),
        _manages,
        lambda log, by: services.contact_log_verify(log=log, by=by),
        gettext_lazy("已核实，记录保留。"),
    ),
}


def flag_action(name: str) -> FlagAction:
    try:
        return FLAG_ACTIONS[name]
    except KeyError:
        raise UnknownAction(name, FLAG_ACTIONS) from None


def flag_actions_for(user: AnyUser, log: ContactLog) -> list[str]:
    """The steps the user may take on a flagged log now, in the table's order."""
    return [name for name, action in FLAG_ACTIONS.items() if action.may(user, log)]


@login_required
@require_POST
def contact_log_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        raise Http404
    log = get_visible_or_404(unverified_contact_logs(request.user), pk=pk)
    try:
        step = flag_action(name)
        if name not in flag_actions_for(request.user, log):
            raise InvalidTransition()
        step.run(log, acting_user(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, str(step.done))
    return redirect("contact_log_unverified")


@login_required
@require_GET
def contact_log_photo(request: HttpRequest, pk: int, token: str) -> FileResponse:
    log = get_visible_or_404(selectors.visible_contact_logs(request.user), pk=pk)
    photo = (
        EventAttachment.objects.filter(
            token=token, event__case_type=CONTACT_LOG_CASE, event__case_id=log.pk
        )
        .only("file", "content_type", "original_name")
        .first()
    )
    if photo is None:
        raise Http404
    return stream_file(
        photo.file, content_type=photo.content_type, filename=photo.original_name, inline=True
    )


def contact_log_photos(log: ContactLog) -> list[EventAttachment]:
    """A log's photos, oldest first (for its page)."""
    return list(
        EventAttachment.objects.filter(
            event__case_type=CONTACT_LOG_CASE, event__case_id=log.pk
        ).order_by("pk")
    )
