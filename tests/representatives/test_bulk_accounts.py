"""Logins for many representatives at once (representatives/accounts.py).

陈静 (district_staff) gives 海州区's representatives their logins. Among them: 刘红
already has one; 周平 has no mobile number; 王建 and 王建华 share one; 吴敏 holds no
live seat any more; 钱多 has seats at two levels. 孙悦 sits for 临江区.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from congress.errors import OutOfJurisdiction
from congress.models import AuditAction, AuditEvent, CaseEvent, User
from representatives import services
from representatives.accounts import Outcome, accounts_create, accounts_preview
from representatives.models import Representative
from representatives.spreadsheet import COLUMNS
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, id_number, seat


@pytest.fixture
def people(world: World, representative: Representative) -> dict[str, Representative]:
    def rep(name: str, mobile: str, *regions: Any) -> Representative:
        person = RepresentativeFactory(name=name, region=world.village, mobile=mobile)
        for region in regions:
            seat(person, region)
        return person

    cast = {
        "刘红": representative,
        "周平": rep("周平", "", world.district),
        "王建": rep("王建", "13700000002", world.district),
        "王建华": rep("王建华", "13700000002", world.town),
        "吴敏": rep("吴敏", "13700000003", world.district),
        "钱多": rep("钱多", "13700000004", world.district, world.town),
        "赵六": rep("赵六", "1370000", world.district),
    }
    for mandate in cast["吴敏"].mandates.all():
        services.mandate_end(
            mandate=mandate, ends_on=datetime.date(2025, 12, 31), reason="届满", by=None
        )
    return cast


def _outcomes(rows: Any) -> dict[str, str]:
    names = dict(Representative.objects.values_list("pk", "name"))
    return {names[row.representative_id]: row.outcome for row in rows}


EXPECTED = {
    "刘红": Outcome.HAS_LOGIN,
    "周平": Outcome.NO_MOBILE,
    "王建": Outcome.SHARED_MOBILE,
    "王建华": Outcome.SHARED_MOBILE,
    "吴敏": Outcome.NO_SEAT,
    "钱多": Outcome.CREATED,
    "赵六": Outcome.BAD_MOBILE,
}


def test_the_preview_says_what_will_happen_to_each_and_writes_nothing(
    people: dict[str, Representative], district_staff: User
) -> None:
    users_before = User.objects.count()

    preview = accounts_preview(representatives=Representative.objects.all(), by=district_staff)

    assert _outcomes(preview.rows) == EXPECTED
    assert preview.counts == {
        Outcome.HAS_LOGIN: 1,
        Outcome.NO_MOBILE: 1,
        Outcome.SHARED_MOBILE: 2,
        Outcome.NO_SEAT: 1,
        Outcome.CREATED: 1,
        Outcome.BAD_MOBILE: 1,
    }
    assert (preview.total, preview.creatable, preview.pages) == (7, 1, 1)
    assert User.objects.count() == users_before
    assert all("*" in row.masked_mobile or not row.masked_mobile for row in preview.rows)


def test_the_preview_pages_through_everyone_and_counts_them_all(
    people: dict[str, Representative], district_staff: User
) -> None:
    """Three pages of three: every person once, and the counts on every page cover
    all seven."""
    pages = [
        accounts_preview(
            representatives=Representative.objects.all(), by=district_staff, page=n, page_size=3
        )
        for n in (1, 2, 3, 4)
    ]

    assert [len(page.rows) for page in pages[:3]] == [3, 3, 1]
    assert pages[3].page == 3 and pages[3].rows == pages[2].rows  # past the last: the last
    seen = [row.name for page in pages[:3] for row in page.rows]
    assert sorted(seen) == sorted(EXPECTED)
    assert {page.total for page in pages} == {7} and {page.pages for page in pages} == {3}


def test_creating_gives_one_login_to_each_who_can_have_one(
    people: dict[str, Representative], district_staff: User
) -> None:
    rows = accounts_create(representatives=Representative.objects.all(), by=district_staff)

    assert _outcomes(rows) == EXPECTED
    qian = Representative.objects.select_related("user").get(name="钱多")
    assert qian.user is not None  # one login, though two seats
    assert qian.user.username == "13700000004"
    assert qian.user.mobile == "13700000004" and qian.user.display_name == "钱多"
    assert not qian.user.has_usable_password()
    assert not qian.user.must_change_password
    assert qian.user.last_login is None
    assert qian.user.role_grants.count() == 0  # a representative is the link, not a grant
    for name in ("周平", "王建", "王建华", "吴敏", "赵六"):
        assert Representative.objects.get(pk=people[name].pk).user_id is None
    event = CaseEvent.objects.get(case_id=qian.pk, action="create_login")
    assert event.actor == district_staff and event.data["username"] == "13700000004"
    assert AuditEvent.objects.filter(
        action=AuditAction.ADMIN_ADD, actor=district_staff, detail__created=1
    ).exists()


def test_a_taken_username_falls_back_to_a_stable_id(
    world: World, district_staff: User, db: None
) -> None:
    User.objects.create(username="13700000004")
    person = RepresentativeFactory(name="钱多", region=world.village, mobile="13700000004")
    seat(person, world.district)

    accounts_create(representatives=Representative.objects.all(), by=district_staff)

    person.refresh_from_db()
    assert person.user is not None and person.user.username == f"rep{person.pk}"


def test_an_interrupted_run_is_finished_by_running_it_again(
    world: World, district_staff: User, db: None
) -> None:
    """The first run stopped after its first batch: the second makes the rest, and
    nobody has two logins."""
    everyone = [
        RepresentativeFactory(name=f"代表{n}", region=world.village, mobile=f"1380000{n:04d}")
        for n in range(7)
    ]
    for person in everyone:
        seat(person, world.district)
    first_batch = Representative.objects.filter(pk__in=[p.pk for p in everyone[:3]])
    accounts_create(representatives=first_batch, by=district_staff, batch=3)

    rows = accounts_create(representatives=Representative.objects.all(), by=district_staff, batch=3)

    outcomes = [row.outcome for row in sorted(rows, key=lambda row: row.representative_id)]
    assert outcomes == [Outcome.HAS_LOGIN] * 3 + [Outcome.CREATED] * 4
    assert User.objects.filter(representative__isnull=False).count() == 7
    assert not User.objects.values("username").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_staff_give_logins_only_in_their_jurisdiction(
    world: World,
    district_staff: User,
    other_district_staff: User,
    far_representative: Representative,
    people: dict[str, Representative],
) -> None:
    rows = accounts_create(representatives=Representative.objects.all(), by=other_district_staff)

    assert {row.name for row in rows} == {"孙悦"}
    assert Representative.objects.get(name="钱多").user_id is None


@pytest.mark.parametrize("persona", ["representative_user", "clerk", "committee_member"])
def test_no_one_but_staff_gives_logins(
    persona: str, request: pytest.FixtureRequest, people: dict[str, Representative]
) -> None:
    with pytest.raises(OutOfJurisdiction):
        accounts_create(
            representatives=Representative.objects.all(), by=request.getfixturevalue(persona)
        )


def _sheet(count: int) -> SimpleUploadedFile:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([header for _field, header in COLUMNS])
    for n in range(count):
        row = {
            "name": f"代表{n}",
            "gender": "男" if n % 2 else "女",
            "id_number": id_number(birth=f"19{60 + n % 30}0101"),
            "mobile": f"135{n:08d}" if n % 100 else "",  # ten without a number
            "region": "桃园社区",
            "level": "县级",
        }
        sheet.append([row.get(field, "") for field, _header in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("daibiao.xlsx", buffer.getvalue())


def test_a_thousand_representatives_from_an_import_in_bulk_queries(
    world: World, district_staff: User, django_assert_max_num_queries: Any
) -> None:
    result = services.representatives_import(file=_sheet(1000), by=district_staff)
    assert result.ok, result.errors[:3]
    assert len(result.id_numbers) == 1000
    imported = Representative.objects.filter(id_number__in=result.id_numbers)

    # Two batches of 500: a fixed number of statements each, not one per person.
    with django_assert_max_num_queries(60):
        rows = accounts_create(representatives=imported, by=district_staff)

    created = [row for row in rows if row.outcome == Outcome.CREATED]
    assert len(rows) == 1000 and len(created) == 990
    assert {row.outcome for row in rows} - {Outcome.CREATED} == {Outcome.NO_MOBILE}
    assert imported.filter(user__isnull=False).count() == 990
    assert User.objects.filter(username__startswith="135").count() == 990


# --- the pages ------------------------------------------------------------------------


def test_the_page_previews_then_creates_on_confirmation(
    client: Client, people: dict[str, Representative], district_staff: User, world: World
) -> None:
    login(client, district_staff)
    congress = world.district.congress

    preview = client.get("/representatives/accounts/", {"congress": congress.pk})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "预览（尚未开通）" in page and "确认开通 1 个账号" in page
    assert "手机号与其他代表相同" in page and "未登记手机号" in page
    assert "13700000004" not in page  # numbers masked
    assert Representative.objects.get(name="钱多").user_id is None

    done = client.post("/representatives/accounts/", {"congress": congress.pk})
    assert done.status_code == 200
    assert "开通结果" in done.content.decode()
    assert Representative.objects.get(name="钱多").user_id is not None


def test_the_page_without_a_selection_says_what_to_choose(
    client: Client, district_staff: User
) -> None:
    login(client, district_staff)

    refused = client.post("/representatives/accounts/", {})
    assert refused.status_code == 400
    assert "请至少选择人大、层级或地区之一。" in refused.content.decode()


def test_the_import_page_imports_then_previews_the_sheets_people(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)

    imported = client.post("/representatives/accounts/import/", {"file": _sheet(3)})
    assert imported.status_code == 200
    page = imported.content.decode()
    # 代表0 has no mobile number (the sheet leaves every hundredth one out).
    assert "导入成功：3行，新增代表3人" in page and "确认开通 2 个账号" in page
    ids = ",".join(
        str(pk) for pk in Representative.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert f'name="ids" value="{ids}"' in page

    client.post("/representatives/accounts/", {"ids": ids})
    assert Representative.objects.filter(user__isnull=False).count() == 2


def test_a_bad_sheet_imports_nothing_and_says_why(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    workbook = Workbook()
    workbook.active.append(["姓名"])
    workbook.active.append(["陈明"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    refused = client.post(
        "/representatives/accounts/import/",
        {"file": SimpleUploadedFile("bad.xlsx", buffer.getvalue())},
    )
    assert refused.status_code == 400
    assert "未导入任何数据" in refused.content.decode()
    assert not Representative.objects.exists()


def test_the_preview_costs_the_same_for_3_and_30_people(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    counts = []
    for total in (3, 30):
        Representative.objects.all().delete()
        for n in range(total):
            seat(
                RepresentativeFactory(region=world.village, mobile=f"1380000{n:04d}"),
                world.district,
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/representatives/accounts/", {"region": world.district.pk})
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_links_the_previews_pages_with_the_selection(
    client: Client, world: World, district_staff: User
) -> None:
    """101 people: 100 on the first page, the 101st on the second, counts on both."""
    people = Representative.objects.bulk_create(
        [
            Representative(
                name=f"代表{n:03d}",
                gender="m",
                region=world.village,
                mobile=f"1380000{n:04d}",
                public_token=f"token-{n:037d}",
            )
            for n in range(101)
        ]
    )
    for person in people:
        seat(person, world.district)
    login(client, district_staff)

    first = client.get("/representatives/accounts/", {"region": world.district.pk}).content
    second = client.get(
        "/representatives/accounts/", {"region": world.district.pk, "page": 2}
    ).content

    assert "第 1 / 2 页，共 101 人" in first.decode()
    assert f'href="?region={world.district.pk}&amp;page=2"' in first.decode()
    assert first.decode().count("<tr><td>代表") == 100
    assert second.decode().count("<tr><td>代表") == 1
    assert "第 2 / 2 页" in second.decode() and "确认开通 101 个账号" in second.decode()
