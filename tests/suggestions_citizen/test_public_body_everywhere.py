"""Every page a citizen reaches from a QR code carries the standing committee in charge
of the place (海州区人民代表大会常务委员会) in its header, and nowhere the
staff system's title (代表履职管理系统). The submission form's own test is in
test_submit_form.py; these are the pages after it and around it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from representatives.models import Representative, Station
from suggestions.models import CitizenIssue, IssueCategory
from tests.suggestions_citizen.conftest import form_data

BODY = "海州区人民代表大会常务委员会"


def assert_carries_the_body(html: str, page: str) -> None:
    header = re.search(r'data-testid="public-body">([^<]+)<', html)
    assert header and header.group(1) == BODY, page
    assert "代表履职管理系统" not in html, page  # nor in the <title> (a page may name itself)


def test_the_citizens_pages_carry_the_standing_committee(
    client: Client,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/q/new/", form_data(station, categories["roads"]))
    issue = CitizenIssue.objects.get()
    pages = {
        "tracking page": issue.get_tracking_url(),
        "station page": station.get_public_url(),
        "representative page": representative.get_public_url(),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, page
        assert_carries_the_body(response.content.decode(), page)
