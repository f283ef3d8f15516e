"""The year's findings by responsible department (销号率, 按期销号率): 海州区's 2026 inquiry
hands four findings to 海州区交通运输局 (three closed off, one of them after its due date,
and one long-term still open) and two to 海州区公安分局 (both closed off in time); a 2025
finding and 临江区's finding are other rows. Expected figures are worked out by hand."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.models import Assignment, Department, User
from supervision import selectors, services
from supervision.models.topics import Finding, Topic, TopicKind
from tests.conftest import World, login
from tests.factories import DepartmentFactory
from tests.supervision.findings_support import closed_off, finding_of, plan_of, topic_of

pytestmark = pytest.mark.django_db


def late(finding: Finding) -> Finding:
    """No clock moves: the due date is put in the past, as the calendar would."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(pk=finding.assignment_id).update(due_on=yesterday)
    Finding.objects.filter(pk=finding.pk).update(due_on=yesterday)
    finding.refresh_from_db()
    return finding


@pytest.fixture
def police(world: World) -> Department:
    return DepartmentFactory(name="海州区公安分局", region=world.district, parent=None)


@pytest.fixture
def year_of_findings(world: World, district_staff: User, clerk: User, police: Department) -> Topic:
    from tests.factories import UserFactory, grant

    police_clerk = grant(UserFactory(username="zhouwei"), "handler", department=police)
    topic = topic_of(world.district, district_staff)
    for n in range(2):
        closed_off(
            finding_of(topic, world.department, district_staff, f"交通{n}"), clerk, district_staff
        )
    closed_off(
        late(finding_of(topic, world.department, district_staff, "逾期")), clerk, district_staff
    )
    services.finding_create(
        topic=topic,
        title="停车场消防改造",
        department=world.department,
        is_long_term=True,
        target="三年内全部完成",
        by=district_staff,
    )
    for n in range(2):
        closed_off(
            finding_of(topic, police, district_staff, f"治安{n}"), police_clerk, district_staff
        )
    earlier = services.topic_create(
        plan=plan_of(world.district, district_staff, year=2025),
        kind=TopicKind.INQUIRY,
        title="2025年专题询问",
        by=district_staff,
    )
    finding_of(earlier, world.department, district_staff, "去年的问题")
    return topic


def figures(rows) -> list[tuple]:
    return [
        (
            r.department,
            r.total,
            r.closed_off,
            r.on_time,
            r.long_term,
            r.closed_off_rate,
            r.on_time_rate,
        )
        for r in rows
    ]


def test_the_years_rates_by_department(year_of_findings, district_staff) -> None:
    from decimal import Decimal as D

    rows, total = selectors.finding_rates(district_staff, 2026)
    assert figures(rows) == [
        ("海州区公安分局", 2, 2, 2, 0, D("100.0"), D("100.0")),
        ("海州区交通运输局", 4, 3, 2, 1, D("75.0"), D("66.7")),
    ]
    assert figures([total]) == [("", 6, 5, 4, 1, D("83.3"), D("80.0"))]
    rows, total = selectors.finding_rates(district_staff, 2025)
    assert figures(rows) == [("海州区交通运输局", 1, 0, 0, 0, D("0.0"), None)]


def test_each_staff_counts_their_own_jurisdiction(
    year_of_findings, world, district_staff, other_district_staff, city_staff, other_clerk
) -> None:
    from decimal import Decimal as D

    other = topic_of(world.other_district, other_district_staff)
    finding_of(other, world.other_department, other_district_staff, "临江的问题")
    assert figures(selectors.finding_rates(other_district_staff, 2026)[0]) == [
        ("临江区住房和城乡建设局", 1, 0, 0, 0, D("0.0"), None)
    ]
    assert selectors.finding_rates(city_staff, 2026)[1].total == 7
    assert selectors.finding_rates(district_staff, 2026)[1].total == 6


def test_the_page_shows_the_year_asked_for_and_the_clerk_gets_404(
    client, year_of_findings, district_staff, clerk
) -> None:
    login(client, district_staff)
    url = reverse("supervision_finding_rates")
    page = client.get(url).content.decode()  # the newest plan's year by default
    assert "2026年问题整改情况" in page
    assert page.count('data-testid="rate-row"') == 2
    assert "83.3%" in page and "80.0%" in page and "66.7%" in page
    page = client.get(url, {"year": "2025"}).content.decode()
    assert "2025年问题整改情况" in page and page.count('data-testid="rate-row"') == 1
    assert client.get(url, {"year": "abc"}).status_code == 200
    client.logout()
    login(client, clerk)
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision_finding_rates_xlsx")).status_code == 404


def test_the_workbook_has_numbers_and_rates_as_fractions(
    client, year_of_findings, district_staff
) -> None:
    from openpyxl import load_workbook

    login(client, district_staff)
    response = client.get(reverse("supervision_finding_rates_xlsx"), {"year": 2026})
    assert response["Content-Disposition"] == 'attachment; filename="finding-rates-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [
        "责任单位",
        "问题数",
        "已销号",
        "销号率",
        "按期销号",
        "按期销号率",
        "长期整改",
    ]
    assert values[1] == ["海州区公安分局", 2, 2, 1.0, 2, 1.0, 0]
    assert values[2] == ["海州区交通运输局", 4, 3, 0.75, 2, 0.667, 1]
    assert values[3] == ["合计", 6, 5, 0.833, 4, 0.8, 1]
    assert sheet["D2"].number_format == "0.0%"


def test_the_page_reads_the_same_queries_for_3_findings_and_30(
    client, world, district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    departments = [
        DepartmentFactory(name=f"海州区第{n}局", region=world.district) for n in range(10)
    ]
    login(client, district_staff)
    counts = []
    for size in (3, 30):
        while topic.findings.count() < size:
            n = topic.findings.count()
            finding_of(topic, departments[n % 10], district_staff, f"问题{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("supervision_finding_rates")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
