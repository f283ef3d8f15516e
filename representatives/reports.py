"""The annual report to voters (述职): assembled from the records, never typed in again."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum

from representatives import points
from representatives.models import (
    Attendance,
    ContactKind,
    ContactProblem,
    Representative,
    Satisfaction,
    ShiftStatus,
)
from representatives.registry import report_sections


def annual_report(rep: Representative, year: int) -> dict[str, Any]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    logs = rep.contact_logs.filter(contacted_on__range=(start, end))
    by_kind = dict(logs.values_list("kind").annotate(n=Count("pk")))
    shifts = dict(
        rep.duty_shifts.filter(date__range=(start, end))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    attended = (
        rep.participations.filter(
            activity__starts_at__date__range=(start, end), attendance=Attendance.PRESENT
        )
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    problems = ContactProblem.objects.filter(log__in=logs)
    ratings = dict(rep.evaluations.filter(year=year).values_list("rating").annotate(n=Count("pk")))
    rated = sum(ratings.values())
    satisfied = ratings.get(Satisfaction.SATISFIED, 0) + ratings.get(Satisfaction.BASICALLY, 0)
    sections = [
        section for entry in report_sections if (section := entry.build(rep, year)) is not None
    ]
    return {
        "rep": rep,
        "year": year,
        "mandates": rep.mandates.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=start), starts_on__lte=end
        ).select_related("term__congress"),
        "stations": rep.station_memberships.filter(is_active=True).select_related("station"),
        "grids": rep.grid_assignments.filter(is_active=True).select_related("grid__parent"),
        "contacts": [(label, by_kind.get(value, 0)) for value, label in ContactKind.choices],
        "contact_total": sum(by_kind.values()),
        "people_total": logs.aggregate(n=Sum("people_count"))["n"] or 0,
        "problems_total": problems.count(),
        "problems_converted": problems.filter(case_id__isnull=False).count(),
        "shifts_served": shifts.get(ShiftStatus.SERVED, 0),
        "shifts_leave": shifts.get(ShiftStatus.ON_LEAVE, 0),
        "shifts_absent": shifts.get(ShiftStatus.ABSENT, 0),
        "activities": attended,
        "points": points.points_for(rep, start, end),
        "ratings": [(label, ratings.get(value, 0)) for value, label in Satisfaction.choices],
        "rated": rated,
        "satisfaction_rate": round(100 * satisfied / rated, 1) if rated else None,
        "sections": sections,
    }
