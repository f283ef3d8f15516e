"""A problem raised in a representative's voter contact becomes a case (issue 4)."""

from __future__ import annotations

import uuid

from django.db import transaction

from congress.models import User
from representatives.models import ContactLog, ContactProblem
from suggestions.citizen.services.acceptance import citizen_issue_accept
from suggestions.citizen.services.base import KEY_NAMESPACE
from suggestions.citizen.services.submission import Submission, citizen_issue_submit
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueSource


def citizen_issue_create_from_contact(
    *,
    contact_log: ContactLog,
    description: str,
    category: IssueCategory | str,
    by: User,
    problem: ContactProblem | None = None,
) -> CitizenIssue:
    """A problem raised in a representative's voter contact becomes a case in one tap
    (issue 4). It starts with that representative as its handler; tapping twice
    returns the same case. The contact's problem row (given, or found by its text)
    is marked as handed on."""
    if isinstance(category, str):
        category = IssueCategory.objects.get(code=category)
    representative = contact_log.representative
    station = contact_log.station
    region = station.region if station is not None else representative.region
    key = uuid.uuid5(KEY_NAMESPACE, f"contact:{contact_log.pk}:{description.strip()}")
    submission = Submission(
        category=category,
        description=description,
        region=region,
        station=station,
        representative=representative,
        source=IssueSource.CONTACT,
    )
    with transaction.atomic():
        issue, created = citizen_issue_submit(submission=submission, idempotency_key=key, by=by)
        if created:
            citizen_issue_accept(issue=issue, by=by, representative=representative)
            _mark_problem_converted(contact_log, description, issue, by, problem)
    return issue


def _mark_problem_converted(
    contact_log: ContactLog,
    description: str,
    issue: CitizenIssue,
    by: User,
    problem: ContactProblem | None,
) -> None:
    from representatives.services import contact_problem_mark_converted

    if problem is None:
        problem = contact_log.problems.filter(
            text=description.strip()[:500], case_id__isnull=True
        ).first()
    if problem is not None and problem.case_id is None:
        contact_problem_mark_converted(
            problem=problem, case_type=ISSUE_CASE, case_id=issue.pk, by=by
        )
