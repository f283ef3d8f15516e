"""The year-end rating (满意度测评) of a project as ratings of its responsible department,
for the departments' league (docs/dashboard.md, "承办单位"): what ``rating_close`` tells
the engine (``handling_marks_rated``) and what the engine's rebuild finds again here
(``RatingSource``, registered in ``rating_setup.py``).

The rated answer is the year's work the responsible department reported on: its
assignment is the project's latest monthly progress report's (case type
``livelihood_votes.project_report``) of the department responsible when the box closed.
Every representative's mark counts as one rating (满意 and 基本满意 satisfied, 不满意
unsatisfied), in the month of the close, as the marks the close published. A project
with no report asked of its department has no department's rating.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from congress.loop.handling import Rating, handling_marks_rated, marked_ratings
from congress.models import Assignment
from congress.models import Rating as Mark
from livelihood_votes.models.projects import ProgressReport, Project
from livelihood_votes.models.ratings import RatingResult, RatingRound
from livelihood_votes.projects.workflow import REPORT_CASE


def rated_assignments(projects: Iterable[Project], at: datetime.datetime) -> dict[int, Assignment]:
    """Each project's rated assignment (see above) as of ``at``, by project id; a project
    without one is left out. Two queries, whatever the number of projects."""
    department = {project.pk: project.department_id for project in projects}
    reports = dict(
        ProgressReport.objects.filter(project_id__in=department).values_list("pk", "project_id")
    )
    rated: dict[int, Assignment] = {}
    steps = Assignment.objects.filter(
        case_type=REPORT_CASE, case_id__in=reports, assigned_at__lte=at
    ).order_by("assigned_at", "pk")
    for step in steps:
        project = reports[step.case_id]
        if step.department_id is not None and step.department_id == department[project]:
            rated[project] = step  # the latest wins
    return rated


def projects_rated(*, results: Iterable[RatingResult], at: datetime.datetime) -> None:
    """Tell the engine the marks of each project's result (in the close's transaction)."""
    results = list(results)
    steps = rated_assignments([result.project for result in results], at)
    for result in results:
        step = steps.get(result.project_id)
        if step is not None:
            handling_marks_rated(assignment=step, marks=_marks(result), at=at)


def _marks(result: RatingResult) -> dict[str, int]:
    return {
        Mark.SATISFIED: result.satisfied,
        Mark.BASIC: result.basic,
        Mark.DISSATISFIED: result.dissatisfied,
    }


def project_handling_ratings() -> Iterator[Rating]:
    """Every closed round's marks, on the rated assignments. Cost: a read of the results
    and two queries per round (a repair, not a page)."""
    for rating in RatingRound.objects.filter(closed_at__isnull=False).order_by("pk"):
        assert rating.closed_at is not None
        results = list(rating.results.select_related("project"))
        steps = rated_assignments([result.project for result in results], rating.closed_at)
        for result in results:
            step = steps.get(result.project_id)
            if step is not None:
                yield from marked_ratings(step.pk, rating.closed_at, _marks(result))
