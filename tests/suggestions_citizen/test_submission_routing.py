"""The public form answers once the problem is stored; its 受理 step follows after
commit, from a task, and the citizen sweep makes it if the task was lost (issue 13,
suggestions/citizen/services/routing.py).

These tests commit for real (``transaction=True``): the after-commit hooks run as
in production, the task runs in-process (the suite's eager Celery), and "the process
died after commit" is a hook, registered before the submission's, that raises: Django
then runs none of the later hooks, so the task is never sent.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from congress.models import Assignment, Notification, User
from congress.workdays import Deadline, add_deadline
from representatives.models import Station
from suggestions.citizen import services
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueCount, IssueStatus
from suggestions.tasks import citizen_sweep, route_citizen_issue
from tests.conftest import World
from tests.suggestions_citizen.conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/q/new/"
# The 受理 deadline: two working days (suggestions/citizen/conf.py, the default).
TWO_WORKDAYS = Deadline(2, "workdays")


class ProcessDied(BaseException):
    """What a killed process looks like to the code after it: nothing more runs."""


def _steps(issue: CitizenIssue) -> list[Assignment]:
    return list(Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk))


def _die() -> None:
    raise ProcessDied


def _submit_and_die(station: Station, category: IssueCategory) -> CitizenIssue:
    """The service as the public form calls it, in a process that dies right after
    the commit: the problem is stored, the task is never sent."""
    submission = services.Submission(
        category=category,
        description="幸福路路口有个大坑，电动车经过很危险",
        region=station.region,
        station=station,
        consent=True,
    )
    with pytest.raises(ProcessDied), transaction.atomic():
        transaction.on_commit(_die)
        issue, created = services.citizen_issue_submit(
            submission=submission, idempotency_key=uuid.uuid4(), route_after_commit=True
        )
    assert created
    return issue


def test_the_form_answers_and_the_step_follows_after_commit(
    world: World, station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    response = Client().post(
        URL, form_data(station, categories["roads"], mobile=""), REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302
    issue = CitizenIssue.objects.get()
    assert issue.status == IssueStatus.SUBMITTED
    [step] = _steps(issue)
    assert step.staff_region_id == world.district.pk  # the nearest office with staff
    today = timezone.localdate()
    assert step.due_on == add_deadline(today, TWO_WORKDAYS)
    issue.refresh_from_db()
    assert issue.next_due_on == step.due_on  # the list's "due" and "overdue" read this
    assert Notification.objects.filter(recipient=district_staff, case_id=issue.pk).exists()


def test_a_process_dying_after_commit_loses_nothing_the_sweep_makes_the_step(
    station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    issue = _submit_and_die(station, categories["roads"])
    # Stored, counted and in the staff's list at once, without its step yet.
    issue.refresh_from_db()
    assert _steps(issue) == []
    assert IssueCount.objects.filter(status=IssueStatus.SUBMITTED).get().count == 1
    staff = Client()
    staff.force_login(district_staff)
    assert issue.tracking_code in staff.get("/issues/").content.decode()
    # The sweep leaves a row this young to its task (still on its way)...
    assert citizen_sweep()["routed"] == 0
    assert _steps(issue) == []
    # ...and makes the step once the task's delay has passed.
    with override_settings(NOTIFICATION_RETRY_AFTER_SECONDS=0):
        assert citizen_sweep()["routed"] == 1
        assert citizen_sweep()["routed"] == 0  # a second run finds nothing
    [step] = _steps(issue)
    assert step.is_open and step.due_on == add_deadline(timezone.localdate(), TWO_WORKDAYS)
    assert Notification.objects.filter(recipient=district_staff, case_id=issue.pk).exists()


def test_a_step_made_on_a_later_day_keeps_the_deadline_of_the_submission_day(
    station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    issue = _submit_and_die(station, categories["roads"])
    submitted = timezone.now() - datetime.timedelta(days=1)
    CitizenIssue.objects.filter(pk=issue.pk).update(created_at=submitted)
    with override_settings(NOTIFICATION_RETRY_AFTER_SECONDS=0):
        assert citizen_sweep()["routed"] == 1
    [step] = _steps(issue)
    expected = max(add_deadline(timezone.localdate(submitted), TWO_WORKDAYS), timezone.localdate())
    assert step.due_on == expected


def test_the_task_and_the_sweep_together_make_one_step(
    station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    issue = _submit_and_die(station, categories["roads"])
    assert route_citizen_issue(issue.pk) is True
    assert route_citizen_issue(issue.pk) is False
    with override_settings(NOTIFICATION_RETRY_AFTER_SECONDS=0):
        assert citizen_sweep()["routed"] == 0
    assert len(_steps(issue)) == 1


def test_a_problem_accepted_before_its_task_ran_gets_no_intake_step(
    station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    issue = _submit_and_die(station, categories["roads"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    before = len(_steps(issue))
    assert route_citizen_issue(issue.pk) is False
    with override_settings(NOTIFICATION_RETRY_AFTER_SECONDS=0):
        assert citizen_sweep()["routed"] == 0
    assert len(_steps(issue)) == before
