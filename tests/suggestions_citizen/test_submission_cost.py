"""What one submission from a station's QR code costs the database: a fixed number
of queries, whatever the size of the city (issue 13, "Fast at the size of a real
city"). The citizen opens the form first (the scan), so the station is known to
the process by the time the form comes back; a neighbour has already reported
something in the same place, so its count row exists (the very first problem of
a place creates it: three queries more, once)."""

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
#   the idempotency key is not stored yet; the chosen category; the problem's row and
#   the count of its area's problems; its "submitted" event; the 受理 step: which
#   office above the place has staff and that office's region, the calendar's
#   revision, the reminder policy, the step's row, the problem's earliest due date
#   (lock, read, write), the step's event, the office's clerks, their notification
#   preferences, the inbox row. The problem and the step are each written in a
#   savepoint (4; on PostgreSQL in production the outer one is BEGIN and COMMIT).
WITHOUT_PHONE = 21
# A photo adds its row; a phone adds the ban-list check, and the SMS receipt the
# citizen asked for is one outbox row written in a savepoint (get_or_create: 4).
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
