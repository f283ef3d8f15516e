"""The pages of plans, topics and findings: what each persona sees, bad input kept,
and lists whose cost does not grow with their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models.topics import Finding, SupervisionPlan, Topic
from tests.conftest import login
from tests.supervision.findings_support import claimed, finding_of, plan_of, topic_of

pytestmark = pytest.mark.django_db


def test_staff_create_a_plan_a_topic_and_a_finding(client, world, district_staff) -> None:
    login(client, district_staff)
    response = client.post(
        reverse("supervision_plan_create"),
        {"congress": world.district.congress.pk, "year": 2026, "title": "海州区2026年监督工作计划"},
    )
    plan = SupervisionPlan.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("supervision_topic_create", args=[plan.pk]),
        {"kind": "inquiry", "title": "社会治安专题询问", "departments": [world.department.pk]},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert list(topic.departments.all()) == [world.department]
    client.post(
        reverse("supervision_member_add", args=[topic.pk]), {"role": "leader", "name": "张主任"}
    )
    assert topic.members.get().get_role_display() == "组长"
    response = client.post(
        reverse("supervision_finding_create", args=[topic.pk]),
        {"title": "夜间巡逻不足", "department": world.department.pk, "measures": "增加巡逻"},
    )
    assert response.status_code == 302
    assert Finding.objects.get().department == world.department
    page = client.get(reverse("supervision_topic_findings", args=[topic.pk]))
    assert "夜间巡逻不足" in page.content.decode()
    assert client.get(reverse("supervision_topic_detail", args=[topic.pk])).status_code == 200
    assert client.get(reverse("supervision_plan_detail", args=[plan.pk])).status_code == 200


def test_a_finding_without_department_comes_back_with_the_message_and_the_text(
    client, world, district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_finding_create", args=[topic.pk]),
        {"title": "无人负责的问题", "measures": "我写的措施"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请指定责任单位" in body
    assert "无人负责的问题" in body and "我写的措施" in body
    assert Finding.objects.count() == 0


def test_the_english_message_for_no_department(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("supervision_finding_create", args=[topic.pk]),
        {"title": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400


def test_close_off_without_evidence_keeps_the_form(client, world, district_staff, clerk) -> None:
    topic = topic_of(world.district, district_staff)
    finding = claimed(finding_of(topic, world.department, district_staff), clerk)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_finding_act", args=[finding.pk, "close_off"]), {"text": ""}
    )
    assert response.status_code == 400
    assert "销号须有依据" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "claimed"


def test_the_clerk_reports_and_claims_on_the_page(client, world, district_staff, clerk) -> None:
    topic = topic_of(world.district, district_staff)
    finding = finding_of(topic, world.department, district_staff)
    login(client, clerk)
    page = client.get(reverse("supervision_finding_detail", args=[finding.pk]))
    body = page.content.decode()
    assert 'data-testid="action-claim_closure"' in body
    assert 'data-testid="action-close_off"' not in body
    response = client.post(
        reverse("supervision_finding_act", args=[finding.pk, "claim_closure"]),
        {"text": "已完成整改", "expected_version": finding.version},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "claimed"


def test_an_unknown_action_is_400(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    finding = finding_of(topic, world.department, district_staff)
    login(client, district_staff)
    response = client.post(reverse("supervision_finding_act", args=[finding.pk, "explode"]))
    assert response.status_code == 400


def test_a_clerk_sees_only_their_departments_findings(
    client, world, district_staff, other_district_staff, clerk, other_clerk
) -> None:
    mine = finding_of(topic_of(world.district, district_staff), world.department, district_staff)
    other_topic = topic_of(world.other_district, other_district_staff)
    theirs = finding_of(
        other_topic, world.other_department, other_district_staff, title="别人的问题"
    )
    login(client, clerk)
    listing = client.get(reverse("supervision_finding_list")).content.decode()
    assert mine.title in listing and "别人的问题" not in listing
    assert client.get(reverse("supervision_finding_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("supervision_topic_detail", args=[mine.topic_id])).status_code == 404
    response = client.post(
        reverse("supervision_finding_act", args=[theirs.pk, "claim_closure"]), {"text": "x"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "rectifying"


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(model, n: int, make) -> None:
    while model.objects.count() < n:
        make(model.objects.count())


@pytest.mark.parametrize("route", ["findings", "topic_findings", "topics", "plans"])
def test_lists_cost_the_same_for_3_rows_and_30(client, world, district_staff, clerk, route) -> None:
    topic = topic_of(world.district, district_staff)
    model, make = {
        "findings": (
            Finding,
            lambda n: finding_of(topic, world.department, district_staff, title=f"问题{n}"),
        ),
        "topic_findings": (
            Finding,
            lambda n: finding_of(topic, world.department, district_staff, title=f"问题{n}"),
        ),
        "topics": (Topic, lambda n: topic_of(world.district, district_staff, title=f"议题{n}")),
        "plans": (
            SupervisionPlan,
            lambda n: plan_of(world.district, district_staff, year=2030 + n),
        ),
    }[route]
    url = {
        "findings": reverse("supervision_finding_list"),
        "topic_findings": reverse("supervision_topic_findings", args=[topic.pk]),
        "topics": reverse("supervision_topic_list"),
        "plans": reverse("supervision_plan_list"),
    }[route]
    users = (district_staff, clerk) if route == "findings" else (district_staff,)
    _grow(model, 3, make)
    few = {}
    for user in users:
        login(client, user)
        few[user.pk] = _count_queries(client, url)
    _grow(model, 30, make)
    for user in users:
        login(client, user)
        assert _count_queries(client, url) == few[user.pk], user


def test_the_staff_card_counts_claimed_and_overdue(client, world, district_staff, clerk) -> None:
    import datetime

    from django.utils import timezone

    topic = topic_of(world.district, district_staff)
    claimed(finding_of(topic, world.department, district_staff, title="待核实"), clerk)
    late = finding_of(topic, world.department, district_staff, title="超期")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Finding.objects.filter(pk=late.pk).update(due_on=yesterday)  # as the calendar would
    login(client, district_staff)
    body = client.get("/").content.decode()
    assert 'data-testid="card-supervision-staff"' in body
    from supervision.selectors import staff_card_counts

    assert staff_card_counts(district_staff) == (1, 1)


def test_the_findings_excel_has_numbers_as_numbers(client, world, district_staff, clerk) -> None:
    import io

    from openpyxl import load_workbook

    topic = topic_of(world.district, district_staff)
    finding_of(topic, world.department, district_staff, title="第一项")
    closed = finding_of(topic, world.department, district_staff, title="第二项")
    from tests.supervision.findings_support import closed_off

    closed_off(closed, clerk, district_staff)
    login(client, district_staff)
    response = client.get(reverse("supervision_topic_findings_xlsx", args=[topic.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "问题类别", "问题")
    assert [row[0] for row in rows[1:]] == [1, 2]
    assert rows[2][2] == "第二项" and rows[2][7] == "已销号"
