"""刘红 checks her receipt on a small phone (375 × 812): she votes online in 海州区's
livelihood-project vote (a warning in words while her ticks break the form, the review
listing her choices, the receipt shown after casting), and after the close she finds that
receipt in the published list with her own choices on it, and nobody's name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from tests.browser.conftest import log_in, screenshot
from tests.livelihood_votes.conftest import Cast, cast, open_vote  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}
MINE = [1, 2, 4, 5, 6, 7, 8, 9, 10, 12]  # 民生项目N: ten of the twelve, within 最多 10 个


def test_she_finds_her_own_choices_by_her_receipt_after_the_close(
    new_page: Callable[[str], Page],
    open_vote: LivelihoodVote,  # noqa: F811
    representative_user: User,
    district_staff: User,
) -> None:
    phone = new_page("phone")
    phone.set_viewport_size(SMALL_PHONE)
    log_in(phone, representative_user)
    phone.goto(f"/livelihood-votes/{open_vote.pk}/ballot/")

    problem = phone.get_by_test_id("ballot-problem")
    review = phone.get_by_test_id("review-ballot")
    for n in [*MINE, 11]:
        phone.get_by_test_id(f"pick-{n}").check()
    expect(problem).to_have_text("您选了11项，最多可选10项，请取消1项。")
    expect(review).to_be_disabled()
    phone.get_by_test_id("pick-11").uncheck()
    expect(problem).to_be_hidden()
    expect(review).to_be_enabled()
    review.click()
    listed = phone.get_by_test_id("review-list").locator("li")
    expect(listed).to_have_count(len(MINE))
    expect(phone.get_by_test_id("review-list")).not_to_contain_text("民生项目11")
    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    phone.get_by_test_id("cast-ballot").click()
    receipt = phone.get_by_test_id("receipt").inner_text().strip()
    assert len(receipt) == 14 and receipt.count("-") == 2
    screenshot(phone, "ballot-receipt-cast-375")

    # Before the close nothing is published: the list answers 409 (fetched beside the
    # page, with her cookies: a 409 in the page would be a console error), not her ballot.
    early = phone.context.request.get(f"/livelihood-votes/{open_vote.pk}/ballots/")
    assert early.status == 409 and receipt not in early.text()

    services.vote_close(vote=open_vote, by=district_staff)

    phone.goto(f"/livelihood-votes/{open_vote.pk}/ballots/")
    expect(phone.get_by_test_id("ballot-list")).to_contain_text(receipt)
    # She types it as she reads it off her note: lower case, no dashes.
    phone.get_by_test_id("receipt-search").fill(receipt.replace("-", "").lower())
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("receipt-found")).to_contain_text(receipt)
    choices = phone.get_by_test_id("receipt-choices").locator("li")
    expect(choices).to_have_count(len(MINE))
    for n in MINE:
        expect(phone.get_by_test_id("receipt-choices")).to_contain_text(f"民生项目{n}")
    expect(phone.get_by_test_id("receipt-choices")).not_to_contain_text("民生项目11")
    expect(phone.get_by_test_id("receipt-choices")).not_to_contain_text("民生项目3")
    expect(phone.locator("main")).not_to_contain_text("刘红")  # the list names nobody
    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screenshot(phone, "ballot-receipt-found-375")
