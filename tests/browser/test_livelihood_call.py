"""The call for proposals in Chromium: a citizen on a phone opens 海州区's call from the
station's public page, proposes a pocket park (first forgetting the place: refused, with
what she typed kept), and keeps the tracking link; 陈静 (海州区 staff, laptop) screens it
out with a reason; the citizen's link then shows the outcome. 刘红, on her phone, turns a
citizen's problem into a 民生实事 proposal from its case, and it is counted in the call."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import User
from livelihood_votes.cycles import services
from livelihood_votes.models import Proposal, ProposalChannel
from suggestions.citizen import services as citizen
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, StationFactory, seat

pytestmark = pytest.mark.browser


def test_a_citizen_proposes_and_sees_the_outcome(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
) -> None:
    cache.clear()
    today = timezone.localdate()
    cycle = services.cycle_create(
        congress=world.district.congress,
        year=today.year + 1,
        title="海州区民生实事项目",
        by=district_staff,
        call_opens_on=today - datetime.timedelta(days=3),
        call_closes_on=today + datetime.timedelta(days=40),
    )
    station = StationFactory(region=world.village)

    phone = new_page("phone")
    phone.goto(f"/s/{station.public_token}/")
    phone.get_by_test_id("btn-livelihood-call").click()
    phone.get_by_role("link", name="海州区民生实事项目").click()
    phone.get_by_test_id("propose-link").click()
    phone.get_by_label("项目名称").fill("桃园社区建设口袋公园")
    phone.get_by_label("要办的实事").fill("社区没有休闲场地，老人孩子没处去。")
    phone.get_by_label("所在地区").select_option(str(world.town.pk))
    phone.get_by_label("领域").select_option("environment")
    phone.get_by_label("手机号").fill("13955556666")
    phone.get_by_test_id("submit-proposal").click()
    expect(phone.get_by_test_id("form-errors")).to_contain_text("请填写项目实施地点")
    expect(phone.get_by_label("项目名称")).to_have_value("桃园社区建设口袋公园")
    phone.get_by_label("实施地点").fill("桃园社区东侧空地")
    phone.get_by_test_id("submit-proposal").click()
    expect(phone.get_by_test_id("submitted")).to_be_visible()
    expect(phone.get_by_test_id("proposal-status")).to_have_text("待筛选")
    tracking_url = phone.url
    assert "13955556666" not in phone.content()
    screenshot(phone, "livelihood-call-tracking-phone")

    proposal = Proposal.objects.get()
    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto(cycle.get_absolute_url())
    expect(staff.get_by_test_id("cycle-phase")).to_contain_text("征集项目建议")
    staff.get_by_test_id("screening-link").click()
    staff.get_by_role("link", name=f"#{proposal.pk} 桃园社区建设口袋公园").click()
    staff.get_by_label("不予采纳原因").select_option("not_feasible")
    staff.locator("#screen_out_note").fill("用地尚未落实，明年再议")
    staff.get_by_test_id("act-screen-out").click()
    expect(staff.get_by_test_id("proposal-status")).to_have_text("未采纳")

    phone.goto(tracking_url)
    expect(phone.get_by_test_id("proposal-status")).to_have_text("未采纳")
    expect(phone.get_by_test_id("screening-reason")).to_contain_text("条件尚不具备")
    expect(phone.get_by_test_id("track-events")).to_contain_text("用地尚未落实，明年再议")


def test_a_problem_converted_from_its_case_lands_in_the_call(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
    representative_user: User,
) -> None:
    cache.clear()
    today = timezone.localdate()
    cycle = services.cycle_create(
        congress=world.district.congress,
        year=today.year + 1,
        title="海州区民生实事项目",
        by=district_staff,
        call_opens_on=today - datetime.timedelta(days=3),
        call_closes_on=today + datetime.timedelta(days=40),
    )
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)
    citizen.categories_ensure_defaults()
    issue, _created = citizen.citizen_issue_submit(
        submission=citizen.Submission(
            category=IssueCategory.objects.get(code="roads"),
            description="桃园社区到镇上没有公交，老人看病不方便",
            region=world.village,
            station=None,
            representative=liu,
            mobile="13812345678",
            citizen_name="张建国",
            consent=True,
        ),
        idempotency_key=uuid.uuid4(),
    )
    citizen.citizen_issue_accept(issue=issue, by=district_staff)

    phone = new_page("phone")
    log_in(phone, representative_user)
    phone.goto(f"/issues/{issue.pk}/")
    phone.get_by_test_id("open-convert").click()
    phone.get_by_test_id("form-convert").get_by_label("转为").select_option("livelihood")
    phone.get_by_test_id("do-convert").click()
    proposal = Proposal.objects.get()
    assert (proposal.cycle_id, proposal.channel) == (cycle.pk, ProposalChannel.PROBLEM)

    visitor = new_page("phone")
    visitor.goto(f"/livelihood-call/{cycle.pk}/")
    expect(visitor.get_by_test_id("call-total")).to_have_text("1")
    expect(visitor.get_by_test_id("counts-by-area")).to_contain_text("新浦街道")
    assert "张建国" not in visitor.content() and "13812345678" not in visitor.content()
    # The citizen's own link says where the problem went.
    visitor.goto(issue.get_tracking_url())
    expect(visitor.locator("main")).to_contain_text("列入海州区民生实事项目的项目建议征集")
