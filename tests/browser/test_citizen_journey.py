"""The full citizen journey on phones (390 px), in a real headless Chromium.

A citizen scans the QR code of 桃园社区代表联络站 and reports a pothole with a photo;
district staff (陈静) accept it and hand it to the transport bureau; the clerk (赵磊)
signs for it and replies; the representative (刘红) reports back; the citizen rates
it 不满意, so it is reopened; the bureau replies again, 刘红 reports back again, and
the citizen rates it 满意: closed. The citizen's timeline is checked at every step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import (
    GridAssignment,
    Representative,
    Station,
    StationKind,
    StationMember,
)
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueStatus
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.suggestions_citizen.conftest import jpeg_bytes, make_representative

pytestmark = pytest.mark.browser


@pytest.fixture
def liu(world: World, representative_user: User) -> Representative:
    rep = make_representative("刘红", world.village, representative_user)
    GridAssignment.objects.create(representative=rep, grid=world.grid)
    return rep


@pytest.fixture
def station(world: World, liu: Representative) -> Station:
    services.categories_ensure_defaults()
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    StationMember.objects.create(station=station, representative=liu, role="head")
    return station


def _timeline(page: Page) -> list[str]:
    return [
        text.strip() for text in page.get_by_test_id("timeline").locator("li").all_inner_texts()
    ]


def _act(page: Page, issue: CitizenIssue, action: str, fill: Callable[[Page], None]) -> None:
    page.goto(reverse("citizen_issue_detail", args=[issue.pk]))
    page.get_by_test_id(f"open-{action}").click()
    form = page.get_by_test_id(f"form-{action}")
    expect(form).to_be_visible()
    fill(page)
    form.get_by_test_id(f"do-{action}").click()
    expect(page.locator(".alert-success")).to_contain_text("已办理")


def _rate(page: Page, tracking_url: str, rating: str) -> None:
    page.goto(tracking_url)
    form = page.get_by_test_id("rate-form")
    expect(form).to_be_visible()
    form.get_by_label(rating, exact=True).check()
    form.get_by_test_id("rate-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("感谢您的评价")


def test_a_citizen_problem_travels_to_a_rated_close(
    new_page: Callable[[str], Page],
    world: World,
    station: Station,
    liu: Representative,
    district_staff: User,
    clerk: User,
    tmp_path: Path,
) -> None:
    citizen = new_page("phone")
    # Scan: the QR code opens the station's public page; the citizen taps the button.
    citizen.goto(reverse("public_station", args=[station.public_token]))
    citizen.get_by_test_id("btn-issue").click()
    expect(citizen.get_by_test_id("submit-title")).to_be_visible()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390

    picture = tmp_path / "pothole.jpg"
    picture.write_bytes(jpeg_bytes((800, 600), gps=True))
    citizen.locator("label", has_text="道路交通").click()
    citizen.get_by_label("问题描述").fill("幸福路口有一个大坑，下雨天积水看不见，已经有人摔倒。")
    citizen.get_by_label("详细地点").fill("幸福路与桃园路交叉口")
    citizen.locator("#id_photos").set_input_files(str(picture))
    expect(citizen.locator(".photo-thumb")).to_have_count(1)
    citizen.get_by_label("手机号").fill("13812345678")
    citizen.get_by_label("我已阅读并同意《个人信息处理告知》").check()
    screenshot(citizen, "citizen-submit-phone")
    citizen.get_by_test_id("submit-issue").click()

    # The tracking page: code, status, the first line of the timeline.
    expect(citizen.get_by_test_id("submitted")).to_be_visible()
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert "13812345678" not in citizen.content()
    tracking_url = re.sub(r"\?new=1$", "", citizen.url)
    expect(citizen.get_by_test_id("issue-status")).to_have_text("待受理")
    assert _timeline(citizen)[-1].endswith(f"您反映的问题已提交，查询码 {code}。")
    screenshot(citizen, "citizen-tracking-phone")
    issue = CitizenIssue.objects.get(tracking_code=code)
    assert issue.photos.count() == 1

    # Staff accept it (刘红 answers for the grid) and hand it to the transport bureau.
    staff = new_page("phone")
    log_in(staff, district_staff)
    staff.goto(reverse("citizen_issue_list"))
    expect(staff.get_by_test_id("issue-row")).to_have_count(1)
    screenshot(staff, "citizen-staff-list-phone")
    staff.goto(reverse("citizen_issue_detail", args=[issue.pk]))
    expect(staff.get_by_test_id("masked-mobile")).to_have_text("138****5678")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(staff, "citizen-staff-detail-phone")
    _act(staff, issue, "accept", lambda page: None)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.WITH_REPRESENTATIVE and issue.handler == liu
    _act(
        staff,
        issue,
        "forward",
        lambda page: (
            page.get_by_test_id("form-forward")
            .get_by_label("承办单位")
            .select_option(label=world.department.name)
        ),
    )
    citizen.goto(tracking_url)
    expect(citizen.get_by_test_id("issue-status")).to_have_text("部门办理中")
    assert any("已交有关部门办理" in line for line in _timeline(citizen))

    clerk_page = new_page("phone")
    log_in(clerk_page, clerk)
    rep_page = new_page("phone")
    log_in(rep_page, liu.user)  # type: ignore[arg-type]

    def department_replies(text: str, sign: bool) -> None:
        if sign:
            _act(clerk_page, issue, "dept_accept", lambda page: None)
        _act(
            clerk_page,
            issue,
            "dept_reply",
            lambda page: (
                page.get_by_test_id("form-dept_reply").get_by_label("办理情况及答复").fill(text)
            ),
        )

    def representative_reports(text: str) -> None:
        _act(
            rep_page,
            issue,
            "report_back",
            lambda page: (
                page.get_by_test_id("form-report_back").get_by_label("给群众的答复").fill(text)
            ),
        )

    department_replies("已安排养护队修补坑洼路面。", sign=True)
    representative_reports("交通局已修补路面，请您查看。")
    citizen.goto(tracking_url)
    expect(citizen.get_by_test_id("issue-status")).to_have_text("已答复待评价")
    assert "交通局已修补路面，请您查看。" in _timeline(citizen)[-1]

    # 不满意: reopened with its own deadline, back with the department.
    _rate(citizen, tracking_url, "不满意")
    expect(citizen.get_by_test_id("issue-status")).to_have_text("部门办理中")
    assert "您对办理结果不满意，已安排重新办理" in _timeline(citizen)[-1]
    issue.refresh_from_db()
    assert issue.reopen_count == 1

    department_replies("已重新铺设沥青并设置警示标志。", sign=False)
    representative_reports("路面已重新铺设，欢迎继续监督。")
    _rate(citizen, tracking_url, "满意")
    expect(citizen.get_by_test_id("issue-status")).to_have_text("已办结")
    lines = _timeline(citizen)
    assert lines[-1].endswith("感谢您的评价（满意）。本件已办结。")
    assert len([line for line in lines if "已受理" in line]) == 1
    # No staff names on the citizen's page, ever.
    assert not any(name in citizen.content() for name in ("陈静", "赵磊", "刘红"))
    screenshot(citizen, "citizen-closed-phone")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.rating == "satisfied"
