"""No anonymous route is unlimited: a flood from one address is answered 429.

Every route that the access matrix (tests/security/access_rules*.py) lets an
anonymous visitor or a citizen reach is tried from one address until it
refuses; the flood guard (congress.middleware.AnonymousRateLimitMiddleware)
and the endpoints' own tighter limits (congress.ratelimit) both count. The
tighter limits themselves are tested with their flows
(tests/suggestions_citizen/test_ratelimit.py, the station evaluation tests).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from congress.models import User
from tests.security.access_rules import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    RULES,
    Case,
)
from tests.security.conftest import Cast
from tests.security.matrix import _send, all_routes, write_figures

LIMIT = 3
# Each test gets addresses of its own (TEST-NET-3), so counters of other tests,
# in this process or another one sharing Redis, never meet these.
_addresses = (f"203.0.113.{n}" for n in itertools.count(1))
_routes_tried: set[str] = set()
CLOSED = (LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED)


@pytest.fixture(autouse=True)
def _tight_limit(settings: Any, tmp_path: Path) -> None:
    settings.ANONYMOUS_RATE_LIMIT = f"{LIMIT}/h"
    settings.MEDIA_ROOT = tmp_path


def _anonymous_cases() -> list[tuple[str, Case]]:
    routes = all_routes()
    found = []
    for key, rule in sorted(RULES.items()):
        for case in rule.cases:
            reachable = {case.expect["anonymous"], case.expect["citizen"]} - set(CLOSED)
            if reachable and (case.path or (case.route or key) in routes):
                found.append((key, case))
    return found


ANONYMOUS_CASES = _anonymous_cases()


def test_the_matrix_knows_public_routes() -> None:
    # Without them the next test would prove nothing.
    keys = {key for key, _ in ANONYMOUS_CASES}
    assert {"citizen_issue_new", "api-citizen-submit", "login"} <= keys, sorted(keys)


@pytest.mark.parametrize(
    ("key", "case"), ANONYMOUS_CASES, ids=[f"{k}:{c.label}" for k, c in ANONYMOUS_CASES]
)
def test_every_anonymous_route_refuses_a_flood(key: str, case: Case, cast: Cast) -> None:
    url = case.path or reverse(case.route or key, kwargs=case.args(cast))
    url += f"?{case.query}" if case.query else ""
    data = case.data(cast) if case.data else {}
    client = Client(REMOTE_ADDR=next(_addresses))
    statuses = [_send(client, case.method, url, data).status_code for _ in range(LIMIT + 2)]
    assert 429 in statuses, f"{case.method} {url} never refused a flood: {statuses}"
    assert statuses[-1] == 429, statuses
    _routes_tried.add(key)


def test_the_guard_answers_in_chinese_and_spares_others(district_staff: User) -> None:
    flooder = Client(REMOTE_ADDR=next(_addresses))
    for _ in range(LIMIT):
        assert flooder.get("/accounts/login/").status_code == 200
    page = flooder.get("/accounts/login/")
    assert page.status_code == 429 and page["Retry-After"] == "60"
    assert "访问过于频繁，请稍后再试。" in page.content.decode()
    api = flooder.get("/api/v1/citizen/categories/")
    assert api.status_code == 429
    assert api.json() == {"code": "throttled", "message": "访问过于频繁，请稍后再试。"}

    # Someone else, and a signed-in user at the same address, go on.
    assert Client(REMOTE_ADDR=next(_addresses)).get("/accounts/login/").status_code == 200
    flooder.force_login(district_staff)
    assert flooder.get("/").status_code == 200


def test_a_made_up_token_is_no_way_round_the_guard(district_staff: User) -> None:
    flooder = Client(REMOTE_ADDR=next(_addresses), HTTP_AUTHORIZATION="Token made-up")
    statuses = [flooder.get("/api/v1/citizen/categories/").status_code for _ in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]
    _row, token = AuthToken.objects.create(user=district_staff)
    client = Client(REMOTE_ADDR=next(_addresses), HTTP_AUTHORIZATION=f"Token {token}")
    assert {client.get("/api/v1/me/").status_code for _ in range(LIMIT + 2)} == {200}


def test_a_cache_outage_lets_visitors_through(settings: Any, db: None) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    cache.close()
    client = Client(REMOTE_ADDR=next(_addresses))
    assert {client.get("/accounts/login/").status_code for _ in range(LIMIT + 2)} == {200}


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    write_figures("ratelimits", {"anonymous_routes_flooded": len(_routes_tried)})
