"""Who sees a problem: staff of its region and above, the representative it was sent
to or given to, the department it was handed to. Anyone else gets a 404 (never a
403 that would confirm it exists), in the pages, the API and the files."""

from __future__ import annotations

import pytest
from django.test import Client

from congress import loop
from congress.files import attach_to_event
from congress.models import User
from congress.uploads import CleanUpload
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import photo, submit


@pytest.fixture
def forwarded(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> CitizenIssue:
    issue = submit(station=station, category=categories["roads"], photos=[])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    assignment = services.citizen_issue_forward(
        issue=issue, department=world.department, by=district_staff
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    event = loop.assignment_report_progress(assignment=assignment, by=clerk, note="已现场查看")
    attach_to_event(
        event=event,
        upload=CleanUpload(
            content=b"%PDF-1.4 test",
            extension=".pdf",
            content_type="application/pdf",
            original_name="现场照片.pdf",
        ),
    )
    issue.refresh_from_db()
    return issue


def _urls(issue: CitizenIssue) -> list[str]:
    return [
        f"/issues/{issue.pk}/",
        f"/issues/{issue.pk}/print/",
        f"/api/v1/citizen-issues/{issue.pk}/",
    ]


@pytest.mark.parametrize(
    "persona", ["district_staff", "city_staff", "clerk", "representative_user"]
)
def test_those_who_work_on_it_see_it(
    client: Client, forwarded: CitizenIssue, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)
    for url in _urls(forwarded):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["other_district_staff", "other_clerk", "committee_member"])
def test_anyone_else_gets_a_404_in_ui_and_api(
    client: Client, forwarded: CitizenIssue, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in _urls(forwarded):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/issues/{forwarded.pk}/do/accept/").status_code == 404
    assert client.post(f"/issues/{forwarded.pk}/reveal/").status_code == 404
    assert (
        client.post(
            f"/api/v1/citizen-issues/{forwarded.pk}/actions/dept_reply/", {"reply": "x"}
        ).status_code
        == 404
    )
    listed = client.get("/issues/").content.decode()
    assert forwarded.tracking_code not in listed
    api = client.get("/api/v1/citizen-issues/").json()
    assert api["results"] == []  # keyset pages carry no total (congress/keyset.py)


def test_another_representative_gets_a_404(
    client: Client, forwarded: CitizenIssue, other_representative: Representative
) -> None:
    login(client, other_representative.user)
    assert client.get(f"/issues/{forwarded.pk}/").status_code == 404


def test_files_follow_the_case_scope(
    client: Client,
    world: World,
    forwarded: CitizenIssue,
    clerk: User,
    other_clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    from congress.models import EventAttachment

    attachment = EventAttachment.objects.get()
    login(client, clerk)
    assert client.get(f"/files/{attachment.token}/").status_code == 200
    login(client, other_clerk)
    assert client.get(f"/files/{attachment.token}/").status_code == 404


def test_photos_are_served_only_through_scope_or_the_citizens_own_link(
    client: Client,
    district_staff: User,
    other_district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    from congress.uploads import clean_image

    issue = submit(station=station, category=categories["roads"], photos=[clean_image(photo())])
    token = issue.photos.get().token
    assert client.get(f"/q/t/{issue.tracking_token}/photos/{token}/").status_code == 200
    assert client.get(f"/q/t/wrong-token/photos/{token}/").status_code == 404
    login(client, district_staff)
    assert client.get(f"/issues/{issue.pk}/photos/{token}/").status_code == 200
    login(client, other_district_staff)
    assert client.get(f"/issues/{issue.pk}/photos/{token}/").status_code == 404
    # Nothing of the upload is reachable under MEDIA_URL.
    assert client.get(f"/media-not-public/{issue.photos.get().file.name}").status_code == 404


def test_representatives_and_clerks_never_see_held_submissions(
    client: Client,
    representative: Representative,
    district_staff: User,
    world: World,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(
        region=world.grid,
        representative=representative,
        category=categories["other"],
        description="博彩网站注册送彩金",
    )
    assert issue.status == "pending_review"
    login(client, representative.user)
    assert client.get(f"/issues/{issue.pk}/").status_code == 404
    login(client, district_staff)
    assert client.get(f"/issues/{issue.pk}/").status_code == 200


def test_a_citizen_sees_only_their_own_problem(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    mine = submit(station=station, category=categories["roads"])
    theirs = submit(station=station, category=categories["roads"], description="别人的问题")
    page = client.get(mine.get_tracking_url()).content.decode()
    assert "别人的问题" not in page
    assert client.get(f"/issues/{theirs.pk}/").status_code == 302  # to the login page
    assert client.get(f"/api/v1/citizen-issues/{theirs.pk}/").status_code in (401, 403)
