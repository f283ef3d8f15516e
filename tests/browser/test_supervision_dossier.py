"""A topic's printable dossier and the dashboard's 专项监督 panel in Chromium: 陈静 opens
the dossier from the topic page (打印卷宗) on a 375 px phone and on a desktop; the page
is readable without sideways scrolling of the page (wide tables scroll in their own box),
the photos are thumbnails, and nothing breaks the CSP. The dashboard shows the panel."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from tests.browser.conftest import assert_clean, log_in, screenshot, viewport_of
from tests.conftest import World
from tests.supervision.dossier_support import (
    committee_members,
    hold_the_inquiry,
    inquiry_topic,
    visit,
)

pytestmark = pytest.mark.browser


def test_from_the_topic_page_to_its_dossier(
    page: Page, world: World, district_staff: User, settings: Any, tmp_path: Any
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    members = committee_members(world)
    story = inquiry_topic(world, district_staff)
    visit(story.topic, district_staff, photos=2)
    hold_the_inquiry(world, district_staff, story, members)
    if viewport_of(page) == "phone":
        page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, district_staff)
    page.goto(story.topic.get_absolute_url())
    page.get_by_test_id("dossier-link").click()
    expect(page.get_by_test_id("dossier")).to_contain_text(story.topic.title)
    expect(page.get_by_test_id("dossier-finding")).to_have_count(21)
    expect(page.get_by_test_id("dossier-question")).to_have_count(3)
    expect(page.get_by_test_id("dossier-vote-outcome")).to_have_text("满意")
    photos = page.get_by_test_id("dossier-photo")
    expect(photos).to_have_count(2)
    # The thumbnails are loaded (served to the staff who see the topic), and small.
    photos.first.scroll_into_view_if_needed()
    expect(photos.first).to_have_js_property("complete", True)
    assert page.evaluate(
        "[...document.querySelectorAll('[data-testid=dossier-photo]')]"
        ".every(img => img.naturalWidth > 0 && img.getBoundingClientRect().width < 140)"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]  # type: ignore[index]
    assert width <= viewport, (width, viewport)
    screenshot(page, f"supervision-dossier-{viewport_of(page)}")
    assert_clean(page)

    page.goto("/dashboard/")
    panel = page.get_by_test_id("panel-supervision")
    expect(panel).to_contain_text("销号率")
    expect(panel.locator('[data-figure="supervision.findings"]')).to_contain_text("21")
    screenshot(page, f"supervision-dashboard-panel-{viewport_of(page)}")
    assert_clean(page)
