"""刘红 votes on her phone: 我的票决, the ballot with its counter, the receipt shown once;
a second submit (a second tab opened before the first vote) is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from livelihood_votes.models import Ballot, LivelihoodVote, Participation
from tests.browser.conftest import log_in, screenshot
from tests.livelihood_votes.conftest import Cast, cast, open_vote  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_representative_votes_once_on_the_phone(
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

    for n in range(1, 12):
        phone.get_by_test_id(f"pick-{n}").check()
    expect(phone.locator("[data-ballot-counter]")).to_contain_text("11 / 10")
    expect(phone.locator("[data-ballot-counter]")).to_have_class("mb-2 text-danger")
    phone.get_by_test_id("pick-11").uncheck()
    expect(phone.locator("[data-ballot-counter]")).to_contain_text("10 / 10")
    screenshot(phone, "livelihood-ballot-phone")
    phone.get_by_test_id("cast-ballot").click()
    receipt = phone.get_by_test_id("receipt")
    expect(receipt).to_have_text(Ballot.objects.get().receipt)
    screenshot(phone, "livelihood-receipt-phone")

    stale.get_by_test_id("pick-1").check()
    stale.get_by_test_id("cast-ballot").click()
    expect(stale.get_by_test_id("already-voted")).to_contain_text("您已投过票")
    assert Participation.objects.count() == Ballot.objects.count() == 1

    phone.goto(f"/livelihood-votes/{open_vote.pk}/ballot/")
    expect(phone.get_by_test_id("already-voted")).to_be_visible()
    expect(phone.get_by_test_id("receipt")).to_have_count(0)  # shown once, never again
