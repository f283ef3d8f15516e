"""The demo's projects: the 20 elected by the city's 2026 vote, planned and in
implementation with months of reports, some flagged behind schedule, one report overdue
and chased by the reminder sweep; fast."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from congress import loop
from congress.demo import build_core
from congress.models import Assignment, AssignmentStatus
from congress.registry import demo_builders
from livelihood_votes.models import LivelihoodVote
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    Inspection,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
)
from livelihood_votes.projects import selectors
from livelihood_votes.projects.workflow import REPORT_CASE


@pytest.mark.django_db
def test_the_demo_follows_the_citys_elected_projects() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=0.25)
    by_name = {builder.name: builder for builder in demo_builders}
    for name in ("representatives", "livelihood call", "livelihood votes"):
        if name in by_name:
            by_name[name].build(ctx)
    started = time.monotonic()
    by_name["livelihood projects"].build(ctx)
    elapsed = time.monotonic() - started

    projects = Project.objects.filter(cycle__region=ctx.city, cycle__year=2026)
    vote = LivelihoodVote.objects.get(congress__region=ctx.city, year=2026, runoff_of=None)
    # One project per elected candidate (20 seats; at the test's quarter scale a project
    # may fall short of the majority).
    elected = selectors.elected_candidates(vote)
    assert projects.count() == len(elected) >= 15
    assert set(projects.values_list("candidate", flat=True)) == {c.pk for c in elected}
    assert set(projects.values_list("status", flat=True)) == {ProjectStatus.IMPLEMENTING}
    assert all(p.milestones.count() == 4 and p.group_members.count() == 3 for p in projects)
    assert 2 <= projects.filter(behind_schedule=True).count() <= 6
    filed = ProgressReport.objects.filter(project__in=projects, status=ReportStatus.FILED)
    assert filed.filter(month__month=2).count() == len(elected)  # all reported February
    assert filed.filter(late=True).exists()
    # Each project's facts are its last filed report's.
    for project in projects:
        last = filed.filter(project=project).order_by("-month").first()
        assert last is not None
        assert (project.percent_complete, project.spent) == (last.percent_complete, last.spent)
    # One report overdue now, chased by the engine.
    overdue = Assignment.objects.filter(
        case_type=REPORT_CASE, status=AssignmentStatus.ASSIGNED, due_on__lt=ctx.today
    )
    assert overdue.count() == 1
    loop.reminders_sweep(now=timezone.now())
    chased = overdue.get()
    assert chased.reminders.exists()
    assert chased.escalation_level >= 1  # a month late: escalated
    assert Inspection.objects.filter(project__in=projects).count() >= 4
    assert Comment.objects.filter(status=CommentStatus.PUBLISHED).exists()
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 1
    assert elapsed < 30
