"""A campaign's monitoring point in Chromium: a stall-holder at 新浦农贸市场 scans the
point's QR code on a 375 px phone, forgets the required question (told beside it, what
they chose and wrote stays), answers and is thanked; 陈静 (海州区 staff, laptop) sees the
point's answer count, the results and the written answer, and lists it as a finding."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from congress.models import User
from supervision.models.monitoring import MonitoringPoint
from supervision.models.topics import Finding
from tests.browser.conftest import _problems, log_in, screenshot
from tests.conftest import World
from tests.supervision.monitoring_support import campaign_of, point_of, questions_of

pytestmark = pytest.mark.browser


def refused_with_400(page: Page) -> None:
    """A refused form comes back with status 400, which Chromium logs: expected here."""
    _problems[page][:] = [p for p in _problems[page] if "status of 400" not in p]


def test_answer_at_a_point_and_staff_see_it(
    new_page: Callable[[str], Page], world: World, district_staff: User
) -> None:
    cache.clear()
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    questions_of(topic, district_staff)  # 总体评价 (满意度), 办一件事跑几次, 意见建议

    phone = new_page("phone")
    phone.set_viewport_size({"width": 375, "height": 812})
    phone.goto(f"/m/{point.token}/")
    expect(phone.get_by_test_id("public-topic")).to_have_text("优化营商环境专项监督")
    expect(phone.get_by_test_id("public-point")).to_contain_text("新浦农贸市场")
    phone.get_by_label("两次").check()
    phone.get_by_label("意见建议").fill("施工围挡挡住店门口两个月")
    phone.get_by_test_id("submit-survey").click()
    expect(phone.get_by_test_id("question-error")).to_have_text("请回答此题。")
    expect(phone.get_by_label("两次")).to_be_checked()
    expect(phone.get_by_label("意见建议")).to_have_value("施工围挡挡住店门口两个月")
    refused_with_400(phone)
    screenshot(phone, "supervision-monitoring-phone-form")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at 375 px ({width})"
    phone.get_by_label("基本满意").check()
    phone.get_by_test_id("submit-survey").click()
    expect(phone.get_by_test_id("survey-thanks")).to_be_visible()
    screenshot(phone, "supervision-monitoring-phone-thanks")
    point.refresh_from_db()
    assert point.answers == 1

    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto(f"/supervision/topics/{topic.pk}/")
    staff.get_by_test_id("monitoring-link").click()
    expect(staff.get_by_test_id("point-answers")).to_have_text("答卷 1")
    staff.get_by_test_id("results-tab").click()
    expect(staff.get_by_test_id("satisfied").first).to_contain_text("100.0%")
    staff.get_by_test_id("texts-tab").click()
    expect(staff.get_by_test_id("text-row")).to_contain_text("施工围挡挡住店门口两个月")
    staff.get_by_test_id("to-finding").click()
    staff.get_by_label("问题", exact=True).fill("占道施工影响沿街商户经营")
    staff.get_by_label("责任单位").select_option(str(world.department.pk))
    staff.get_by_test_id("save").click()
    finding = Finding.objects.get()
    assert "施工围挡" in finding.description
    assert MonitoringPoint.objects.get().answers == 1
