"""The representatives pages' POSTs, answered the one way (docs/architecture.md, "A
page's POST"): a page that shows its form answers bad input with a 400 and the field's
error beside what was typed, a refusal with the refusal's status; a small form on a
detail page goes back to the page with its field's error or the refusal as the
message (it used to drop bad input without a word). Nothing is written on a refusal."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congress.models import Region, RegionLevel, User
from representatives import services
from representatives.models import (
    ActivityKind,
    Attendance,
    DutyShift,
    GridAssignment,
    Representative,
    ShiftStatus,
    Station,
    StationMember,
)
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.django_db


def _messages(answer: Any) -> list[str]:
    return [str(message) for message in answer.context["messages"]]


def test_a_new_representative_without_a_name_comes_back_as_a_400_with_what_was_typed(
    world: World, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        "/representatives/new/",
        {"gender": "female", "ethnicity": "回族", "region": world.village.pk},
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["name"]
    assert "回族" in answer.content.decode()  # nothing typed is lost
    assert not Representative.objects.exists()


def test_a_station_placed_on_a_grid_is_refused_beside_the_form(
    world: World, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        "/stations/new/", {"name": "桃园网格联络点", "kind": "station", "region": world.grid.pk}
    )
    assert answer.status_code == 400
    assert "桃园网格联络点" in answer.content.decode()
    assert not Station.objects.exists()
    made = staff.post(
        "/stations/new/", {"name": "新浦街道联络站", "kind": "station", "region": world.town.pk}
    )
    assert made.status_code == 302
    assert made["Location"] == Station.objects.get().get_absolute_url()


def test_a_grid_not_chosen_names_the_field_and_a_chosen_one_is_assigned(
    world: World, representative: Representative, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    url = f"/representatives/{representative.pk}/grids/"
    empty = staff.post(url, {}, follow=True)
    assert empty.redirect_chain == [(representative.get_absolute_url(), 302)]
    assert _messages(empty) == ["请选择“网格”。"]
    assert not GridAssignment.objects.exists()
    taken = staff.post(url, {"grid": world.grid.pk}, follow=True)
    assert _messages(taken) == ["已分配责任田。"]
    assert GridAssignment.objects.get().grid == world.grid


def test_a_grid_of_another_district_is_not_a_choice_and_nothing_is_written(
    world: World, representative: Representative, district_staff: User
) -> None:
    far_grid = Region.objects.create(
        name="临江第1网格", level=RegionLevel.GRID, parent=world.other_district
    )
    staff = login(Client(), district_staff)
    answer = staff.post(
        f"/representatives/{representative.pk}/grids/", {"grid": far_grid.pk}, follow=True
    )
    assert _messages(answer) == ["“网格”：选择一个有效的选项： 该选择不在可用的选项中。"]
    assert not GridAssignment.objects.exists()


def test_a_station_member_not_chosen_names_the_field_and_a_chosen_one_joins(
    world: World, station: Station, district_staff: User
) -> None:
    newcomer = RepresentativeFactory(name="王芳", region=world.village)
    seat(newcomer, world.district)
    staff = login(Client(), district_staff)
    url = f"/stations/{station.pk}/members/"
    before = StationMember.objects.count()
    empty = staff.post(url, {"role": "member"}, follow=True)
    assert empty.redirect_chain == [(station.get_absolute_url(), 302)]
    assert _messages(empty) == ["请选择“代表”。"]
    assert StationMember.objects.count() == before
    joined = staff.post(url, {"representative": newcomer.pk, "role": "member"}, follow=True)
    assert _messages(joined) == ["代表已进站。"]
    assert station.members.filter(representative=newcomer, is_active=True).exists()


def test_attendance_with_an_unknown_mark_names_the_representative(
    world: World, representative: Representative, district_staff: User
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
    staff = login(Client(), district_staff)
    url = f"/activities/{activity.pk}/attendance/"
    wrong = staff.post(url, {f"rep_{representative.pk}": "asleep"}, follow=True)
    # The row's label is the representative's name.
    assert _messages(wrong) == ["“刘红”：选择一个有效的选项。 asleep 不在可用的选项中。"]
    assert activity.participations.get().attendance == Attendance.PENDING
    marked = staff.post(url, {f"rep_{representative.pk}": "present"}, follow=True)
    assert _messages(marked) == ["已登记出席情况。"]


def _shift(station: Station, representative: Representative, by: User) -> DutyShift:
    return services.duty_shift_create(
        station=station,
        representative=representative,
        date=timezone.localdate() + datetime.timedelta(days=7),
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        by=by,
    )


def test_a_swap_to_someone_not_stationed_there_names_the_field(
    world: World,
    station: Station,
    representative: Representative,
    far_representative: Representative,
    other_representative: Representative,
    district_staff: User,
) -> None:
    shift = _shift(station, representative, district_staff)
    staff = login(Client(), district_staff)
    url = f"/duty/{shift.pk}/swap/"
    wrong = staff.post(url, {"to_representative": far_representative.pk}, follow=True)
    assert wrong.redirect_chain == [(f"/stations/{station.pk}/duty/", 302)]
    assert _messages(wrong) == ["“换给”：选择一个有效的选项： 该选择不在可用的选项中。"]
    shift.refresh_from_db()
    assert shift.representative == representative and shift.status == ShiftStatus.SCHEDULED
    swapped = staff.post(
        url, {"to_representative": other_representative.pk, "reason": "出差"}, follow=True
    )
    assert _messages(swapped) == ["已更新班次。"]
    assert DutyShift.objects.filter(representative=other_representative).exists()


def test_a_login_opened_on_the_page_tells_its_first_password_once(
    world: World, district_staff: User
) -> None:
    """开通登录账号 on a representative's page: a malformed username is named and makes
    nothing; a good one makes the login and the message tells the first password."""
    rep = RepresentativeFactory(name="陈晓", region=world.village)
    seat(rep, world.district)
    staff = login(Client(), district_staff)
    url = f"/representatives/{rep.pk}/login/"
    bad = staff.post(url, {"username": "陈"}, follow=True)
    assert _messages(bad) == ["用户名格式不正确。"]
    assert not User.objects.filter(representative=rep).exists()
    made = staff.post(url, {"username": "chenxiao"}, follow=True)
    [text] = _messages(made)
    assert text.startswith("已创建登录账号 chenxiao，初始密码：")
    user = User.objects.get(username="chenxiao")
    password = text.split("初始密码：")[1].split("（")[0]
    assert user.check_password(password)
