"""履职积分 from suggestions: each suggestion taken up (立案) counts for its signers.

The rules are the representatives app's ``PointRule`` rows ("suggestion": each one led or
co-signed; "motion": each motion led). A suggestion counts on the day it was submitted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from congress.scoping import AnyUser
from representatives.models import Representative
from representatives.registry import Holders, PointRecord
from suggestions.formal.selectors import TAKEN_UP, visible_suggestions
from suggestions.models.formal import SignerRole, SignerStatus, SuggestionKind, SuggestionSigner

MOTION_LED = Q(suggestion__kind=SuggestionKind.MOTION, role=SignerRole.LEAD)


def _window(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    return first, last


def _signed(start: datetime.date, end: datetime.date) -> QuerySet[SuggestionSigner]:
    return SuggestionSigner.objects.filter(
        status=SignerStatus.CONFIRMED,
        suggestion__status__in=TAKEN_UP,
        suggestion__submitted_at__range=_window(start, end),
    )


def tally(representatives: Holders, start: datetime.date, end: datetime.date) -> QuerySet[Any]:
    """One grouped query: per representative, motions led and other suggestions signed."""
    return (
        _signed(start, end)
        .filter(representative__in=representatives)
        .order_by()
        .annotate(
            point_holder=F("representative_id"),
            point_code=Case(
                When(MOTION_LED, then=Value("motion")),
                default=Value("suggestion"),
                output_field=CharField(),
            ),
        )
        .values("point_holder", "point_code")
        .annotate(point_count=Count("pk"))
    )


def records(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> Iterable[PointRecord]:
    """Suggestions signed in the period; linked where the viewer can open them (district
    staff cannot open a city congress's suggestion of a representative they manage)."""
    rows = list(
        _signed(start, end)
        .filter(representative=representative)
        .select_related("suggestion")
        .order_by("-suggestion__submitted_at")
    )
    shown = set(
        visible_suggestions(viewer)
        .filter(pk__in={row.suggestion_id for row in rows})
        .values_list("pk", flat=True)
    )
    found = []
    for row in rows:
        suggestion = row.suggestion
        is_motion = suggestion.kind == SuggestionKind.MOTION and row.role == SignerRole.LEAD
        submitted = suggestion.submitted_at
        found.append(
            PointRecord(
                rule_code="motion" if is_motion else "suggestion",
                date=timezone.localdate(submitted) if submitted else start,
                text=f"{row.get_role_display()}：{suggestion.title}",
                url=reverse("formal_suggestion_detail", args=[suggestion.pk])
                if suggestion.pk in shown
                else "",
            )
        )
    return found
