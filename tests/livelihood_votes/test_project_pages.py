"""The projects' pages and API: what each persona sees, the clerk's report form with a
photo, the public pages (no personal data), and reads that do not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    ProgressReport,
    Project,
    ProjectPhoto,
    ReportStatus,
)
from livelihood_votes.projects import services
from tests.conftest import login
from tests.livelihood_votes.test_project_fixtures import (
    photo,
    photo_bytes,
    project_of,
    started,
)
from tests.representatives.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _many(world, staff, clerk, n: int) -> list[Project]:
    projects = []
    for i in range(n):
        project = started(project_of(world.district, world.department, title=f"项目{i}"), staff)
        services.report_file(
            project=project,
            percent_complete=10 + i,
            spent=Decimal(i),
            text=f"进展{i}",
            photos=[photo()],
            by=clerk,
        )
        projects.append(project)
    return projects


def test_the_cycle_list_costs_the_same_for_3_and_12_projects(
    client, world, district_staff, clerk
) -> None:
    projects = _many(world, district_staff, clerk, 3)
    login(client, district_staff)
    cycle_url = reverse("livelihood_cycle_projects", args=[projects[0].cycle_id])
    public_url = reverse("livelihood_public_cycle", args=[projects[0].cycle_id])
    list_url = reverse("livelihood_project_list")
    few = [_queries(client, cycle_url), _queries(Client(), public_url), _queries(client, list_url)]
    _many(world, district_staff, clerk, 9)
    many = [_queries(client, cycle_url), _queries(Client(), public_url), _queries(client, list_url)]
    assert few == many


def test_a_project_page_costs_the_same_with_more_reports_and_inspections(
    client, world, district_staff, clerk
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    services.report_file(
        project=project,
        percent_complete=5,
        spent=Decimal(1),
        text="开工",
        photos=[photo()],
        by=clerk,
    )
    services.inspection_record(
        project=project, held_on=timezone.localdate(), notes="首次视察", by=district_staff
    )
    Comment.objects.create(project=project, text="留言", status=CommentStatus.PUBLISHED)
    login(client, district_staff)
    url = reverse("livelihood_project_detail", args=[project.pk])
    public = reverse("livelihood_public_project", args=[project.pk])
    few = (_queries(client, url), _queries(Client(), public))
    for n in range(3):
        month = datetime.date(2020 + n, 1, 1)
        report = ProgressReport.objects.create(
            project=project, month=month, due_on=month, status=ReportStatus.FILED, text="旧"
        )
        ProjectPhoto.objects.create(
            report=report,
            token=f"tok{n}",
            file="x.jpg",
            extension=".jpg",
            content_type="image/jpeg",
        )
        services.inspection_record(
            project=project, held_on=timezone.localdate(), notes="视察", by=district_staff
        )
        Comment.objects.create(project=project, text=f"留言{n}", status=CommentStatus.PUBLISHED)
    assert (_queries(client, url), _queries(Client(), public)) == few


def test_the_clerk_files_the_report_with_a_photo_and_the_public_page_shows_it(
    client, world, district_staff, clerk
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    login(client, clerk)
    home = client.get(reverse("home"))
    assert "本月进度报告" in home.content.decode()
    url = reverse("livelihood_project_act", args=[project.pk, "report_file"])
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("site.jpg", photo_bytes(), content_type="image/jpeg")
    response = client.post(
        url,
        {
            "percent_complete": "35",
            "spent": "120.5",
            "text": "完成电梯井道土建",
            "problems": "",
            "photos": [upload],
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.percent_complete, project.spent) == (35, Decimal("120.50"))
    token = ProjectPhoto.objects.get(report__project=project).token
    page = Client().get(reverse("livelihood_public_project", args=[project.pk])).content.decode()
    assert "完成电梯井道土建" in page
    assert reverse("livelihood_public_photo", args=[token]) in page
    photo_response = Client().get(reverse("livelihood_public_photo", args=[token]))
    assert photo_response.status_code == 200
    assert photo_response["Content-Type"] == "image/jpeg"


def test_a_bad_report_keeps_what_was_typed(client, world, district_staff, clerk) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    services.report_file(project=project, percent_complete=50, spent=Decimal(9), text="x", by=clerk)
    services.report_request(
        project=project,
        month=(timezone.localdate().replace(day=28) + datetime.timedelta(days=4)).replace(day=1),
    )
    login(client, clerk)
    url = reverse("livelihood_project_act", args=[project.pk, "report_file"])
    response = client.post(url, {"percent_complete": "40", "spent": "10", "text": "返工中"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "完成进度低于上次报告的 50%，请说明进度回调的原因。" in body
    assert "返工中" in body
    assert 'value="40"' in body


def test_the_public_pages_and_api_carry_no_personal_data(
    client, world, district_staff, clerk, representative_user, committee_member
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    services.project_plan(
        project=project,
        department=world.department,
        deadline=project.deadline,
        starts_on=project.starts_on,
        group_leader=committee_member,
        group_committee="城建环资委",
        group_members=[liu],
        by=district_staff,
    )
    services.report_file(
        project=project, percent_complete=20, spent=Decimal(5), text="开工建设", by=clerk
    )
    comment = services.comment_submit(project=project, text="希望加快进度", phone="13912345678")
    services.comment_moderate(comment=comment, publish=True, by=district_staff)
    pages = [
        Client().get(reverse("livelihood_public_project", args=[project.pk])),
        Client().get(reverse("livelihood_public_cycle", args=[project.cycle_id])),
        Client().get(f"/api/v1/livelihood-projects/public/projects/{project.pk}/"),
        Client().get(f"/api/v1/livelihood-projects/public/projects/?cycle={project.cycle_id}"),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for personal in ("13912345678", "刘红", str(clerk), str(committee_member), "城建环资委"):
            assert personal not in body, personal
    detail = pages[2].json()
    assert detail["latest_report"]["text"] == "开工建设"
    assert detail["comments"][0]["text"] == "希望加快进度"
    assert set(detail["comments"][0]) == {"text", "created_at"}


def test_a_pending_comment_is_not_public(world, district_staff) -> None:
    project = project_of(world.district, world.department)
    Client().post(
        reverse("livelihood_public_project", args=[project.pk]), {"text": "还没审核的留言"}
    )
    assert Comment.objects.get().status == CommentStatus.PENDING
    page = Client().get(reverse("livelihood_public_project", args=[project.pk]))
    assert "还没审核的留言" not in page.content.decode()


def test_the_qr_code_carries_the_public_sites_address(settings, world) -> None:
    settings.SITE_URL = "https://rd.example.cn"
    project = project_of(world.district, world.department)
    response = Client().get(reverse("livelihood_public_project_qr", args=[project.pk, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


def test_the_representative_of_the_group_sees_the_project(
    client, world, district_staff, representative_user
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    url = reverse("livelihood_project_detail", args=[project.pk])
    login(client, representative_user)
    assert client.get(url).status_code == 404
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    project.group_members.add(liu)
    response = client.get(url)
    assert response.status_code == 200
    assert "step-inspection_record" in response.content.decode()
    assert "step-report_file" not in response.content.decode()


def test_the_api_files_a_report_and_refuses_an_unknown_step(
    client, world, district_staff, clerk, other_clerk
) -> None:
    project = started(project_of(world.district, world.department), district_staff)
    url = f"/api/v1/livelihood-projects/projects/{project.pk}/actions/report_file/"
    data = {"percent_complete": 15, "spent": "30", "text": "开工"}
    login(client, other_clerk)
    assert client.post(url, data, content_type="application/json").status_code == 404
    login(client, clerk)
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["percent_complete"] == 15
    again = client.post(url, data, content_type="application/json")
    assert again.status_code == 409
    unknown = client.post(
        f"/api/v1/livelihood-projects/projects/{project.pk}/actions/nonsense/",
        {},
        content_type="application/json",
    )
    assert unknown.status_code == 400


def test_staff_plan_a_project_on_its_page(client, cast, world, district_staff, committee_member):
    from congress.models import Role
    from tests.factories import grant

    grant(committee_member, Role.COMMITTEE, region=world.district)
    project = project_of(world.district, world.department)
    login(client, district_staff)
    url = reverse("livelihood_project_act", args=[project.pk, "project_plan"])
    form = client.get(url)
    assert form.status_code == 200
    assert "刘红" in form.content.decode()  # a seated representative may join the group
    response = client.post(
        url,
        {
            "department": world.department.pk,
            "co_departments": [world.city_department.pk],
            "deadline": "2026-11-30",
            "starts_on": "2026-02-01",
            "budget": "300",
            "place": "桃园社区",
            "group_leader": committee_member.pk,
            "group_committee": "城建环资委",
            "group_members": [cast.liu.pk],
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.deadline, project.group_leader, project.place) == (
        datetime.date(2026, 11, 30),
        committee_member,
        "桃园社区",
    )
    milestone = client.post(
        reverse("livelihood_project_act", args=[project.pk, "milestone_add"]),
        {"title": "竣工验收", "due_on": "2026-12-15"},
    )
    assert milestone.status_code == 400
    assert "节点日期 2026-12-15 晚于项目完成时限 2026-11-30。" in milestone.content.decode()
    assert "竣工验收" in milestone.content.decode()
