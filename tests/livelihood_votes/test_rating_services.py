"""The year-end rating's services, as stories about the cast: opening only in the
evaluation window and once, the outsider's ballot refused with nothing recorded, the
paper sheet entered twice, and what the close does (the rating on each project's row,
the rectification loop item of the department, the project carried into next year, the
representatives told)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from congress.ballots import errors as ballot_errors
from congress.errors import InvalidTransition, RuleViolation
from congress.models import (
    Assignment,
    AuditEvent,
    CaseEvent,
    Elector,
    Notification,
    SealedBallot,
    User,
)
from congress.models.ballots import Rating
from congress.scoping import OutOfJurisdiction
from congress.workdays import Deadline, add_deadline
from livelihood_votes.models import Cycle, Project, ProjectStatus
from livelihood_votes.models.ratings import (
    RatingRound,
    RatingStatus,
    Rectification,
    RectificationStatus,
)
from livelihood_votes.ratings import services
from livelihood_votes.ratings.workflow import RECTIFY_CASE
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import cast_for, make_cycle, opened, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


# --- opening ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_freezes_the_cycles_electorate_and_one_option_per_project(
    cast: Cast, district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    rating = opened(cycle, district_staff)
    assert rating.status == RatingStatus.OPEN
    assert rating.electorate == 10
    assert sorted(Elector.objects.filter(box=rating.box).values_list("voter", flat=True)) == sorted(
        rep.pk for rep in cast.seated
    )
    assert rating.box.options == [p.pk for p in projects_of(cycle)]
    assert rating.box.kind == "rating"
    assert CaseEvent.objects.filter(case_id=rating.pk, action="rating_open").count() == 1


@pytest.mark.django_db
def test_opening_outside_the_evaluation_dates_is_refused_with_the_dates(
    cast: Cast, district_staff: User
) -> None:
    today = timezone.localdate()
    early = make_cycle(
        cast.world.district,
        cast.world.department,
        opens=today + datetime.timedelta(days=3),
        closes=today + datetime.timedelta(days=20),
    )
    with pytest.raises(RuleViolation) as refused:
        opened(early, district_staff)
    assert (today + datetime.timedelta(days=3)).isoformat() in str(refused.value.message)
    assert not RatingRound.objects.exists()


@pytest.mark.django_db
def test_a_cycle_without_evaluation_dates_or_projects_is_refused(
    cast: Cast, district_staff: User
) -> None:
    no_dates = make_cycle(cast.world.district, cast.world.department)
    Cycle.objects.filter(pk=no_dates.pk).update(evaluation_opens_on=None)
    no_dates.refresh_from_db()
    with pytest.raises(RuleViolation):
        opened(no_dates, district_staff)
    empty = make_cycle(cast.world.other_district, cast.world.other_department, projects=())
    with pytest.raises(RuleViolation):
        services.rating_open(cycle=empty, by=None)
    assert not RatingRound.objects.exists()


@pytest.mark.django_db
def test_a_second_opening_and_another_districts_staff_are_refused(
    cast: Cast, district_staff: User, other_district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    with pytest.raises(OutOfJurisdiction):
        opened(cycle, other_district_staff)
    opened(cycle, district_staff)
    with pytest.raises(InvalidTransition):
        opened(cycle, district_staff)
    assert RatingRound.objects.count() == 1


# --- casting ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_representative_rates_on_the_phone_once(cast: Cast, district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    liu = cast.liu.user
    receipt = services.rating_cast(rating=rating, choices={a.pk: S, b.pk: B, c.pk: D}, by=liu)
    assert len(receipt) == 14
    assert Elector.objects.get(box=rating.box, voter=cast.liu.pk).channel == "online"
    with pytest.raises(ballot_errors.AlreadyVoted) as again:
        services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: S}, by=liu)
    assert "只能投一次" in str(again.value.message)
    assert SealedBallot.objects.filter(box=rating.box).count() == 1


@pytest.mark.django_db
def test_a_ballot_by_someone_outside_the_electorate_is_refused_and_nothing_recorded(
    cast: Cast, district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    outsider = cast.outsider.user  # 吴明 sits for 临江区 only
    for who in (outsider, district_staff):  # staff are nobody's voter either
        with pytest.raises(ballot_errors.NotAnElector) as refused:
            services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: S}, by=who)
        assert "测评人名单" in str(refused.value.message)
    assert not Elector.objects.filter(box=rating.box, channel__isnull=False).exists()
    assert not SealedBallot.objects.filter(box=rating.box).exists()


@pytest.mark.django_db
def test_a_ballot_with_a_project_left_out_is_refused_with_the_count(
    cast: Cast, district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, _b, _c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    with pytest.raises(RuleViolation) as refused:
        services.rating_cast(rating=rating, choices={a.pk: S}, by=cast.liu.user)
    assert "还有2项没有测评" in str(refused.value.message)
    assert not SealedBallot.objects.filter(box=rating.box).exists()


@pytest.mark.django_db
def test_paper_sheets_count_when_two_staff_agree(
    cast: Cast, district_staff: User, city_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    hall = cast.others[0]
    services.rating_sign_in(rating=rating, voter=hall.pk, by=district_staff)
    with pytest.raises(ballot_errors.AlreadyVoted):
        services.rating_sign_in(rating=rating, voter=hall.pk, by=district_staff)
    reading = {a.pk: S, b.pk: D}  # C left unmarked on paper
    assert (
        services.rating_paper_enter(rating=rating, sheet=1, choices=reading, by=district_staff)
        == "waiting"
    )
    with pytest.raises(RuleViolation):  # a sheet with a reading but no second: no count
        services.rating_close(rating=rating, by=district_staff)
    assert (
        services.rating_paper_enter(rating=rating, sheet=1, choices=reading, by=city_staff)
        == "counted"
    )
    services.rating_close(rating=rating, by=district_staff)
    rating.refresh_from_db()
    assert rating.box.counts["marks"][str(a.pk)] == {S: 1}
    assert rating.box.counts["marks"][str(c.pk)] == {}


# --- the close -------------------------------------------------------------------------


def _rated_round(cast: Cast, staff: User) -> tuple[list[Project], RatingRound]:
    """Six of ten vote: A 满意 (5), B 基本满意 (4 + 1), C 不满意 (4 满意, one short)."""
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, staff)
    services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: S}, by=cast.liu.user)
    services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: S}, by=cast.zhang.user)
    for rep in cast.others[:2]:
        cast_for(rating, rep.pk, {a: S, b: S, c: S})
    cast_for(rating, cast.others[2].pk, {a: S, b: B, c: D})
    cast_for(rating, cast.others[3].pk, {})
    services.rating_close(rating=rating, by=staff)
    rating.refresh_from_db()
    return [a, b, c], rating


@pytest.mark.django_db
def test_closing_writes_the_rating_on_each_project_and_moves_it(
    cast: Cast, district_staff: User
) -> None:
    (a, b, c), rating = _rated_round(cast, district_staff)
    assert rating.status == RatingStatus.CLOSED
    rows = {p.pk: (p.rating, p.status) for p in Project.objects.filter(pk__in=[a.pk, b.pk, c.pk])}
    assert rows == {
        a.pk: (S, ProjectStatus.CLOSED),
        b.pk: (B, ProjectStatus.CLOSED),
        c.pk: (D, ProjectStatus.RECTIFYING),
    }
    moves = set(
        CaseEvent.objects.filter(case_type="livelihood_votes.project").values_list(
            "case_id", "action", "from_status", "to_status"
        )
    )
    assert (c.pk, "project_rated_rectify", "completed", "rectifying") in moves
    assert (a.pk, "project_rated_closed", "completed", "closed") in moves
    assert AuditEvent.objects.filter(object_id=str(c.pk)).exists()


@pytest.mark.django_db
def test_dissatisfied_opens_a_rectification_loop_item_for_the_department(
    cast: Cast, district_staff: User
) -> None:
    (_a, _b, c), _rating = _rated_round(cast, district_staff)
    rectification = Rectification.objects.get()
    assert rectification.project == c
    assert rectification.department == cast.world.department
    assert rectification.status == RectificationStatus.RECTIFYING
    step = Assignment.objects.get(case_type=RECTIFY_CASE, case_id=rectification.pk)
    assert step.department == cast.world.department
    # Three months on the official calendar (LIVELIHOOD_RECTIFY_MONTHS), from today.
    assert step.due_on == add_deadline(timezone.localdate(), Deadline(3, "months"))
    assert step.next_reminder_at is not None  # the engine's reminders run for it


@pytest.mark.django_db
def test_dissatisfied_carries_the_project_into_next_years_cycle(
    cast: Cast, district_staff: User
) -> None:
    (_a, _b, c), _rating = _rated_round(cast, district_staff)
    next_year = Cycle.objects.get(region=cast.world.district, year=c.cycle.year + 1)
    carried = Project.objects.get(carried_from=c)
    assert carried.cycle == next_year
    assert (carried.title, carried.department, carried.budget) == (c.title, c.department, c.budget)
    assert Rectification.objects.get().carried_into == carried
    assert Project.objects.filter(cycle=next_year).count() == 1


@pytest.mark.django_db
def test_an_existing_next_year_cycle_is_used(cast: Cast, district_staff: User) -> None:
    year = timezone.localdate().year
    waiting = make_cycle(cast.world.district, cast.world.department, projects=(), year=year + 1)
    (_a, _b, c), _rating = _rated_round(cast, district_staff)
    assert Project.objects.get(carried_from=c).cycle == waiting
    assert Cycle.objects.filter(region=cast.world.district).count() == 2


@pytest.mark.django_db
def test_the_representatives_are_told_in_their_inbox(cast: Cast, district_staff: User) -> None:
    _projects, _rating = _rated_round(cast, district_staff)
    told = set(
        Notification.objects.filter(kind="livelihood.rating_result").values_list(
            "recipient", flat=True
        )
    )
    assert told == {cast.liu.user_id, cast.zhang.user_id}  # the electorate with logins


@pytest.mark.django_db
def test_the_department_replying_reports_the_rectification(
    cast: Cast, district_staff: User, clerk: User
) -> None:
    from congress.loop import assignment_accept, assignment_reply

    _rated_round(cast, district_staff)
    rectification = Rectification.objects.get()
    step = Assignment.objects.get(case_type=RECTIFY_CASE, case_id=rectification.pk)
    assignment_accept(assignment=step, by=clerk)
    step.refresh_from_db()
    assignment_reply(assignment=step, note="已完成排水管网改造，积水点全部消除。", by=clerk)
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REPORTED


@pytest.mark.django_db
def test_publish_after_close_only(cast: Cast, district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    rating = opened(cycle, district_staff)
    with pytest.raises(InvalidTransition):
        services.rating_publish(rating=rating, by=district_staff)
    services.rating_close(rating=rating, by=district_staff)
    services.rating_publish(rating=rating, by=district_staff)
    rating.refresh_from_db()
    assert rating.status == RatingStatus.PUBLISHED and rating.published_at is not None


@pytest.mark.django_db
def test_nobody_voted_rates_every_project_dissatisfied(cast: Cast, district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    rating = opened(cycle, district_staff)
    services.rating_close(rating=rating, by=district_staff)
    assert set(Project.objects.filter(cycle=cycle).values_list("rating", flat=True)) == {D}
    assert Rectification.objects.count() == 3
