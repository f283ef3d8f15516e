"""Public pages (no login, phone first), reached by the opaque token on a QR code.

亮身份: a citizen scans a station's poster and sees who represents them, how to
reach each one (as that representative allows), when they are on duty, and two
buttons into the suggestions app's flows. A rotated token opens a friendly
"replaced" page (410); an unknown one a friendly 404. Neither shows a trace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from congress.errors import DomainError
from congress.net import client_ip
from representatives import conf, forms, printing, selectors, services
from representatives.models import Representative, Station, StationMember
from representatives.selectors import TokenRetired


def friendly_token_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TokenRetired:
            return render(
                request, "representatives/public/token_gone.html", {"retired": True}, status=410
            )
        except Http404:
            return render(
                request, "representatives/public/token_gone.html", {"retired": False}, status=404
            )

    return wrapper


def _flow_url(name: str, **params: str) -> str:
    """A flow of the suggestions app, or "" (button hidden) while that app lacks it."""
    try:
        return f"{reverse(name)}?{urlencode(params)}"
    except NoReverseMatch:
        return ""


@friendly_token_errors
def public_station(request: HttpRequest, token: str) -> HttpResponse:
    station = selectors.public_station(token)
    page = selectors.public_station_page(station)
    return render(
        request,
        "representatives/public/station.html",
        {
            "station": station,
            "public_region": station.region,
            "members": page.members,
            "shifts": page.shifts,
            "cases": page.cases,
            "today": timezone.localdate(),
            "issue_url": _flow_url("citizen_issue_new", station=token),
            "appointment_url": _flow_url("appointment_new", station=token),
            "evaluate_url": reverse("public_station_evaluate", args=[token]),
        },
    )


@friendly_token_errors
def public_representative(request: HttpRequest, token: str) -> HttpResponse:
    rep = selectors.public_representative(token)
    stations = list(selectors.public_representative_stations(rep))
    station = stations[0] if stations else None
    return render(
        request,
        "representatives/public/representative.html",
        {
            "rep": rep,
            "stations": stations,
            "station": station,
            "public_region": station.region if station is not None else rep.region,
            "issue_url": _flow_url("citizen_issue_new", representative=token),
            "appointment_url": _flow_url("appointment_new", representative=token),
        },
    )


def _rate_limited(request: HttpRequest, station: Station) -> bool:
    """A light limit per address and station, so one phone cannot stuff the box.

    The address is hashed into the cache key only; it is never stored.
    """
    count, seconds = conf.evaluation_rate_limit()
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:16]
    key = f"rep-eval:{station.public_token}:{digest}"
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        used = 1
    return used > count


@friendly_token_errors
@require_http_methods(["GET", "POST"])
def public_station_evaluate(request: HttpRequest, token: str) -> HttpResponse:
    """述职评议: voters rate a stationed representative's year, on the station's phone page."""
    station = selectors.public_station(token)
    form = forms.EvaluationForm(request.POST or None, station=station)
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, station):
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            return render(
                request,
                "representatives/public/evaluate.html",
                {"station": station, "form": form},
                status=429,
            )
        try:
            services.voter_evaluation_submit(station=station, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(
                request, "representatives/public/evaluate_done.html", {"station": station}
            )
    return render(
        request, "representatives/public/evaluate.html", {"station": station, "form": form}
    )


@cache_control(max_age=3600)
def public_representative_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        rep = selectors.public_representative(token)
    except TokenRetired:
        raise Http404 from None
    if not rep.photo:
        raise Http404
    return FileResponse(rep.photo.open("rb"))


def _qr_target(kind: str, token: str) -> str:
    try:
        if kind == "s":
            return selectors.public_station(token).get_public_url()
        return selectors.public_representative(token).get_public_url()
    except TokenRetired:
        raise Http404 from None


@cache_control(max_age=86400)
def qr_code(request: HttpRequest, kind: str, token: str, fmt: str) -> HttpResponse:
    url = printing.absolute_public_url(_qr_target(kind, token))
    if fmt == "svg":
        return HttpResponse(printing.qr_svg(url), content_type="image/svg+xml")
    response = HttpResponse(printing.qr_png(url), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{kind}-{token[:6]}.png"'
    return response


# --- print: poster and 连心卡 sheets (staff views call these) ------------------------------


def _respond(
    request: HttpRequest, template: str, context: dict[str, Any], as_pdf: bool, filename: str
) -> HttpResponse:
    context["pdf_available"] = printing.pdf_available()
    context["as_pdf"] = as_pdf
    if as_pdf and context["pdf_available"]:
        html = render_to_string(template, context, request=request)
        response = HttpResponse(printing.html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    return render(request, template, context)


def _card(rep: Representative, station: Station | None) -> dict[str, Any]:
    url = printing.absolute_public_url(rep.get_public_url())
    return {
        "rep": rep,
        "qr": printing.qr_data_uri(url),
        "url": url,
        "photo": printing.photo_data_uri(rep.photo),
        "station": station,
    }


def render_cards(
    request: HttpRequest,
    representatives: list[Representative],
    *,
    as_pdf: bool,
    station: Station | None = None,
    pdf_job_url: str = "",
) -> HttpResponse:
    """连心卡: ten cards to an A4 page, each with the representative's own QR code."""
    context = cards_context(representatives, station=station)
    if pdf_job_url:
        context["pdf_job_url"] = pdf_job_url
    return _respond(request, "representatives/print/cards.html", context, as_pdf, "lianxinka.pdf")


def cards_context(
    representatives: list[Representative], *, station: Station | None = None
) -> dict[str, Any]:
    """The 连心卡 sheet's pages (the page and the background PDF job share it)."""
    stations: dict[int, Station] = {}
    if station is None:
        for member in StationMember.objects.filter(
            representative__in=representatives, is_active=True
        ).select_related("station"):
            stations.setdefault(member.representative_id, member.station)
    cards = [_card(rep, station or stations.get(rep.pk)) for rep in representatives]
    pages = [cards[i : i + 10] for i in range(0, len(cards), 10)]
    return {"pages": pages, "station": station, "count": len(cards)}


def render_poster(request: HttpRequest, station: Station, *, as_pdf: bool) -> HttpResponse:
    page = selectors.public_station_page(station)
    url = printing.absolute_public_url(station.get_public_url())
    return _respond(
        request,
        "representatives/print/poster.html",
        {
            "station": station,
            "members": page.members,
            "qr": printing.qr_data_uri(url),
            "url": url,
            "patterns": station.duty_patterns.all(),
        },
        as_pdf,
        "poster.pdf",
    )
