"""The staff dashboard's core (docs/dashboard.md): the period, the region and its
drill-down, and the panels that feature apps register.

The core imports no feature app (docs/architecture.md, "How apps plug in"): each
app registers a ``DashboardPanel`` from its ``AppConfig.ready``, the way it
registers home cards, and the page and the API show what the panels return. A
panel reads summary rows or indexed columns only, so its queries do not grow
with the data (docs/architecture.md, "Reads that do not grow with the data").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.areas import AREA_DEPTHS
from congress.models import Region
from congress.scoping import is_staff_or_admin, visible_regions

PERIODS = ("this_month", "last_month", "this_year", "months")
# A trend shows at least a year, ending with the period's last month.
TREND_MONTHS = 12


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def last_day(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole months, ``first`` to ``last`` (the first day of each), both included."""

    key: str
    first: datetime.date
    last: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def trend_months(self) -> list[datetime.date]:
        """The months a trend chart shows: the period's, and before a period shorter
        than a year the months that make it twelve (one month is not a trend)."""
        start = self.last.year * 12 + self.last.month - TREND_MONTHS
        earliest = datetime.date(start // 12, start % 12 + 1, 1)
        return Period(self.key, min(self.first, earliest), self.last).months

    @property
    def start(self) -> datetime.date:
        return self.first

    @property
    def end(self) -> datetime.date:
        return last_day(self.last)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return _("%(year)d年%(month)d月") % {"year": self.first.year, "month": self.first.month}
        return _("%(y1)d年%(m1)d月至%(y2)d年%(m2)d月") % {
            "y1": self.first.year,
            "m1": self.first.month,
            "y2": self.last.year,
            "m2": self.last.month,
        }

    def query(self) -> dict[str, str]:
        if self.key == "months":
            return {"period": "months", "from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        return {"period": self.key}


# A custom range reads one summary row per area, month and category: three years
# is plenty for a meeting and keeps the read bounded.
LONGEST_MONTHS = 36


def _month(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


def period_from(params: Mapping[str, str], today: datetime.date | None = None) -> Period:
    """The period a request asks for; anything malformed is this month."""
    today = today or timezone.localdate()
    this = first_of_month(today)
    key = params.get("period", "this_month")
    if key == "last_month":
        last = first_of_month(this - datetime.timedelta(days=1))
        return Period(key, last, last)
    if key == "this_year":
        return Period(key, this.replace(month=1), this)
    if key == "months":
        start, stop = _month(params.get("from", "")), _month(params.get("to", ""))
        if start is not None and stop is not None and start <= stop:
            months = (stop.year - start.year) * 12 + stop.month - start.month + 1
            if months <= LONGEST_MONTHS:
                return Period(key, start, stop)
    return Period("this_month", this, this)


def period_choices() -> list[tuple[str, str | Promise]]:
    return [
        ("this_month", gettext_lazy("本月")),
        ("last_month", gettext_lazy("上月")),
        ("this_year", gettext_lazy("今年")),
        ("months", gettext_lazy("自定义月份")),
    ]


# --- what a panel returns ----------------------------------------------------------


@dataclass
class Figure:
    """One number, its words, its definition (shown beside it; docs/dashboard.md)
    and the filtered list behind it, if there is one."""

    key: str
    label: str
    value: int | float | None
    definition: str
    url: str = ""
    unit: str = ""  # "%" for a rate, or a word such as 工作日
    more: bool = False  # a bounded count that reached its bound ("1,000+")

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return f"{self.value:,}+" if self.more else f"{self.value:,}"

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "more": self.more,
            "definition": self.definition,
            "url": self.url,
        }


@dataclass
class Chart:
    """A chart and its table view: ``rows`` are the categories (months, kinds,
    regions), ``series`` the columns. ``links`` (one per row, or empty) is where a
    click on a bar goes: the drill-down into a child region or the filtered list.
    ``definition`` says what the figures are, for the page, the printed report and the
    API alike; ``hint`` is what a click does, said on the page only (paper and other
    systems have nothing to click)."""

    key: str
    title: str
    kind: str  # "line", "bar", "ranking" (horizontal bars, largest first) or "map"
    rows: list[str]
    series: list[tuple[str, list[int | float | None]]]
    definition: str = ""
    links: list[str] = field(default_factory=list)
    # A "map" (docs/dashboard.md, "下级区划地图"): its GeoJSON and each row's area key.
    geo_url: str = ""
    geo_keys: list[str] = field(default_factory=list)
    hint: str = ""

    def table(self) -> list[tuple[str, str, list[int | float | None]]]:
        """(row label, link, values across the series) for the table view."""
        links = self.links or [""] * len(self.rows)
        return [
            (label, links[i], [values[i] for _name, values in self.series])
            for i, label in enumerate(self.rows)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "rows": self.rows,
            "series": [{"name": name, "data": values} for name, values in self.series],
            "definition": self.definition,
            "links": self.links,
            **({"geo_url": self.geo_url, "geo_keys": self.geo_keys} if self.geo_url else {}),
        }


@dataclass
class Table:
    """A ranked table without a chart (the departments' league table)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    definition: str = ""
    # Optional: a link per row, opened from its first cell (a list behind the row).
    links: list[str] = field(default_factory=list)

    def linked_rows(self) -> list[tuple[str, list[Any]]]:
        """(link or "", row) for each row, for the page's table."""
        links = self.links or [""] * len(self.rows)
        return list(zip(links, self.rows, strict=True))

    def numeric_columns(self) -> list[bool]:
        """Which columns hold figures (numbers, or rates written with %), to be set
        right-aligned; a column of names, dates or states reads from the left."""

        def figure(cell: Any) -> bool:
            return cell is None or isinstance(cell, int | float) or str(cell).endswith("%")

        return [
            index > 0 and all(figure(row[index]) for row in self.rows if index < len(row))
            for index in range(len(self.columns))
        ]

    def aligned_columns(self) -> list[tuple[str, bool]]:
        """The column headings with their alignment, for the page (its rows:
        ``congress/templatetags/dashboard_rows.py``)."""
        return list(zip(self.columns, self.numeric_columns(), strict=True))

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "definition": self.definition,
        }


@dataclass
class PanelData:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "note": self.note,
            "figures": [figure.as_json() for figure in self.figures],
            "charts": [chart.as_json() for chart in self.charts],
            "tables": [table.as_json() for table in self.tables],
        }


# --- where the panels come from ----------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What every panel is asked about: whose dashboard, which region, which period,
    and the region's children it may rank and drill into."""

    user: Any
    region: Region
    period: Period
    children: list[Region]
    today: datetime.date
    # What the panels of one request share (a scoped queryset, a summary read once for
    # two panels): ``once`` fills it. Not part of the scope's identity.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time a panel asks for ``key`` in this request, the
        same object after: two panels reading the same rows cost one query."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def drill_url(self, region: Region) -> str:
        """The dashboard of a child region, same period (empty below the last level)."""
        from urllib.parse import urlencode

        from django.urls import reverse

        if not drillable(region):
            return ""
        return reverse("dashboard") + "?" + urlencode({"region": region.pk, **self.period.query()})


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    build: Callable[[Scope], PanelData | None]
    order: int = 100


dashboard_panels: list[DashboardPanel] = []


def register_dashboard_panel(panel: DashboardPanel) -> None:
    if all(existing.key != panel.key for existing in dashboard_panels):
        dashboard_panels.append(panel)
        dashboard_panels.sort(key=lambda entry: entry.order)


def drillable(region: Region) -> bool:
    """The dashboard goes down to the township: the summaries count by the areas
    at depths 0-3 (docs/architecture.md, "Reads that do not grow with the data")."""
    return region.depth < AREA_DEPTHS


def can_see_dashboard(user: Any) -> bool:
    return is_staff_or_admin(user)


def dashboard_region(user: Any, region_id: str | None) -> Region:
    """The region asked for, if it is the user's or below it (else 404: never
    sideways or up); without one, the user's own (outermost) region."""
    if not can_see_dashboard(user):
        raise Http404
    regions = visible_regions(user)
    if region_id:
        try:
            region = regions.get(pk=int(region_id))
        except (ValueError, Region.DoesNotExist) as missing:
            raise Http404 from missing
    else:
        own = sorted(user.staff_regions, key=lambda r: (r.depth, r.path))
        region = own[0] if own else regions.order_by("path").first()  # type: ignore[assignment]
        if region is None:
            raise Http404
    if not drillable(region) or not is_staff_or_admin(user):
        raise Http404
    return region


def dashboard_scope(user: Any, params: Mapping[str, str]) -> Scope:
    region = dashboard_region(user, params.get("region"))
    children = list(Region.objects.filter(parent=region).order_by("code", "name", "pk"))
    return Scope(
        user=user,
        region=region,
        period=period_from(params),
        children=children,
        today=timezone.localdate(),
    )


def dashboard_panels_for(scope: Scope) -> list[PanelData]:
    panels = []
    for panel in dashboard_panels:
        data = panel.build(scope)
        if data is not None:
            panels.append(data)
    return panels


def breadcrumbs(user: Any, region: Region) -> list[Region]:
    """The way down from the user's own region to ``region`` (no step above theirs).
    On the user's own region, with none of theirs above it, that is the region alone:
    no read of its ancestors (the page's default)."""
    if not user.is_superuser and not any(
        own.pk != region.pk and region.is_within(own) for own in user.staff_regions
    ):
        return [region]
    chain = [*region.ancestors(), region]
    if user.is_superuser:
        return chain
    return [step for step in chain if any(step.is_within(own) for own in user.staff_regions)]


def rate(part: int, whole: int) -> float | None:
    """A share in percent, or None (shown as —) when nothing was counted."""
    return round(100 * part / whole, 1) if whole else None


def mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None
