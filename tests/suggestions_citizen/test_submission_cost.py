"""What one submission from a station's QR code costs the database: a fixed number
of queries, whatever the size of the city (issue 13, "Fast at the size of a real
city"). The citizen opens the form first (the scan), so the station is known to
the process by the time the form comes back; a neighbour has already reported
something in the same place, so its count rows exist (the very first problem of
a place creates them: a few queries more, once)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import CitizenIssue, CitizenMessage, IssueCategory
from tests.suggestions_citizen.conftest import form_data, photo

URL = "/q/new/"

# The answer to a first submission without a phone, in order:
#   the idempotency key is not stored yet; the chosen category; the rules in force at
#   its place, recorded on the problem (docs/rules.md); the problem's row, the count of
#   its area's problems, its month's row of the dashboard's summary and its
#   station's month's row (docs/dashboard.md, 按家站点); its "submitted" event. The
#   problem is written in a savepoint (2; on PostgreSQL in production they are BEGIN
#   and COMMIT). The 受理 step (the staffed office, the calendar's revision, the reminder policy, the step,
#   the problem's earliest due date, the step's event, the clerks, their preferences,
#   the inbox row: 14 more) is made by a task after commit, not in the answer
#   (suggestions/citizen/services/routing.py; tests/suggestions_citizen/
#   test_submission_routing.py checks it is made, and made by the sweep if lost).
WITHOUT_PHONE = 10
WITH_PHOTO_AND_PHONE = WITHOUT_PHONE + 1 + 1 + 4


def _submit(client: Client, data: dict[str, Any]) -> tuple[int, Any]:
    neighbour = dict(data, idempotency_key=str(uuid.uuid4()), photos=None, mobile="")
    neighbour.pop("wants_sms", None)
    answer = Client().post(URL, {k: v for k, v in neighbour.items() if v is not None})
    assert answer.status_code == 302
    client.get(f"{URL}?station={data['station']}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302, response.content[:500]
    return len(queries), response


def test_a_submission_without_a_phone_costs_a_fixed_number_of_queries(
    client: Client, station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    data = form_data(station, categories["roads"], mobile="", citizen_name="")
    count, _response = _submit(client, data)
    assert count == WITHOUT_PHONE
    # A hundred more problems in the city change nothing.
    for n in range(100):
        form = form_data(station, categories["roads"], mobile="", description=f"第{n}个问题")
        Client().post(URL, form, REMOTE_ADDR=f"198.51.100.{n}")
    count, _response = _submit(client, form_data(station, categories["utilities"], mobile=""))
    assert count == WITHOUT_PHONE
    assert CitizenIssue.objects.count() == 104


def test_a_photo_and_an_sms_receipt_add_their_rows_and_nothing_else(
    client: Client, station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    data = form_data(station, categories["roads"], photos=photo(), wants_sms="on")
    count, _response = _submit(client, data)
    assert count == WITH_PHOTO_AND_PHONE
    issue = CitizenIssue.objects.get(mobile="13812345678")
    assert issue.photos.count() == 1
    assert CitizenMessage.objects.filter(issue=issue).count() == 1


def test_a_retry_costs_one_query_and_no_rate_limit(
    client: Client, station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    data = form_data(station, categories["roads"])
    _count, first = _submit(client, data)
    with CaptureQueriesContext(connection) as queries:
        again = client.post(URL, data, REMOTE_ADDR="203.0.113.7")
    assert again["Location"] == first["Location"]
    assert len(queries) == 1
    assert CitizenIssue.objects.count() == 2  # the neighbour's and this one
