"""API credentials: hashed, expiring, revocable tokens; throttled use; closed docs.

陈静 (district staff) issues herself a token on the "API 令牌" page for a
spreadsheet script. The database keeps no usable token; it stops working when
it expires or when she revokes it; 周文华 (city staff) cannot revoke hers. Once
she turns the second factor on, a password alone issues no token. A runaway
script is slowed down per user and per token with a 429 in the API's own
{code, message} shape. Without credentials the API says 401 and how to sign
in, and the schema and its documentation need a login in production.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from congress.api.tokens import PasswordChangeRequired, SecondFactorRequired, api_token_create
from congress.models import AuditAction, AuditEvent, User
from tests.conftest import login
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_counters() -> Iterator[None]:
    # User ids repeat from test to test: start every story with no requests counted.
    cache.clear()
    yield
    cache.clear()


def _issue(client: Client) -> str:
    page = client.post("/accounts/api-tokens/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    match = re.search(
        r'data-testid="issued-token">.*?<code[^>]*>([0-9a-f]+)</code>', page.content.decode(), re.S
    )
    assert match, "the new token is shown once on the page"
    return match.group(1)


def _me(token: str) -> Any:
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_stored_hashed_and_works_until_revoked(
    client: Client, district_staff: User, city_staff: User
) -> None:
    login(client, district_staff)
    token = _issue(client)
    assert _me(token).status_code == 200
    assert _me(token).json()["username"] == "chenjing"

    row = AuthToken.objects.get(user=district_staff)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = [str(value) for value in cursor.fetchone()]
    assert token not in stored  # the database holds no usable token ...
    for value in (row.digest, row.token_key):
        assert _me(value).status_code == 401  # ... and nothing stored opens the API
    assert len(row.digest) == 128  # SHA-512
    expected_expiry = timezone.now() + datetime.timedelta(days=30)
    assert abs((row.expiry - expected_expiry).total_seconds()) < 60

    listing = client.get("/accounts/api-tokens/").content.decode()
    assert token[:8] in listing and token not in listing  # named by its first characters only

    # Another user cannot revoke it (the digest names no token of theirs): 404.
    login(client, city_staff)
    assert client.post("/accounts/api-tokens/revoke/", {"token": row.digest}).status_code == 404
    assert _me(token).status_code == 200

    login(client, district_staff)
    response = client.post("/accounts/api-tokens/revoke/", {"token": row.digest})
    assert response.status_code == 302
    revoked = _me(token)
    assert revoked.status_code == 401
    assert revoked.json() == {
        "code": "authentication_failed",
        "message": "API 令牌无效、已过期或已被撤销。",
    }
    actions = AuditEvent.objects.filter(actor=district_staff).values_list("action", flat=True)
    assert {AuditAction.API_TOKEN_CREATED, AuditAction.API_TOKEN_REVOKED} <= set(actions)


def test_an_expired_token_is_refused(client: Client, district_staff: User) -> None:
    login(client, district_staff)
    token = _issue(client)
    AuthToken.objects.filter(user=district_staff).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = _me(token)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=district_staff).exists()  # cleared on use
    assert 'data-testid="api-token"' not in client.get("/accounts/api-tokens/").content.decode()


def test_a_request_with_a_token_checks_it_once(client: Client, district_staff: User) -> None:
    """The flood guard in front of the API and the API's authentication read the same
    token: knox's check (the token, then its owner's tokens) runs once, not twice."""
    login(client, district_staff)
    token = _issue(client)
    _me(token)  # per-process caches warm
    with CaptureQueriesContext(connection) as captured:
        assert _me(token).status_code == 200
    token_reads = [q["sql"] for q in captured.captured_queries if "knox_authtoken" in q["sql"]]
    assert len(token_reads) == 2, token_reads
    # A made-up token is refused by the API all the same.
    assert _me("0" * len(token)).status_code == 401


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_a_user_with_a_second_factor_gets_no_token_from_a_password_alone(
    client: Client, district_staff: User, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=district_staff, confirmed=True, name="TOTP")
    signed_in = client.post("/accounts/login/", {"username": "chenjing", "password": PASSWORD})
    assert signed_in.status_code == 302

    refused = client.post("/accounts/api-tokens/")
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/otp/")
    assert not AuthToken.objects.exists()

    # The service refuses too, whichever interface calls it.
    request = RequestFactory().post("/accounts/api-tokens/")
    request.session = SessionStore()
    request.user = district_staff
    with pytest.raises(SecondFactorRequired):
        api_token_create(request=request, by=district_staff)
    assert not AuthToken.objects.exists()

    assert client.post("/accounts/otp/", {"token": _code(device)}).status_code == 302
    assert _me(_issue(client)).status_code == 200


def test_a_user_who_owes_a_new_password_gets_no_token(client: Client, district_staff: User) -> None:
    # An administrator reset 陈静's password: the one she was given is known to
    # someone else, so it must not become a token that outlives it.
    district_staff.must_change_password = True
    district_staff.save(update_fields=["must_change_password"])
    login(client, district_staff)

    held_back = client.post("/accounts/api-tokens/")
    assert held_back.status_code == 302 and "/accounts/password/" in held_back["Location"]

    request = RequestFactory().post("/accounts/api-tokens/")
    request.session = SessionStore()
    request.user = district_staff
    with pytest.raises(PasswordChangeRequired):
        api_token_create(request=request, by=district_staff)
    assert not AuthToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_CREATED).exists()

    district_staff.must_change_password = False
    district_staff.save(update_fields=["must_change_password"])
    assert _me(_issue(client)).status_code == 200


def test_a_signed_in_user_is_throttled_with_a_clear_429(
    client: Client, district_staff: User, settings: Any
) -> None:
    settings.API_RATE_PER_USER = "3/m"
    login(client, district_staff)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/regions/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.json()
    assert body["code"] == "throttled"
    assert body["message"].startswith("请求过于频繁，请") and body["message"].endswith("秒后再试。")


def test_each_token_has_its_own_limit_within_the_users(
    client: Client, district_staff: User, settings: Any
) -> None:
    settings.API_RATE_PER_CREDENTIAL = "2/m"
    settings.API_RATE_PER_USER = "4/m"
    login(client, district_staff)
    first, second = _issue(client), _issue(client)
    assert [_me(first).status_code for _ in range(3)] == [200, 200, 429]
    # The second token has its own count, but the user has had three of four requests.
    assert [_me(second).status_code for _ in range(2)] == [200, 429]


def test_without_credentials_the_api_answers_401_with_a_challenge(db: None) -> None:
    response = Client().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "message": "请先登录，或在 Authorization 头中提供 API 令牌。",
    }
    wrong = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == "Token"


def test_schema_and_docs_need_a_login_in_production(
    client: Client, district_staff: User, settings: Any
) -> None:
    assert settings.DEBUG is False and settings.API_DOCS_PUBLIC is False  # production defaults
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")

    login(client, district_staff)
    assert client.get("/api/schema/?format=json").status_code == 200
    assert client.get("/api/docs/").status_code == 200

    settings.API_DOCS_PUBLIC = True  # an installation may open them on purpose
    assert Client().get("/api/schema/?format=json").status_code == 200


def test_production_answers_json_not_the_browsable_api(
    client: Client, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"


def test_administrators_list_and_revoke_tokens_in_the_admin_but_cannot_mint_them(
    client: Client, district_staff: User, administrator: User
) -> None:
    row, token = AuthToken.objects.create(user=district_staff)
    login(client, administrator)
    listing = client.get("/admin/knox/authtoken/").content.decode()
    assert token[:8] in listing and token not in listing and "陈静" in listing
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
    delete_url = f"/admin/knox/authtoken/{row.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert _me(token).status_code == 401
    # Through the same service as the owner's page: the trail names who revoked whose token.
    revoked = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKED)
    assert revoked.actor == administrator and revoked.ip == "198.51.100.9"
    assert revoked.detail == {"token": token[:8], "owner": "chenjing"}

    # The list's bulk "delete selected" is audited the same way, one row per token.
    rows = [AuthToken.objects.create(user=district_staff)[0] for _ in range(2)]
    bulk = client.post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    assert bulk.status_code == 302 and not AuthToken.objects.exists()
    assert (
        AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED, actor=administrator).count()
        == 3
    )


def test_a_new_password_ends_the_users_api_tokens(
    client: Client, district_staff: User, city_staff: User, administrator: User
) -> None:
    """A token issued under a password must not outlive it: whoever changes a leaked
    password must not find a copy of the token still working. Another user's token is
    untouched."""
    _row, own = AuthToken.objects.create(user=district_staff)
    _other_row, others = AuthToken.objects.create(user=city_staff)
    login(client, district_staff)
    new = "海州-路灯-Lantern-2026!"
    changed = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert _me(own).status_code == 401
    assert _me(others).status_code == 200

    # An administrator's reset in the admin ends them too.
    _row, again = AuthToken.objects.create(user=city_staff)
    login(client, administrator)
    reset = client.post(
        f"/admin/congress/user/{city_staff.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert reset.status_code == 302, reset.content.decode()[:300]
    assert _me(others).status_code == 401 and _me(again).status_code == 401
