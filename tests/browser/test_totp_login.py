"""Two-step login in the browser: district staff turn TOTP on and log in with a code.

陈静 (district staff) opens the user menu, scans — here: reads — the secret
from the set-up page, confirms with a code, logs out, and logs in again: after
the password she must give a code before any page; a wrong code is refused in
Chinese, the right one takes her where she was going.
"""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from congress.models import User
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _code_for(secret: str, steps_ahead: int = 0) -> str:
    """What her authenticator app would show: RFC 6238, 30-second steps, 6 digits."""
    totp = TOTP(base64.b32decode(secret), step=30, digits=6)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_staff_turn_on_two_step_login_and_need_a_code_next_time(
    desktop_page: Page, district_staff: User
) -> None:
    page = desktop_page
    log_in(page, district_staff)
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="两步验证").click()
    expect(page.get_by_test_id("otp-status")).to_contain_text("未启用")
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    expect(page.get_by_role("img", name="身份验证器二维码")).to_be_visible()
    screenshot(page, "otp-setup-desktop")

    page.get_by_label("验证码").fill(_code_for(secret))
    page.get_by_role("button", name="启用两步验证").click()
    page.goto("/accounts/otp/setup/")
    expect(page.get_by_test_id("otp-status")).to_contain_text("已启用")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    page.goto("/regions/")
    page.get_by_label("用户名", exact=True).fill(district_staff.username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    page.goto("/")  # no page before the code
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))

    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_test_id("otp-error")).to_contain_text("验证码不正确")
    screenshot(page, "otp-wrong-code-desktop")

    # After a wrong code django-otp makes the next try wait (1 s, doubling): she
    # reads her phone again. The code of the next step: the one she used to
    # turn it on is spent.
    page.wait_for_timeout(1500)
    page.get_by_label("验证码").fill(_code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_test_id("home-title")).to_have_text("陈静，您好")
    assert_clean(page)


def test_a_phone_shows_the_code_step_fitted_to_the_screen(
    phone_page: Page, district_staff: User
) -> None:
    log_in(phone_page, district_staff)
    phone_page.goto("/accounts/otp/setup/")
    secret = phone_page.get_by_test_id("otp-secret").inner_text().strip()
    phone_page.get_by_label("验证码").fill(_code_for(secret))
    phone_page.get_by_role("button", name="启用两步验证").click()
    phone_page.context.clear_cookies()

    phone_page.goto("/accounts/login/")
    phone_page.get_by_label("用户名", exact=True).fill(district_staff.username)
    phone_page.get_by_label("密码", exact=True).fill(PASSWORD)
    phone_page.locator("main").get_by_role("button", name="登录", exact=True).click()
    code_box = phone_page.get_by_label("验证码")
    expect(code_box).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the code page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "otp-verify-phone")
    code_box.fill(_code_for(secret, steps_ahead=1))
    phone_page.get_by_role("button", name="验证", exact=True).click()
    expect(phone_page.get_by_test_id("home-title")).to_be_visible()
    assert_clean(phone_page)
