"""District staff (陈静) work the list: filters, saved filters, bulk assignment,
Excel export, the case page with its actions, the printable sheet."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from openpyxl import load_workbook

from congress.models import AuditAction, AuditEvent, User
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueStatus, SavedIssueFilter
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit


def _many(station: Station, categories: dict[str, IssueCategory], count: int) -> list[CitizenIssue]:
    return [
        submit(station=station, category=categories["roads"], mobile=f"139{n:08d}")
        for n in range(count)
    ]


@pytest.mark.parametrize("url", ["/issues/", "/api/v1/citizen-issues/"])
def test_the_list_costs_the_same_queries_for_3_or_30_problems(
    client: Client,
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
    django_assert_max_num_queries: object,
    url: str,
) -> None:
    login(client, district_staff)
    _many(station, categories, 3)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(22) as small:  # type: ignore[operator]
        assert client.get(url).status_code == 200
    _many(station, categories, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_filters_narrow_the_list(
    client: Client,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    roads = submit(station=station, category=categories["roads"])
    water = submit(station=station, category=categories["utilities"], mobile="13900000001")
    services.citizen_issue_accept(issue=water, by=district_staff)
    login(client, district_staff)
    by_status = client.get("/issues/", {"status": "submitted"}).content.decode()
    assert roads.tracking_code in by_status and water.tracking_code not in by_status
    by_rep = client.get("/issues/", {"representative": representative.pk}).content.decode()
    assert water.tracking_code in by_rep and roads.tracking_code not in by_rep
    by_category = client.get("/api/v1/citizen-issues/", {"category": categories["roads"].pk}).json()
    assert [row["tracking_code"] for row in by_category["results"]] == [roads.tracking_code]
    by_code = client.get("/issues/", {"q": water.tracking_code.lower()}).content.decode()
    assert water.tracking_code in by_code and roads.tracking_code not in by_code
    overdue = client.get("/issues/", {"overdue": "true"}).content.decode()
    assert roads.tracking_code not in overdue


def test_saved_filters_belong_to_their_owner(
    client: Client, district_staff: User, town_staff: User, db: None
) -> None:
    login(client, district_staff)
    client.post("/issues/filters/", {"name": "超期道路", "query": "overdue=true&category=1"})
    saved = SavedIssueFilter.objects.get()
    assert saved.owner == district_staff
    assert "超期道路" in client.get("/issues/").content.decode()
    login(client, town_staff)
    assert "超期道路" not in client.get("/issues/").content.decode()
    assert client.post(f"/issues/filters/{saved.pk}/delete/").status_code == 404


def test_bulk_assign_gives_many_problems_to_one_representative(
    client: Client,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issues = _many(station, categories, 3)
    services.citizen_issue_decline(
        issue=issues[2], by=district_staff, reason="重复", channel="other"
    )
    login(client, district_staff)
    response = client.post(
        "/issues/bulk-assign/",
        {"issues": [i.pk for i in issues], "representative": representative.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "已分派 2 件" in body and issues[2].tracking_code in body
    statuses = {i.pk: i.status for i in CitizenIssue.objects.all()}
    assert statuses[issues[0].pk] == IssueStatus.WITH_REPRESENTATIVE
    assert statuses[issues[2].pk] == IssueStatus.DECLINED


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_default_export_has_no_personal_data_and_is_audited(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    submit(station=station, category=categories["roads"], citizen_name="张建国")
    login(client, district_staff)
    response = client.get("/issues/export/", {"status": "submitted"})
    assert response.status_code == 200
    rows = _rows(response.content)
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert len(rows) == 2
    assert "13812345678" not in flat and "张建国" not in flat and "5678" not in flat
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["personal_data"] is False and event.detail["rows"] == 1
    # Asking for personal data without the permission is refused.
    refused = client.get("/issues/export/", {"personal": "1"}, follow=True)
    assert "没有导出群众个人信息的权限" in refused.content.decode()


def test_with_the_permission_personal_data_can_be_exported_and_is_audited(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    submit(station=station, category=categories["roads"], citizen_name="张建国")
    district_staff.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    login(client, district_staff)
    rows = _rows(client.get("/issues/export/", {"personal": "1"}).content)
    assert rows[1][-2:] == ("张建国", "13812345678")
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["personal_data"] is True


def test_staff_accept_and_forward_through_the_case_page(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    login(client, district_staff)
    page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert 'data-testid="form-accept"' in page
    client.post(f"/issues/{issue.pk}/do/accept/", {"version": issue.version, "representative": ""})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE
    stale = client.post(f"/issues/{issue.pk}/do/decline/", {"reason": "x", "channel": "other"})
    assert stale.status_code == 302  # not offered any more: refused, page refreshed
    response = client.post(
        f"/issues/{issue.pk}/do/forward/",
        {"version": issue.version, "department": world.department.pk, "note": "请处理"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FORWARDED
    login(client, clerk)
    page = client.get(f"/issues/{issue.pk}/").content.decode()
    assert 'data-testid="form-dept_accept"' in page and 'data-testid="form-forward"' not in page


def test_a_form_error_shows_the_message_on_the_page(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    issue = submit(station=station, category=categories["roads"])
    login(client, district_staff)
    response = client.post(f"/issues/{issue.pk}/do/decline/", {"reason": "", "channel": "other"})
    assert response.status_code == 400
    assert "请填写“理由”。" in response.content.decode()


def test_the_printable_sheet_has_the_case_and_its_timeline(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    issue = submit(station=station, category=categories["roads"])
    login(client, district_staff)
    body = client.get(f"/issues/{issue.pk}/print/").content.decode()
    assert "群众反映问题办理单" in body and issue.tracking_code in body
    assert "138****5678" in body and "13812345678" not in body
    assert 'data-testid="timeline"' in body


def test_the_home_card_counts_the_work(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    submit(station=station, category=categories["roads"])
    login(client, district_staff)
    body = client.get("/").content.decode()
    assert 'data-testid="card-citizen-issues"' in body
