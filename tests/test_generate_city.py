"""generate_city: a synthetic city whose rows hang together as the services' would.

The story: an operator fills an empty database with a small city (500 problems) to
measure it. Every problem lies in the city, its status is where its timeline ends,
work still open has an open step on the closed loop (and finished work none), and
the generated staff open their lists and see the generated problems.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from congress.models import OPEN_STATUSES, Assignment, CaseEvent, Region, RegionLevel, Role, User
from representatives.models import ActivityKind, Mandate, Representative, Station
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
    user = User.objects.filter(role_grants__role=Role.STAFF, role_grants__region=region).first()
    assert user is not None
    return user


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


# --- the facts the read path relies on, and the formal suggestions and the vote --------------

SUGGESTION_CASE = "suggestions.suggestion"


def _areas_of(path: str) -> list[int | None]:
    """area_0..3 from a materialized path (hex segments, root first), stated here."""
    ids = [int(segment, 16) for segment in path.strip("/").split("/")]
    return [ids[n] if n < len(ids) else None for n in range(4)]


@pytest.fixture
def full_city(db: None) -> Region:
    call_command("generate_city", scale="tiny", problems=400, suggestions=60, seed=11, verbosity=0)
    return Region.objects.get(level=RegionLevel.CITY, parent__code="980000000000")


def _check_reads(city: Region) -> None:
    # The summaries equal a recount (the project's own check commands; the seats'
    # also checks every representative's ``serving`` flag against their seats).
    call_command("issue_reads_rebuild", check=True, verbosity=0)
    call_command("seat_counts_rebuild", check=True, stdout=io.StringIO())
    assert Representative.objects.filter(serving=True).exists()
    paths = dict(Region.objects.values_list("pk", "path"))
    # Area columns are the region's ancestors, for problems, every assignment, every
    # station and every representative.
    columns = ("region_id", "area_0", "area_1", "area_2", "area_3")
    assert Station.objects.exists() and Representative.objects.exists()
    for model in (CitizenIssue, Assignment, Station, Representative):
        for region_id, *areas in model.objects.values_list(*columns):
            assert areas == _areas_of(paths[region_id])
    # An open problem's next_due_on is the earliest due date of its open steps; a
    # problem with no open step has none.
    earliest: dict[int, object] = {}
    for case_id, due_on in Assignment.objects.filter(
        case_type=ISSUE_CASE, status__in=OPEN_STATUSES
    ).values_list("case_id", "due_on"):
        if case_id not in earliest or due_on < earliest[case_id]:  # type: ignore[operator]
            earliest[case_id] = due_on
    for pk, next_due_on in CitizenIssue.objects.values_list("pk", "next_due_on"):
        assert next_due_on == earliest.get(pk), pk


def _check_formal() -> None:
    from suggestions.models.formal import (
        SignedMonthCount,
        Suggestion,
        SuggestionRating,
        SuggestionReply,
    )

    statuses = Counter(Suggestion.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == 60
    assert len(statuses) >= 3, statuses
    # The suggestions signed per month (履职积分) were counted from the bulk rows.
    assert SignedMonthCount.objects.exists()
    call_command("signed_counts_rebuild", check=True, stdout=io.StringIO())
    steps = Assignment.objects.filter(case_type=SUGGESTION_CASE)
    assert steps.exists()
    # Every assignment has its 交办 event on its own timeline, and events only for itself.
    assigned = set(
        CaseEvent.objects.filter(case_type=SUGGESTION_CASE, action="assign")
        .exclude(assignment=None)
        .values_list("assignment_id", flat=True)
    )
    assert set(steps.values_list("pk", flat=True)) <= assigned
    for step in steps.select_related("department"):
        assert step.department is not None
        assert step.department.region.is_within(Region.objects.get(pk=step.region_id))
    # Handled suggestions point at their lead assignment; replies are rated by signers.
    for suggestion in Suggestion.objects.exclude(lead_assignment=None):
        assert suggestion.lead_assignment is not None
        assert suggestion.lead_assignment.case_id == suggestion.pk
        assert suggestion.status in {"handling", "replied", "rated", "carried_over", "closed"}
    for reply in SuggestionReply.objects.all():
        assert reply.category in {"A", "B", "C", "D"}
        signers = set(reply.suggestion.signers.values_list("representative_id", flat=True))
        rated = set(reply.ratings.values_list("representative_id", flat=True))
        assert rated <= signers
        if reply.suggestion.status in {"closed", "carried_over", "rated"}:
            assert rated == signers
    assert SuggestionRating.objects.exists()
    # A suggestion's status is where its own timeline ends.
    last: dict[int, str] = {}
    for case_id, to_status in (
        CaseEvent.objects.filter(case_type=SUGGESTION_CASE, assignment=None)
        .exclude(to_status="")
        .order_by("at", "pk")
        .values_list("case_id", "to_status")
    ):
        last[case_id] = to_status
    for pk, status in Suggestion.objects.values_list("pk", "status"):
        assert last[pk] == status


def _check_vote() -> None:
    from congress.models import PublishedBallot
    from livelihood_votes.models import LivelihoodVote

    vote = LivelihoodVote.objects.get()
    assert vote.status == "closed"
    box = vote.box
    assert box is not None and box.counts is not None
    ballots = list(PublishedBallot.objects.filter(box=box))
    assert ballots
    # The tally written at the close equals a count of the published ballots.
    counted: Counter[tuple[str, str]] = Counter()
    for ballot in ballots:
        for option, mark in ballot.marks.items():
            counted[(option, mark)] += 1
    kept: dict[str, dict[str, int]] = box.counts["marks"]
    assert box.counts["ballots"] == len(ballots)
    assert counted == Counter(
        {(option, mark): n for option, marks in kept.items() for mark, n in marks.items()}
    )


def _check_work(city: Region) -> None:
    """Duty shifts, contacts and activities hang together as the services write them,
    and the points count them."""
    import datetime

    from django.utils import timezone

    from representatives.models import (
        Activity,
        ActivityParticipation,
        ContactLog,
        DutyShift,
        StationMember,
    )
    from representatives.points import points_for

    today = timezone.localdate()
    from suggestions.models import HandledMonthCount, SignedMonthCount

    # Each record and monthly summary of a representative keeps its representative's
    # area (HolderAreaColumns), whether written by COPY or counted by a rebuild.
    areas = ["area_0", "area_1", "area_2", "area_3"]
    for model in (ContactLog, DutyShift, ActivityParticipation, HandledMonthCount):
        rows = model.objects.values_list(*areas, *(f"representative__{name}" for name in areas))
        assert rows, model
        for row in rows:
            assert row[:4] == row[4:] and row[1] is not None, (model, row)
    for row in SignedMonthCount.objects.values_list(
        *areas, *(f"representative__{name}" for name in areas)
    ):
        assert row[:4] == row[4:] and row[1] is not None, row
    members = set(StationMember.objects.values_list("station_id", "representative_id"))
    shifts = list(
        DutyShift.objects.values_list("pk", "station_id", "representative_id", "date", "status")
    )
    assert {status for *_rest, status in shifts} == {"served", "on_leave", "absent", "scheduled"}
    # A shift's status is where its own timeline ends (排班, then its outcome).
    last: dict[int, str] = {}
    for case_id, action, to_status in (
        CaseEvent.objects.filter(case_type="representatives.dutyshift")
        .order_by("at", "pk")
        .values_list("case_id", "action", "to_status")
    ):
        last[case_id] = to_status or ("scheduled" if action == "schedule" else last[case_id])
    for pk, station, rep, date, status in shifts:
        assert (station, rep) in members  # on duty where they are a member
        assert (status == "scheduled") == (date >= today), (pk, date, status)
        assert last[pk] == status
    # Nothing was written after the moment it was generated.
    assert not ContactLog.objects.filter(created_at__gt=timezone.now()).exists()
    assert not CaseEvent.objects.filter(
        case_type__startswith="representatives.", at__gt=timezone.now()
    ).exists()
    assert not ActivityParticipation.objects.filter(signed_up_at__gt=timezone.now()).exists()
    logs = ContactLog.objects.values_list("representative_id", "kind", "station_id", "contacted_on")
    assert logs.exists()
    for rep, kind, station, contacted_on in logs:
        assert contacted_on <= today
        assert station is None or (kind == "reception" and (station, rep) in members)
    # A past activity is over with everyone's attendance; a coming one is open for sign-up.
    for activity in Activity.objects.filter(region__path__startswith=city.path):
        attendance = set(activity.participations.values_list("attendance", flat=True))
        assert attendance
        if activity.starts_at < timezone.now():
            assert activity.status == "completed" and "pending" not in attendance
        else:
            assert activity.status == "open" and attendance == {"pending"}
    # The points count each kind of record, as a count of the rows says.
    start, end = today.replace(month=1, day=1), today
    busiest = (
        DutyShift.objects.filter(status="served", date__range=(start, end))
        .values("representative_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "representative_id")
        .first()
    )
    assert busiest is not None
    person = Representative.objects.get(pk=busiest["representative_id"])
    total = points_for(person, start, end)
    assert total.count_of("duty_served") == busiest["n"]
    assert (
        total.count_of("contact_log")
        == person.contact_logs.filter(contacted_on__range=(start, end)).count()
    )
    present = ActivityParticipation.objects.filter(
        representative=person,
        attendance="present",
        activity__starts_at__gte=timezone.make_aware(
            datetime.datetime.combine(start, datetime.time.min)
        ),
    ).count()
    assert sum(total.count_of(f"activity_{kind}") for kind in ActivityKind.values) == present


def test_the_generated_city_keeps_the_services_invariants(full_city: Region) -> None:
    _check_reads(full_city)
    _check_formal()
    _check_vote()
    _check_work(full_city)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_copy_and_deferred_indexes_keep_everything() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")

    def indexes() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
            )
            return [row[0] for row in cursor.fetchall()]

    before = indexes()
    call_command("generate_city", scale="tiny", problems=400, suggestions=60, seed=11, verbosity=0)
    assert indexes() == before  # the indexes dropped for the load are built again, the same
    # The small tables were vacuumed after the load: their pages are marked all-visible,
    # so index-only scans over them do not read the heap.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relallvisible FROM pg_class WHERE relname = ANY(%s)",
            [["representatives_representative", "representatives_station", "congress_region"]],
        )
        visible = dict(cursor.fetchall())
    assert len(visible) == 3 and all(pages > 0 for pages in visible.values()), visible
    city = Region.objects.get(level=RegionLevel.CITY, parent__code="980000000000")
    _check_reads(city)
    _check_formal()
    _check_vote()
    _check_work(city)
