"""The big screen's pages and JSON (docs/dashboard.md, "Big screen"): for signed-in
staff (their region or one below it), through a read-only signed link (no login; that
link's region only), and as the API's ``bigscreen`` operation.

A link's views never read ``request.user`` and set no cookie: holding a link opens one
region's screen and nothing else. The token is a path segment the log filter masks
(``congress.logging``: 20 or more URL-safe characters), and the security headers
middleware marks every answer under it ``no-store``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.bigscreen import (
    RATE,
    bigscreen_data,
    bigscreen_link_create,
    bigscreen_link_revoke,
    hash_token,
    link_for_token,
    visible_bigscreen_links,
)
from congress.dashboard import dashboard_region, drillable
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.models import Region
from congress.ratelimit import ratelimit
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin, visible_regions


def _token_key(group: str, request: HttpRequest) -> str:
    """The rate limit counts per link (a hash of its token: never the token itself)."""
    match = request.resolver_match
    token = str(match.kwargs.get("token", "")) if match is not None else ""
    return hash_token(token)[:32]


def _rate() -> str:
    """Requests per link and minute: the setting ``BIGSCREEN_LINK_RATE`` or ``RATE``."""
    return str(getattr(settings, "BIGSCREEN_LINK_RATE", RATE))


def _per_link(view: Any) -> Any:
    return ratelimit(group="bigscreen-link", rate=_rate, key=_token_key, methods=("GET",))(view)


def _screen(request: HttpRequest, data: dict[str, Any], data_url: str) -> HttpResponse:
    response = render(request, "congress/bigscreen.html", {"data": data, "data_url": data_url})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- signed in -----------------------------------------------------------------------


@login_required
def bigscreen(request: HttpRequest) -> HttpResponse:
    """The user's own region's screen, or (``?region=``) one below it; else 404."""
    user = acting_user(request)
    region = dashboard_region(user, request.GET.get("region"))
    data_url = reverse("bigscreen_data") + f"?region={region.pk}"
    return _screen(request, bigscreen_data(user, region), data_url)


@login_required
def bigscreen_json(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    region = dashboard_region(user, request.GET.get("region"))
    return _json(bigscreen_data(user, region))


# --- through a signed link (no login) -----------------------------------------------


@_per_link
def bigscreen_shared(request: HttpRequest, token: str) -> HttpResponse:
    link = link_for_token(token)
    data_url = reverse("bigscreen_shared_data", kwargs={"token": token})
    return _screen(request, bigscreen_data(link.created_by, link.region), data_url)


@_per_link
def bigscreen_shared_json(request: HttpRequest, token: str) -> HttpResponse:
    link = link_for_token(token)
    return _json(bigscreen_data(link.created_by, link.region))


# --- the links: list, create, revoke -------------------------------------------------


class LinkForm(forms.Form):
    region = forms.ModelChoiceField(
        label=gettext_lazy("区划"), queryset=Region.objects.none(), empty_label=None
    )
    label = forms.CharField(
        label=gettext_lazy("用途"),
        max_length=100,
        help_text=gettext_lazy("写明放在哪里，例如“代表之家大厅”，便于日后撤销。"),
    )

    def __init__(self, *args: Any, user: Any, extra: Region | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The user's own regions and the level below them, and the region the dashboard
        # was showing (any depth of their jurisdiction down to the township).
        own = [region.pk for region in user.staff_regions]
        near = Q(pk__in=own) | Q(parent__in=own)
        if extra is not None:
            near |= Q(pk=extra.pk)
        if user.is_superuser and not own:
            near = Q(depth__lte=1) | (Q(pk=extra.pk) if extra is not None else Q(pk__in=[]))
        regions = visible_regions(user).filter(near).order_by("path")
        self.fields["region"].queryset = regions.filter(depth__lte=3)  # type: ignore[attr-defined]


def _extra_region(request: HttpRequest) -> Region | None:
    region_id = request.GET.get("region") or request.POST.get("region")
    if not region_id:
        return None
    try:
        region = visible_regions(request.user).filter(pk=int(region_id)).first()
    except ValueError:
        return None
    return region if region is not None and drillable(region) else None


@login_required
def bigscreen_links(request: HttpRequest) -> HttpResponse:
    """The links of the user's jurisdiction, newest first, and the form for a new one.
    A new link's address is shown on this answer only (it is stored as a hash)."""
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    extra = _extra_region(request)
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        user=user,
        extra=extra,
        initial={"region": extra.pk if extra else None},
    )
    sent = submit(
        request,
        form,
        lambda data: bigscreen_link_create(region=data["region"], label=data["label"], by=user),
    )
    issued = ""
    if sent.done:
        link, token = sent.result
        issued = request.build_absolute_uri(reverse("bigscreen_shared", kwargs={"token": token}))
        form = LinkForm(user=user, extra=extra, initial={"region": link.region_id})
    page = keyset_page(visible_bigscreen_links(user), request.GET, ordering=["-created_at", "-pk"])
    context = {"form": form, "page": page, "issued": issued}
    return render(request, "congress/bigscreen_links.html", context, status=sent.status)


@login_required
@require_POST
def bigscreen_link_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    link = get_visible_or_404(visible_bigscreen_links(user), pk=pk)
    bigscreen_link_revoke(link=link, by=user)
    messages.success(request, _("已撤销“%(label)s”，该链接即时失效。") % {"label": link.label})
    return redirect("bigscreen_links")


# --- the API ---------------------------------------------------------------------------

_figure = inline_serializer(
    "BigScreenFigure",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.FloatField(allow_null=True),
        "unit": serializers.CharField(),
        "display": serializers.CharField(),
    },
    many=True,
)
_bigscreen = inline_serializer(
    "BigScreen",
    {
        "region": inline_serializer(
            "BigScreenRegion", {"id": serializers.IntegerField(), "name": serializers.CharField()}
        ),
        "generated_at": serializers.DateTimeField(),
        "updated": serializers.CharField(help_text="HH:MM, Asia/Shanghai"),
        "period": serializers.CharField(help_text="the trend's twelve months"),
        "figures": _figure,
        "charts": serializers.ListField(child=serializers.DictField()),
        "league": serializers.DictField(allow_null=True),
        "suggestions": serializers.DictField(allow_null=True),
        "votes": inline_serializer(
            "BigScreenVote",
            {
                "title": serializers.CharField(),
                "voted": serializers.IntegerField(),
                "electorate": serializers.IntegerField(),
                "turnout": serializers.FloatField(allow_null=True),
            },
            many=True,
        ),
        "projects": inline_serializer(
            "BigScreenProject",
            {
                "name": serializers.CharField(),
                "percent": serializers.IntegerField(allow_null=True),
                "behind": serializers.BooleanField(),
            },
            many=True,
        ),
    },
)


class BigScreenAPIView(APIView):
    """The big screen's figures for a region in the caller's jurisdiction (else 404)."""

    @extend_schema(
        operation_id="bigscreen",
        summary="Big screen figures for a region (docs/dashboard.md, 'Big screen')",
        responses={200: _bigscreen},
    )
    def get(self, request: Request, region_id: int) -> Response:
        user = acting_user(request)
        region = dashboard_region(user, str(region_id))
        return Response(bigscreen_data(user, region))
