"""刘红 votes on her phone: 我的票决, the ballot with its counter, a plain-words warning
while she has ticked too many (and no way on until she fixes it), the review of her
choices in the page (返回修改 keeps them), then 确认投票 and the receipt shown once; a
second submit (a second tab opened before the first vote) is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from livelihood_votes.models import LivelihoodVote
from tests.browser.conftest import log_in, screenshot
from tests.livelihood_votes.conftest import Cast, cast, open_vote, sealed_ballots, the_ballot, voted  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_representative_reviews_and_votes_once_on_the_phone(
    new_page: Callable[[str], Page],
    open_vote: LivelihoodVote,  # noqa: F811
    representative_user: User,
) -> None:
    phone = new_page("phone")
    log_in(phone, representative_user)
    phone.get_by_test_id("card-go-vote").click()
    phone.get_by_test_id(f"open-vote-{open_vote.pk}").click()
    expect(phone.get_by_test_id("ballot-rule")).to_contain_text("最多 10 个")

    # A second tab with the same ballot, opened before she votes.
    stale = phone.context.new_page()
    stale.goto(f"/livelihood-votes/{open_vote.pk}/ballot/")

    problem = phone.get_by_test_id("ballot-problem")
    next_step = phone.get_by_test_id("review-ballot")
    expect(problem).to_be_hidden()
    for n in range(1, 13):
        phone.get_by_test_id(f"pick-{n}").check()
    expect(phone.locator("[data-ballot-counter]")).to_contain_text("12 / 10")
    expect(problem).to_have_text("您选了12项，最多可选10项，请取消2项。")
    expect(next_step).to_be_disabled()
    screenshot(phone, "livelihood-ballot-too-many-phone")
    phone.get_by_test_id("pick-12").uncheck()
    expect(problem).to_have_text("您选了11项，最多可选10项，请取消1项。")
    expect(next_step).to_be_disabled()
    phone.get_by_test_id("pick-3").uncheck()
    expect(problem).to_be_hidden()
    expect(next_step).to_be_enabled()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    next_step.click()
    review = phone.get_by_test_id("ballot-review")
    expect(review).to_be_visible()
    items = phone.get_by_test_id("review-list").locator("li")
    expect(items).to_have_count(10)
    expect(items.first).to_have_text("1. 民生项目1")
    expect(phone.get_by_test_id("review-list")).not_to_contain_text("民生项目3")
    expect(phone.get_by_test_id("pick-1")).to_be_hidden()
    screenshot(phone, "livelihood-ballot-review-phone")
    assert len(sealed_ballots()) == 0  # reviewing casts nothing

    # Back to the ballot: her ticks are as she left them; she swaps one project.
    phone.get_by_test_id("review-back").click()
    expect(review).to_be_hidden()
    expect(phone.get_by_test_id("pick-3")).not_to_be_checked()
    expect(phone.get_by_test_id("pick-11")).to_be_checked()
    phone.get_by_test_id("pick-11").uncheck()
    phone.get_by_test_id("pick-3").check()
    next_step.click()
    expect(phone.get_by_test_id("review-list")).to_contain_text("3. 民生项目3")
    expect(phone.get_by_test_id("review-list")).not_to_contain_text("民生项目11")

    phone.get_by_test_id("cast-ballot").click()
    receipt = phone.get_by_test_id("receipt")
    expect(receipt).to_have_text(the_ballot().receipt)
    titles = the_ballot().titles()
    assert titles == {f"民生项目{n}" for n in range(1, 11)}
    screenshot(phone, "livelihood-receipt-phone")

    stale.get_by_test_id("pick-1").check()
    stale.get_by_test_id("review-ballot").click()
    stale.get_by_test_id("cast-ballot").click()
    expect(stale.get_by_test_id("already-voted")).to_contain_text("您已投过票")
    assert voted().count() == len(sealed_ballots()) == 1

    phone.goto(f"/livelihood-votes/{open_vote.pk}/ballot/")
    expect(phone.get_by_test_id("already-voted")).to_be_visible()
    expect(phone.get_by_test_id("receipt")).to_have_count(0)  # shown once, never again
