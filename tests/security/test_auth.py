"""Logging in: strong passwords, lockout with a cool-off, idle expiry, TOTP, and the audit of it all.

The cast: district staff 陈静 (chenjing) logs in from her office; a guesser
tries her name from elsewhere; the clerk 赵磊 shares her office's address.
"""

from __future__ import annotations

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress.auth import OTP_DISABLED, OTP_ENABLED
from congress.middleware import SESSION_REFRESHED
from congress.models import AuditAction, AuditEvent, User
from tests.conftest import login
from tests.factories import PASSWORD

OFFICE = "10.1.2.3"
ELSEWHERE = "203.0.113.50"


def _attempt(client: Client, username: str, password: str, ip: str = OFFICE, **extra: str) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )
    return response.status_code


# --- passwords -------------------------------------------------------------


@pytest.mark.parametrize(
    "weak", ["12345678901", "password123", "chenjing2026", "Chenjing-1", "qwertyuiop", "short1!"]
)
def test_weak_passwords_are_refused(district_staff: User, weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, user=district_staff)


def test_a_long_unusual_password_is_accepted(district_staff: User) -> None:
    validate_password("海州-路灯-Lantern-2026!", user=district_staff)


def test_password_change_refuses_a_weak_new_password(client: Client, district_staff: User) -> None:
    response = login(client, district_staff).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "1234567890", "new_password2": "1234567890"},
    )
    assert response.status_code == 200  # the form again, with the errors
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)


# --- lockout ---------------------------------------------------------------


def test_five_failures_lock_the_name_from_that_address(
    client: Client, district_staff: User
) -> None:
    for _ in range(4):
        assert _attempt(client, "chenjing", "wrong-guess-123") == 200
    assert _attempt(client, "chenjing", "wrong-guess-123") == 429  # the fifth locks the pair
    # Now even the right password is refused, with a page that says when to retry.
    response = client.post(
        "/accounts/login/", {"username": "chenjing", "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 429
    assert "15 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_not_on_the_address_alone_nor_on_the_name_alone(
    client: Client, district_staff: User, clerk: User
) -> None:
    for _ in range(5):
        _attempt(client, "chenjing", "wrong-guess-123")
    # A colleague behind the same office NAT still gets in…
    assert _attempt(Client(), "zhaolei", PASSWORD) == 302
    # …and so does 陈静 herself from another address (a guesser cannot lock her out).
    assert _attempt(Client(), "chenjing", PASSWORD, ip=ELSEWHERE) == 302


def test_rotating_x_forwarded_for_does_not_reset_the_count(
    client: Client, district_staff: User
) -> None:
    # No trusted proxy is configured, so the header is the client's own words.
    for n in range(5):
        _attempt(client, "chenjing", "wrong-guess-123", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    status = _attempt(client, "chenjing", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert status == 429


def test_behind_one_trusted_proxy_the_lock_follows_the_proxys_address(
    client: Client, district_staff: User, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    for n in range(5):
        # The client forges the left part; the proxy appends the real address.
        forwarded = f"198.51.100.{n}, {ELSEWHERE}"
        _attempt(client, "chenjing", "wrong", ip="172.18.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    status = _attempt(
        client, "chenjing", PASSWORD, ip="172.18.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ELSEWHERE}"
    )
    assert status == 429
    other = f"9.9.9.9, {OFFICE}"
    assert (
        _attempt(Client(), "chenjing", PASSWORD, ip="172.18.0.2", HTTP_X_FORWARDED_FOR=other) == 302
    )


def test_the_lock_lifts_after_the_cool_off(client: Client, district_staff: User) -> None:
    for _ in range(5):
        _attempt(client, "chenjing", "wrong-guess-123")
    assert _attempt(client, "chenjing", PASSWORD) == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _attempt(client, "chenjing", PASSWORD) == 302


def test_a_success_clears_earlier_failures(client: Client, district_staff: User) -> None:
    for _ in range(4):
        _attempt(client, "chenjing", "typo")
    assert _attempt(client, "chenjing", PASSWORD) == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        _attempt(client, "chenjing", "typo")
    assert _attempt(client, "chenjing", PASSWORD) == 302


def test_every_login_and_failed_login_is_audited_with_the_address(
    client: Client, district_staff: User
) -> None:
    for _ in range(6):
        _attempt(client, "chenjing", "wrong-guess-123")
    _attempt(Client(), "chenjing", PASSWORD, ip=ELSEWHERE)
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="chenjing")
    assert failed.count() == 6  # including the one refused during the lockout
    assert set(failed.values_list("ip", flat=True)) == {OFFICE}
    success = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (success.actor, success.ip) == (district_staff, ELSEWHERE)
    assert not AuditEvent.objects.filter(detail__icontains="wrong-guess").exists()


# --- sessions --------------------------------------------------------------


def test_a_staff_session_expires_after_inactivity(
    client: Client, district_staff: User, settings: object
) -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600  # type: ignore[attr-defined]
    refresh = settings.SESSION_REFRESH_SECONDS  # type: ignore[attr-defined]
    assert 0 < refresh <= 600
    _attempt(client, "chenjing", PASSWORD)
    assert client.get("/").status_code == 200
    key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(minutes=5)

    def idle(seconds: int) -> None:
        """The session was last moved forward ``seconds`` ago and ends in 5 minutes."""
        store = SessionStore(session_key=key)
        store[SESSION_REFRESHED] = int(time.time()) - seconds
        store.save()
        Session.objects.filter(pk=key).update(expire_date=soon)

    # A page soon after the last refresh writes nothing: the row keeps its end…
    idle(10)
    client.get("/")
    assert Session.objects.get(pk=key).expire_date == soon
    # …activity after the interval moves the end forward…
    idle(refresh + 1)
    client.get("/")
    assert Session.objects.get(pk=key).expire_date > timezone.now() + datetime.timedelta(hours=7)
    # …and an idle session is gone.
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_ends_the_session_on_the_server(client: Client, district_staff: User) -> None:
    _attempt(client, "chenjing", PASSWORD)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(pk=key).exists()


# --- TOTP ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_throttle_between_codes(settings: object) -> None:
    # django-otp makes each wrong code double the wait before the next try (1 s,
    # 2 s, …); these stories type codes faster than a person, so it is off here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]


def test_wrong_codes_slow_the_next_try_down(district_staff: User, settings: object) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1  # type: ignore[attr-defined]
    device = TOTPDevice.objects.create(user=district_staff, confirmed=True, name="TOTP")
    assert not device.verify_token("000000")
    assert not device.verify_token(_code(device))  # refused: too soon after a wrong one


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _enable_totp(client: Client) -> TOTPDevice:
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200 and "otp-secret" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/accounts/otp/setup/", {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_staff_turn_on_totp_and_then_every_login_needs_a_code(
    client: Client, district_staff: User
) -> None:
    _attempt(client, "chenjing", PASSWORD)
    device = _enable_totp(client)
    assert AuditEvent.objects.filter(action=OTP_ENABLED, actor=district_staff).exists()
    client.post("/accounts/logout/")

    assert _attempt(client, "chenjing", PASSWORD) == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/accounts/otp/")
    assert client.get("/regions/3/").status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"
    assert client.get("/accounts/otp/setup/").status_code == 302  # not before the code

    wrong = client.post("/accounts/otp/", {"token": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    right = client.post(
        "/accounts/otp/", {"token": _code(device, steps_ahead=1), "next": "/regions/"}
    )
    assert right.status_code == 302 and right["Location"] == "/regions/"
    assert client.get("/").status_code == 200
    steps = AuditEvent.objects.filter(detail__step="totp").values_list("action", flat=True)
    assert sorted(steps) == [AuditAction.LOGIN, AuditAction.LOGIN_FAILED]


def test_five_wrong_codes_throw_the_half_login_away(client: Client, district_staff: User) -> None:
    _attempt(client, "chenjing", PASSWORD)
    _enable_totp(client)
    client.post("/accounts/logout/")
    _attempt(client, "chenjing", PASSWORD)
    for _ in range(5):
        response = client.post("/accounts/otp/", {"token": "123456"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_code_step_does_not_follow_an_outside_next(
    client: Client, district_staff: User
) -> None:
    _attempt(client, "chenjing", PASSWORD)
    device = _enable_totp(client)
    client.post("/accounts/logout/")
    _attempt(client, "chenjing", PASSWORD)
    response = client.post(
        "/accounts/otp/", {"token": _code(device, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_turning_totp_off_needs_a_current_code(client: Client, district_staff: User) -> None:
    _attempt(client, "chenjing", PASSWORD)
    device = _enable_totp(client)
    assert client.post("/accounts/otp/setup/", {"token": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.post("/accounts/otp/setup/", {"token": _code(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action=OTP_DISABLED, actor=district_staff).exists()
    client.post("/accounts/logout/")
    _attempt(client, "chenjing", PASSWORD)
    assert client.get("/").status_code == 200


def test_totp_setup_is_for_staff_and_administrators(
    client: Client, clerk: User, representative_user: User, administrator: User
) -> None:
    assert login(client, clerk).get("/accounts/otp/setup/").status_code == 404
    assert login(Client(), representative_user).get("/accounts/otp/setup/").status_code == 404
    assert login(Client(), administrator).get("/accounts/otp/setup/").status_code == 200
