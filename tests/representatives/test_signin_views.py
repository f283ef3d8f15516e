"""The SMS sign-in pages: /accounts/sms/ (ask for a code) and /accounts/sms/code/ (enter it).

刘红 (13900000001) signs in on her phone; a stranger tries numbers; a script tries many.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from congress.logging import RedactPersonalDataFilter
from congress.models import Role
from congress.sms import RecordingSmsBackend
from representatives.models import Representative
from tests.conftest import World
from tests.factories import grant
from tests.representatives.factories import RepresentativeFactory, seat
from tests.security.test_pii_logs import PHONE_PATTERN

MOBILE = "13900000001"
SIGNIN = "/accounts/sms/"
CODE = "/accounts/sms/code/"


@pytest.fixture(autouse=True)
def _recording_sms(settings: Any) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    cache.clear()  # the rate limits' counters


def _code() -> str:
    found = re.search(r"验证码为(\d+)", RecordingSmsBackend.outbox[-1].text)
    assert found
    return found.group(1)


def _ask(client: Client, mobile: str, capture: Any, **extra: str) -> Any:
    with capture(execute=True):
        return client.post(SIGNIN, {"mobile": mobile, **extra}, follow=True)


def test_the_login_page_offers_the_sms_sign_in(client: Client, db: None) -> None:
    page = client.get("/accounts/login/")

    assert 'href="/accounts/sms/"' in page.content.decode()
    assert "短信验证码登录" in page.content.decode()


def test_she_signs_in_with_the_code_from_her_phone(
    client: Client, representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    asked = _ask(client, MOBILE, django_capture_on_commit_callbacks)

    assert asked.redirect_chain == [(CODE, 302)]
    page = asked.content.decode()
    assert "若该号码已登记为代表的登录号码，验证码已发送" in page
    assert "139****0001" in page and MOBILE not in page
    signed_in = client.post(CODE, {"code": _code()})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert client.get("/").wsgi_request.user == representative.user


def test_she_goes_back_where_she_was_going(
    client: Client, representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, MOBILE, django_capture_on_commit_callbacks, next="/representatives/logs/")

    assert client.post(CODE, {"code": _code()})["Location"] == "/representatives/logs/"


def test_a_link_elsewhere_is_not_followed(
    client: Client, representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, MOBILE, django_capture_on_commit_callbacks, next="https://evil.example/")

    assert client.post(CODE, {"code": _code()})["Location"] == "/"


def test_a_replayed_code_is_refused(
    client: Client, representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, MOBILE, django_capture_on_commit_callbacks)
    code = _code()
    client.post(CODE, {"code": code})
    client.post("/accounts/logout/")

    other = Client()
    session = other.session
    session["sms_signin_number"] = MOBILE
    session.save()
    replayed = other.post(CODE, {"code": code})
    assert replayed.status_code == 400
    assert "该验证码已使用过" in replayed.content.decode()
    assert not replayed.wsgi_request.user.is_authenticated


def test_a_wrong_code_says_how_many_tries_are_left_and_keeps_the_page(
    client: Client, representative: Representative, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(client, MOBILE, django_capture_on_commit_callbacks)
    wrong = "000000" if _code() != "000000" else "111111"

    refused = client.post(CODE, {"code": wrong})
    assert refused.status_code == 400
    assert "验证码不正确，还可尝试4次。" in refused.content.decode()


def test_the_code_page_without_a_number_sends_back_to_the_first_step(
    client: Client, db: None
) -> None:
    assert client.get(CODE)["Location"] == SIGNIN


@pytest.mark.parametrize("who", ["unknown", "shared", "staff"])
def test_a_number_that_opens_no_login_reads_the_same_as_hers(
    who: str,
    world: World,
    client: Client,
    representative: Representative,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mobile = {"unknown": "13600000009", "shared": "13700000002", "staff": MOBILE}[who]
    if who == "shared":
        for name in ("王建", "王建华"):
            seat(RepresentativeFactory(name=name, region=world.village, mobile=mobile), world.town)
    if who == "staff":
        assert representative.user is not None
        grant(representative.user, Role.STAFF, region=world.town)
    hers = _ask(Client(), "13900000003", django_capture_on_commit_callbacks)
    RecordingSmsBackend.outbox.clear()

    theirs = _ask(client, mobile, django_capture_on_commit_callbacks)

    assert RecordingSmsBackend.outbox == []
    assert theirs.redirect_chain == hers.redirect_chain == [(CODE, 302)]
    neutral = "若该号码已登记为代表的登录号码，验证码已发送，请查收短信。"
    assert neutral in theirs.content.decode() and neutral in hers.content.decode()


def test_a_malformed_number_is_refused_and_kept_in_the_field(client: Client, db: None) -> None:
    refused = client.post(SIGNIN, {"mobile": "1390000"})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "请输入11位手机号码。" in page
    assert 'value="1390000"' in page


def test_one_number_may_ask_for_few_codes(
    client: Client,
    settings: Any,
    representative: Representative,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SMS_SIGNIN_RATE_PER_NUMBER = "2/h"
    for _time in range(2):
        assert _ask(client, MOBILE, django_capture_on_commit_callbacks).status_code == 200

    # From another address (the per-number limit is not the per-address one).
    third = Client(REMOTE_ADDR="10.0.0.9").post(SIGNIN, {"mobile": MOBILE})
    assert third.status_code == 400
    assert "提交过于频繁，请稍后再试。" in third.content.decode()
    assert len(RecordingSmsBackend.outbox) == 2


def test_one_address_may_ask_for_few_codes(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any, db: None
) -> None:
    settings.SMS_SIGNIN_RATE_PER_IP = "3/h"
    for number in range(3):
        assert client.post(SIGNIN, {"mobile": f"1360000000{number}"}).status_code == 302

    fourth = client.post(SIGNIN, {"mobile": "13600000005"})
    assert fourth.status_code == 400
    assert "提交过于频繁" in fourth.content.decode()


def test_neither_the_number_nor_the_code_reaches_a_log_line(
    client: Client,
    settings: Any,
    representative: Representative,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The console backend (which logs each SMS) sends the code; five wrong codes, a
    lockout and a sign-in later, no log line holds the number or the code, even
    before the masking filter."""
    settings.SMS_BACKEND = "congress.sms.ConsoleSmsBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNIN, {"mobile": MOBILE})
    for _try in range(6):
        client.post(CODE, {"code": "000001"})
    client.post(SIGNIN, {"mobile": "13600000009"})

    assert caplog.records, "the flow logged nothing: the scan proves nothing"
    assert any("one-time code, not logged" in record.getMessage() for record in caplog.records)
    formatter = logging.Formatter("%(name)s %(message)s")
    raw = [formatter.format(record) for record in caplog.records]
    assert not [line for line in raw if MOBILE in line or "13600000009" in line]
    redact = RedactPersonalDataFilter()
    for record in caplog.records:
        redact.filter(record)
        assert not PHONE_PATTERN.search(formatter.format(record))
