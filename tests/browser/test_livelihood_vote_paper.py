"""In the hall, on phones: 陈静 signs a representative in, then she and 周文华 each enter
sheet 1 the same way; the sheet shows 已计入."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from livelihood_votes.models import LivelihoodVote
from tests.browser.conftest import log_in, screenshot
from tests.livelihood_votes.conftest import Cast, cast, open_vote, sealed_ballots, the_ballot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _enter_sheet_1(phone: Page, vote: LivelihoodVote) -> None:
    phone.goto(f"/livelihood-votes/{vote.pk}/")
    phone.get_by_test_id("go-paper").click()
    expect(phone.get_by_label("选票编号（计票时写在选票上的号码）")).to_have_value("1")
    for n in (1, 3, 5):
        phone.get_by_test_id(f"paper-pick-{n}").check()
    expect(phone.locator("[data-ballot-counter]")).to_contain_text("3 / 10")
    phone.get_by_test_id("enter-sheet").click()


def test_two_staff_enter_sheet_1_and_it_is_counted(
    new_page: Callable[[str], Page],
    cast: Cast,  # noqa: F811
    open_vote: LivelihoodVote,  # noqa: F811
    district_staff: User,
    city_staff: User,
) -> None:
    first = new_page("phone")
    log_in(first, district_staff)
    first.goto(f"/livelihood-votes/{open_vote.pk}/")
    first.get_by_test_id("go-sign-in").click()
    first.get_by_test_id("sign-in-search").fill("海州代表0")
    first.get_by_role("button", name="查找").click()
    first.get_by_test_id(f"sign-in-{cast.others[0].pk}").click()
    expect(first.get_by_test_id("sign-in-counts")).to_contain_text("已签到领票 1 人")

    _enter_sheet_1(first, open_vote)
    expect(first.get_by_test_id("sheet-1")).to_have_attribute("data-state", "waiting")
    assert not sealed_ballots()

    second = new_page("phone")
    log_in(second, city_staff)
    _enter_sheet_1(second, open_vote)
    expect(second.get_by_role("alert")).to_contain_text("第1张选票两次录入一致，已计入。")
    sheet = second.get_by_test_id("sheet-1")
    expect(sheet).to_have_attribute("data-state", "counted")
    expect(sheet).to_have_attribute("title", "已计入")
    expect(second.get_by_test_id("paper-counts")).to_contain_text("已计入 1 张")
    screenshot(second, "livelihood-paper-entry-phone")
    assert the_ballot().sheet == 1
