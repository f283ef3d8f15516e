"""Signing in by SMS code, through the services (representatives/signin.py).

刘红 (13900000001) is a representative of 海州区 and 新浦街道 with a login. The codes
are read from the recording SMS backend, as her phone would show them.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import Role, SignInCode, User
from congress.sms import RecordingSmsBackend
from representatives import services
from representatives.models import MandateStatus, Representative
from representatives.signin import number_digest, signin_code_request, signin_code_verify
from tests.conftest import World
from tests.factories import grant
from tests.representatives.factories import RepresentativeFactory, seat

MOBILE = "13900000001"


@pytest.fixture(autouse=True)
def _recording_sms(settings: Any) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    cache.clear()  # the rate limits' counters


def _texts_to(mobile: str) -> list[str]:
    return [sms.text for sms in RecordingSmsBackend.outbox if sms.mobile == mobile]


def _code(mobile: str = MOBILE) -> str:
    found = re.search(r"验证码为(\d+)", _texts_to(mobile)[-1])
    assert found, _texts_to(mobile)
    return found.group(1)


def _ask(mobile: str, capture: Any) -> None:
    with capture(execute=True):  # the SMS goes out after commit
        signin_code_request(mobile=mobile)


def test_a_code_signs_her_in_once(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)

    assert len(_texts_to(MOBILE)) == 1
    code = _code()
    assert len(code) == 6
    assert "5分钟内有效" in _texts_to(MOBILE)[0]
    assert signin_code_verify(mobile=MOBILE, code=code) == representative.user
    with pytest.raises(RuleViolation, match="已使用过"):
        signin_code_verify(mobile=MOBILE, code=code)


def test_neither_the_number_nor_the_code_is_stored(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)
    code = _code()

    row = SignInCode.objects.get()
    stored = " ".join(str(value) for value in SignInCode.objects.values().get().values())
    assert MOBILE not in stored
    assert code not in row.code_digest
    assert row.number_digest == number_digest(MOBILE)


def test_a_number_typed_with_spaces_or_the_country_code_is_the_same_number(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask("+86 139 0000 0001", django_capture_on_commit_callbacks)

    assert signin_code_verify(mobile="139-0000-0001", code=_code()) == representative.user


def test_an_expired_code_is_refused(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)
    code = _code()
    # Five minutes later (the row is moved, not the clock).
    SignInCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(RuleViolation, match="验证码已过期"):
        signin_code_verify(mobile=MOBILE, code=code)


def test_a_new_code_replaces_the_old_one(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)
    first = _code()
    _ask(MOBILE, django_capture_on_commit_callbacks)
    second = _code()

    if first != second:
        with pytest.raises(RuleViolation, match="验证码不正确"):
            signin_code_verify(mobile=MOBILE, code=first)
    assert signin_code_verify(mobile=MOBILE, code=second) == representative.user


def test_five_wrong_codes_lock_the_number_and_the_sixth_try_is_refused(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _try in range(5):
        with pytest.raises(RuleViolation) as refused:
            signin_code_verify(mobile=MOBILE, code=wrong)
        messages.append(str(refused.value.message))

    assert messages[:4] == [f"验证码不正确，还可尝试{left}次。" for left in (4, 3, 2, 1)]
    assert "错误次数过多" in messages[4] and "30分钟后再试" in messages[4]
    with pytest.raises(RuleViolation, match="错误次数过多"):
        signin_code_verify(mobile=MOBILE, code=code)  # the right code, the 6th try
    with pytest.raises(RuleViolation, match="错误次数过多"):
        signin_code_request(mobile=MOBILE)  # no new code while locked
    assert len(_texts_to(MOBILE)) == 1


def test_after_the_lock_a_new_code_works(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(MOBILE, django_capture_on_commit_callbacks)
    for _try in range(5):
        with pytest.raises(RuleViolation):
            signin_code_verify(mobile=MOBILE, code="abcdef")
    SignInCode.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))

    _ask(MOBILE, django_capture_on_commit_callbacks)
    assert signin_code_verify(mobile=MOBILE, code=_code()) == representative.user


@pytest.mark.parametrize("who", ["unknown", "shared", "no login", "staff", "clerk"])
def test_a_number_that_opens_no_login_gets_no_sms_and_the_same_answer(
    who: str,
    world: World,
    representative: Representative,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The service answers exactly as for 刘红's number (no error), sends nothing, and a
    guessed code fails the same way."""
    mobile = {"unknown": "13600000009", "shared": "13700000002"}.get(who, MOBILE)
    if who == "shared":
        for name in ("王建", "王建华"):
            seat(RepresentativeFactory(name=name, region=world.village, mobile=mobile), world.town)
    elif who == "no login":
        Representative.objects.filter(pk=representative.pk).update(user=None)
    elif who in ("staff", "clerk"):
        user = representative.user
        assert user is not None
        if who == "staff":
            grant(user, Role.STAFF, region=world.town)
        else:
            grant(user, Role.HANDLER, department=world.department)

    _ask(mobile, django_capture_on_commit_callbacks)

    assert RecordingSmsBackend.outbox == []
    assert SignInCode.objects.get(number_digest=number_digest(mobile)).user is None
    with pytest.raises(RuleViolation, match="验证码不正确，还可尝试4次"):
        signin_code_verify(mobile=mobile, code="123456")


def test_an_unknown_number_locks_like_a_known_one(db: None) -> None:
    signin_code_request(mobile="13600000009")
    for _try in range(4):
        with pytest.raises(RuleViolation, match="验证码不正确"):
            signin_code_verify(mobile="13600000009", code="123456")
    with pytest.raises(RuleViolation, match="错误次数过多"):
        signin_code_verify(mobile="13600000009", code="123456")


def test_a_malformed_number_is_refused_with_what_is_expected(db: None) -> None:
    with pytest.raises(RuleViolation, match="请输入11位手机号码"):
        signin_code_request(mobile="12345")


def test_a_code_never_asked_for_is_refused(db: None) -> None:
    with pytest.raises(RuleViolation, match="请先获取验证码"):
        signin_code_verify(mobile=MOBILE, code="123456")


def test_ending_her_last_seat_ends_the_sms_sign_in(
    representative: Representative,
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A code sent while she still sat is refused once her seats have ended, and no
    new code is sent."""
    _ask(MOBILE, django_capture_on_commit_callbacks)
    code = _code()
    for mandate in representative.mandates.filter(status=MandateStatus.ACTIVE):
        services.mandate_end(
            mandate=mandate, ends_on=datetime.date(2026, 1, 1), reason="届满", by=None
        )

    with pytest.raises(RuleViolation, match="验证码不正确"):
        signin_code_verify(mobile=MOBILE, code=code)
    _ask(MOBILE, django_capture_on_commit_callbacks)
    assert len(_texts_to(MOBILE)) == 1


def test_one_seat_ended_of_two_keeps_the_sign_in(
    representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    first = representative.mandates.filter(status=MandateStatus.ACTIVE).first()
    assert first is not None
    services.mandate_end(mandate=first, ends_on=datetime.date(2026, 1, 1), reason="届满", by=None)

    _ask(MOBILE, django_capture_on_commit_callbacks)
    assert signin_code_verify(mobile=MOBILE, code=_code()) == representative.user
