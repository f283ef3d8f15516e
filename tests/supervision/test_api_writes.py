"""Issue #17, "API: all of the above, scoped": the staff create and edit plans, topics,
findings and monitoring points, and a plan's committees, a topic's group, categories,
visits, 回头看 and questions, through /api/v1/supervision/…, through the pages' forms
and services. Stories with the real database: 海州区's staff (陈静) write in 海州区,
临江区's staff get 404 and nothing changes, a clerk gets 404, bad input is a 400 naming
the field and nothing is written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from congress.models import Assignment, CaseEvent
from supervision import monitoring as m
from supervision import services
from supervision.models.monitoring import MonitoringPoint, SurveyQuestion
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    FindingStatus,
    FollowUpReview,
    Investigation,
    SupervisionPlan,
    Topic,
    TopicMember,
    TopicStatus,
)
from tests.conftest import login
from tests.supervision.findings_support import closed_off, finding_of, plan_of, topic_of
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


# --- a plan's committees, a topic's group, categories, visits, 回头看 and questions ----------


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG")
    return out.getvalue()


def test_staff_add_a_committee_to_a_plan(client, world, district_staff) -> None:
    plan = plan_of(world.district, district_staff)
    login(client, district_staff)
    url = f"{API}/plans/{plan.pk}/committees/"
    response = _post(client, url, {"name": " 监察和司法委员会 "})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["congress"]) == ("监察和司法委员会", world.district.congress.pk)
    # The same name again is the same committee (as on the page).
    assert _post(client, url, {"name": "监察和司法委员会"}).json()["id"] == body["id"]
    assert _fields(_post(client, url, {"name": ""})) == {"name"}
    assert _fields(_post(client, url, {"name": "委" * 101})) == {"name"}
    assert list(Committee.objects.values_list("name", flat=True)) == ["监察和司法委员会"]


def test_staff_add_and_remove_a_member_of_the_group(
    client, world, district_staff, other_district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    url = f"{API}/topics/{topic.pk}/members/"
    response = _post(client, url, {"role": "leader", "name": "张主任", "position": "常委会副主任"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["role"], body["name"], body["position"]) == ("leader", "张主任", "常委会副主任")
    assert _fields(_post(client, url, {"role": "boss"})) == {"role", "name"}
    assert topic.members.count() == 1

    # Another topic's member is not this topic's: 404, and it stays.
    other = topic_of(world.other_district, other_district_staff, title="临江区议题")
    theirs = services.topic_member_add(topic=other, name="李委员", by=other_district_staff)
    response = client.delete(f"{API}/topics/{topic.pk}/members/{theirs.pk}/")
    assert response.status_code == 404
    response = client.delete(f"{API}/topics/{topic.pk}/members/{body['id']}/")
    assert response.status_code == 204, response.content
    assert not topic.members.exists()
    assert TopicMember.objects.filter(pk=theirs.pk).exists()


def test_staff_add_categories_numbered_in_order(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    url = f"{API}/topics/{topic.pk}/categories/"
    first = _post(client, url, {"title": "巡逻防控"})
    second = _post(client, url, {"title": "矛盾化解"})
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert (first.json()["number"], second.json()["number"]) == (1, 2)
    # The service's rule: one title once per topic.
    again = _post(client, url, {"title": "巡逻防控"})
    assert again.status_code == 400
    assert again.json()["message"]
    assert _fields(_post(client, url, {})) == {"title"}
    assert list(topic.categories.values_list("title", flat=True)) == ["巡逻防控", "矛盾化解"]


def test_staff_record_a_visit_with_its_photo(
    client, world, district_staff, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    topic = topic_of(world.district, district_staff)
    login(client, district_staff)
    url = f"{API}/topics/{topic.pk}/investigations/"
    response = client.post(
        url,
        {
            "held_on": "2026-03-01",
            "place": "新浦街道派出所",
            "method": "site_visit",
            "notes": "夜间巡逻记录齐全",
            "photo": SimpleUploadedFile("现场.jpg", _jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["place"], body["method"], body["photos"]) == ("新浦街道派出所", "site_visit", 1)
    photo = Investigation.objects.get(pk=body["id"]).photos.get()
    assert photo.content_type == "image/jpeg"
    # Without a photo, as JSON, too.
    response = _post(
        client, url, {"held_on": "2026-03-02", "place": "交警大队", "method": "site_visit"}
    )
    assert (response.status_code, response.json()["photos"]) == (201, 0)
    # A file that is not a photo, and missing fields: 400 naming them, nothing recorded.
    response = client.post(
        url,
        {
            "held_on": "2026-03-03",
            "place": "派出所",
            "method": "site_visit",
            "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert _fields(response) == {"photo"}
    assert _fields(_post(client, url, {"held_on": "三月"})) == {"held_on", "place", "method"}
    assert Investigation.objects.count() == 2


def test_staff_schedule_a_review_and_hold_it_reopening_a_finding(
    client, world, district_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    done = closed_off(finding_of(topic, world.department, district_staff), clerk, district_staff)
    still_open = finding_of(topic, world.department, district_staff, title="监控盲区")
    login(client, district_staff)
    response = _post(client, f"{API}/topics/{topic.pk}/reviews/", {"scheduled_on": "2027-06-30"})
    assert response.status_code == 201, response.content
    review = FollowUpReview.objects.get(pk=response.json()["id"])
    assert (str(review.scheduled_on), review.held_on) == ("2027-06-30", None)
    assert _fields(_post(client, f"{API}/topics/{topic.pk}/reviews/", {"scheduled_on": "x"})) == {
        "scheduled_on"
    }

    hold = f"{API}/topics/{topic.pk}/reviews/{review.pk}/hold/"
    # A finding not closed off is not one to reopen; no summary is a 400 too.
    response = _post(client, hold, {"summary": "反弹", "reopen": [still_open.pk]})
    assert _fields(response) == {"reopen"}
    assert _fields(_post(client, hold, {"reopen": [done.pk]})) == {"summary"}
    review.refresh_from_db()
    assert review.held_on is None

    response = _post(client, hold, {"summary": "夜间巡逻有所反弹", "reopen": [done.pk]})
    assert response.status_code == 200, response.content
    assert (response.json()["reopened"], response.json()["summary"]) == (1, "夜间巡逻有所反弹")
    done.refresh_from_db()
    assert done.status == FindingStatus.RECTIFYING
    # Held once: again is not a step now.
    assert _post(client, hold, {"summary": "再次"}).status_code == 409


def test_staff_add_a_question_to_the_questionnaire(client, world, district_staff) -> None:
    campaign = campaign_of(world.district, district_staff)
    login(client, district_staff)
    url = f"{API}/topics/{campaign.pk}/questionnaire/"
    response = _post(client, url, {"kind": "satisfaction", "text": "总体评价", "required": True})
    assert response.status_code == 201, response.content
    response = _post(
        client, url, {"kind": "choice", "text": "办一件事跑几次", "options": "一次\n两次\n三次"}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["position"], response.json()["options"]) == (2, "一次\n两次\n三次")
    # The service's rule: a single-choice question needs two options.
    response = _post(client, url, {"kind": "choice", "text": "只有一个", "options": "一次"})
    assert response.status_code == 400
    assert response.json()["message"]
    assert _fields(_post(client, url, {"kind": "poll"})) == {"kind", "text"}
    assert list(SurveyQuestion.objects.order_by("position").values_list("text", flat=True)) == [
        "总体评价",
        "办一件事跑几次",
    ]


def test_the_group_and_follow_up_writes_out_of_scope_are_404_and_unchanged(
    client, world, district_staff, other_district_staff, clerk, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    topic = campaign_of(world.district, district_staff)
    plan = topic.plan
    member = services.topic_member_add(topic=topic, name="张主任", by=district_staff)
    review = services.review_schedule(topic=topic, by=district_staff)
    writes = [
        (f"{API}/plans/{plan.pk}/committees/", {"name": "越界委员会"}),
        (f"{API}/topics/{topic.pk}/members/", {"role": "member", "name": "越界"}),
        (f"{API}/topics/{topic.pk}/categories/", {"title": "越界"}),
        (
            f"{API}/topics/{topic.pk}/investigations/",
            {"held_on": "2026-03-01", "place": "越界", "method": "site_visit"},
        ),
        (f"{API}/topics/{topic.pk}/reviews/", {}),
        (f"{API}/topics/{topic.pk}/reviews/{review.pk}/hold/", {"summary": "越界"}),
        (f"{API}/topics/{topic.pk}/questionnaire/", {"kind": "text", "text": "越界"}),
    ]
    for user in (other_district_staff, clerk):
        login(client, user)
        for url, data in writes:
            assert _post(client, url, data).status_code == 404, (user, url)
        assert client.delete(f"{API}/topics/{topic.pk}/members/{member.pk}/").status_code == 404
    client.logout()
    for url, data in writes:
        assert _post(client, url, data).status_code == 401, url
    assert client.delete(f"{API}/topics/{topic.pk}/members/{member.pk}/").status_code == 401
    assert not Committee.objects.exists()
    assert list(TopicMember.objects.values_list("name", flat=True)) == ["张主任"]
    assert not FindingCategory.objects.exists()
    assert not Investigation.objects.exists()
    assert list(FollowUpReview.objects.values_list("pk", "held_on")) == [(review.pk, None)]
    assert not SurveyQuestion.objects.exists()


def test_the_group_and_follow_up_writes_cost_the_same_for_3_and_30_rows(
    client, world, district_staff
) -> None:
    """Adding a member, a category, a 回头看 or a question reads the topic and its
    numbering, never the rows already there."""
    topic = campaign_of(world.district, district_staff)
    login(client, district_staff)

    def costs(n: int) -> list[int]:
        while topic.members.count() < n:
            services.topic_member_add(
                topic=topic, name=f"成员{topic.members.count()}", by=district_staff
            )
        while topic.categories.count() < n:
            services.category_create(
                topic=topic, title=f"类别{topic.categories.count()}", by=district_staff
            )
        while SurveyQuestion.objects.filter(questionnaire__topic=topic).count() < n:
            count = SurveyQuestion.objects.filter(questionnaire__topic=topic).count()
            m.question_add(topic=topic, kind="text", text=f"题目{count}", by=district_staff)
        return [
            _queries(
                client, f"{API}/topics/{topic.pk}/members/", {"role": "member", "name": f"新{n}"}
            ),
            _queries(client, f"{API}/topics/{topic.pk}/categories/", {"title": f"新类别{n}"}),
            _queries(
                client,
                f"{API}/topics/{topic.pk}/questionnaire/",
                {"kind": "text", "text": f"新{n}"},
            ),
            _queries(client, f"{API}/plans/{topic.plan_id}/committees/", {"name": f"委员会{n}"}),
        ]

    assert costs(3) == costs(30)
