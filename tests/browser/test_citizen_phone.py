"""The citizen's and the representative's phones (390 px), in a real Chromium.

A citizen scans 桃园社区代表联络站's QR code: the browser itself stops a submission
without the consent box before any photo is uploaded; the three pages they see
stay under 150 KB compressed on a first visit (bench/page_weight.py measures it).
刘红, the station's representative, reads the problems given to her as cards whose
status and deadline are on screen without scrolling sideways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from bench.page_weight import BUDGET_BYTES, measure
from congress.models import User
from representatives.models import (
    GridAssignment,
    Representative,
    Station,
    StationKind,
    StationMember,
)
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.suggestions_citizen.conftest import jpeg_bytes, make_representative, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def liu(world: World, representative_user: User) -> Representative:
    rep = make_representative("刘红", world.village, representative_user)
    GridAssignment.objects.create(representative=rep, grid=world.grid)
    return rep


@pytest.fixture
def station(world: World, liu: Representative) -> Station:
    services.categories_ensure_defaults()
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    StationMember.objects.create(station=station, representative=liu, role="head")
    return station


def test_the_browser_asks_for_consent_before_uploading_the_photo(
    phone_page: Page, station: Station, tmp_path: Path
) -> None:
    pothole = tmp_path / "pothole.jpg"
    pothole.write_bytes(jpeg_bytes())
    page = phone_page
    page.goto(f"/q/new/?station={station.public_token}")
    page.locator("label", has_text="道路交通").click()
    page.locator("#id_description").fill("幸福路路口有个大坑，电动车经过很危险")
    page.locator("#id_photos").set_input_files(pothole)

    page.get_by_test_id("submit-issue").click()

    consent = page.locator("#id_consent")
    assert consent.evaluate("box => box.matches(':invalid')")
    assert (
        consent.evaluate("box => box.validationMessage") == "请阅读并同意个人信息处理告知后再提交。"
    )
    assert "/q/new/" in page.url and not CitizenIssue.objects.exists()
    assert page.locator("#id_photos").evaluate("input => input.files.length") == 1  # still chosen
    screenshot(page, "citizen-consent-missing-phone")

    consent.check()
    page.get_by_test_id("submit-issue").click()
    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    assert CitizenIssue.objects.get().photos.count() == 1


def test_the_citizen_pages_weigh_under_150_kb_on_a_first_visit(
    browser: Browser,
    live_server: LiveServer,
    station: Station,
    categories_ready: None,
) -> None:
    issue = submit(station=station, category=IssueCategory.objects.get(code="roads"))
    paths = [
        station.get_public_url(),
        f"/q/new/?station={station.public_token}",
        issue.get_tracking_url(),
    ]

    weights = measure(browser, live_server.url, paths)

    for weight in weights:
        assert weight.resources, weight.path  # the page and its files were counted
        assert 10_000 < weight.compressed < BUDGET_BYTES, (weight.path, weight.resources)
    # No page asks for the icon font any more.
    urls = [url for weight in weights for url, _size in weight.resources]
    assert not [url for url in urls if "bootstrap-icons" in url or url.endswith(".woff2")]


def test_the_representative_reads_her_problems_as_cards_on_the_phone(
    phone_page: Page, station: Station, liu: Representative, district_staff: User
) -> None:
    roads = IssueCategory.objects.get(code="roads")
    for text in ["幸福路路口有个大坑，电动车经过很危险", "桃园小区东门路灯坏了一个多月"]:
        issue = submit(station=station, category=roads, description=text)
        services.citizen_issue_accept(issue=issue, by=district_staff, representative=liu)
    page = phone_page
    log_in(page, liu.user)  # type: ignore[arg-type]

    page.goto("/issues/")

    rows = page.get_by_test_id("issue-row")
    expect(rows).to_have_count(2)
    for cell in ["issue-status", "issue-due"]:
        box = rows.first.get_by_test_id(cell).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (cell, box)
        assert box["y"] + box["height"] <= 844, (cell, box)
    expect(page.locator("table.table-cards thead")).to_be_hidden()  # cards, not a table
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "representative-issues-phone")


@pytest.fixture
def categories_ready(db: None) -> None:
    services.categories_ensure_defaults()
