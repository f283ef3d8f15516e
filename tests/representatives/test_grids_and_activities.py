"""进网格 and 履职活动: every grid has a representative; activities have sign-up and attendance."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import RegionLevel, User
from representatives import services
from representatives.models import ActivityKind, ActivityStatus, Attendance, Representative
from representatives.selectors import grid_coverage
from tests.conftest import World, login
from tests.factories import RegionFactory


def test_the_coverage_report_lists_grids_without_a_representative(
    client: Client, world: World, representative: Representative, district_staff: User
) -> None:
    second = RegionFactory(name="桃园社区第2网格", level=RegionLevel.GRID, parent=world.village)
    services.grid_assign(representative=representative, grid=world.grid, by=district_staff)
    assert list(grid_coverage(district_staff)) == [second]
    login(client, district_staff)
    body = client.get("/grids/coverage/").content.decode()
    assert "桃园社区第2网格" in body and 'data-testid="uncovered">1<' in body
    grid_page = client.get(f"/grids/{world.grid.pk}/").content.decode()
    assert "刘红" in grid_page


def test_a_representative_sees_the_grids_they_answer_for(
    client: Client,
    world: World,
    representative: Representative,
    representative_user: User,
    district_staff: User,
) -> None:
    services.grid_assign(representative=representative, grid=world.grid, by=district_staff)
    login(client, representative_user)
    assert client.get(f"/grids/{world.grid.pk}/").status_code == 200
    assert client.get(f"/grids/{world.village.pk}/").status_code == 404


def test_a_town_is_not_a_grid(
    world: World, representative: Representative, district_staff: User
) -> None:
    with pytest.raises(RuleViolation):
        services.grid_assign(representative=representative, grid=world.town, by=district_staff)


def test_sign_up_capacity_and_attendance(
    client: Client,
    world: World,
    representative: Representative,
    other_representative: Representative,
    representative_user: User,
    district_staff: User,
) -> None:
    activity = services.activity_create(
        by=district_staff,
        title="物业管理条例执法检查",
        kind=ActivityKind.LAW_ENFORCEMENT,
        region=world.district,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        capacity=1,
    )
    login(client, representative_user)
    assert "物业管理条例执法检查" in client.get("/activities/").content.decode()
    client.post(f"/activities/{activity.pk}/sign-up/")
    assert activity.participations.get().representative == representative
    with pytest.raises(RuleViolation, match="名额已满"):
        services.activity_sign_up(
            activity=activity, representative=other_representative, by=other_representative.user
        )
    with pytest.raises(RuleViolation):  # not started yet
        services.activity_record_attendance(
            activity=activity, by=district_staff, attendance={representative.pk: "present"}
        )
    services.activity_transition(activity=activity, action="close_signup", by=district_staff)
    assert activity.status == ActivityStatus.CLOSED


def test_attendance_on_the_page(
    client: Client, world: World, representative: Representative, district_staff: User
) -> None:
    activity = services.activity_create(
        by=district_staff,
        title="履职培训",
        kind=ActivityKind.TRAINING,
        region=world.district,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    services.activity_sign_up(
        activity=activity, representative=representative, by=representative.user
    )
    login(client, district_staff)
    client.post(f"/activities/{activity.pk}/attendance/", {f"rep_{representative.pk}": "present"})
    assert activity.participations.get().attendance == Attendance.PRESENT


def test_other_district_activities_are_404(
    client: Client, world: World, other_district_staff: User, district_staff: User
) -> None:
    activity = services.activity_create(
        by=district_staff,
        title="视察",
        kind=ActivityKind.INSPECTION,
        region=world.district,
        starts_at=timezone.now(),
    )
    login(client, other_district_staff)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
