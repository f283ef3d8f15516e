"""The cast of the project stories (no tests here; imported by test_project_*.py).

海州区's 2026 cycle has projects whose responsible department is 海州区's (赵磊, clerk,
files their monthly reports); 刘红 (representative_user) sits in the 1+1+N group of the
first one. 临江区's cycle has one project of 临江区's department (孙丽, other_clerk).
Projects are made as ``implementation_start`` makes them (one row per elected
candidate); the vote itself is exercised in test_project_services.py.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congress.models import Department, Region, User
from congress.uploads import CleanUpload, clean_image
from livelihood_votes.models import Cycle
from livelihood_votes.models.projects import Project
from livelihood_votes.projects import services


def cycle_of(region: Region, year: int | None = None) -> Cycle:
    year = year or timezone.localdate().year
    cycle, _created = Cycle.objects.get_or_create(
        region=region,
        year=year,
        defaults={"congress": region.congress, "title": f"{region.name}{year}年度民生实事项目"},
    )
    return cycle


def project_of(
    region: Region,
    department: Department,
    *,
    title: str = "老旧小区加装电梯",
    budget: Decimal | None = Decimal("500.00"),
    deadline: datetime.date | None = None,
) -> Project:
    cycle = cycle_of(region)
    return Project.objects.create(
        cycle=cycle,
        title=title,
        department=department,
        budget=budget,
        deadline=deadline or datetime.date(cycle.year, 12, 31),
        order=Project.objects.filter(cycle=cycle).count() + 1,
    )


def started(
    project: Project,
    staff: User,
    *,
    starts_on: datetime.date | None = None,
    milestone_on: datetime.date | None = None,
) -> Project:
    """A plan (start, deadline, one milestone) and 开始实施: this month's report is
    awaited from the department."""
    today = timezone.localdate()
    start = starts_on or today - datetime.timedelta(days=30)
    deadline = project.deadline or today + datetime.timedelta(days=200)
    services.project_plan(
        project=project, department=project.department, deadline=deadline, starts_on=start, by=staff
    )
    services.milestone_add(
        project=project,
        title="完成施工招标",
        due_on=milestone_on or min(deadline, today + datetime.timedelta(days=20)),
        by=staff,
    )
    services.project_start(project=project, by=staff)
    project.refresh_from_db()
    return project


def photo(name: str = "site.jpg") -> CleanUpload:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, "JPEG")
    return clean_image(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"))


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (40, 80, 200)).save(buffer, "JPEG")
    return buffer.getvalue()
