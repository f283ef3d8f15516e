"""Every scoped read of the cycles, the proposals and the shortlist (docs/livelihood-call.md).

``visible_cycles`` and ``visible_proposals`` are the one scoping function of each model:
the pages, the API and the action table read through them. Public reads
(``open_calls``, ``call_counts``, ``tracked_proposal``) carry no proposer's data.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congress.models import Region
from congress.scoping import AnyUser, in_jurisdiction, region_scope_q
from livelihood_votes.cycles.workflow import PROPOSAL_CASE, Phase, phase
from livelihood_votes.models import Cycle, Proposal, ProposalChannel, ProposalStatus, ProposalTheme
from livelihood_votes.models.cycles import ShortlistEntry
from representatives.models import Mandate, MandateStatus
from representatives.selectors import representative_of


def visible_cycles(user: AnyUser) -> QuerySet[Cycle]:
    """Staff of the cycle's region or above (administrators: all). A cycle is the office's
    work; representatives and clerks propose through ``calls_open_to``."""
    scope = region_scope_q(user, "region__path")
    rows = Cycle.objects.select_related("region", "congress", "vote")
    return rows if scope is None else rows.filter(scope)


def manages(user: AnyUser, cycle: Cycle) -> bool:
    """Staff of the cycle's region (or above) or an administrator."""
    return in_jurisdiction(user, cycle.region)


def visible_proposals(user: AnyUser) -> QuerySet[Proposal]:
    """Staff: the proposals of the cycles of their region (and the problems waiting for a
    call there); anyone signed in: the proposals they made themselves."""
    rows = Proposal.objects.select_related("cycle", "region", "area")
    if not user.is_authenticated:
        return rows.none()
    in_cycle = region_scope_q(user, "cycle__region__path")
    waiting = region_scope_q(user, "region__path")
    if in_cycle is None or waiting is None:
        return rows
    return rows.filter(in_cycle | (Q(cycle__isnull=True) & waiting) | Q(submitted_by=user))


def cycle_list(user: AnyUser) -> QuerySet[Cycle]:
    return visible_cycles(user).order_by("-year", "region__path")


# --- the screening list -------------------------------------------------------------------

FILTERS = ("status", "channel", "theme", "area")


def cycle_areas(cycle: Cycle) -> QuerySet[Region]:
    """The areas a call counts in: the regions one level below the cycle's."""
    return Region.objects.filter(parent=cycle.region).order_by("code", "name")


def cycle_proposals(cycle: Cycle, params: Mapping[str, Any]) -> QuerySet[Proposal]:
    """The cycle's proposals under the list's filters (each a column of the row with an
    index (cycle, column, created_at)); unknown values are ignored."""
    rows = Proposal.objects.filter(cycle=cycle).select_related("area", "merged_into")
    status = params.get("status") or ""
    if status in ProposalStatus.values:
        rows = rows.filter(status=status)
    channel = params.get("channel") or ""
    if channel in ProposalChannel.values:
        rows = rows.filter(channel=channel)
    theme = params.get("theme") or ""
    if theme in ProposalTheme.values:
        rows = rows.filter(theme=theme)
    area = str(params.get("area") or "")
    if area.isdigit():
        rows = rows.filter(area_id=int(area))
    return rows


def merge_targets(proposal: Proposal) -> QuerySet[Proposal]:
    """The proposals of the same call a duplicate may go into (the form's choices)."""
    if proposal.cycle_id is None:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(
            cycle_id=proposal.cycle_id,
            status__in=(
                ProposalStatus.SUBMITTED,
                ProposalStatus.ACCEPTED,
                ProposalStatus.SHORTLISTED,
            ),
        )
        .exclude(pk=proposal.pk)
        .order_by("-created_at", "-pk")
    )


def accepted_proposals(cycle: Cycle) -> QuerySet[Proposal]:
    """Accepted proposals not on the shortlist yet (the shortlist form's choices)."""
    return Proposal.objects.filter(cycle=cycle, status=ProposalStatus.ACCEPTED).order_by(
        "-created_at", "-pk"
    )


def shortlist(cycle: Cycle) -> list[ShortlistEntry]:
    """The candidate list in ballot order, with the number of proposals of each (2 queries)."""
    return list(
        ShortlistEntry.objects.filter(cycle=cycle)
        .select_related("department")
        .annotate(proposal_count=Count("proposals"))
        .order_by("order", "pk")
    )


# --- counts (public and staff) -------------------------------------------------------------


@dataclass(frozen=True)
class CallCounts:
    total: int
    by_area: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_status: dict[str, int]
    by_channel: dict[str, int]


def call_counts(cycle: Cycle) -> CallCounts:
    """How many proposals came in, by area, theme, status and channel: one grouped query
    and one read of the areas' names. No proposer data."""
    groups = list(
        Proposal.objects.filter(cycle=cycle)
        .values_list("area_id", "theme", "status", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas: dict[int | None, int] = {}
    themes: dict[str, int] = {}
    statuses: dict[str, int] = {}
    channels: dict[str, int] = {}
    total = 0
    for area_id, theme, status, channel, n in groups:
        total += n
        areas[area_id] = areas.get(area_id, 0) + n
        themes[theme] = themes.get(theme, 0) + n
        statuses[status] = statuses.get(status, 0) + n
        channels[channel] = channels.get(channel, 0) + n
    names = dict(Region.objects.filter(pk__in=[a for a in areas if a]).values_list("pk", "name"))
    by_area = sorted(
        (
            (names.get(a, cycle.region.name) if a else cycle.region.name, n)
            for a, n in areas.items()
        ),
        key=lambda item: (-item[1], item[0]),
    )
    theme_labels = dict(ProposalTheme.choices)
    by_theme = sorted(
        ((str(theme_labels.get(t, t)), n) for t, n in themes.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return CallCounts(total, by_area, by_theme, statuses, channels)


# --- public ---------------------------------------------------------------------------------


def open_calls(day: datetime.date | None = None) -> QuerySet[Cycle]:
    """The calls open today, for the public pages."""
    day = day or timezone.localdate()
    return (
        Cycle.objects.filter(call_opens_on__lte=day, call_closes_on__gte=day)
        .select_related("region", "congress")
        .order_by("region__path")
    )


def public_cycle(pk: int) -> Cycle | None:
    """A cycle whose call has opened (open or closed): its public page and counts."""
    day = timezone.localdate()
    return (
        Cycle.objects.filter(pk=pk, call_opens_on__lte=day)
        .select_related("region", "congress")
        .first()
    )


def open_calls_for_region(region: Region, day: datetime.date | None = None) -> QuerySet[Cycle]:
    """The open calls a place belongs to (a station's page links them)."""
    return open_calls(day).filter(region_id__in=region.ancestor_ids())


def tracked_proposal(token: str) -> Proposal | None:
    """A proposal by the secret of its tracking link (the link is the only key)."""
    if not token or len(token) > 43:
        return None
    return (
        Proposal.objects.filter(tracking_token=token)
        .select_related("cycle", "region", "merged_into")
        .first()
    )


def stored_proposal(key: str) -> Proposal | None:
    """The proposal a public form's idempotency key already stored, if any."""
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        return None
    return Proposal.objects.filter(idempotency_key=parsed).only("pk", "tracking_token").first()


def public_events(proposal: Proposal) -> list[Any]:
    """The steps the proposer is told of: the events with a citizen-facing note, or the
    submission itself (no actor, no internal note)."""
    from congress.models import CaseEvent

    return list(
        CaseEvent.objects.filter(case_type=PROPOSAL_CASE, case_id=proposal.pk)
        .filter(Q(action="proposal_submit") | ~Q(public_note=""))
        .only("at", "action", "public_note")
        .order_by("at", "pk")
    )


# --- proposers -------------------------------------------------------------------------------


def calls_open_to_representative(user: AnyUser) -> QuerySet[Cycle]:
    """The open calls of the congresses where the signed-in representative holds a live seat."""
    representative = representative_of(user)
    if representative is None:
        return Cycle.objects.none()
    congresses = Mandate.objects.filter(
        representative=representative, status=MandateStatus.ACTIVE
    ).values("term__congress")
    return open_calls().filter(congress__in=congresses)


def calls_open_to_departments(user: AnyUser) -> QuerySet[Cycle]:
    """The open calls a clerk's departments may propose to: calls whose region holds the
    department's region, or lies within it."""
    if not user.is_authenticated or not user.department_ids:
        return Cycle.objects.none()
    from congress.models import Department

    paths = list(
        Department.objects.filter(pk__in=user.department_ids).values_list("region__path", flat=True)
    )
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(region__path__startswith=path)
        ids = [int(segment, 16) for segment in path.strip("/").split("/") if segment]
        query |= Q(region_id__in=ids)
    return open_calls().filter(query)


def cycle_phase(cycle: Cycle, day: datetime.date | None = None) -> Phase:
    return phase(cycle, day or timezone.localdate())
