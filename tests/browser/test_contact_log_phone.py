"""A representative logs a voter contact on her phone, in Chinese, with today's date.

刘红 (a 海州区 representative) met voters in 桃园社区 this morning. On her phone she
taps 记录联系选民 on her home page: the date field already says today, so she only
writes where, how many and what was said, and saves. The log is stored with that
date. (The date input once came up empty in Chinese: it was given 2026/12/03, which
an <input type="date"> does not accept, and the form could not be saved.)
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import ContactKind, ContactLog
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.browser


def test_a_representative_logs_a_contact_with_todays_date_prefilled(
    phone_page: Page, world: World, representative_user: User
) -> None:
    page = phone_page
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)
    today = timezone.localdate()

    log_in(page, representative_user)
    page.get_by_role("link", name="记录联系选民").click()
    expect(page.get_by_role("heading", name="记录联系选民")).to_be_visible()

    date_input = page.get_by_label("日期", exact=True)
    expect(date_input).to_have_attribute("type", "date")
    expect(date_input).to_have_value(today.isoformat())
    expect(page.get_by_label("走访")).to_be_checked()  # the default way of contact

    page.get_by_label("地点", exact=True).fill("桃园社区党群服务中心")
    page.get_by_label("人数", exact=True).fill("6")
    page.get_by_label("情况摘要").fill("走访桃园社区，听取居民对加装电梯的意见。")
    page.get_by_label("群众反映的问题（每行一条）").fill("3号楼加装电梯资金分摊\n小区夜间路灯不亮")
    screenshot(page, "contact-log-new-phone")
    page.get_by_test_id("contact-submit").click()

    expect(page).to_have_url(re.compile(r"/contacts/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("已记录")
    log = ContactLog.objects.get(representative=liu)
    assert log.contacted_on == today
    assert log.kind == ContactKind.VISIT and log.people_count == 6
    assert log.place == "桃园社区党群服务中心"
    assert [p.text for p in log.problems.order_by("pk")] == [
        "3号楼加装电梯资金分摊",
        "小区夜间路灯不亮",
    ]
    assert_clean(page)
