"""A cast is not dated in the cache (issue 15; docs/security.md, 'The secret ballot').

The API's throttles keep, per user and per token, the times of their requests for the
rate window. The casting request is checked against them but not added: after a cast
by the API (token) or by the ballot page (session), the cache holds exactly the keys it
held before, and none named after the voter's id or the token's digest. The cache
inspected is the real one: Redis when REDIS_URL is set, the local-memory cache
otherwise. A control: an ordinary API call does leave the user's key, so the inspection
sees such keys; and a refused attempt (a second cast) is counted like any other call.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from knox.models import AuthToken

from congress.models import User
from livelihood_votes.models import LivelihoodVote
from tests.ballot.test_cast_writes_nothing_else import Voter, voter
from tests.conftest import World
from tests.livelihood_votes.conftest import candidates_of, make_vote, opened

pytestmark = pytest.mark.django_db

__all__ = ["voter"]  # the fixture, shared with the writes test


def keys() -> set[str]:
    store = caches["default"]
    if isinstance(store, RedisCache):
        client = store._cache.get_client()  # type: ignore[attr-defined]
        return {key.decode() for key in client.keys("*")}
    return set(store._cache.keys())  # type: ignore[attr-defined]


def named_after(found: set[str], user: User, digest: str) -> set[str]:
    """Keys naming the user (the per-user throttle's ``throttle_api-user_<id>``) or the
    token (its digest, whole or the per-token throttle's first 32 characters)."""
    marks = (f"throttle_api-user_{user.pk}", digest[:32])
    return {key for key in found if any(mark in key for mark in marks)}


@pytest.fixture
def vote(world: World, district_staff: User) -> LivelihoodVote:
    return opened(make_vote(world.district, district_staff), district_staff)


def test_a_cast_by_the_api_leaves_no_cache_key(voter: Voter, vote: LivelihoodVote) -> None:
    _row, token = AuthToken.objects.create(user=voter.user)
    digest = AuthToken.objects.get(user=voter.user).digest
    cache.clear()
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/livelihood-votes/{vote.pk}/ballot/"
    picked = [c.pk for c in candidates_of(vote)[:3]]
    before = keys()
    answer = api.post(url, json.dumps({"selected": picked}), content_type="application/json")
    assert answer.status_code == 201, answer.content
    after = keys()
    assert after == before
    assert named_after(after, voter.user, digest) == set()

    # A second cast is refused (the elector row) and counted like any other call.
    again = api.post(url, json.dumps({"selected": picked}), content_type="application/json")
    assert again.status_code == 409
    assert len(named_after(keys(), voter.user, digest)) == 2  # the user's and the token's


def test_an_ordinary_call_does_leave_the_users_key(voter: Voter, vote: LivelihoodVote) -> None:
    """The control: the inspection above would see a throttle key if one were written."""
    _row, token = AuthToken.objects.create(user=voter.user)
    digest = AuthToken.objects.get(user=voter.user).digest
    cache.clear()
    answer = Client(HTTP_AUTHORIZATION=f"Token {token}").get(
        f"/api/v1/livelihood-votes/{vote.pk}/candidates/"
    )
    assert answer.status_code == 200
    assert len(named_after(keys(), voter.user, digest)) == 2


def test_a_cast_by_the_page_leaves_no_cache_key(voter: Voter, vote: LivelihoodVote) -> None:
    url = f"/livelihood-votes/{vote.pk}/ballot/"
    picked = [str(c.pk) for c in candidates_of(vote)[:3]]
    assert voter.client.post(url, {"selected": picked}).status_code == 200  # 核对
    cache.clear()
    before = keys()
    answer = voter.client.post(url, {"selected": picked, "confirm": "1"})
    assert answer.status_code == 200
    after = keys()
    assert after == before
    assert not {key for key in after if f"_{voter.user.pk}" in key or voter.session_key in key}


def test_a_client_over_its_limit_is_refused_at_the_cast_too(
    voter: Voter, vote: LivelihoodVote, settings: object
) -> None:
    """Checked, not recorded: one call per minute allowed, one made, the cast refused."""
    setattr(settings, "API_RATE_PER_USER", "1/m")  # noqa: B010 - pytest-django's settings
    _row, token = AuthToken.objects.create(user=voter.user)
    cache.clear()
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/livelihood-votes/{vote.pk}/candidates/").status_code == 200
    picked = [c.pk for c in candidates_of(vote)[:3]]
    answer = api.post(
        f"/api/v1/livelihood-votes/{vote.pk}/ballot/",
        json.dumps({"selected": picked}),
        content_type="application/json",
    )
    assert answer.status_code == 429
