"""The rules page in Chromium on a 390 px phone (docs/rules.md): an administrator opens
海州区's rules, types a 受理时限 outside its range, is refused with the range and finds
what they typed still there, corrects it and saves. The page never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from congress.models import Congress, User
from congress.models.rules import CongressRule
from tests.browser.conftest import (  # noqa: F401 - fixtures
    _problems,
    assert_clean,
    browser,
    log_in,
    new_page,
    phone_page,
    screenshot,
)
from tests.conftest import World

pytestmark = pytest.mark.browser


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]  # type: ignore[index]
    assert width <= viewport, (width, viewport)


def test_an_administrator_sets_a_districts_rule_on_a_phone(
    phone_page: Page,  # noqa: F811
    world: World,
    administrator: User,
) -> None:
    page = phone_page
    district = Congress.objects.get(region=world.district)
    log_in(page, administrator)
    page.goto("/rules/")
    page.get_by_role("link", name=district.name).click()
    accept = page.get_by_test_id("rule-citizen.accept_workdays")
    expect(accept).to_contain_text("1至10个工作日")
    _fits(page)

    accept.get_by_role("textbox").fill("12")
    page.get_by_test_id("rule-citizen.moderation_words").get_by_role("textbox").fill("高息放贷")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-citizen.accept_workdays")).to_contain_text("1至10个工作日")
    expect(accept.get_by_role("textbox")).to_have_value("12")
    expect(
        page.get_by_test_id("rule-citizen.moderation_words").get_by_role("textbox")
    ).to_have_value("高息放贷")
    _fits(page)
    screenshot(page, "rules-refused-phone")
    # The refusal is answered 400 on purpose (the form again, with its message).
    _problems[page][:] = [p for p in _problems[page] if "status of 400" not in p]
    assert not CongressRule.objects.filter(congress=district).exists()

    accept.get_by_role("textbox").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存2项规则")
    saved = dict(CongressRule.objects.filter(congress=district).values_list("key", "value"))
    assert saved == {"citizen.accept_workdays": 5, "citizen.moderation_words": ["高息放贷"]}
    assert_clean(page)
