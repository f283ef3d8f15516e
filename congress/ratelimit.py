"""Rate limits for the public (no-login) endpoints, on django-ratelimit.

The key is the client address from ``congress.net.client_ip``, which trusts only
``TRUSTED_PROXY_COUNT`` proxies: a client that rotates X-Forwarded-For changes
only the part of the header we ignore, so it keeps hitting the same counter.
Feature apps add their own keys (a hash of a phone number, say) with ``limit``.

Counters live in the default cache (Redis in production, shared by every web
process; local memory in the embedded demo, per process). On Redis a counter is
one round trip (SET NX with its expiry, then INCR, pipelined) where
django-ratelimit's portable add/exists/incr takes three: the public submission
counts two limits per request. The keys and windows are django-ratelimit's own,
so both paths read and write the same counters. If the cache is down
we let the request through and log it: a citizen's problem matters more than
the limit during an outage, and the other defences (honeypot, ban list,
moderation) still stand.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)

from congress.errors import DomainError
from congress.net import client_ip

logger = logging.getLogger(__name__)

KeyFunction = Callable[[str, HttpRequest], str]
View = TypeVar("View", bound=Callable[..., HttpResponse])


class RateLimited(DomainError):
    """Too many requests from one address (or one phone) in the window."""

    code = "throttled"
    status = 429
    default_message = _("提交过于频繁，请稍后再试。")


def ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def is_limited(
    request: HttpRequest,
    *,
    group: str,
    rate: str,
    key: KeyFunction = ip_key,
    increment: bool = True,
) -> bool:
    """Count this request against ``group`` and say whether it is over ``rate`` ("10/h")."""
    try:
        store = caches["default"]
        if increment and isinstance(store, RedisCache):
            return _redis_count(store, group, rate, key(group, request)) > _split_rate(rate)[0]
        usage = get_usage(request, group=group, key=key, rate=rate, method=ALL, increment=increment)
    except Exception as exc:  # the cache backend's own connection errors
        logger.warning("rate limit %s not checked, cache unavailable: %s", group, exc)
        return False
    return bool(usage and usage["should_limit"])


def _redis_count(store: RedisCache, group: str, rate: str, value: str) -> int:
    """Add one to the counter django-ratelimit keeps for (group, rate, value) and
    return it, in one round trip. SET NX starts a new window's counter at 0 with
    its expiry (so a counter never outlives its window, even if INCR came alone);
    the integer is stored as Django's Redis cache stores integers, so ``get_usage``
    reads the same number."""
    period = _split_rate(rate)[1]
    name = store.make_and_validate_key(
        _make_cache_key(group, _get_window(value, period), rate, value, ALL)
    )
    # Django exposes no public handle on the redis-py client; _cache is its own.
    client = store._cache.get_client(name, write=True)  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)
    pipe.set(name, 0, ex=period + EXPIRATION_FUDGE, nx=True)
    pipe.incr(name)
    return int(pipe.execute()[1])


def check(request: HttpRequest, *, group: str, rate: str, key: KeyFunction = ip_key) -> None:
    """Raise ``RateLimited`` when over the limit (for services and API views)."""
    if is_limited(request, group=group, rate=rate, key=key):
        raise RateLimited()


def too_many_requests(request: HttpRequest, message: Any = None) -> HttpResponse:
    """A 429 answer: JSON {"code", "message"} for the API, a page for people."""
    text = str(message or RateLimited.default_message)
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        response: HttpResponse = JsonResponse(
            {"code": RateLimited.code, "message": text}, status=429
        )
    else:
        response = render(request, "congress/ratelimited.html", {"message": text}, status=429)
    response["Retry-After"] = "60"
    return response


def ratelimit(
    *,
    group: str,
    rate: str | Callable[[], str],
    key: KeyFunction = ip_key,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[View], View]:
    """Decorate a view: over the limit on one of ``methods``, answer 429 instead.

    ``rate`` may be a callable so that it is read from settings per request
    (tests override it).
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                current = rate() if callable(rate) else rate
                if is_limited(request, group=group, rate=current, key=key):
                    return too_many_requests(request)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
