"""The citizen pages' POSTs answered the one way (docs/architecture.md, "A page's
POST"): bad input and a refusal come back beside the form with what was typed, the
refusal with its own status (a wrong SMS code on the code field), and nothing is
written."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from congress.sms import RecordingSmsBackend
from representatives.models import Representative, Station
from representatives.services import contact_log_record
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueStatus
from tests.conftest import login
from tests.suggestions_citizen.conftest import form_data

pytestmark = pytest.mark.django_db


def test_a_contact_problem_without_a_category_comes_back_as_a_400_with_its_text(
    representative: Representative, station: Station
) -> None:
    log, _created = contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=datetime.date.today(),
        summary="走访桃园社区",
        by=representative.user,
        station=station,
        problems=["小区路灯不亮"],
    )
    problem = log.problems.get()
    client = login(Client(), representative.user)  # type: ignore[arg-type]
    answer = client.post(
        f"/q/new/?contact_problem={problem.pk}", {"description": "小区路灯不亮，已一周"}
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["category"]
    assert "小区路灯不亮，已一周" in answer.content.decode()
    assert not CitizenIssue.objects.exists()


def test_a_wrong_sms_code_is_refused_on_the_code_field(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    settings.CITIZEN_SMS_CONFIRMATION = True
    RecordingSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/q/new/", form_data(station, categories["roads"]))
    issue = CitizenIssue.objects.get()
    assert issue.status == IssueStatus.PENDING_CONFIRMATION
    found = re.search(r"(\d{6})", RecordingSmsBackend.outbox[-1].text)
    assert found
    url = f"/q/t/{issue.tracking_token}/confirm/"
    wrong = client.post(url, {"code": "000000" if found.group(1) != "000000" else "111111"})
    assert wrong.status_code == 400
    (error,) = wrong.context["confirm_form"].errors["code"]
    assert "验证码不正确" in error
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PENDING_CONFIRMATION
    right = client.post(url, {"code": found.group(1)})
    assert right.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SUBMITTED
