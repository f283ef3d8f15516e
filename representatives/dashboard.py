"""The representatives panel of the staff dashboard (docs/dashboard.md, "代表工作"):
seats by level, stations by kind, contacts with voters logged in the period.

Read through the app's scoping functions, filtered to the region's subtree; each
figure is one grouped query, so the number of queries does not grow with the
data (their cost is the region's representatives and the period's contact logs,
on the region-path and (representative, date) indexes).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.dashboard import Chart, Figure, PanelData, Scope, rate
from congress.models import CongressLevel
from representatives.models import MandateStatus, StationKind
from representatives.selectors import visible_contact_logs, visible_mandates, visible_stations

LEVELS = [level for level, _label in CongressLevel.choices]


def _url(name: str, scope: Scope, **filters: object) -> str:
    return reverse(name) + "?" + urlencode({"region": scope.region.pk, **filters})


def representatives_panel(scope: Scope) -> PanelData:
    path = scope.region.path
    period = scope.period
    seats = (
        visible_mandates(scope.user)
        .filter(status=MandateStatus.ACTIVE, representative__region__path__startswith=path)
        .order_by()
    )
    by_level = dict(seats.values("level").annotate(n=Count("pk")).values_list("level", "n"))
    people = seats.values("representative_id").distinct().count()
    stations = dict(
        visible_stations(scope.user)
        .filter(region__path__startswith=path, is_active=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    contacts = (
        visible_contact_logs(scope.user)
        .filter(
            representative__region__path__startswith=path,
            contacted_on__gte=period.start,
            contacted_on__lte=period.end,
        )
        .order_by()
        .aggregate(n=Count("pk"), people=Count("representative_id", distinct=True))
    )
    levels = [level for level in LEVELS if by_level.get(level)]
    kinds = [kind for kind, _label in StationKind.choices if stations.get(kind)]
    return PanelData(
        key="representatives",
        title=_("代表工作"),
        figures=[
            Figure(
                "representatives",
                _("在任代表"),
                people,
                _("本区划及以下有在任代表资格的代表人数（一人多级只计一次）。"),
                _url("representative_list", scope, active="true"),
            ),
            Figure(
                "seats",
                _("在任代表资格"),
                sum(by_level.values()),
                _("各级人大在任代表资格数（一人多级分别计）。"),
            ),
            Figure(
                "contacts",
                _("联系选民次数"),
                contacts["n"],
                _("本期登记的联系选民记录条数（按联系日期计）。"),
                _url(
                    "contact_log_list",
                    scope,
                    start=period.start.isoformat(),
                    end=period.end.isoformat(),
                ),
            ),
            Figure(
                "contact_share",
                _("联系选民代表占比"),
                rate(min(contacts["people"], people), people),
                _("本期至少登记一次联系选民的代表人数 ÷ 在任代表人数。"),
                unit="%",
            ),
        ],
        charts=[
            Chart(
                "levels",
                _("在任代表资格（按层级）"),
                "bar",
                [str(CongressLevel(level).label) for level in levels],
                [(_("人数"), [by_level[level] for level in levels])],
                _("各级人大在任代表资格数。"),
                [
                    _url("representative_list", scope, level=level, active="true")
                    for level in levels
                ],
            ),
            Chart(
                "stations",
                _("家站点（按类型）"),
                "bar",
                [str(StationKind(kind).label) for kind in kinds],
                [(_("个数"), [stations[kind] for kind in kinds])],
                _("本区划及以下启用的代表之家、联络站等。"),
                [_url("station_list", scope, kind=kind, active="true") for kind in kinds],
            ),
        ],
    )
