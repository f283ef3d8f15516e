"""The dashboard's summaries counted again by the database (issue 13).

The story: an operator generates a city of 2,000 problems (``generate_city``, whose
last step rebuilds the summaries), then runs ``issue_reads_rebuild --check``. The
rebuild now groups and sums in SQL (congress/loop/recount.py); it must give exactly
the rows the services' rules give. The reference here is those rules applied one
problem and one step at a time in Python, as the rebuild did before (each figure's
definition: docs/dashboard.md; the services add the same facts as they happen).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from congress.loop import handling
from congress.models import Assignment, AssignmentStatus, CaseEvent, HandlingCount
from congress.workdays import workdays_between
from suggestions.citizen import services
from suggestions.citizen.services import monthly
from suggestions.models.citizen import CitizenIssue, IssueStatus
from suggestions.models.monthly import MONTH_FIGURES, IssueMonthCount, IssueStationMonthCount

ISSUE_CASE = "suggestions.citizenissue"
# Reached only through 受理 (the problems' workflow): every later status.
ACCEPTED = {"accepted", "with_representative", "forwarded", "department_replied"}
ACCEPTED |= {"answered", "closed", "converted"}
SATISFIED = {"satisfied", "basically"}


@pytest.fixture
def city(db: None) -> None:
    call_command("generate_city", scale="tiny", problems=2000, suggestions=40, verbosity=0)


def _month(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment).replace(day=1)


def _problems_one_by_one() -> tuple[dict[Any, dict[str, int]], dict[Any, dict[str, int]]]:
    """Both monthly summaries by the services' rules, one problem at a time."""
    late = set(
        Assignment.objects.filter(case_type=ISSUE_CASE)
        .annotate(finished=TruncDate(Coalesce("replied_at", "closed_at")))
        .filter(finished__gt=F("due_on"))
        .values_list("case_id", flat=True)
    )
    accepted_events = set(
        CaseEvent.objects.filter(
            case_type=ISSUE_CASE, action="accept", assignment__isnull=True
        ).values_list("case_id", flat=True)
    )
    monthly_rows: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTH_FIGURES, 0))
    station_rows: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTH_FIGURES, 0))
    for issue in CitizenIssue.objects.filter(area_0__isnull=False):
        facts = {"received": 1, "accepted": int(issue.status in ACCEPTED)}
        if issue.status in (IssueStatus.DECLINED, IssueStatus.MERGED):
            facts["accepted"] = int(issue.pk in accepted_events)
        facts["rated"] = facts["unsatisfied"] = facts["reopened"] = issue.reopen_count
        if issue.status == IssueStatus.CLOSED:
            facts["closed"] = 1
            facts["closed_on_time"] = int(issue.pk not in late)
            if issue.closed_at is not None:
                days = workdays_between(
                    timezone.localdate(issue.created_at), timezone.localdate(issue.closed_at)
                )
                facts["workdays_to_close"] = max(days, 0)
            if issue.rating in SATISFIED:
                facts["rated"] += 1
                facts["satisfied"] = 1
        month = _month(issue.created_at)
        keys = [(monthly_rows, (issue.count_area_id, month, issue.category_id))]
        if issue.station_id is not None:
            keys.append((station_rows, (issue.station_id, issue.count_area_id, month)))
        for rows, key in keys:
            for name, n in facts.items():
                rows[key][name] += n
    return dict(monthly_rows), dict(station_rows)


def _steps_one_by_one() -> dict[Any, dict[str, int]]:
    """The departments' handling summary by the engine's rule for one assignment
    (``handling_share``) and every rating found by the case types (``ratings()``)."""
    rows: dict[Any, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(handling.HANDLING_FIGURES, 0)
    )
    for step in Assignment.objects.filter(department__isnull=False):
        share = handling.handling_share(step)
        if share is not None:
            for name, n in share[1].items():
                rows[share[0]][name] += n
    for source in handling.rating_sources():
        for rating in source.ratings() if source.ratings is not None else ():
            step = Assignment.objects.get(pk=rating.assignment)
            area = step.area_3 or step.area_2 or step.area_1 or step.area_0
            if step.department_id is None or area is None:
                continue
            key = (step.department_id, area, _month(rating.at), step.case_type)
            rows[key]["rated"] += 1
            rows[key]["satisfied"] += int(rating.satisfied)
            rows[key]["unsatisfied"] += int(rating.unsatisfied)
    return dict(rows)


def _kept(model: Any, keys: tuple[str, ...], figures: tuple[str, ...]) -> dict[Any, Any]:
    return {
        tuple(row[k] for k in keys): {n: row[n] for n in figures}
        for row in model.objects.values(*keys, *figures)
    }


def test_the_rebuild_in_sql_gives_the_rows_of_the_rules_one_problem_at_a_time(city: None) -> None:
    expected_monthly, expected_stations = _problems_one_by_one()
    expected_handling = _steps_one_by_one()

    assert services.issue_month_counts_rebuild() == len(expected_monthly)
    handling.handling_counts_rebuild()

    keys = ("area_id", "month", "category_id")
    assert _kept(IssueMonthCount, keys, MONTH_FIGURES) == expected_monthly
    keys = ("station_id", "area_id", "month")
    assert _kept(IssueStationMonthCount, keys, MONTH_FIGURES) == expected_stations
    keys = ("department_id", "area_id", "month", "case_type")
    assert _kept(HandlingCount, keys, handling.HANDLING_FIGURES) == expected_handling
    # The city exercises every rule: declined after 受理, late and on-time closes,
    # working days, ratings both ways, reopenings, and both case types' ratings.
    totals = {n: sum(r[n] for r in expected_monthly.values()) for n in MONTH_FIGURES}
    assert totals["received"] == 2000
    assert 0 < totals["closed_on_time"] < totals["closed"] < totals["accepted"] < 2000
    assert 0 < totals["satisfied"] < totals["rated"]
    assert totals["reopened"] > 0 and totals["workdays_to_close"] > totals["closed"]
    declined = CitizenIssue.objects.filter(status=IssueStatus.DECLINED)
    assert declined.filter(pk__in=CaseEvent.objects.filter(action="accept").values("case_id"))
    case_types = {key[3] for key, row in expected_handling.items() if row["rated"]}
    assert case_types == {ISSUE_CASE, "suggestions.suggestion"}
    # (The generator writes no 不满意 on a department's answer: that rating's rebuild
    # is compared with the services' own in tests/suggestions_citizen/test_dashboard.py.)


def test_after_the_rebuild_check_finds_no_drift(city: None) -> None:
    call_command("issue_reads_rebuild", verbosity=0)
    call_command("issue_reads_rebuild", check=True, verbosity=0)
    assert not services.issue_month_counts_differences()
    assert not services.issue_station_counts_differences()
    assert not handling.handling_counts_differences()


def test_the_rebuild_gives_each_monthly_row_its_area_and_the_check_finds_one_astray(
    city: None,
) -> None:
    """A city's rows are found by their own area columns (the dashboard's year of
    months): after the rebuild each row keeps its area's ids, walked up its parents."""
    services.issue_month_counts_rebuild()
    for model in (IssueMonthCount, IssueStationMonthCount):
        rows = list(model.objects.select_related("area"))
        assert rows
        for row in rows:
            ids, region = [], row.area
            while region is not None:
                ids.insert(0, region.pk)
                region = region.parent
            assert [row.area_0, row.area_1, row.area_2, row.area_3] == (ids + [None] * 4)[:4]
    astray = rows[0]  # a station's row
    IssueStationMonthCount.objects.filter(pk=astray.pk).update(area_1=None)
    differ = monthly.issue_month_areas_differences()
    assert list(differ) == [(IssueStationMonthCount._meta.db_table, astray.area_id)]
    with pytest.raises(CommandError, match="differ"):
        call_command("issue_reads_rebuild", check=True, verbosity=0)


def test_check_names_a_row_that_drifted(city: None) -> None:
    row = IssueMonthCount.objects.order_by("pk").first()
    assert row is not None
    IssueMonthCount.objects.filter(pk=row.pk).update(closed=F("closed") + 1)
    step = Assignment.objects.filter(
        department__isnull=False, status=AssignmentStatus.CLOSED
    ).first()
    assert step is not None
    HandlingCount.objects.all().delete()

    differ = monthly.issue_month_counts_differences()
    assert list(differ) == [(row.area_id, row.month, row.category_id)]
    kept, counted = differ[(row.area_id, row.month, row.category_id)]
    assert kept["closed"] == counted["closed"] + 1
    assert handling.handling_counts_differences()
