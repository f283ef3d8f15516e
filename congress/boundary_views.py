"""The boundaries page of a region (地图边界) and the geometry the dashboard's map is
drawn from (docs/dashboard.md, "下级区划地图"). Administrators load the GeoJSON and set
the children's populations; congress staff of the region or above read both; anyone
else gets a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from congress.boundaries import (
    MAX_BYTES,
    MAX_POPULATION,
    boundary_load,
    boundary_of,
    boundary_regions,
    boundary_version,
    can_manage_boundaries,
    grids_below,
    map_levels_allow,
    population_set,
)
from congress.dashboard import drillable
from congress.form_steps import submit
from congress.models import Region
from congress.models.boundaries import RegionBoundary
from congress.scoping import acting_user, get_visible_or_404


class BoundaryUploadForm(forms.Form):
    geojson = forms.FileField(
        label=gettext_lazy("边界文件（GeoJSON）"),
        help_text=gettext_lazy(
            "一个 FeatureCollection，每个要素是一个下级区划的 Polygon 或 MultiPolygon，"
            "属性中有区划代码（code 或 adcode）或名称（name）。不超过5 MB。"
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,.geojson,application/geo+json,application/json"}
        ),
    )

    def clean_geojson(self) -> Any:
        upload = self.cleaned_data["geojson"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(limit)d MB 的上限：请先简化边界再加载。")
                % {"limit": MAX_BYTES // 1024 // 1024}
            )
        return upload


class PopulationForm(forms.Form):
    """One field per child: its 常住人口 in persons, blank when not known."""

    def __init__(self, children: list[Region], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            self.fields[f"population_{child.pk}"] = forms.IntegerField(
                label=child.name,
                required=False,
                min_value=1,
                max_value=MAX_POPULATION,
                initial=child.population,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def values(self) -> dict[int, int | None]:
        return {
            child.pk: self.cleaned_data.get(f"population_{child.pk}") for child in self.children
        }

    def rows(self) -> list[tuple[Region, forms.BoundField]]:
        return [(child, self[f"population_{child.pk}"]) for child in self.children]


@login_required
@require_http_methods(["GET", "POST"])
def region_boundaries(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff of the region or above read it; administrators load and set (403 for the
    staff who may only read); anyone else 404."""
    region: Region = get_visible_or_404(boundary_regions(request.user), pk=pk)
    editable = can_manage_boundaries(request.user)
    children = list(Region.objects.filter(parent=region).order_by("code", "name", "pk"))
    upload = BoundaryUploadForm()
    population = PopulationForm(children)
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("form") == "upload":
            upload = BoundaryUploadForm(request.POST, request.FILES)
            # A refusal is about the file: it is shown under the file's input.
            sent = submit(
                request,
                upload,
                lambda data: _load(request, region, data["geojson"]),
                field="geojson",
            )
        else:
            population = PopulationForm(children, request.POST)
            sent = submit(request, population, lambda data: _set(request, region, population))
        if sent.done:
            return redirect("region_boundaries", pk=region.pk)
        status = sent.status
    boundary = boundary_of(region)
    matched = set(boundary.matched_ids) if boundary else set()
    grids = grids_below(region)
    context = {
        "region": region,
        "ancestors": region.ancestors(),
        "boundary": boundary,
        "editable": editable,
        "levels_allow": map_levels_allow(region),
        "dashboard": drillable(region),
        "children": [
            (child, child.pk in matched, grids.get(child.pk, 0), field)
            for child, field in population.rows()
        ],
        "unmatched": [child for child in children if boundary and child.pk not in matched],
        "upload": upload,
        "population": population,
        "max_mb": MAX_BYTES // 1024 // 1024,
    }
    return render(request, "congress/boundaries.html", context, status=status)


def _load(request: HttpRequest, region: Region, file: Any) -> None:
    """Load the uploaded GeoJSON and say how many children it drew."""
    loaded = boundary_load(
        region=region,
        geojson_text=file.read(),
        source_name=file.name or "",
        by=acting_user(request),
    )
    messages.success(
        request,
        _("已加载%(n)d个下级区划的边界，数据看板的地图即按此绘制。") % {"n": loaded.feature_count},
    )


def _set(request: HttpRequest, region: Region, population: PopulationForm) -> None:
    """Save the children's populations and say how many changed (or that none did)."""
    changed = population_set(region=region, values=population.values(), by=acting_user(request))
    if changed:
        messages.success(request, _("已保存%(n)d个区划的常住人口。") % {"n": len(changed)})
    else:
        messages.info(request, _("常住人口没有变化。"))


@login_required
@require_GET
def region_boundaries_geojson(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored FeatureCollection, as the dashboard's map fetches it (same origin, the
    user's session): whoever may see the region's dashboard. No boundary: 404."""
    region: Region = get_visible_or_404(boundary_regions(request.user), pk=pk)
    version = boundary_version(region)
    if not version:
        raise Http404
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        text = (
            RegionBoundary.objects.filter(region=region).values_list("geojson", flat=True).first()
        )
        if text is None:
            raise Http404
        response = HttpResponse(text, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    # The user's own (their session decides); asked again each time, a 304 when unchanged.
    response["Cache-Control"] = "private, no-cache"
    return response
