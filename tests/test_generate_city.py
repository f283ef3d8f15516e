"""generate_city: a synthetic city whose rows hang together as the services' would.

The story: an operator fills an empty database with a small city (500 problems) to
measure it. Every problem lies in the city, its status is where its timeline ends,
work still open has an open step on the closed loop (and finished work none), and
the generated staff open their lists and see the generated problems.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from congress.models import OPEN_STATUSES, Assignment, CaseEvent, Region, RegionLevel, Role, User
from representatives.models import Mandate, Representative, Station
from suggestions.models.citizen import CitizenIssue

ISSUE_CASE = "suggestions.citizenissue"
# Stated from the product's rules, not read from the generator: work on these is not
# finished, so someone (staff, a representative or a department) holds an open step.
OPEN_ISSUE = {"submitted", "accepted", "with_representative", "forwarded", "department_replied"}
FINISHED_ISSUE = {"closed", "declined", "converted", "merged"}


@pytest.fixture
def city(db: None) -> Region:
    call_command("generate_city", scale="tiny", problems=500, seed=7, verbosity=0)
    return Region.objects.get(level=RegionLevel.CITY, parent__code="980000000000")


def _staff_of(region: Region) -> User:
    return User.objects.filter(role_grants__role=Role.STAFF, role_grants__region=region).first()


def test_every_problem_lies_in_the_city(city: Region) -> None:
    assert CitizenIssue.objects.count() == 500
    outside = CitizenIssue.objects.exclude(region__path__startswith=city.path)
    assert not outside.exists()
    assert not Station.objects.exclude(region__path__startswith=city.path).exists()


def test_a_city_has_the_size_of_a_real_one(db: None) -> None:
    call_command("generate_city", scale="city", problems=0, suggestions=0, verbosity=0)
    city = Region.objects.get(level=RegionLevel.CITY, parent__code="980000000000")
    # 连云港: 7,624 representatives at all levels; a city of about a thousand stations.
    assert Region.objects.filter(level=RegionLevel.COUNTY, parent=city).count() == 8
    assert 6_500 <= Representative.objects.count() <= 8_500
    assert Mandate.objects.count() > Representative.objects.count()  # some sit at two levels
    assert 800 <= Station.objects.count() <= 1_500


def test_counts_per_status_sum_up_and_match_the_timelines(city: Region) -> None:
    by_status = dict(CitizenIssue.objects.values_list("status").annotate(n=Count("pk")))
    assert sum(by_status.values()) == 500
    assert len(by_status) >= 4, by_status  # a mix of states, not one
    # The status each timeline ends in: the last event of the problem itself that moved it.
    last: dict[int, str] = {}
    moves = CaseEvent.objects.filter(case_type=ISSUE_CASE, assignment__isnull=True).exclude(
        to_status=""
    )
    for case_id, to_status in moves.order_by("at", "pk").values_list("case_id", "to_status"):
        last[case_id] = to_status
    assert Counter(last.values()) == Counter(by_status)
    for issue in CitizenIssue.objects.only("pk", "status", "version"):
        assert last[issue.pk] == issue.status


def test_work_still_open_has_an_open_step_and_finished_work_none(city: Region) -> None:
    open_cases = set(
        Assignment.objects.filter(case_type=ISSUE_CASE, status__in=OPEN_STATUSES).values_list(
            "case_id", flat=True
        )
    )
    for pk, status in CitizenIssue.objects.values_list("pk", "status"):
        if status in OPEN_ISSUE:
            assert pk in open_cases, (pk, status)
        if status in FINISHED_ISSUE or status == "answered":
            assert pk not in open_cases, (pk, status)
    forwarded = CitizenIssue.objects.filter(status="forwarded").values_list("pk", flat=True)
    with_department = set(
        Assignment.objects.filter(
            case_type=ISSUE_CASE, department__isnull=False, status__in=OPEN_STATUSES
        ).values_list("case_id", flat=True)
    )
    assert set(forwarded) <= with_department


def test_open_steps_wait_in_the_reminder_queue_and_some_are_overdue(city: Region) -> None:
    open_steps = Assignment.objects.filter(case_type=ISSUE_CASE, status__in=OPEN_STATUSES)
    assert open_steps.exists()
    assert not open_steps.filter(next_reminder_at__isnull=True).exists()
    closed_steps = Assignment.objects.filter(case_type=ISSUE_CASE).exclude(status__in=OPEN_STATUSES)
    assert not closed_steps.filter(next_reminder_at__isnull=False).exists()
    for step in Assignment.objects.filter(case_type=ISSUE_CASE)[:200]:
        assert step.region.is_within(city)
        assert step.due_on >= step.assigned_at.date()


def test_the_generated_staff_open_their_lists(city: Region, client: Client) -> None:
    county = Region.objects.filter(parent=city).order_by("path").first()
    assert county is not None
    newest = CitizenIssue.objects.filter(region__path__startswith=county.path).latest("created_at")
    for staff in (_staff_of(city), _staff_of(county)):
        client.force_login(staff)
        for name in ("home", "citizen_issue_list", "representative_list", "station_list"):
            response = client.get(reverse(name))
            assert response.status_code == 200, name
        response = client.get(reverse("citizen_issue_list"), {"overdue": "true"})
        assert response.status_code == 200
        detail = client.get(reverse("citizen_issue_detail", args=[newest.pk]))
        assert detail.status_code == 200
        assert newest.tracking_code in detail.content.decode()
    # A county's staff do not see another county's problems.
    elsewhere = CitizenIssue.objects.exclude(region__path__startswith=county.path).first()
    assert elsewhere is not None
    assert client.get(reverse("citizen_issue_detail", args=[elsewhere.pk])).status_code == 404


def test_it_refuses_a_database_with_real_data(db: None) -> None:
    Region.objects.create(name="江海市", level=RegionLevel.CITY, code="320700000000")
    with pytest.raises(CommandError):
        call_command("generate_city", scale="tiny", problems=10, verbosity=0)
    assert not Region.objects.filter(code="980000000000").exists()
    call_command("generate_city", scale="tiny", problems=10, force=True, verbosity=0)
    assert Region.objects.filter(code="980000000000").exists()
    assert CitizenIssue.objects.count() == 10
