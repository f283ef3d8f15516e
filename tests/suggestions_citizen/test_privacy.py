"""The citizen's phone number and name (PIPL): masked on every page and API answer,
revealed only to the handler on request (audited), never in logs or default exports,
scrubbed after the retention period."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congress import loop
from congress.models import AuditAction, AuditEvent, User
from congress.retention import personal_data_anonymise_expired
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueRating
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit

PHONE = "13812345678"


@pytest.fixture
def issue(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> CitizenIssue:
    issue = submit(station=station, category=categories["roads"], mobile=PHONE, wants_sms=True)
    services.citizen_issue_accept(issue=issue, by=district_staff)
    assignment = services.citizen_issue_forward(
        issue=issue, department=world.department, by=representative.user
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    issue.refresh_from_db()
    return issue


@pytest.mark.parametrize(
    "persona", ["district_staff", "city_staff", "clerk", "representative_user", "administrator"]
)
def test_no_page_or_api_answer_shows_the_number_unmasked(
    client: Client, issue: CitizenIssue, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in [
        "/issues/",
        f"/issues/{issue.pk}/",
        f"/issues/{issue.pk}/print/",
        "/api/v1/citizen-issues/",
        f"/api/v1/citizen-issues/{issue.pk}/",
        "/",
    ]:
        body = client.get(url).content.decode()
        assert PHONE not in body, url
        assert "张建国" not in body, url
    assert "138****5678" in client.get(f"/issues/{issue.pk}/").content.decode()


def test_the_citizens_own_pages_mask_it_too(client: Client, issue: CitizenIssue) -> None:
    for url in [issue.get_tracking_url(), f"/api/v1/citizen/track/{issue.tracking_token}/"]:
        body = client.get(url).content.decode()
        assert PHONE not in body and "138****5678" in body


@pytest.mark.parametrize("persona", ["district_staff", "representative_user"])
def test_the_handler_may_reveal_it_and_it_is_audited(
    client: Client, issue: CitizenIssue, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)
    response = client.post(f"/issues/{issue.pk}/reveal/")
    assert PHONE in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert event.actor == user and event.object_id == str(issue.pk)
    assert PHONE not in str(event.detail)


def test_a_department_clerk_may_not_reveal_it(
    client: Client, issue: CitizenIssue, clerk: User
) -> None:
    login(client, clerk)
    assert 'data-testid="reveal"' not in client.get(f"/issues/{issue.pk}/").content.decode()
    assert client.post(f"/issues/{issue.pk}/reveal/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_number_is_never_logged(
    client: Client,
    world: World,
    station: Station,
    representative: Representative,
    district_staff: User,
    clerk: User,
    categories: dict[str, IssueCategory],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: object,
) -> None:
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            "/q/new/",
            {
                "idempotency_key": "6a1b2c3d-0000-4000-8000-000000000001",
                "station": station.public_token,
                "category": categories["roads"].pk,
                "description": "路灯不亮，联系我13812345678",
                "mobile": PHONE,
                "wants_sms": "on",
                "consent": "on",
            },
        )
        issue = CitizenIssue.objects.get()
        client.get(response["Location"])
        client.get("/q/t/not-a-token/")  # a 404 is logged with its path
        services.citizen_issue_accept(issue=issue, by=district_staff)
        services.citizen_issue_answer(issue=issue, by=representative.user, answer="已修复")
        services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)
    assert caplog.records, "something was logged (the SMS at least)"
    assert PHONE not in caplog.text
    assert all(PHONE not in str(record.args) for record in caplog.records)


def test_personal_data_is_scrubbed_after_the_retention_period(
    issue: CitizenIssue, representative: Representative, clerk: User
) -> None:
    services.citizen_issue_department_reply(
        issue=issue,
        assignment=loop.Assignment.objects.filter(department__isnull=False).get(),
        by=clerk,
        reply="已修复",
    )
    services.citizen_issue_report_back(issue=issue, by=representative.user, answer="已修复")
    services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)
    later = timezone.now() + datetime.timedelta(days=3 * 365 + 1)
    result = personal_data_anonymise_expired(now=later)
    assert result.counts["citizen issues"] == 1
    issue.refresh_from_db()
    assert (issue.citizen_name, issue.mobile, issue.mobile_hash) == ("", "", "")
    assert issue.description and issue.rating == IssueRating.SATISFIED
    assert personal_data_anonymise_expired(now=later).counts["citizen issues"] == 0


def test_the_station_board_shows_no_names_or_numbers(
    client: Client,
    issue: CitizenIssue,
    station: Station,
    representative: Representative,
    clerk: User,
) -> None:
    services.citizen_issue_department_reply(
        issue=issue,
        assignment=loop.Assignment.objects.filter(department__isnull=False).get(),
        by=clerk,
        reply="已修复",
    )
    services.citizen_issue_report_back(issue=issue, by=representative.user, answer="已修复")
    body = client.get(reverse("public_station", args=[station.public_token])).content.decode()
    assert issue.title in body or "幸福路" in body
    assert PHONE not in body and "张建国" not in body and issue.tracking_code not in body
