"""选题参考 and 以此立题 in Chromium on a phone (docs/supervision-sources.md): a district's
staff member reads the ranked tables without the page scrolling sideways (the tables
scroll in their own box), draws nothing against the CSP (the trend is an SVG drawn on
the server), makes a topic from the largest cluster and finds its sources on the
topic's page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from supervision import services
from supervision.models.sources import TopicSource
from supervision.models.topics import Topic
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser


def test_a_topic_from_the_data_on_a_phone(
    phone_page: Page,
    world: World,
    district_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    page = phone_page
    for n in range(3):
        submit(station=station, category=categories["roads"], mobile=f"1390000000{n}")
    submit(station=station, category=categories["environment"], mobile="13900000009")
    year = timezone.localdate().year
    services.plan_create(
        congress=world.district.congress,
        year=year + 1,
        title=f"海州区人大常委会{year + 1}年度监督工作计划",
        by=district_staff,
    )
    log_in(page, district_staff)
    page.goto("/supervision/topic-ideas/")
    expect(page.get_by_test_id("ideas-title")).to_contain_text("海州区")
    first = page.locator('[data-testid="ideas-category"] [data-testid="idea-row"]').first
    expect(first).to_have_attribute("data-key", "category:transport")
    expect(first.locator('[data-figure="issues"]')).to_have_text("3")
    expect(first.locator("svg polyline")).to_be_attached()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
    screenshot(page, "topic-ideas-phone-390")
    assert_clean(page)

    first.get_by_test_id("create-topic").click()
    expect(page.get_by_test_id("idea-cluster")).to_contain_text("交通运输")
    title = page.get_by_label("议题", exact=True)
    expect(title).to_have_value("关于海州区交通运输领域突出问题的专项监督")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("sources-count")).to_have_text("3")
    topic = Topic.objects.get(title="关于海州区交通运输领域突出问题的专项监督")
    assert topic.plan.year == year + 1
    assert TopicSource.objects.filter(topic=topic).count() == 3
    assert topic.created_at.date() <= datetime.date.today() + datetime.timedelta(days=1)
    assert_clean(page)
