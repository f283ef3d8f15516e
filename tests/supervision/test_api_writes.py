"""Issue #17, "API: all of the above, scoped": the staff create and edit plans, topics,
findings and monitoring points through /api/v1/supervision/…, through the pages' forms
and services. Stories with the real database: 海州区's staff (陈静) write in 海州区,
临江区's staff get 404 and nothing changes, a clerk gets 404, bad input is a 400 naming
the field and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import Assignment, CaseEvent
from supervision.models.monitoring import MonitoringPoint
from supervision.models.topics import Finding, SupervisionPlan, Topic, TopicStatus
from tests.conftest import login
from tests.supervision.findings_support import finding_of, plan_of, topic_of
from tests.supervision.monitoring_support import campaign_of, point_of

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision"


def _post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def _fields(response: Any) -> set[str]:
    """The fields a 400 names (the project's error shape: code, message, errors)."""
    assert response.status_code == 400, response.content
    return set(response.json()["errors"])


def _patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


# --- plans ----------------------------------------------------------------------------------


def test_staff_create_edit_and_adopt_a_plan(client, world, district_staff) -> None:
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/plans/",
        {"congress": world.district.congress.pk, "year": 2027, "title": " 2027年监督工作计划 "},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    plan = SupervisionPlan.objects.get(pk=body["id"])
    assert (plan.title, plan.year, plan.region_id) == (
        "2027年监督工作计划",
        2027,
        world.district.pk,
    )
    assert CaseEvent.objects.filter(case_id=plan.pk, action="create").exists()

    response = _patch(client, f"{API}/plans/{plan.pk}/", {"notes": "经主任会议讨论"})
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert (plan.title, plan.notes) == ("2027年监督工作计划", "经主任会议讨论")
    assert response.json()["notes"] == "经主任会议讨论"

    response = _post(client, f"{API}/plans/{plan.pk}/adopt/", {"adopted_on": "2027-01-20"})
    assert response.status_code == 200, response.content
    assert response.json()["adopted_on"] == "2027-01-20"
    plan.refresh_from_db()
    assert str(plan.adopted_on) == "2027-01-20"
    # Adopted once: a second adoption is not a step now.
    again = _post(client, f"{API}/plans/{plan.pk}/adopt/")
    assert again.status_code == 409
    assert again.json()["code"]


def test_a_plan_with_bad_input_is_400_naming_the_field(client, world, district_staff) -> None:
    login(client, district_staff)
    response = _post(
        client, f"{API}/plans/", {"congress": world.district.congress.pk, "year": 1990}
    )
    assert _fields(response) == {"year", "title"}
    assert "congress" in _fields(_post(client, f"{API}/plans/", {"year": 2027, "title": "计划"}))
    # Another district's congress is outside 海州区's staff's scope.
    response = _post(
        client,
        f"{API}/plans/",
        {"congress": world.other_district.congress.pk, "year": 2027, "title": "计划"},
    )
    assert response.status_code == 404
    # The service's rule: one plan a year per congress.
    plan_of(world.district, district_staff, year=2027)
    response = _post(
        client,
        f"{API}/plans/",
        {"congress": world.district.congress.pk, "year": 2027, "title": "重复"},
    )
    assert response.status_code == 400
    assert "message" in response.json()
    assert SupervisionPlan.objects.count() == 1
    plan = SupervisionPlan.objects.get()
    assert _patch(client, f"{API}/plans/{plan.pk}/", {"title": ""}).status_code == 400
    plan.refresh_from_db()
    assert plan.title == "海州区2027年监督工作计划"


def test_plans_out_of_scope_are_404_and_unchanged(
    client, world, district_staff, other_district_staff, clerk
) -> None:
    plan = plan_of(world.district, district_staff)
    for user in (other_district_staff, clerk):
        login(client, user)
        assert _patch(client, f"{API}/plans/{plan.pk}/", {"title": "改"}).status_code == 404
        assert _post(client, f"{API}/plans/{plan.pk}/adopt/").status_code == 404
    login(client, clerk)
    response = _post(
        client,
        f"{API}/plans/",
        {"congress": world.district.congress.pk, "year": 2030, "title": "书记员的计划"},
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.adopted_on) == ("海州区2026年监督工作计划", "draft", None)
    assert SupervisionPlan.objects.count() == 1


# --- topics ---------------------------------------------------------------------------------


def test_staff_create_a_topic_edit_it_and_take_its_steps(client, world, district_staff) -> None:
    plan = plan_of(world.district, district_staff)
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/topics/",
        {
            "plan": plan.pk,
            "kind": "inquiry",
            "title": "社会治安综合治理专题询问",
            "departments": [world.department.pk],
            "starts_on": "2026-03-01",
        },
    )
    assert response.status_code == 201, response.content
    topic = Topic.objects.get(pk=response.json()["id"])
    assert list(topic.departments.all()) == [world.department]
    assert topic.plan_id == plan.pk

    # A PATCH changes what it names and keeps the rest (the departments too).
    response = _patch(client, f"{API}/topics/{topic.pk}/", {"ends_on": "2026-09-30"})
    assert response.status_code == 200, response.content
    topic.refresh_from_db()
    assert str(topic.ends_on) == "2026-09-30"
    assert str(topic.starts_on) == "2026-03-01"
    assert list(topic.departments.all()) == [world.department]
    bad = _patch(client, f"{API}/topics/{topic.pk}/", {"ends_on": "2026-01-01"})
    assert bad.status_code == 400
    topic.refresh_from_db()
    assert str(topic.ends_on) == "2026-09-30"

    response = _post(client, f"{API}/topics/{topic.pk}/actions/start/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == TopicStatus.ACTIVE
    # Publishing needs a finding first: a step not open now is 409, nothing changes.
    assert _post(client, f"{API}/topics/{topic.pk}/actions/publish/").status_code == 409
    finding_of(topic, world.department, district_staff)
    response = _post(client, f"{API}/topics/{topic.pk}/actions/publish/")
    assert response.status_code == 200
    assert response.json()["published_at"]
    assert _post(client, f"{API}/topics/{topic.pk}/actions/unpublish/").status_code == 200
    # A name not in the table is a 400.
    assert _post(client, f"{API}/topics/{topic.pk}/actions/destroy/").status_code == 400
    topic.refresh_from_db()
    assert topic.published_at is None


def test_a_topic_with_bad_input_is_400(client, world, district_staff) -> None:
    plan = plan_of(world.district, district_staff)
    login(client, district_staff)
    response = _post(client, f"{API}/topics/", {"plan": plan.pk, "kind": "nonsense"})
    assert response.status_code == 400
    assert _fields(response) == {"kind", "title"}
    response = _post(client, f"{API}/topics/", {"kind": "inquiry", "title": "无计划"})
    assert "plan" in _fields(response)
    # A department of 临江区 is not one a 海州区 topic may concern.
    response = _post(
        client,
        f"{API}/topics/",
        {
            "plan": plan.pk,
            "kind": "inquiry",
            "title": "跨区",
            "departments": [world.other_department.pk],
        },
    )
    assert "departments" in _fields(response)
    assert not Topic.objects.exists()


def test_topics_out_of_scope_are_404_and_unchanged(
    client, world, district_staff, other_district_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    plan = topic.plan
    for user in (other_district_staff, clerk):
        login(client, user)
        assert _patch(client, f"{API}/topics/{topic.pk}/", {"title": "改"}).status_code == 404
        assert _post(client, f"{API}/topics/{topic.pk}/actions/start/").status_code == 404
        response = _post(
            client, f"{API}/topics/", {"plan": plan.pk, "kind": "inquiry", "title": "越界"}
        )
        assert response.status_code == 404
    topic.refresh_from_db()
    assert (topic.title, topic.status) == ("社会治安综合治理专题询问", TopicStatus.PLANNED)
    assert Topic.objects.count() == 1


# --- findings -------------------------------------------------------------------------------


def test_staff_list_a_finding_handed_to_its_department(
    client, world, district_staff, other_district_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/findings/",
        {
            "topic": topic.pk,
            "title": "夜间巡逻覆盖不足",
            "department": world.department.pk,
            "measures": "增加夜间巡逻班次",
            "due_on": "2026-12-31",
        },
    )
    assert response.status_code == 201, response.content
    finding = Finding.objects.get(pk=response.json()["id"])
    assert (finding.department_id, str(finding.due_on)) == (world.department.pk, "2026-12-31")
    # 交办: the department's assignment exists, and its clerk reads the finding.
    assert Assignment.objects.filter(department=world.department).exists()
    login(client, clerk)
    assert client.get(f"{API}/findings/{finding.pk}/").status_code == 200
    # Nobody but the topic's staff lists one: 临江区's staff and the clerk get 404.
    for user in (other_district_staff, clerk):
        login(client, user)
        response = _post(
            client,
            f"{API}/findings/",
            {"topic": topic.pk, "title": "越界", "department": world.department.pk},
        )
        assert response.status_code == 404
    assert Finding.objects.count() == 1


def test_a_finding_with_bad_input_is_400(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    response = _post(client, f"{API}/findings/", {"topic": topic.pk, "due_on": "明天"})
    assert response.status_code == 400
    assert _fields(response) == {"title", "due_on"}
    # 对号入座: a finding without a department is refused by the service.
    response = _post(client, f"{API}/findings/", {"topic": topic.pk, "title": "无人负责"})
    assert response.status_code == 400
    assert response.json()["message"]
    # 临江区's department is not a choice for a 海州区 topic.
    response = _post(
        client,
        f"{API}/findings/",
        {"topic": topic.pk, "title": "跨区", "department": world.other_department.pk},
    )
    assert "department" in _fields(response)
    assert not Finding.objects.exists()


# --- monitoring points ----------------------------------------------------------------------


def test_staff_add_points_and_switch_them_off_and_on(
    client, world, district_staff, other_district_staff, clerk
) -> None:
    campaign = campaign_of(world.district, district_staff)
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/monitoring-points/",
        {"topic": campaign.pk, "name": "新浦农贸市场", "kind": "survey", "region": world.town.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["region_name"], body["is_active"]) == (
        "新浦农贸市场",
        "新浦街道",
        True,
    )
    point = MonitoringPoint.objects.get(pk=body["id"])
    assert "token" not in body

    response = _post(
        client,
        f"{API}/monitoring-points/bulk/",
        {
            "topic": campaign.pk,
            "lines": "政务服务中心, 观察点, 990102001000\n海州商会, 联系点, 990102000000",
        },
    )
    assert response.status_code == 201, response.content
    assert [row["name"] for row in response.json()] == ["政务服务中心", "海州商会"]

    response = _post(client, f"{API}/monitoring-points/{point.pk}/deactivate/")
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    assert _post(client, f"{API}/monitoring-points/{point.pk}/deactivate/").status_code == 409
    response = _post(client, f"{API}/monitoring-points/{point.pk}/reactivate/")
    assert (response.status_code, response.json()["is_active"]) == (200, True)

    for user in (other_district_staff, clerk):
        login(client, user)
        assert _post(client, f"{API}/monitoring-points/{point.pk}/deactivate/").status_code == 404
        response = _post(
            client,
            f"{API}/monitoring-points/",
            {"topic": campaign.pk, "name": "越界", "kind": "survey", "region": world.town.pk},
        )
        assert response.status_code == 404
    point.refresh_from_db()
    assert point.is_active
    assert MonitoringPoint.objects.count() == 3


def test_points_with_bad_input_are_400_and_add_none(client, world, district_staff) -> None:
    campaign = campaign_of(world.district, district_staff)
    point_of(campaign, district_staff)
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/monitoring-points/",
        {"topic": campaign.pk, "kind": "poll", "region": world.other_district.pk},
    )
    assert response.status_code == 400
    assert _fields(response) == {"name", "kind", "region"}
    response = _post(
        client,
        f"{API}/monitoring-points/",
        {"topic": campaign.pk, "name": "新浦农贸市场", "kind": "survey", "region": world.town.pk},
    )
    assert response.status_code == 400  # the same name twice in one topic
    response = _post(
        client,
        f"{API}/monitoring-points/bulk/",
        {"topic": campaign.pk, "lines": "好的一行, 调查点, 990102001000\n坏的一行, 调查点"},
    )
    assert response.status_code == 400
    assert "第2行" in response.json()["message"]
    assert MonitoringPoint.objects.count() == 1


# --- cost -----------------------------------------------------------------------------------


def _queries(client: Client, url: str, data: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, url, data)
    assert response.status_code in (200, 201), response.content
    return len(queries)


def test_a_write_costs_the_same_for_3_and_30_rows(client, world, district_staff) -> None:
    """The writes read the one object and its choices, never the plan's or topic's rows."""
    campaign = campaign_of(world.district, district_staff)
    login(client, district_staff)

    def costs(n: int) -> list[int]:
        while MonitoringPoint.objects.filter(topic=campaign).count() < n:
            point_of(campaign, district_staff, name=f"点{MonitoringPoint.objects.count()}")
        while Finding.objects.filter(topic=campaign).count() < n:
            finding_of(campaign, world.department, district_staff, title=f"问题{n}")
        return [
            _queries(
                client,
                f"{API}/monitoring-points/",
                {
                    "topic": campaign.pk,
                    "name": f"新点{n}",
                    "kind": "survey",
                    "region": world.town.pk,
                },
            ),
            _queries(
                client,
                f"{API}/findings/",
                {"topic": campaign.pk, "title": f"新问题{n}", "department": world.department.pk},
            ),
        ]

    assert costs(3) == costs(30)
