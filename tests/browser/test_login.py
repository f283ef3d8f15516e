"""Logging in through the real form, on a representative's phone and a staff desktop.

District staff (陈静, 海州区) is the persona: she logs in, lands on her home page
in Chinese, finds her navigation, and can switch the interface to English.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from tests.browser.conftest import assert_clean, log_in, screenshot, viewport_of

pytestmark = pytest.mark.browser

HOME_URL = re.compile(r"^http://[^/]+/$")


def test_district_staff_lands_on_the_chinese_home_page(page: Page, district_staff: User) -> None:
    log_in(page, district_staff)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".navbar-brand")).to_contain_text("代表履职管理系统")
    expect(page.get_by_test_id("home-title")).to_have_text("陈静，您好")
    expect(page.get_by_test_id("card-roles")).to_contain_text("海州区")
    screenshot(page, f"home-{viewport_of(page)}")
    assert_clean(page)


def test_a_wrong_password_is_refused_in_chinese(page: Page, district_staff: User) -> None:
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名", exact=True).fill(district_staff.username)
    page.get_by_label("密码", exact=True).fill("not-her-password")
    page.locator("main").get_by_role("button", name="登录", exact=True).click()

    expect(page.get_by_test_id("login-error")).to_have_text("用户名或密码不正确，请重新输入。")
    assert_clean(page)


def test_the_nav_toggler_opens_the_menu_on_a_phone(phone_page: Page, district_staff: User) -> None:
    log_in(phone_page, district_staff)
    regions = phone_page.get_by_role("link", name="行政区划")
    expect(regions).to_be_hidden()

    phone_page.get_by_role("button", name="展开导航").tap()

    expect(phone_page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    expect(phone_page.get_by_role("link", name="督办提醒")).to_be_visible()
    phone_page.get_by_test_id("nav-group-basics").tap()
    expect(regions).to_be_visible()
    expect(phone_page.get_by_role("link", name="承办单位")).to_be_visible()
    screenshot(phone_page, "nav-open-phone")
    regions.tap()
    expect(phone_page).to_have_url(re.compile(r"/regions/$"))
    assert_clean(phone_page)


def test_the_navigation_is_always_open_on_a_desktop(
    desktop_page: Page, district_staff: User
) -> None:
    log_in(desktop_page, district_staff)

    expect(desktop_page.get_by_role("button", name="展开导航")).to_be_hidden()
    for group in ("citizens", "representatives", "suggestions", "basics"):
        expect(desktop_page.get_by_test_id(f"nav-group-{group}")).to_be_visible()
    # One line: related entries are grouped in menus, so no label wraps.
    bar = desktop_page.locator(".app-navbar").bounding_box()
    assert bar is not None and bar["height"] < 80, bar
    desktop_page.get_by_test_id("nav-group-basics").click()
    expect(desktop_page.get_by_role("link", name="行政区划")).to_be_visible()
    expect(desktop_page.get_by_role("link", name="承办单位")).to_be_visible()
    screenshot(desktop_page, "nav-menu-desktop")


def test_the_user_menu_logs_out(desktop_page: Page, district_staff: User) -> None:
    log_in(desktop_page, district_staff)

    desktop_page.get_by_test_id("user-menu").click()
    desktop_page.get_by_test_id("logout").click()

    expect(desktop_page).to_have_url(re.compile(r"/accounts/login/$"))
    desktop_page.goto("/")
    expect(desktop_page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_the_footer_switches_the_language_to_english_and_back(
    desktop_page: Page, district_staff: User
) -> None:
    log_in(desktop_page, district_staff)
    switch = desktop_page.get_by_test_id("language-switch")

    switch.get_by_role("button", name="English").click()

    # The English catalogue is still being written: the page language is the contract.
    expect(desktop_page.locator("html")).to_have_attribute("lang", "en")
    expect(desktop_page).to_have_url(HOME_URL)
    screenshot(desktop_page, "home-desktop-en")

    switch.get_by_role("button", name="中文").click()

    expect(desktop_page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(desktop_page.get_by_test_id("home-title")).to_have_text("陈静，您好")
    assert_clean(desktop_page)
