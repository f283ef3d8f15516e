"""One date format on a citizen's page: the ISO date the forms use (2026-12-04), never
the Chinese long form (2026年12月4日) or a month and day (12月4日) beside it."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from representatives.models import DutyShift, Representative, Station
from suggestions.models import CitizenIssue, IssueCategory
from tests.suggestions_citizen.conftest import form_data

ISO = re.compile(r"\b20\d\d-\d\d-\d\d\b")
OTHER_FORMS = re.compile(r"\d{1,2}月\d{1,2}日|20\d\d/\d{1,2}/\d{1,2}")


def dates_on(html: str) -> tuple[list[str], list[str]]:
    text = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)  # attributes (links, ids) are not read by anyone
    return ISO.findall(text), OTHER_FORMS.findall(text)


def test_the_tracking_page_says_every_date_one_way(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/q/new/", form_data(station, categories["roads"]))
    assert answer.status_code == 302
    issue = CitizenIssue.objects.get()
    html = client.get(issue.get_tracking_url()).content.decode()
    iso, other = dates_on(html)
    today = timezone.localdate().isoformat()
    assert iso.count(today) >= 2, iso  # 提交时间 and the timeline's lines
    assert other == []


def test_the_station_page_says_every_date_one_way(
    client: Client, station: Station, representative: Representative
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    DutyShift.objects.create(
        station=station,
        representative=representative,
        date=tomorrow,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        published_at=timezone.now(),
    )
    html = client.get(station.get_public_url()).content.decode()
    iso, other = dates_on(html)
    assert tomorrow.isoformat() in iso
    assert other == []
