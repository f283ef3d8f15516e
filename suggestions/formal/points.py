"""履职积分 from suggestions: each suggestion taken up (立案) counts for its signers.

The rules are the representatives app's ``PointRule`` rows ("suggestion": each one led or
co-signed; "motion": each motion led). A suggestion counts on the day it was submitted.

A period of whole months (the dashboard's ranking, the reports) is read from the
summary ``SignedMonthCount``, which ``count_taken_up`` adds to when a suggestion is
taken up and ``signed_counts_rebuild`` counts again; any other period from the signers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from congress.areas import AREA_FIELDS
from congress.dashboard import first_of_month
from congress.loop import recount
from congress.scoping import AnyUser
from congress.summary import count_differences, counter_add
from representatives.models import Representative
from representatives.registry import Holders, PointRecord, month_summary_tally
from suggestions.formal.selectors import TAKEN_UP, visible_suggestions
from suggestions.models.formal import (
    SignedMonthCount,
    SignerRole,
    SignerStatus,
    Suggestion,
    SuggestionKind,
    SuggestionSigner,
)

MOTION_LED = Q(suggestion__kind=SuggestionKind.MOTION, role=SignerRole.LEAD)
RULE = Case(
    When(MOTION_LED, then=Value("motion")), default=Value("suggestion"), output_field=CharField()
)


def _window(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
    return first, last


def _taken_up() -> QuerySet[SuggestionSigner]:
    return SuggestionSigner.objects.filter(
        status=SignerStatus.CONFIRMED,
        suggestion__status__in=TAKEN_UP,
        suggestion__submitted_at__isnull=False,
    )


def _signed(start: datetime.date, end: datetime.date) -> QuerySet[SuggestionSigner]:
    return _taken_up().filter(suggestion__submitted_at__range=_window(start, end))


def tally(representatives: Holders, start: datetime.date, end: datetime.date) -> QuerySet[Any]:
    """One grouped query over the signers: per representative, motions led and other
    suggestions signed, in any period (the points page's free dates)."""
    return (
        _signed(start, end)
        .filter(representative__in=representatives)
        .order_by()
        .annotate(point_holder=F("representative_id"), point_code=RULE)
        .values("point_holder", "point_code")
        .annotate(point_count=Count("pk"))
    )


def month_tally(
    representatives: Holders | None, first: datetime.date, last: datetime.date
) -> QuerySet[Any]:
    """The same rows as ``tally`` for whole months, summed from ``SignedMonthCount``
    (``PointSource.tally_of`` chooses): a province's year is 57,574 suggestions taken
    up with 68,757 signers, read in 300 ms from the signers."""
    return month_summary_tally(
        SignedMonthCount.objects.all(), representatives, first, last, code=F("rule"), count="count"
    )


# --- the summary per signer and month ---------------------------------------------------


def count_taken_up(suggestion: Suggestion) -> None:
    """Add a suggestion just taken up (立案, or a motion registered as a suggestion) to
    its confirmed signers' month of submission; called by the review, in its
    transaction, after the move (so ``kind`` is the one it was taken up as)."""
    if suggestion.submitted_at is None:
        return
    month = first_of_month(timezone.localdate(suggestion.submitted_at))
    motion = suggestion.kind == SuggestionKind.MOTION
    signers = suggestion.signers.filter(status=SignerStatus.CONFIRMED).values_list(
        "representative_id", "role"
    )
    for representative, role in signers:
        rule = "motion" if motion and role == SignerRole.LEAD else "suggestion"
        counter_add(
            SignedMonthCount, delta=1, representative_id=representative, month=month, rule=rule
        )


def _signed_counted(*columns: str) -> QuerySet[Any]:
    """The summary's rows counted from the signers: (representative, month, rule,
    ``columns``…, n)."""
    return (
        _taken_up()
        .annotate(
            signed_month=TruncMonth("suggestion__submitted_at", output_field=DateField()),
            signed_rule=RULE,
        )
        .values("representative_id", "signed_month", "signed_rule", *columns)
        .annotate(n=Count("pk"))
        .order_by()
    )


def signed_counts_rebuild() -> int:
    """Count ``SignedMonthCount`` again with one ``INSERT … SELECT``, each row with its
    representative's area (``HolderAreaColumns``); returns its rows."""
    sql, params = recount.compiled(
        _signed_counted(*(f"representative__{name}" for name in AREA_FIELDS))
    )
    table = SignedMonthCount._meta.db_table
    areas = ", ".join(AREA_FIELDS)
    with transaction.atomic():
        SignedMonthCount.objects.all().delete()
        recount.execute(
            f"INSERT INTO {table} (representative_id, month, rule, {areas}, count) {sql}",
            params,
        )
    return SignedMonthCount.objects.count()


SignedKey = tuple[int, datetime.date, str]  # (representative, month, rule)


def signed_counts_differences() -> dict[SignedKey, tuple[int, int]]:
    """Summary rows that differ from a count of the signers: {key: (kept, counted)}."""
    kept = {
        (row.representative_id, row.month, row.rule): row.count
        for row in SignedMonthCount.objects.all()
    }
    counted = {
        (row["representative_id"], recount.as_date(row["signed_month"]), row["signed_rule"]): row[
            "n"
        ]
        for row in _signed_counted()
    }
    return count_differences(kept, counted)


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
