"""The big screen (数据大屏, docs/dashboard.md, "Big screen"): one region's live figures
for a hall, and the read-only signed links that open it without signing in.

The figures are the staff dashboard's own (``congress.dashboard``): the panels the apps
register, asked about the last twelve months, so the screen and the dashboard never
disagree and read the same summary rows (docs/architecture.md, "Reads that do not grow
with the data"). What the dashboard has no panel for (today's problems, a vote's
turnout, the projects elected this year) comes from a feature app's ``bigscreen``
module, which registers a ``BigScreenSource`` here the way a panel registers with the
dashboard: the core imports no feature app; the app's ``setup.py`` (imported by its
``AppConfig.ready``) imports its ``bigscreen`` module, as for every other registration
(docs/architecture.md, "How a feature app plugs into the core").

Nothing personal leaves here: no citizen's name, phone or tracking link, no
representative's name; only counts, rates, and the names of regions, categories,
departments, sessions and projects.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congress.audit import audit_record
from congress.dashboard import (
    Chart,
    Figure,
    PanelData,
    Period,
    Scope,
    dashboard_panels,
    drillable,
    first_of_month,
)
from congress.errors import RuleViolation
from congress.models import AuditAction, Region, User
from congress.models.bigscreen import BigScreenLink
from congress.scoping import (
    AnyUser,
    in_jurisdiction,
    is_staff_or_admin,
    region_scope_q,
    require_in_jurisdiction,
)

# The screen's trend runs over the last twelve months, this one included.
TREND_MONTHS = 12
# How many departments of the dashboard's league table the screen shows.
LEAGUE_ROWS = 10
# The dashboard panels the screen reads, by their registered keys (docs/dashboard.md).
PANELS = ("citizen", "suggestions", "departments")
# "最近使用" is written at most this often per link: a screen asks every minute, and a
# write per request would be a write per screen per minute for nothing.
LAST_USED_EVERY = datetime.timedelta(minutes=5)
# A region's figures are computed at most this often (docs/dashboard.md, "Big screen"):
# a screen asks every minute, a hall may run several, and all see the same figures.
CACHE_SECONDS = 30
# Requests per link (the page and its JSON together): a hall may run a few screens on
# one link, each asking once a minute; reloads included, 30 a minute is plenty.
RATE = "30/m"


# --- the sources of what the dashboard has no panel for -----------------------------


@dataclass
class VoteTurnout:
    """An open vote's turnout: how many of its electors have voted, never what."""

    title: str
    voted: int
    electorate: int

    def as_json(self) -> dict[str, Any]:
        turnout = round(100 * self.voted / self.electorate, 1) if self.electorate else None
        return {
            "title": self.title,
            "voted": self.voted,
            "electorate": self.electorate,
            "turnout": turnout,
        }


@dataclass(frozen=True)
class ProjectProgress:
    """One of this year's elected projects: its name and, once it is being implemented,
    how far it is (percent) and whether it is behind its plan."""

    name: str
    percent: int | None = None
    behind: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "percent": self.percent, "behind": self.behind}


@dataclass
class BigScreenPart:
    """What a source adds: headline figures (shown first), open votes' turnout, and
    the projects elected this year with their progress."""

    figures: list[Figure] = field(default_factory=list)
    votes: list[VoteTurnout] = field(default_factory=list)
    projects: list[ProjectProgress] = field(default_factory=list)


@dataclass(frozen=True)
class BigScreenSource:
    key: str
    build: Callable[[Scope], BigScreenPart | None]
    order: int = 100


bigscreen_sources: list[BigScreenSource] = []


def register_bigscreen_source(source: BigScreenSource) -> None:
    if all(existing.key != source.key for existing in bigscreen_sources):
        bigscreen_sources.append(source)
        bigscreen_sources.sort(key=lambda entry: entry.order)


# --- the figures --------------------------------------------------------------------


def trend_period(today: datetime.date) -> Period:
    """The last ``TREND_MONTHS`` whole months, this one included."""
    last = first_of_month(today)
    index = last.year * 12 + last.month - 1 - (TREND_MONTHS - 1)
    first = datetime.date(index // 12, index % 12 + 1, 1)
    return Period("months", first, last)


def bigscreen_scope(user: AnyUser, region: Region) -> Scope:
    today = timezone.localdate()
    return Scope(
        user=user,
        region=region,
        period=trend_period(today),
        children=list(Region.objects.filter(parent=region).order_by("code", "name", "pk")),
        today=today,
    )


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "value": figure.value,
        "unit": figure.unit,
        "display": figure.display,
    }


def _chart(chart: Chart) -> dict[str, Any]:
    # No links: the screen is read across a room, and a link's page needs a login.
    return {
        "key": chart.key,
        "title": chart.title,
        "kind": chart.kind,
        "rows": chart.rows,
        "series": [{"name": name, "data": values} for name, values in chart.series],
    }


def _pick(panel: PanelData | None, *keys: str) -> list[Figure]:
    if panel is None:
        return []
    found = {figure.key: figure for figure in panel.figures}
    return [found[key] for key in keys if key in found]


def _this_month(trend: Chart | None) -> list[Figure]:
    """This month's problems, received and closed so far: the trend's last month."""
    if trend is None or not trend.rows:
        return []
    # The dashboard's trend: received, then closed (suggestions/citizen/dashboard.py).
    received, closed = trend.series[0][1], trend.series[1][1]
    return [
        Figure("month_received", _("本月收到"), received[-1], ""),
        Figure("month_closed", _("本月办结"), closed[-1], ""),
    ]


def cache_seconds() -> int:
    """How long a region's figures are reused (setting ``BIGSCREEN_CACHE_SECONDS``, 0 to
    compute every request)."""
    return int(getattr(settings, "BIGSCREEN_CACHE_SECONDS", CACHE_SECONDS))


def bigscreen_data(user: AnyUser, region: Region) -> dict[str, Any]:
    """The screen's JSON for ``region``, read as ``user`` (a signed-in staff member, or
    a link's creator), computed at most every ``cache_seconds()`` per region.

    Screens poll unattended and every viewer of a region sees the same figures (they
    are the region's: whoever may open the screen holds the whole region), so they
    are kept in Django's cache keyed only by what they are about: the region, the
    period (its months and today) and the language of their labels; never by the
    viewer. They hold counts and the names of places, departments and projects, no
    personal data (tested). ``generated_at``/``updated`` say when they were computed
    (数据更新于, docs/dashboard.md)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return _bigscreen_data(user, region)
    today = timezone.localdate()
    period = trend_period(today)
    key = (
        f"bigscreen:{region.pk}:{period.first:%Y-%m}:{period.last:%Y-%m}:{today:%Y-%m-%d}:"
        f"{get_language() or ''}"
    )
    data = cache.get(key)
    if data is None:
        data = _bigscreen_data(user, region)
        cache.set(key, data, seconds)
    return data


def _bigscreen_data(user: AnyUser, region: Region) -> dict[str, Any]:
    """The figures computed: a fixed number of queries whatever the data's size."""
    scope = bigscreen_scope(user, region)
    panels: dict[str, PanelData] = {}
    for panel in dashboard_panels:
        if panel.key in PANELS:
            data = panel.build(scope)
            if data is not None:
                panels[panel.key] = data
    parts = [part for source in bigscreen_sources if (part := source.build(scope)) is not None]

    citizen = panels.get("citizen")
    charts = {chart.key: chart for chart in (citizen.charts if citizen else [])}
    headline = [figure for part in parts for figure in part.figures]
    headline += _this_month(charts.get("trend"))
    headline += _pick(citizen, "handling_rate", "on_time_rate", "satisfaction_rate")

    league: dict[str, Any] | None = None
    departments = panels.get("departments")
    if departments is not None and departments.tables:
        table = departments.tables[0]
        league = {
            "title": table.title,
            "columns": table.columns[:4],
            "rows": [row[:4] for row in table.rows[:LEAGUE_ROWS]],
        }
    suggestions = panels.get("suggestions")
    now = timezone.localtime()
    return {
        "region": {"id": region.pk, "name": region.name},
        "generated_at": now.isoformat(timespec="seconds"),
        "updated": now.strftime("%H:%M"),
        "period": scope.period.label,
        "figures": [_figure(figure) for figure in headline],
        "charts": [
            _chart(charts[key]) for key in ("trend", "category", "regions") if key in charts
        ],
        "league": league,
        "suggestions": None
        if suggestions is None
        else {
            "title": suggestions.title,
            "figures": [
                _figure(figure)
                for figure in _pick(
                    suggestions, "received", "assigned", "replied", "on_time", "a_share"
                )
                + _pick(suggestions, "satisfaction")
            ],
        },
        "votes": [vote.as_json() for part in parts for vote in part.votes],
        "projects": [project.as_json() for part in parts for project in part.projects],
    }


# --- the signed links ---------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def visible_bigscreen_links(user: AnyUser) -> QuerySet[BigScreenLink]:
    """The links of the user's regions and below (a colleague's too: any of the office
    may revoke a link left on a screen); nobody else's."""
    links = BigScreenLink.objects.select_related("region", "created_by", "revoked_by")
    if not is_staff_or_admin(user):
        return links.none()
    query = region_scope_q(user, "region__path")
    return links if query is None else links.filter(query)


def bigscreen_link_create(*, region: Region, label: str, by: User) -> tuple[BigScreenLink, str]:
    """A new link for ``region`` (the creator's own or one below it, never sideways
    or up), and its token, which is shown once and never stored."""
    if not is_staff_or_admin(by):
        raise Http404
    require_in_jurisdiction(by, region)
    if not drillable(region):
        raise RuleViolation(_("大屏只能为乡镇（街道）及以上的区划创建。"))
    label = (label or "").strip()
    if not label:
        raise RuleViolation(_("请填写用途，例如“代表之家大厅”。"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = BigScreenLink.objects.create(
            region=region, label=label[:100], token_hash=hash_token(token), created_by=by
        )
        audit_record(
            action=AuditAction.STATE_CHANGE,
            actor=by,
            obj=link,
            detail={"event": "bigscreen_link_created", "region": region.pk},
        )
    return link, token


def bigscreen_link_revoke(*, link: BigScreenLink, by: User) -> BigScreenLink:
    """Revoke ``link``: from now on it answers 404. Revoking twice changes nothing."""
    if not is_staff_or_admin(by):
        raise Http404
    require_in_jurisdiction(by, link.region)
    now = timezone.now()
    with transaction.atomic():
        changed = BigScreenLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if changed:
            audit_record(
                action=AuditAction.STATE_CHANGE,
                actor=by,
                obj=link,
                detail={"event": "bigscreen_link_revoked", "region": link.region_id},
            )
    link.refresh_from_db()
    return link


def link_for_token(token: str) -> BigScreenLink:
    """The live link of ``token``, or 404 (unknown, revoked, or its creator no longer
    holds the region: a link is worth no more than its creator's reach)."""
    if not token or len(token) > 100:
        raise Http404
    digest = hash_token(token)
    link = (
        BigScreenLink.objects.select_related("region", "created_by")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        raise Http404
    creator = link.created_by
    if not (creator.is_active and in_jurisdiction(creator, link.region)):
        raise Http404
    if link.last_used_at is None or timezone.now() - link.last_used_at > LAST_USED_EVERY:
        link.last_used_at = timezone.now()
        BigScreenLink.objects.filter(pk=link.pk).update(last_used_at=link.last_used_at)
    return link
