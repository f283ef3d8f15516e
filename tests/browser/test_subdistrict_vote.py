"""赵敏, a voter delegate of 新浦街道's 议政会 with a login, votes on her phone in the
subdistrict's 民生实事 vote: 我的票决, the ballot, the review, the receipt; 刘红, a
representative of the district (not a delegate there), finds no ballot; the 人大工委's
staff sign a delegate in for a paper ballot at the hall's desk on a phone
(docs/livelihood-subdistricts.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import Elector, User
from livelihood_votes import selectors, services
from tests.browser.conftest import log_in, screenshot
from tests.livelihood_votes.conftest import Cast, cast  # noqa: F401 - fixtures
from tests.livelihood_votes.test_subdistrict_vote import (  # noqa: F401 - fixtures
    Subdistrict,
    subdistrict,
    subdistrict_vote,
)

pytestmark = pytest.mark.browser


def test_a_delegate_votes_on_the_phone_and_a_representative_cannot(
    new_page: Callable[[str], Page],
    subdistrict: Subdistrict,  # noqa: F811
    cast: Cast,  # noqa: F811
    town_staff: User,
) -> None:
    sub = subdistrict
    vote = subdistrict_vote(sub, town_staff)
    services.vote_open(vote=vote, by=town_staff)
    assert sub.zhao.user is not None and cast.liu.user is not None

    phone = new_page("phone")
    log_in(phone, sub.zhao.user)
    phone.goto("/livelihood-votes/mine/")
    phone.get_by_test_id(f"open-vote-{vote.pk}").click()
    expect(phone.get_by_test_id("ballot-rule")).to_contain_text("最多 8 个")
    for n in (1, 2, 5):
        phone.get_by_test_id(f"pick-{n}").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    phone.get_by_test_id("review-ballot").click()
    items = phone.get_by_test_id("review-list").locator("li")
    expect(items).to_have_count(3)
    expect(items.first).to_have_text("1. 街道项目1")
    phone.get_by_test_id("cast-ballot").click()
    expect(phone.get_by_test_id("receipt")).to_be_visible()
    screenshot(phone, "subdistrict-delegate-receipt-phone")
    assert selectors.has_voted(vote, sub.zhao)

    # 刘红 holds a seat in the district congress, not in the 议政会: no ballot for her.
    other = new_page("phone")
    log_in(other, cast.liu.user)
    # (Asked with her session's cookies, not by opening the page: a 404 page is a
    # console error, which the fixtures count as a fault of the page.)
    answer = other.request.get(f"{other.url.rstrip('/')}/livelihood-votes/{vote.pk}/ballot/")
    assert answer.status == 404
    other.goto("/livelihood-votes/mine/")
    expect(other.get_by_test_id(f"open-vote-{vote.pk}")).to_have_count(0)

    # The 人大工委's desk: 钱芳 signs in for a paper ballot.
    desk = new_page("phone")
    log_in(desk, town_staff)
    desk.goto(f"/livelihood-votes/{vote.pk}/sign-in/")
    expect(desk.get_by_test_id("sign-in-counts")).to_contain_text("应到议政代表 6 人")
    desk.get_by_test_id("sign-in-search").fill("钱芳")
    desk.get_by_test_id("sign-in-search").press("Enter")
    qian = sub.delegates[1]
    desk.get_by_test_id(f"sign-in-{qian.pk}").click()
    expect(desk.get_by_test_id("sign-in-counts")).to_contain_text("已签到领票 1 人")
    screenshot(desk, "subdistrict-sign-in-phone")
    assert Elector.objects.get(box=vote.box_id, voter=qian.pk).channel == "paper"
