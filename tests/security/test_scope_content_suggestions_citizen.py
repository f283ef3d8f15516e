"""What the citizen channel's lists hold, and what a refused request leaves behind.

The access matrix (access_rules_suggestions_citizen.py) checks status codes; a
list answers 200 to everyone signed in, so these stories check its rows: the
problem in 临江区 is not in 海州区 staff's list, export, saved filter, API list
or choice lists, and the other way round; the clerk and the representative see
only their own. They also check that a refused action (answered with a
redirect back to the page) changed nothing, and that photos have no public URL.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from openpyxl import load_workbook

import tests.security.access_rules  # noqa: F401 - the rules table first, then its app modules
from congress.models import Assignment, AssignmentStatus, CaseEvent
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    BannedPhone,
    CitizenIssue,
    IssueStatus,
    SavedIssueFilter,
)
from tests.security.access_rules_representatives import rep_in, rep_out
from tests.security.access_rules_suggestions_citizen import (
    Side,
    appointment_in,
    appointment_out,
    department_appointment_in,
    department_appointment_out,
    issue_in,
    issue_out,
    photo_of,
    submitted,
    with_representative,
)
from tests.security.conftest import Cast

# Whose list holds which problem: (海州区's, 临江区's).
SEES = {
    "district_staff": (True, False),
    "other_district_staff": (False, True),
    "city_staff": (True, True),
    "administrator": (True, True),
    "representative": (True, False),
    "other_representative": (False, True),
    "clerk": (True, False),
    "other_clerk": (False, True),
    "committee_member": (False, False),
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def both(cast: Cast) -> tuple[CitizenIssue, CitizenIssue]:
    return issue_in(cast), issue_out(cast)


def _codes_in(text: str, issues: tuple[CitizenIssue, CitizenIssue]) -> tuple[bool, bool]:
    return tuple(issue.tracking_code in text for issue in issues)  # type: ignore[return-value]


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_list_holds_only_its_scope(
    cast: Cast, both: tuple[CitizenIssue, CitizenIssue], persona: str
) -> None:
    client = cast.client(persona)
    page = client.get("/issues/").content.decode()
    assert _codes_in(page, both) == SEES[persona]
    rows = client.get("/api/v1/citizen-issues/").json()["results"]
    codes = {row["tracking_code"] for row in rows}
    assert (both[0].tracking_code in codes, both[1].tracking_code in codes) == SEES[persona]


@pytest.mark.parametrize("persona", ["district_staff", "other_district_staff", "clerk"])
def test_the_export_holds_only_the_scope(
    cast: Cast, both: tuple[CitizenIssue, CitizenIssue], persona: str
) -> None:
    response = cast.client(persona).get("/issues/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (both[0].tracking_code in codes, both[1].tracking_code in codes) == SEES[persona]
    assert len(codes) == sum(SEES[persona])


def test_a_filter_naming_the_other_district_finds_nothing_of_it(
    cast: Cast, both: tuple[CitizenIssue, CitizenIssue]
) -> None:
    """Saved or typed, a filter is applied inside the scope: naming 临江区's problem,
    region, department or representative brings none of it into 海州区 staff's list."""
    mine, theirs = both
    world = cast.world
    client = cast.client("district_staff")
    queries = [
        f"q={theirs.tracking_code}",
        f"region={world.other_district.pk}",
        f"department={world.other_department.pk}",
        f"representative={rep_out(cast).pk}",
        "representative_name=吴明",
        "place=临江",
    ]
    for number, query in enumerate(queries):
        client.post("/issues/filters/", {"name": f"筛选{number}", "query": query})
        saved = SavedIssueFilter.objects.get(owner=cast.district_staff, name=f"筛选{number}")
        page = client.get(f"/issues/?{saved.query}").content.decode()
        assert f'href="/issues/{theirs.pk}/"' not in page, query  # the query is echoed, not a row
        api = client.get(f"/api/v1/citizen-issues/?{saved.query}")
        assert api.status_code in (200, 400), query  # a choice outside the scope is refused
        if api.status_code == 200:
            assert theirs.pk not in {row["id"] for row in api.json()["results"]}, query
        export = client.get(f"/issues/export/?{saved.query}")
        sheet = load_workbook(io.BytesIO(export.content), read_only=True).worksheets[0]
        assert theirs.tracking_code not in {r[0] for r in sheet.iter_rows(values_only=True)}
    # The same filter by their own problem's code does find it.
    found = client.get(f"/issues/?q={mine.tracking_code}").content.decode()
    assert f'href="/issues/{mine.pk}/"' in found


def test_saved_filters_are_their_owners_own(cast: Cast) -> None:
    SavedIssueFilter.objects.create(
        owner=cast.other_district_staff, name="临江积水", query="q=积水"
    )
    page = cast.client("district_staff").get("/issues/").content.decode()
    assert "临江积水" not in page
    assert "临江积水" in cast.client("other_district_staff").get("/issues/").content.decode()


def test_the_choice_lists_name_nothing_outside_the_scope(
    cast: Cast, both: tuple[CitizenIssue, CitizenIssue]
) -> None:
    """The filter's regions, departments and stations and the bulk-assign list of
    representatives come from the user's scope: 临江区 and 吴明 are not on the page."""
    page = cast.client("district_staff").get("/issues/").content.decode()
    assert "刘红" in page  # the bulk-assign list is there, with 海州区's representative
    for name in ("临江区", "吴明", cast.world.other_department.name):
        assert name not in page, name


def test_refused_actions_change_nothing(cast: Cast) -> None:
    """Staff and the representative see the problem handed to the transport bureau,
    but signing for it (签收) is the bureau's: their POST is sent back unchanged."""
    issue = issue_in(cast)
    assignment = Assignment.objects.get(
        case_type=ISSUE_CASE, case_id=issue.pk, department=cast.world.department
    )
    events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count()
    for persona in ("district_staff", "representative", "city_staff"):
        response = cast.client(persona).post(f"/issues/{issue.pk}/do/dept_accept/", {})
        assert response.status_code == 302, persona
    cast.client("representative").post(
        f"/issues/{issue.pk}/do/ban_phone/", {"reason": "骚扰", "days": "30"}
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == events
    assert not BannedPhone.objects.exists()
    cast.client("clerk").post(f"/issues/{issue.pk}/do/dept_accept/", {})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_another_districts_staff_cannot_bulk_assign_a_problem_here(cast: Cast) -> None:
    issue = submitted(Side(cast, True))
    events = CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count()
    client = cast.client("other_district_staff")
    for representative in (rep_out(cast), rep_in(cast)):
        response = client.post(
            "/issues/bulk-assign/", {"issues": [issue.pk], "representative": representative.pk}
        )
        assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SUBMITTED and issue.handler_id is None
    assert CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == events


def test_the_clerk_sees_a_problem_once_it_is_handed_to_their_department(cast: Cast) -> None:
    issue = with_representative(Side(cast, True))
    clerk = cast.client("clerk")
    assert clerk.get(f"/issues/{issue.pk}/").status_code == 404
    assert issue.tracking_code not in clerk.get("/issues/").content.decode()
    cast.client("district_staff").post(
        f"/issues/{issue.pk}/do/forward/", {"department": cast.world.department.pk}
    )
    assert clerk.get(f"/issues/{issue.pk}/").status_code == 200
    assert issue.tracking_code in clerk.get("/issues/").content.decode()
    assert cast.client("other_clerk").get(f"/issues/{issue.pk}/").status_code == 404


def test_photos_have_no_public_url(cast: Cast, client: Client) -> None:
    """The file is on disk under MEDIA_ROOT, but no URL serves that directory: only
    the scoped staff route and the citizen's own tracking link stream it."""
    issue = issue_in(cast)
    photo = photo_of(issue)
    assert Path(photo.file.path).is_file()
    for prefix in (django_settings.MEDIA_URL, "/media/", "/"):
        assert client.get(f"{prefix}{photo.file.name}").status_code == 404, prefix
    own = client.get(f"/q/t/{issue.tracking_token}/photos/{photo.token}/")
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    staff = cast.client("district_staff").get(f"/issues/{issue.pk}/photos/{photo.token}/")
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content) == photo.file.open("rb").read()  # type: ignore[attr-defined]
    # The tracking page links the photo through the link, never through MEDIA_URL.
    page = client.get(f"/q/t/{issue.tracking_token}/").content.decode()
    assert f"/q/t/{issue.tracking_token}/photos/{photo.token}/" in page
    assert django_settings.MEDIA_URL not in page and photo.file.name not in page


def test_a_tracking_link_shows_its_own_problem_only(
    cast: Cast, client: Client, both: tuple[CitizenIssue, CitizenIssue]
) -> None:
    mine, theirs = both
    page = client.get(f"/q/t/{mine.tracking_token}/").content.decode()
    assert mine.tracking_code in page and theirs.tracking_code not in page
    body = client.get(f"/api/v1/citizen/track/{mine.tracking_token}/").json()
    assert body["tracking_code"] == mine.tracking_code
    assert "13812345678" not in page and "张建国" not in page  # masked


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("district_staff", {"in", "dept_in"}),
        ("other_district_staff", {"out", "dept_out"}),
        ("representative", {"in", "dept_in"}),
        ("clerk", {"dept_in"}),
        ("other_clerk", {"dept_out"}),
        ("committee_member", set()),
    ],
)
def test_appointment_lists_hold_only_the_scope(
    cast: Cast, persona: str, expected: set[str]
) -> None:
    appointments = {
        "in": appointment_in(cast),
        "out": appointment_out(cast),
        "dept_in": department_appointment_in(cast),
        "dept_out": department_appointment_out(cast),
    }
    client = cast.client(persona)
    page = client.get("/appointments/").content.decode()
    listed = {name for name, a in appointments.items() if f"/appointments/{a.pk}/" in page}
    assert listed == expected
    ids = {row["id"] for row in client.get("/api/v1/appointments/").json()["results"]}
    assert ids == {appointments[name].pk for name in expected}
