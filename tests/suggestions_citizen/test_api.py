"""The API: public submission and tracking without an account, and the scoped
endpoints of staff, representatives and departments, all in the OpenAPI schema."""

from __future__ import annotations

import uuid

from django.test import Client

from congress import loop
from congress.models import User
from representatives.models import Representative, Station
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueStatus
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import photo


def test_a_phone_app_submits_with_photos_and_a_retry_returns_the_same_case(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    key = str(uuid.uuid4())
    payload = {
        "idempotency_key": key,
        "station": station.public_token,
        "category": categories["roads"].pk,
        "description": "公交站台顶棚漏雨",
        "mobile": "13812345678",
        "consent": "true",
    }
    first = client.post("/api/v1/citizen/issues/", {**payload, "photos": [photo()]})
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/citizen/issues/", payload)
    assert again.status_code == 200
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert CitizenIssue.objects.get().photos.count() == 1
    token = first.json()["tracking_url"].rstrip("/").rsplit("/", 1)[1]
    tracked = client.get(f"/api/v1/citizen/track/{token}/").json()
    assert tracked["status"] == "submitted" and tracked["masked_mobile"] == "138****5678"
    assert tracked["timeline"][0]["text"].startswith("您反映的问题已提交")


def test_bad_input_is_a_400_with_code_and_message(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    response = client.post(
        "/api/v1/citizen/issues/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "station": station.public_token,
            "category": categories["roads"].pk,
            "description": "x",
            "mobile": "12345",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "mobile" in body["errors"] and "consent" in body["errors"]
    assert not CitizenIssue.objects.exists()


def test_json_works_for_a_submission_without_photos(
    client: Client, world: World, categories: dict[str, IssueCategory]
) -> None:
    response = client.post(
        "/api/v1/citizen/issues/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "region": world.town.pk,
            "category": categories["health"].pk,
            "description": "社区卫生服务站周末不开门",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_staff_act_through_the_api_and_a_citizen_rates_through_it(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    representative: Representative,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    created = client.post(
        "/api/v1/citizen/issues/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "station": station.public_token,
            "category": categories["roads"].pk,
            "description": "人行道地砖松动",
            "consent": "true",
        },
    ).json()
    issue = CitizenIssue.objects.get()
    login(client, district_staff)
    accepted = client.post(f"/api/v1/citizen-issues/{issue.pk}/actions/accept/", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == IssueStatus.WITH_REPRESENTATIVE
    wrong = client.post(f"/api/v1/citizen-issues/{issue.pk}/actions/accept/", {})
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    unknown = client.post(f"/api/v1/citizen-issues/{issue.pk}/actions/explode/", {})
    assert unknown.status_code == 400 and "forward" in unknown.json()["message"]
    client.post(
        f"/api/v1/citizen-issues/{issue.pk}/actions/forward/", {"department": world.department.pk}
    )
    login(client, clerk)
    assert "dept_accept" in client.get(f"/api/v1/citizen-issues/{issue.pk}/").json()["actions"]
    client.post(f"/api/v1/citizen-issues/{issue.pk}/actions/dept_accept/", {})
    replied = client.post(
        f"/api/v1/citizen-issues/{issue.pk}/actions/dept_reply/",
        {"reply": "已更换地砖", "attachments": [photo("reply.jpg")]},
    )
    assert replied.status_code == 200, replied.content
    login(client, representative.user)
    client.post(f"/api/v1/citizen-issues/{issue.pk}/actions/report_back/", {"answer": "已修好"})
    client.logout()
    token = created["tracking_url"].rstrip("/").rsplit("/", 1)[1]
    rated = client.post(
        f"/api/v1/citizen/track/{token}/rate/",
        {"rating": "satisfied"},
        content_type="application/json",
    )
    assert rated.status_code == 200 and rated.json()["status"] == IssueStatus.CLOSED
    assert not loop.Assignment.objects.filter(status__in=loop.OPEN_STATUSES).exists()


def test_the_endpoints_are_in_the_openapi_schema(db: None) -> None:
    # Generated from this channel's routes alone, so that another app's schema
    # problem cannot hide a problem (or the absence of one) here.
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    patterns = [path("api/v1/", include("suggestions.citizen.api_urls"))]
    paths = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)["paths"]
    for expected in [
        "/api/v1/citizen/issues/",
        "/api/v1/citizen/track/{token}/",
        "/api/v1/citizen/track/{token}/rate/",
        "/api/v1/citizen/categories/",
        "/api/v1/citizen-issues/",
        "/api/v1/citizen-issues/{id}/",
        "/api/v1/citizen-issues/{id}/actions/{action_name}/",
        "/api/v1/appointments/",
    ]:
        assert expected in paths, expected


def test_json_with_a_station_token_finds_the_station(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    response = client.post(
        "/api/v1/citizen/issues/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "station": station.public_token,
            "category": categories["roads"].pk,
            "description": "桥面伸缩缝破损",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert CitizenIssue.objects.get().station == station
