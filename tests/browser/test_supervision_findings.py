"""A special inquiry's findings in Chromium: 陈静 (海州区 staff, laptop) drafts the 2026
plan, puts a special inquiry on it and lists a finding — first without a department
(refused, what she typed stays), then handed to 海州区交通运输局; 赵磊, the bureau's clerk,
reports progress and claims completion from his phone; 陈静 tries to close it off without
evidence (refused), then with evidence: the topic shows 1 of 1 closed off (销号清零)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from supervision.models.topics import Finding
from tests.browser.conftest import _problems, log_in, screenshot
from tests.conftest import World

pytestmark = pytest.mark.browser


def refused_with_400(page: Page) -> None:
    """A refused form comes back with status 400, which Chromium logs: expected here."""
    _problems[page][:] = [p for p in _problems[page] if "status of 400" not in p]


def test_topic_to_finding_closed_off(
    new_page: Callable[[str], Page], world: World, district_staff: User, clerk: User
) -> None:
    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto("/supervision/plans/")
    staff.get_by_test_id("new-plan").click()
    staff.get_by_label("人大").select_option(str(world.district.congress.pk))
    staff.get_by_label("年度").fill("2026")
    staff.get_by_label("名称").fill("海州区人大常委会2026年度监督工作计划")
    staff.get_by_test_id("save").click()
    staff.get_by_test_id("new-topic").click()
    staff.get_by_label("监督方式").select_option("inquiry")
    staff.get_by_label("议题", exact=True).fill("社会治安综合治理专题询问")
    staff.get_by_label(world.department.name).check()
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("topic-status")).to_have_text("计划中")
    staff.get_by_test_id("topic-start").click()
    expect(staff.get_by_test_id("topic-status")).to_have_text("实施中")
    staff.get_by_test_id("findings-link").click()
    staff.get_by_test_id("new-finding").click()
    staff.get_by_label("问题", exact=True).fill("夜间巡逻覆盖不足")
    staff.get_by_label("整改措施").fill("增加夜间巡逻班次")
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("form-errors")).to_contain_text("请指定责任单位")
    expect(staff.get_by_label("问题", exact=True)).to_have_value("夜间巡逻覆盖不足")
    refused_with_400(staff)
    staff.get_by_label("责任单位").select_option(str(world.department.pk))
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("finding-row")).to_have_count(1)
    expect(staff.get_by_test_id("progress")).to_contain_text("0 / 共 1")
    finding = Finding.objects.get()

    phone = new_page("phone")
    log_in(phone, clerk)
    phone.goto("/supervision/findings/")
    phone.get_by_test_id("finding-row").get_by_role("link").click()
    phone.get_by_test_id("action-progress").locator("summary").click()
    phone.get_by_test_id("action-progress").get_by_label("整改进展").fill("已排出新的巡逻班次")
    phone.get_by_test_id("do-progress").click()
    expect(phone.get_by_test_id("timeline")).to_contain_text("已排出新的巡逻班次")
    phone.get_by_test_id("action-claim_closure").locator("summary").click()
    phone.get_by_test_id("action-claim_closure").get_by_label("整改完成情况").fill(
        "巡逻已覆盖全部街区"
    )
    phone.get_by_test_id("do-claim_closure").click()
    expect(phone.get_by_test_id("finding-status")).to_have_text("申请销号")
    screenshot(phone, "supervision-finding-claimed-phone")

    staff.goto(f"/supervision/findings/{finding.pk}/")
    staff.get_by_test_id("action-close_off").locator("summary").click()
    staff.get_by_test_id("do-close_off").click()
    expect(staff.get_by_test_id("form-errors")).to_contain_text("销号须有依据")
    refused_with_400(staff)
    staff.get_by_test_id("action-close_off").get_by_label("销号依据（核实情况）").fill(
        "实地核查，整改到位"
    )
    staff.get_by_test_id("do-close_off").click()
    expect(staff.get_by_test_id("finding-status")).to_have_text("已销号")
    expect(staff.get_by_test_id("evidence")).to_contain_text("实地核查")
    staff.goto(f"/supervision/topics/{finding.topic_id}/findings/")
    expect(staff.get_by_test_id("progress")).to_contain_text("已销号清零")
    screenshot(staff, "supervision-findings-cleared")
