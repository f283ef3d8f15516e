"""The Excel sheet staff already keep: a round trip, and a bad file that imports nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from congress.models import AuditAction, AuditEvent, User
from representatives import services
from representatives.models import Constituency, Mandate, Representative
from representatives.spreadsheet import COLUMNS, representatives_export
from tests.conftest import World, login
from tests.representatives.factories import id_number

HEADERS = [header for _field, header in COLUMNS]


def _sheet(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(field, "") for field, _header in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("daibiao.xlsx", buffer.getvalue())


def _row(**values: str) -> dict[str, str]:
    row = {
        "name": "陈明",
        "gender": "男",
        "region": "桃园社区",
        "level": "县级",
        "mobile": "13911112222",
        "party": "中共党员",
        "sector": "农民",
    }
    row.update(values)
    return row


def test_a_person_with_two_levels_is_two_rows_and_one_person(
    world: World, district_staff: User
) -> None:
    Constituency.objects.create(congress=world.district.congress, name="新浦第1选区")
    number = id_number()
    result = services.representatives_import(
        file=_sheet(
            [
                _row(id_number=number, constituency="新浦第1选区"),
                _row(id_number=number, level="乡镇级"),
            ]
        ),
        by=district_staff,
    )
    assert result.ok, result.errors
    rep = Representative.objects.get(id_number=number)
    assert set(rep.mandates.values_list("level", flat=True)) == {"county", "township"}
    assert rep.mandates.get(level="county").constituency.name == "新浦第1选区"


def test_export_then_import_gives_back_the_same_registry(
    world: World, district_staff: User
) -> None:
    first, second = id_number(), id_number()
    services.representatives_import(
        file=_sheet(
            [
                _row(name="陈明", id_number=first),
                _row(name="陈明", id_number=first, level="乡镇"),
                _row(name="林芳", id_number=second, gender="女", level="市级", region="海州区"),
            ]
        ),
        by=district_staff,
    )
    before = sorted(Mandate.objects.values_list("representative__id_number", "level", "term_id"))
    content = representatives_export(Representative.objects.all(), full_id_numbers=True)

    Mandate.objects.all().delete()
    Representative.objects.all().delete()
    result = services.representatives_import(
        file=SimpleUploadedFile("back.xlsx", content), by=district_staff
    )

    assert result.ok, result.errors
    assert (result.created, result.mandates_created) == (2, 3)
    after = sorted(Mandate.objects.values_list("representative__id_number", "level", "term_id"))
    assert after == before
    lin = Representative.objects.get(id_number=second)
    assert (lin.name, lin.gender, lin.region, lin.mobile) == (
        "林芳",
        "female",
        world.district,
        "13911112222",
    )
    # Importing the same file again changes nothing (it updates the same people).
    again = services.representatives_import(
        file=SimpleUploadedFile("back.xlsx", content), by=district_staff
    )
    assert (again.created, again.updated, again.mandates_created) == (0, 3, 0)


def test_a_file_with_bad_rows_imports_nothing_and_says_which_rows(
    world: World, district_staff: User
) -> None:
    dup = id_number()
    result = services.representatives_import(
        file=_sheet(
            [
                _row(name="甲", id_number=dup),  # row 2: fine alone
                _row(name="乙", id_number=id_number(), level=""),  # row 3: missing level
                _row(name="甲", id_number=dup),  # row 4: duplicate
                _row(name="丙", id_number=id_number(), constituency="不存在选区"),  # row 5: unknown
                _row(name="丁", id_number="990102198001010001"),  # row 6: bad checksum
            ]
        ),
        by=district_staff,
    )

    assert not result.ok
    found = {(error.row, error.column) for error in result.errors}
    assert (3, "层级") in found
    assert (4, "身份证号") in found
    assert (5, "选区") in found
    assert (6, "身份证号") in found
    assert not Representative.objects.exists()
    assert not Mandate.objects.exists()


def test_rows_outside_the_staff_jurisdiction_are_errors(world: World, district_staff: User) -> None:
    result = services.representatives_import(
        file=_sheet([_row(id_number=id_number(), region="临江区")]), by=district_staff
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属地区")]


def test_the_default_export_masks_id_numbers_and_is_audited(
    client: Client, world: World, representative: Representative, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get("/representatives/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == tuple(HEADERS[:5])
    id_column = HEADERS.index("身份证号")
    assert {row[id_column] for row in rows[1:]} == {representative.masked_id_number}
    assert len(rows) == 3  # 刘红 holds two seats: two rows
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=district_staff)
    assert event.detail["full_id_numbers"] is False


def test_the_import_page_lists_row_errors(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.post(
        "/representatives/import/", {"file": _sheet([_row(id_number=id_number(), level="")])}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in body and "层级不能为空" in body
