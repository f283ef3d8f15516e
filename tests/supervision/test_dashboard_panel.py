"""The dashboard's 专项监督 panel (supervision/dashboard.py): figures counted by hand on a
story made through the services, each staff's region only, the same queries for few and
many findings, and the panel in the monthly report's workbook.

海州区 this year: topic A with four findings (交通运输局: one closed off, one overdue;
公安分局: one claimed, one still in time) and topic B with one finding, closed off (B is
cleared); last year's topic with one finding to 交通运输局, overdue. 临江区: one topic,
one overdue finding. The city: one topic, one finding closed off. Meetings of 海州区: in
20 days with a report received and one past its due date and not received, in 30 days
with an inquiry only, in 70 days (too far); 临江区: one in 10 days.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Department, Region, Role, User
from supervision import services
from supervision.meetings import services as meetings
from supervision.models.meetings import AgendaItem, ItemKind
from supervision.models.topics import Finding, Topic, TopicKind
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.supervision.dossier_support import bureaus_of, overdue
from tests.supervision.findings_support import plan_of

pytestmark = pytest.mark.django_db

API = reverse("api-dashboard")


def _topic(region: Region, staff: User, title: str, year: int | None = None) -> Topic:
    plan = plan_of(region, staff, year=year or timezone.localdate().year)
    topic = services.topic_create(plan=plan, kind=TopicKind.CAMPAIGN, title=title, by=staff)
    services.topic_move(topic=topic, action="start", by=staff)
    return topic


def _finding(topic: Topic, department: Department, staff: User, title: str) -> Finding:
    return services.finding_create(
        topic=topic,
        title=title,
        department=department,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        by=staff,
    )


def _closed_off(finding: Finding, clerk: User, staff: User) -> None:
    services.finding_claim_closure(finding=finding, note="已整改", by=clerk)
    services.finding_close_off(finding=finding, evidence="核实到位", by=staff)


def _meeting(region: Region, staff: User, number: int, days: int) -> Any:
    return meetings.meeting_schedule(
        congress=region.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        by=staff,
    )


@pytest.fixture
def story(
    world: World,
    district_staff: User,
    other_district_staff: User,
    city_staff: User,
) -> dict[str, Any]:
    bureaus, office_clerk = bureaus_of(world)
    transport, police = bureaus["交通运输局"], bureaus["公安分局"]
    a = _topic(world.district, district_staff, "优化营商环境专项监督")
    _closed_off(_finding(a, transport, district_staff, "审批时限长"), office_clerk, district_staff)
    overdue(_finding(a, transport, district_staff, "占道施工影响商户"))
    claimed = _finding(a, police, district_staff, "涉企检查多头执法")
    services.finding_claim_closure(finding=claimed, note="已整改", by=office_clerk)
    _finding(a, police, district_staff, "惠企政策兑现不及时")
    b = _topic(world.district, district_staff, "安全生产专项监督")
    _closed_off(
        _finding(b, police, district_staff, "危化品监管不到位"), office_clerk, district_staff
    )
    last_year = _topic(
        world.district, district_staff, "去年的专项监督", year=timezone.localdate().year - 1
    )
    overdue(_finding(last_year, transport, district_staff, "去年的问题"))

    other = _topic(world.other_district, other_district_staff, "临江区专项监督")
    overdue(_finding(other, world.other_department, other_district_staff, "临江区的问题"))
    city = _topic(world.city, city_staff, "全市专项监督")
    city_finding = _finding(city, world.city_department, city_staff, "全市的问题")
    city_clerk = grant(UserFactory(), Role.HANDLER, department=world.city_department)
    _closed_off(city_finding, city_clerk, city_staff)

    soon = _meeting(world.district, district_staff, 21, 20)
    received = meetings.agenda_add(
        meeting=soon,
        kind=ItemKind.REPORT,
        title="关于营商环境的报告",
        department=transport,
        by=district_staff,
    )
    meetings.report_submit(item=received, text="报告正文", by=office_clerk)
    late = meetings.agenda_add(
        meeting=soon,
        kind=ItemKind.REPORT,
        title="关于安全生产的报告",
        department=police,
        by=district_staff,
    )
    # No clock is moved: the due date is put in the past, as the calendar would have it.
    AgendaItem.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    inquiry_only = _meeting(world.district, district_staff, 22, 30)
    meetings.agenda_add(
        meeting=inquiry_only, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    _meeting(world.district, district_staff, 23, 70)
    _meeting(world.other_district, other_district_staff, 9, 10)
    return {"office_clerk": office_clerk}


def _panel(client: Client, query: str = "") -> dict[str, Any] | None:
    panels = {panel["key"]: panel for panel in client.get(API + query).json()["panels"]}
    return panels.get("supervision")


def _figures(panel: dict[str, Any]) -> dict[str, Any]:
    return {figure["key"]: figure["value"] for figure in panel["figures"]}


def test_the_figures_are_the_hand_count_of_the_districts_supervision(
    client: Client, world: World, district_staff: User, story: dict[str, Any]
) -> None:
    login(client, district_staff)
    panel = _panel(client)
    assert panel is not None
    # This year: 2 topics, 5 findings, 2 closed off (one in each), 3 open, 40 %, B cleared;
    # overdue now: this year's and last year's (交通运输局), not 临江区's.
    assert _figures(panel) == {
        "topics": 2,
        "findings": 5,
        "closed_off": 2,
        "open": 3,
        "closed_off_rate": 40.0,
        "cleared": 1,
        "overdue": 2,
        "meetings": 2,
        "reports_awaited": 1,
        "reports_late": 1,
    }
    departments, upcoming = panel["tables"]
    assert departments["columns"] == ["责任单位", "整改中", "已销号", "销号率", "当前超期"]
    assert departments["rows"] == [
        ["海州区交通运输局", 1, 1, "50.0%", 2],
        ["海州区公安分局", 2, 1, "33.3%", 0],
    ]
    rows = [row[1:] for row in upcoming["rows"]]
    assert rows == [
        ["关于营商环境的报告", "海州区交通运输局", rows[0][2], "已报送"],
        ["关于安全生产的报告", "海州区公安分局", rows[1][2], "逾期未报送"],
        ["（无专项工作报告）", "", "", ""],
    ]
    assert "第21次会议" in upcoming["rows"][0][0] and "第22次会议" in upcoming["rows"][2][0]
    assert "第23次会议" not in str(upcoming)  # 70 days on
    # Every figure says what it counts.
    assert all(figure["definition"] for figure in panel["figures"])


def test_each_staff_counts_their_own_region(
    client: Client,
    world: World,
    other_district_staff: User,
    city_staff: User,
    story: dict[str, Any],
) -> None:
    login(client, other_district_staff)
    panel = _panel(client)
    assert panel is not None
    figures = _figures(panel)
    assert (figures["topics"], figures["findings"], figures["overdue"], figures["meetings"]) == (
        1,
        1,
        1,
        1,
    )
    assert "海州区" not in str(panel["tables"])

    login(client, city_staff)
    figures = _figures(_panel(client) or {})
    # The city's own topic and both districts': 4 topics, 7 findings, 3 closed off, 3 overdue.
    assert (figures["topics"], figures["findings"], figures["closed_off"]) == (4, 7, 3)
    assert figures["overdue"] == 3 and figures["meetings"] == 3
    # The city staff's dashboard of 临江区 (drill-down) is 临江区's alone.
    figures = _figures(_panel(client, f"?region={world.other_district.pk}") or {})
    assert (figures["topics"], figures["findings"]) == (1, 1)


def test_no_supervision_no_panel(client: Client, world: World, district_staff: User) -> None:
    login(client, district_staff)
    assert _panel(client) is None


def test_the_page_shows_the_panel_with_its_definitions(
    client: Client, district_staff: User, story: dict[str, Any]
) -> None:
    login(client, district_staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="panel-supervision"' in page
    assert 'data-testid="table-supervision-supervision_departments"' in page
    assert "已销号 ÷ 问题数。" in page


def test_the_monthly_reports_workbook_has_the_panel_in_numbers(
    client: Client, world: World, district_staff: User, story: dict[str, Any]
) -> None:
    today = timezone.localdate()
    login(client, district_staff)
    url = reverse(
        "report_month",
        kwargs={"region_id": world.district.pk, "year": today.year, "month": today.month},
    )
    response = client.get(url + "?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[f"专项监督（{today.year}年度）"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=5, max_col=2) if row[1].value}
    assert cells["问题数"].value == 5 and isinstance(cells["问题数"].value, int)
    assert cells["已销号"].value == 2 and cells["当前超期"].value == 2
    assert cells["销号率"].value == pytest.approx(0.4)
    assert cells["销号率"].number_format == "0.0%"
    line = next(row for row in sheet.iter_rows() if row[0].value == "海州区交通运输局")
    assert [cell.value for cell in line[:5]] == ["海州区交通运输局", 1, 1, 0.5, 2]
    assert line[3].number_format == "0.0%"
    # The report's page shows it too.
    page = client.get(url).content.decode()
    assert 'data-testid="report-panel-supervision"' in page


def test_the_panel_reads_the_same_queries_for_few_and_many_findings(
    client: Client, world: World, district_staff: User
) -> None:
    bureaus, office_clerk = bureaus_of(world)
    topic = _topic(world.district, district_staff, "专项监督")
    for n in range(3):
        _finding(topic, bureaus["公安分局"], district_staff, f"问题{n}")
    meeting = _meeting(world.district, district_staff, 21, 20)
    meetings.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="报告",
        department=bureaus["公安分局"],
        by=district_staff,
    )
    login(client, district_staff)
    client.get(API)  # the session and the calendar read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(API).status_code == 200
        return len(seen)

    few = queries()
    for n in range(27):
        finding = _finding(
            _topic(world.district, district_staff, f"议题{n}") if n % 9 == 0 else topic,
            bureaus["民政局" if n % 2 else "教育局"],
            district_staff,
            f"更多问题{n}",
        )
        if n % 3 == 0:
            overdue(finding)
        elif n % 3 == 1:
            _closed_off(finding, office_clerk, district_staff)
    for number in (22, 23, 24):
        more = _meeting(world.district, district_staff, number, number)
        meetings.agenda_add(
            meeting=more,
            kind=ItemKind.REPORT,
            title="报告",
            department=bureaus["民政局"],
            by=district_staff,
        )
    assert Finding.objects.count() == 30
    assert queries() == few


def test_a_reports_state_in_the_meetings_table() -> None:
    from supervision.dashboard import _report_state
    from supervision.models.meetings import ReportStatus

    today = timezone.localdate()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    cases = [
        (ReportStatus.RECEIVED, False, yesterday, ("已报送", False)),
        (ReportStatus.RECEIVED, True, yesterday, ("已报送（逾期）", True)),
        (ReportStatus.AWAITED, False, yesterday, ("逾期未报送", True)),
        (ReportStatus.AWAITED, False, today, ("待报送", False)),
        (ReportStatus.AWAITED, False, tomorrow, ("待报送", False)),
    ]
    for status, late, due_on, expected in cases:
        item = AgendaItem(status=status, late=late, due_on=due_on)
        assert _report_state(item, today) == expected, (status, late, due_on)
