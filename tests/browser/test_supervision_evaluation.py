"""云评议 in Chromium: 刘红 scores three departments on her phone (390 px) from the home
card — a grade fills a department's scores, a score left out is refused with the others
kept —, submits once and sees her receipt; 陈静 (district staff) closes and publishes on
a desktop; anyone opens the public ranking, which names no representative."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import SealedBallot, User
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation
from tests.browser.conftest import _problems, assert_clean, log_in, screenshot
from tests.conftest import World
from tests.supervision.evaluation_support import make_cast, make_evaluation

pytestmark = pytest.mark.browser


def test_a_representative_scores_on_the_phone_and_staff_publish_the_ranking(
    new_page: Callable[[str], Page],
    world: World,
    representative_user: User,
    district_staff: User,
) -> None:
    cast = make_cast(world, representative_user)
    evaluation = services.evaluation_open(
        evaluation=make_evaluation(world.district, cast.departments, district_staff),
        by=district_staff,
    )

    phone = new_page("phone")
    log_in(phone, representative_user)
    phone.get_by_test_id("card-go-score").click()
    expect(phone.get_by_test_id("subject-1")).to_contain_text("海州区交通运输局")
    # 交通: 优秀 fills both criteria with 95; 水务: typed; 住建: one left out at first.
    phone.get_by_test_id("grade-1-1").click()
    expect(phone.get_by_test_id("score-1-1")).to_have_value("95")
    expect(phone.get_by_test_id("score-1-2")).to_have_value("95")
    phone.get_by_test_id("score-2-1").fill("80")
    phone.get_by_test_id("score-2-2").fill("70")
    phone.get_by_test_id("score-3-1").fill("60")
    # The browser's own check would stop an empty required box; the server's is tested
    # by removing it, as an old phone without form validation would send it.
    phone.evaluate("document.querySelector('[data-testid=score-form]').noValidate = true")
    phone.get_by_test_id("submit-scores").click()
    expect(phone.get_by_test_id("ballot-error")).to_contain_text("还有1项没有打分")
    expect(phone.get_by_test_id("score-2-1")).to_have_value("80")
    expect(phone.get_by_test_id("score-1-2")).to_have_value("95")
    # The refusal is a 400 by design (the form comes back with its error): not a fault.
    _problems[phone][:] = [p for p in _problems[phone] if "status of 400" not in p]
    assert_clean(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    screenshot(phone, "evaluation-ballot-phone")
    phone.get_by_test_id("score-3-2").fill("90")
    phone.get_by_test_id("submit-scores").click()
    expect(phone.get_by_test_id("receipt")).to_be_visible()
    screenshot(phone, "evaluation-receipt-phone")
    assert SealedBallot.objects.filter(box=evaluation.box).count() == 1

    desk = new_page("desktop")
    desk.on("dialog", lambda dialog: dialog.accept())
    log_in(desk, district_staff)
    desk.goto(f"/evaluations/{evaluation.pk}/")
    expect(desk.get_by_test_id("participation")).to_contain_text("已评 1 人 / 应评 5 人")
    desk.get_by_test_id("act-evaluation_close").click()
    expect(desk.get_by_test_id("evaluation-status")).to_have_text("已计分")
    desk.get_by_test_id("act-evaluation_publish").click()
    expect(desk.get_by_test_id("evaluation-status")).to_have_text("已公布")
    assert Evaluation.objects.get().status == "published"
    desk.get_by_test_id("public-link").click()

    rows = desk.get_by_test_id("rank-row")
    expect(rows).to_have_count(3)
    # 交通 95, 95 → 95.00; 水务 0.7 × 80 + 0.3 × 70 = 77.00; 住建 0.7 × 60 + 0.3 × 90 = 69.00
    expect(rows.nth(0)).to_contain_text("海州区交通运输局")
    expect(rows.nth(0)).to_contain_text("95.00")
    expect(rows.nth(1)).to_contain_text("77.00")
    expect(rows.nth(2)).to_contain_text("69.00")
    expect(desk.locator("main")).not_to_contain_text("刘红")
    screenshot(desk, "evaluation-public-ranking")

    public = new_page("phone")
    public.goto(f"/p/evaluations/{evaluation.pk}/")
    expect(public.get_by_test_id("ranking")).to_contain_text("95.00")
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
