"""The year-end rating in Chromium: 陈静 (海州区 staff, laptop) opens the rating of 海州区's
year; 刘红 rates the three projects on her phone (a ballot with a project left out is
refused, with her marks kept), gets her receipt once, and cannot rate again; 张伟 rates
too; 陈静 closes the rating: 满意, 基本满意, and 不满意 for the third project, whose
rectification is listed and carried into next year; 刘红 reads the result on her phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from congress.models.ballots import Rating
from livelihood_votes.models import Project
from livelihood_votes.models.ratings import RatingRound, Rectification
from livelihood_votes.ratings import services
from representatives.models import Representative
from tests.browser.conftest import _problems, assert_clean, log_in, screenshot
from tests.conftest import World
from tests.factories import UserFactory
from tests.livelihood_votes.test_rating_support import make_cycle, projects_of
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.browser


def _seated(world: World, representative_user: User) -> list[Representative]:
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    zhang = RepresentativeFactory(
        name="张伟",
        region=world.village,
        user=UserFactory(username="zhangwei", display_name="张伟"),
    )
    others = [RepresentativeFactory(name=f"海州代表{n}", region=world.village) for n in range(2)]
    for rep in (liu, zhang, *others):
        seat(rep, world.district)
    return [liu, zhang, *others]


def test_a_representative_rates_the_years_projects_on_a_phone(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
    representative_user: User,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path
    _liu, zhang, *_others = _seated(world, representative_user)
    cycle = make_cycle(world.district, world.department)
    a, b, c = projects_of(cycle)

    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto(f"/livelihood/cycles/{cycle.pk}/rating/")
    staff.get_by_test_id("act-open").click()
    expect(staff.get_by_test_id("rating-status")).to_contain_text("测评中")
    rating = RatingRound.objects.get(cycle=cycle)

    phone = new_page("phone")
    log_in(phone, representative_user)
    phone.goto("/livelihood/ratings/mine/")
    phone.get_by_test_id(f"rating-{rating.pk}").click()
    phone.get_by_test_id("mark-1-satisfied").click()
    phone.get_by_test_id("mark-2-basic").click()
    phone.get_by_test_id("cast").click()
    expect(phone.get_by_test_id("ballot-error")).to_contain_text("还有1项没有测评")
    expect(phone.locator(f"#id_p{a.pk}_0")).to_be_checked()  # what she marked is kept
    expect(phone.locator(f"#id_p{b.pk}_1")).to_be_checked()
    # The refused ballot was answered 400, as it should be: not a fault of the page.
    _problems[phone][:] = [p for p in _problems[phone] if "status of 400" not in p]
    phone.get_by_test_id("mark-3-dissatisfied").click()
    screenshot(phone, "livelihood-rating-ballot-phone")
    phone.get_by_test_id("cast").click()
    expect(phone.get_by_test_id("receipt")).to_have_text(
        re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= (phone.viewport_size or {})["width"], "the receipt scrolls sideways"
    phone.goto(f"/livelihood/ratings/{rating.pk}/ballot/")
    expect(phone.get_by_test_id("voted")).to_be_visible()
    assert_clean(phone)

    # 张伟 rates by his phone too (through the service: one phone is enough on screen).
    services.rating_cast(
        rating=rating,
        choices={a.pk: Rating.SATISFIED, b.pk: Rating.SATISFIED, c.pk: Rating.DISSATISFIED},
        by=zhang.user,
    )
    staff.reload()
    expect(staff.get_by_test_id("rating-status")).to_contain_text("已参加 2 人")
    staff.get_by_test_id("act-close").click()
    # Four representatives: A 2 满意 (≥ 2) 满意; B 1 + 1 基本满意 → 基本满意; C 0 → 不满意.
    decisions = staff.get_by_test_id("decision")
    expect(decisions).to_have_text(["满意", "基本满意", "不满意"])
    rectification = Rectification.objects.get()
    staff.get_by_test_id(f"rectification-{rectification.pk}").click()
    expect(staff.get_by_test_id("carried-into")).to_contain_text(str(cycle.year + 1))
    assert Project.objects.get(carried_from=c).cycle.year == cycle.year + 1

    phone.goto(f"/livelihood/ratings/{rating.pk}/results/")
    expect(phone.get_by_test_id("decision")).to_have_text(["满意", "基本满意", "不满意"])
    screenshot(phone, "livelihood-rating-results-phone")
    assert_clean(phone)
