"""The citizen's pages: no account, a phone, a QR code (码上办).

Submission, the similar-problems hint, the tracking page (progress, photos,
rating, SMS confirmation) and finding one's problem again. Every POST here is
rate-limited per client address (``congress.ratelimit``); the tracking link's
token is the only key to a problem, and phone numbers never go into a URL.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress.errors import DomainError
from congress.files import stream_file
from congress.form_steps import submit
from congress.models import Region, RegionLevel
from congress.ratelimit import is_limited, ratelimit, too_many_requests
from representatives.models import GridAssignment, Representative, Station
from representatives.selectors import own_contact_logs, public_representative_stations
from suggestions.citizen import actions, conf, selectors, services
from suggestions.citizen.forms import (
    ContactConvertForm,
    IssueSubmitForm,
    LookupForm,
    sign_join,
)
from suggestions.citizen.privacy import mask_mobile, mobile_hash
from suggestions.models.citizen import CitizenIssue, IssuePhoto, IssueSource, IssueStatus


@dataclass
class Origin:
    """Where the citizen came from: a station's QR code, a representative's card, or neither."""

    station: Station | None = None
    representative: Representative | None = None
    region: Region | None = None

    @property
    def source(self) -> str:
        if self.station is not None:
            return IssueSource.STATION
        if self.representative is not None:
            return IssueSource.REPRESENTATIVE
        return IssueSource.WEB

    def query(self) -> dict[str, str]:
        if self.station is not None:
            return {"station": self.station.public_token}
        if self.representative is not None:
            return {"rep": self.representative.public_token}
        return {}


def origin_of(request: HttpRequest, params: Mapping[str, Any] | None = None) -> Origin:
    """Read ``?station=`` / ``?rep=`` (the representatives app also sends
    ``?representative=``) from the query or the posted data (``params``: the API
    passes its parsed body); an unknown or retired token is simply no origin."""
    if params is None:
        params = request.GET if request.method == "GET" else request.POST
    station_token = params.get("station") or request.GET.get("station")
    rep_token = (
        params.get("rep")
        or params.get("representative")
        or request.GET.get("rep")
        or request.GET.get("representative")
    )
    if station_token:
        station = _station_by_token(str(station_token))
        if station is not None:
            return Origin(station=station, region=station.region)
    if rep_token:
        representative = (
            Representative.objects.select_related("region").filter(public_token=rep_token).first()
        )
        if representative is not None:
            return Origin(representative=representative, region=_region_of(representative))
    return Origin()


# Every scan of a station's QR code (the form, then its POST) names the station by
# its token. The answer is kept per process for a minute: a station retired or
# moved takes at most that long to stop taking problems here (the QR poster is
# taken down long after). Only stations found are kept, and at most this many, so
# made-up tokens cannot fill the memory.
STATION_TTL = 60.0
STATION_CACHE_SIZE = 4096
_stations: dict[str, tuple[float, Station]] = {}


def _station_by_token(token: str) -> Station | None:
    now = time.monotonic()
    kept = _stations.get(token)
    if kept is not None and kept[0] > now:
        return kept[1]
    station = (
        Station.objects.select_related("region").filter(public_token=token, is_active=True).first()
    )
    if station is None:
        _stations.pop(token, None)
        return None
    if len(_stations) >= STATION_CACHE_SIZE:
        _stations.clear()
    _stations[token] = (now + STATION_TTL, station)
    return station


def _region_of(representative: Representative) -> Region:
    """A problem sent to a representative belongs to their grid (责任田), else to the
    station they serve, else to the place they are registered."""
    grid = (
        GridAssignment.objects.filter(representative=representative, is_active=True)
        .select_related("grid")
        .order_by("pk")
        .first()
    )
    if grid is not None:
        return grid.grid
    station = public_representative_stations(representative).first()
    return station.region if station is not None else representative.region


def _error_summary(form: IssueSubmitForm, region_error: str) -> list[dict[str, str]]:
    """What the server refused, for the summary at the top of the form: each entry
    links to its field (``#id_…``), so nobody hunts down the page. The messages
    name their field already (the core form renderer's stock messages do)."""
    entries = [{"anchor": "id_region", "message": region_error}] if region_error else []
    entries += [{"anchor": "", "message": str(error)} for error in form.non_field_errors()]
    for field in form:
        # A hidden field (the submission key, the place) has nowhere to link to.
        anchor = "" if field.is_hidden else field.auto_id
        entries += [{"anchor": anchor, "message": str(error)} for error in field.errors]
    return entries


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages behind a secret link: never cached, never indexed. (The site-wide
    Referrer-Policy "same-origin" already keeps the link out of other sites' logs;
    "no-referrer" here would make browsers send Origin: null and fail CSRF.)"""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _towns() -> list[Region]:
    return list(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent").order_by("path")
    )


def _phone_key(group: str, request: HttpRequest) -> str:
    return mobile_hash(request.POST.get("mobile", ""))


def _chosen_region(request: HttpRequest, origin: Origin) -> Region | None:
    if origin.region is not None:
        return origin.region
    value = request.POST.get("region", "")
    return (
        Region.objects.filter(pk=value, level=RegionLevel.TOWNSHIP).first()
        if value.isdigit()
        else None
    )


def citizen_issue_new(request: HttpRequest) -> HttpResponse:
    if "contact_problem" in request.GET:
        return contact_problem_convert(request)
    origin = origin_of(request)
    if request.method != "POST":
        form = IssueSubmitForm(initial={"idempotency_key": uuid.uuid4(), "public_anonymous": True})
        return _submit_page(request, form, origin)
    # A retry of a stored submission (a double tap, a resend after a lost answer on
    # a weak network) leads back to its case and costs nothing: it is looked up
    # before the limits, so the sixth retry still gets its tracking link.
    stored = selectors.stored_submission(request.POST.get("idempotency_key", ""))
    if stored is not None:
        return redirect(f"{stored.get_tracking_url()}?new=1")
    if is_limited(request, group="citizen-submit", rate=conf.rate_per_ip()):
        return too_many_requests(request)
    form = IssueSubmitForm(request.POST, request.FILES)
    if form.is_robot:
        # Robots get what looks like success and nothing is stored.
        return render(request, "suggestions/citizen/received.html")
    region = _chosen_region(request, origin)
    if form.is_valid() and region is not None:
        if form.cleaned_data["mobile"] and is_limited(
            request, group="citizen-submit-phone", rate=conf.rate_per_phone(), key=_phone_key
        ):
            return too_many_requests(request)
        try:
            issue, _created = services.citizen_issue_submit(
                submission=form.submission(
                    region=region,
                    station=origin.station,
                    representative=origin.representative,
                    source=origin.source,
                ),
                idempotency_key=form.cleaned_data["idempotency_key"],
                # The citizen is answered once the problem is stored; its 受理 step
                # follows from a task (issue 13, services/routing.py).
                route_after_commit=True,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect(f"{issue.get_tracking_url()}?new=1")
    return _submit_page(request, form, origin, region_missing=region is None)


def _submit_page(
    request: HttpRequest, form: IssueSubmitForm, origin: Origin, *, region_missing: bool = False
) -> HttpResponse:
    """The form; when the server refused it, with the summary of what to fix at the
    top (each entry links to its field) and how many chosen photos must be chosen
    again: a browser never re-sends files with a redrawn form."""
    region_error = _("请选择问题所在的乡镇（街道）。") if region_missing else ""
    return _no_store(
        render(
            request,
            "suggestions/citizen/submit.html",
            {
                "form": form,
                "origin": origin,
                "public_region": origin.region,
                "region_error": region_error,
                "error_summary": _error_summary(form, region_error),
                "photos_dropped": len(request.FILES.getlist("photos")) if form.is_bound else 0,
                "towns": _towns() if origin.region is None else [],
                "chosen_region": request.POST.get("region", ""),
                "retention_days": conf.retention_days(origin.region),
                "max_photos": conf.max_photos(),
                "max_photo_bytes": settings.UPLOAD_MAX_BYTES,
                "max_photo_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            },
        )
    )


@require_GET
@ratelimit(group="citizen-similar", rate=conf.rate_tracking, methods=("GET",))
def citizen_issue_similar(request: HttpRequest) -> HttpResponse:
    """The "someone already reported this" hint (htmx fragment, shown while typing)."""
    origin = origin_of(request)
    region = origin.region
    if region is None and request.GET.get("region", "").isdigit():
        region = Region.objects.filter(pk=request.GET["region"]).first()
    category = None
    if request.GET.get("category", "").isdigit():
        category = selectors.categories().filter(pk=request.GET["category"]).first()
    issues = []
    if region is not None and (category is not None or request.GET.get("description")):
        issues = selectors.similar_open_issues(
            region=region, category=category, text=request.GET.get("description", "")[:200]
        )
    rows = [
        {
            "title": selectors.public_title(issue),
            "category": issue.category.name,
            "status": IssueStatus(issue.status).label,
            "supporters": issue.supporters,
            "created_at": issue.created_at,
            "join": sign_join(issue),
        }
        for issue in issues
    ]
    return render(request, "suggestions/citizen/_similar.html", {"rows": rows})


def citizen_issue_track(request: HttpRequest, token: str) -> HttpResponse:
    issue = selectors.tracked_issue(token)
    return _no_store(render(request, "suggestions/citizen/track.html", _track_context(issue)))


RATE, CONFIRM = actions.LINK_ACTIONS["rate"], actions.LINK_ACTIONS["confirm"]


def _track_context(issue: CitizenIssue, **extra: Any) -> dict[str, Any]:
    target = issue.merged_into
    offered = actions.by_link(issue)
    return {
        "issue": issue,
        "public_region": issue.region,
        "events": selectors.public_timeline(issue),
        "photos": list(issue.photos.all()),
        "masked_mobile": mask_mobile(issue.mobile) if issue.mobile else "",
        "target_status": IssueStatus(target.status).label if target is not None else "",
        "rate_form": RATE.form() if "rate" in offered else None,
        "confirm_form": CONFIRM.form() if "confirm" in offered else None,
        **extra,
    }


@require_POST
@ratelimit(group="citizen-track", rate=conf.rate_tracking)
def citizen_issue_rate(request: HttpRequest, token: str) -> HttpResponse:
    issue = selectors.tracked_issue(token)
    form = RATE.form(request.POST)
    sent = submit(request, form, lambda data: RATE.run(issue, dict(data)))
    if sent.done:
        messages.success(request, _("感谢您的评价。"))
        return redirect(issue.get_tracking_url())
    context = _track_context(issue, rate_form=form)
    return _no_store(render(request, "suggestions/citizen/track.html", context, status=sent.status))


@require_POST
@ratelimit(group="citizen-track", rate=conf.rate_tracking)
def citizen_issue_confirm(request: HttpRequest, token: str) -> HttpResponse:
    issue = selectors.tracked_issue(token)
    form = CONFIRM.form(request.POST)
    sent = submit(request, form, lambda data: CONFIRM.run(issue, dict(data)), field="code")
    if sent.done:
        messages.success(request, _("手机号已确认，您的问题已正式提交。"))
        return redirect(issue.get_tracking_url())
    context = _track_context(issue, confirm_form=form)
    return _no_store(render(request, "suggestions/citizen/track.html", context, status=sent.status))


def citizen_issue_track_photo(request: HttpRequest, token: str, photo: str) -> HttpResponseBase:
    """The citizen's own photos, through their secret link (there is no public URL)."""
    issue = selectors.tracked_issue(token)
    item = get_object_or_404(IssuePhoto, issue=issue, token=photo)
    return stream_file(
        item.file, content_type=item.content_type, filename=f"{photo}{item.extension}", inline=True
    )


@ratelimit(group="citizen-track", rate=conf.rate_tracking)
def citizen_issue_lookup(request: HttpRequest) -> HttpResponse:
    """查询: the tracking code plus the mobile number it was submitted with (a POST,
    so the number is never in a URL or a log line)."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["mobile"]
        issue = selectors.issue_by_code(form.cleaned_data["tracking_code"], number)
        if issue is not None and number:
            return redirect(issue.get_tracking_url())
        form.add_error(None, _("没有找到对应的问题，请核对查询码和手机号。"))
    return _no_store(render(request, "suggestions/citizen/lookup.html", {"form": form}))


@login_required
def contact_problem_convert(request: HttpRequest) -> HttpResponse:
    """A problem from a representative's contact log becomes a case (issue 4's button)."""
    from representatives.models import ContactProblem

    value = request.GET.get("contact_problem", "")
    problem = (
        ContactProblem.objects.select_related("log")
        .filter(
            pk=value if value.isdigit() else 0,
            log__in=own_contact_logs(request.user),
            case_id__isnull=True,
        )
        .first()
    )
    if problem is None:
        raise Http404
    form = ContactConvertForm(request.POST or None, initial={"description": problem.text})
    sent = submit(
        request,
        form,
        lambda data: services.citizen_issue_create_from_contact(
            contact_log=problem.log,
            description=data["description"],
            category=data["category"],
            by=request.user,  # type: ignore[arg-type]
            problem=problem,
        ),
    )
    if sent.done:
        messages.success(request, _("已转为问题办理。"))
        return redirect(sent.result.get_absolute_url())
    return render(
        request,
        "suggestions/citizen/contact_convert.html",
        {"form": form, "problem": problem},
        status=sent.status,
    )
