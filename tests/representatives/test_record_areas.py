"""A representative's contacts and duty shifts keep the representative's area on the
row (``HolderAreaColumns``), which the dashboard's contacts and duty figures and the
ranking's tallies read (docs/dashboard.md, "代表工作"). The columns must be the
representative's wherever the records are written, and follow the representative
however they move: edited to another region, imported with another region, or their
region moved in the tree."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.dashboard import Period, Scope
from congress.models import Region, User
from representatives import services
from representatives.dashboard import duty_figures, ranking, representatives_panel
from representatives.models import ActivityParticipation, ContactLog, DutyShift, Representative
from representatives.spreadsheet import representatives_export
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, id_number, seat, station_with

AREAS = ["area_0", "area_1", "area_2", "area_3"]


def _areas(record: ContactLog | DutyShift | ActivityParticipation) -> list[int | None]:
    record.refresh_from_db()
    return [getattr(record, name) for name in AREAS]


def _in(world: World, district: Region, town: Region | None = None) -> list[int | None]:
    return [world.city.parent_id, world.city.pk, district.pk, town.pk if town else None]


def _scope(user: User, region: Region) -> Scope:
    today = timezone.localdate()
    return Scope(
        user=user,
        region=region,
        period=Period("months", today.replace(day=1), today.replace(day=1)),
        children=[],
        today=today,
    )


def _counted(user: User, region: Region) -> tuple[int, int, int]:
    """This month's contacts, owed shifts and the ranking's points of the region."""
    scope = _scope(user, region)
    panel = representatives_panel(scope)
    contacts = next(figure.value for figure in panel.figures if figure.key == "contacts")
    points = sum(entry.total for entry in ranking(scope).top)
    return contacts, duty_figures(scope).scheduled, points


@pytest.fixture
def work(world: World, district_staff: User) -> tuple[Representative, ContactLog, DutyShift]:
    """王芳 of 桃园社区 (海州区) with a seat, a contact logged today and a shift later
    this month or early next (counted this month only when it falls in it)."""
    rep = RepresentativeFactory(name="王芳", region=world.village)
    seat(rep, world.district)
    station = station_with(world.town, [rep], name="新浦联络站")
    log, _created = services.contact_log_record(
        representative=rep,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="走访",
        by=district_staff,
    )
    shift = services.duty_shift_create(
        station=station,
        representative=rep,
        date=timezone.localdate(),
        start_time=datetime.time(23, 0),
        end_time=datetime.time(23, 30),
        by=district_staff,
    )
    # And attended a 视察 of the district's this month (a walk-in: the attendance
    # creates the participation).
    inspection = services.activity_create(
        by=district_staff,
        title="视察民生实事项目",
        kind="inspection",
        region=world.district,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        half_days=1,
    )
    services.activity_record_attendance(
        activity=inspection, by=district_staff, attendance={rep.pk: "present"}
    )
    return rep, log, shift


def _participation(rep: Representative) -> ActivityParticipation:
    return ActivityParticipation.objects.get(representative=rep)


def test_records_written_by_the_services_carry_their_representatives_area(
    world: World, work: tuple[Representative, ContactLog, DutyShift]
) -> None:
    rep, log, shift = work
    assert _areas(log) == _in(world, world.district, world.town)
    assert _areas(shift) == _in(world, world.district, world.town)
    assert _areas(_participation(rep)) == _in(world, world.district, world.town)


def test_records_written_in_bulk_carry_it_too(world: World) -> None:
    """``bulk_create`` (the demo) skips ``save``: the manager copies the columns, reading
    the representatives not already on the rows in one query."""
    here = RepresentativeFactory(region=world.village)
    there = RepresentativeFactory(region=world.other_district)
    unread = Representative.objects.get(pk=there.pk)
    logs = ContactLog.objects.bulk_create(
        [
            ContactLog(representative=here, kind="visit", contacted_on=datetime.date(2026, 1, 5)),
            ContactLog(
                representative_id=unread.pk, kind="phone", contacted_on=datetime.date(2026, 1, 6)
            ),
        ]
    )
    assert [_areas(log) for log in logs] == [
        _in(world, world.district, world.town),
        _in(world, world.other_district),
    ]


def test_a_representative_moved_takes_their_records_and_figures_along(
    world: World,
    city_staff: User,
    district_staff: User,
    other_district_staff: User,
    work: tuple[Representative, ContactLog, DutyShift],
) -> None:
    rep, log, shift = work
    before_here = _counted(district_staff, world.district)
    assert before_here[0] == 1 and before_here[2] >= 1
    assert _counted(other_district_staff, world.other_district) == (0, 0, 0)
    services.representative_update(representative=rep, by=city_staff, region=world.other_district)
    assert _areas(log) == _in(world, world.other_district)
    assert _areas(shift) == _in(world, world.other_district)
    assert _areas(_participation(rep)) == _in(world, world.other_district)
    # The contact counts where the representative now is; the city sees it either way.
    assert _counted(district_staff, world.district)[0] == 0
    assert _counted(city_staff, world.other_district)[0] == 1
    assert _counted(city_staff, world.city)[0] == 1


def test_a_representative_imported_with_another_region_takes_their_records_along(
    world: World, district_staff: User, work: tuple[Representative, ContactLog, DutyShift]
) -> None:
    rep, log, shift = work
    rep.id_number = id_number()
    rep.save()
    # The registry exported, 王芳's 所属地区 changed to 海州区 itself, imported again.
    book = load_workbook(
        SimpleUploadedFile(
            "x.xlsx",
            representatives_export(Representative.objects.filter(pk=rep.pk), full_id_numbers=True),
        )
    )
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        row[header.index("所属地区")].value = "海州区"
        row[header.index("区划代码")].value = world.district.code
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.representatives_import(
        file=SimpleUploadedFile("back.xlsx", buffer.getvalue()), by=district_staff
    )
    assert result.ok, result.errors
    assert _areas(log) == _in(world, world.district)
    assert _areas(shift) == _in(world, world.district)
    assert _counted(district_staff, world.town)[0] == 0
    assert _counted(district_staff, world.district)[0] == 1


def test_a_moved_region_takes_its_representatives_records_along(
    world: World,
    city_staff: User,
    district_staff: User,
    work: tuple[Representative, ContactLog, DutyShift],
    django_capture_on_commit_callbacks: Any,
) -> None:
    rep, log, shift = work
    with django_capture_on_commit_callbacks(execute=True):
        world.town.parent = world.other_district  # an administrator redraws the map
        world.town.save()
    assert _areas(_participation(rep)) == _in(world, world.other_district, world.town)
    assert _areas(log) == _in(world, world.other_district, world.town)
    assert _areas(shift) == _in(world, world.other_district, world.town)
    assert _counted(district_staff, world.district)[0] == 0
    assert _counted(city_staff, world.other_district)[0] == 1


def test_the_contacts_figure_opens_a_list_of_the_same_contacts_by_keyset_pages(
    world: World, district_staff: User, client: Any
) -> None:
    """The figure's link (region and period) lists its contacts, read on the logs' own
    area columns, fifty to a page by cursor; the queries do not grow with the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    here = RepresentativeFactory(name="王芳", region=world.village)
    seat(here, world.district)
    there = RepresentativeFactory(name="赵磊", region=world.other_district)
    today = timezone.localdate()
    ContactLog.objects.bulk_create(
        [
            ContactLog(representative=here, kind="visit", contacted_on=today, summary=f"走访{n}")
            for n in range(53)
        ]
        + [ContactLog(representative=there, kind="visit", contacted_on=today, summary="外区")]
    )
    panel = representatives_panel(_scope(district_staff, world.district))
    figure = next(figure for figure in panel.figures if figure.key == "contacts")
    assert figure.value == 53
    client.force_login(district_staff)
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(figure.url)
    rows = first.context["page"].object_list
    assert len(rows) == 50 and {log.representative_id for log in rows} == {here.pk}
    assert first.context["page"].has_next
    cursor = first.context["page"].next_cursor
    with CaptureQueriesContext(connection) as next_queries:
        second = client.get(figure.url + "&after=" + cursor)
    assert len(second.context["page"].object_list) == 3
    assert not second.context["page"].has_next
    assert len(next_queries) == len(first_queries)
    assert "下一页" in first.content.decode() and "外区" not in first.content.decode()


def test_record_areas_rebuild_finds_and_mends_records_written_around_the_services(
    world: World, work: tuple[Representative, ContactLog, DutyShift]
) -> None:
    from django.core.management import CommandError, call_command

    rep, log, shift = work
    call_command("record_areas_rebuild", "--check", stdout=io.StringIO())
    # Moved by SQL, as a restore or a hand edit would: the columns no longer agree.
    ContactLog.objects.filter(pk=log.pk).update(area_2=world.other_district.pk, area_3=None)
    DutyShift.objects.filter(pk=shift.pk).update(area_3=None)
    ActivityParticipation.objects.filter(representative=rep).update(area_1=None)
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 records"):
        call_command("record_areas_rebuild", "--check", stdout=out)
    call_command("record_areas_rebuild", stdout=io.StringIO())
    assert _areas(log) == _in(world, world.district, world.town)
    assert _areas(shift) == _in(world, world.district, world.town)
    assert _areas(_participation(rep)) == _in(world, world.district, world.town)
    call_command("record_areas_rebuild", "--check", stdout=io.StringIO())


def test_the_points_page_counts_a_regions_contacts_by_their_area(
    world: World,
    city_staff: User,
    district_staff: User,
    client: Any,
    work: tuple[Representative, ContactLog, DutyShift],
) -> None:
    """活跃度排名 of one region (the staff's only region, or the one chosen) reads the
    contacts and shifts on their area columns: the same points as counted per person."""
    from representatives import points

    rep, _log, _shift = work
    today = timezone.localdate()
    expected = points.points_for(rep, today.replace(month=1, day=1), today).total
    assert expected >= 1  # the contact logged today
    query = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}

    def shown(user: User, **extra: Any) -> dict[str, int]:
        client.force_login(user)
        page = client.get(reverse("points_ranking"), {**query, **extra}).context["page"]
        return {item.representative.name: item.total for item in page}

    assert shown(district_staff) == {"王芳": expected}
    assert shown(city_staff, region=world.district.pk) == {"王芳": expected}
    assert shown(city_staff, region=world.other_district.pk) == {}
