"""Rate limits of signed-in API use: per user and per token (DRF throttling).

Anonymous calls are left to ``congress.middleware.AnonymousRateLimitMiddleware``,
which counts every request without an account by address; these two count what
a signed-in client does. The rates are settings (``API_RATE_PER_USER``,
``API_RATE_PER_CREDENTIAL``), read on every request so that a test can lower them.

Counters live in the default cache (Redis in production). If the cache is down
the request goes through and the outage is logged, as with the other limits
(congress/ratelimit.py): the API answering matters more than the count.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from knox.models import AuthToken
from rest_framework import throttling
from rest_framework.request import Request

logger = logging.getLogger(__name__)

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"([1-9]\d*)/(\d*)([smhd])")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/m" -> (120, 60); "500/10m" -> (500, 600), as the settings' rates are written."""
    match = _RATE.fullmatch(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


class _SignedInThrottle(throttling.SimpleRateThrottle):
    setting = ""

    def get_rate(self) -> str:
        return str(getattr(settings, self.setting))

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return None, None
        return parse_rate(rate)

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache backend's own connection errors
            logger.warning("API rate limit %s not checked, cache unavailable: %s", self.scope, exc)
            return True


class UserRateThrottle(_SignedInThrottle):
    """Everything one signed-in user does through the API, whatever the credential."""

    scope = "api-user"
    setting = "API_RATE_PER_USER"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenRateThrottle(_SignedInThrottle):
    """What one API token does: a leaked or runaway token is slowed on its own."""

    scope = "api-token"
    setting = "API_RATE_PER_CREDENTIAL"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, AuthToken):
            return None
        # The digest (a hash) names the token; the token itself never reaches the cache.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.digest[:32]}


class BallotCastThrottle(throttling.BaseThrottle):
    """The casting request (docs/security.md, 'The secret ballot'): the per-user and
    per-token limits are checked but the cast is not added to their histories, which
    are request times kept for the window under the user's id and the token's digest:
    a cast must not be dated anywhere beside its voter.

    What still limits the endpoint: a client already over either limit is refused here
    as everywhere; a refused attempt (a ballot that breaks the form, a second cast, not
    an elector) is counted like any other call (``count_refused``), so a flood of them
    is slowed; and the elector row takes one ballot per voter whatever the rate."""

    def __init__(self) -> None:
        self.throttles = [UserRateThrottle(), TokenRateThrottle()]
        self.waits: list[float] = []

    def allow_request(self, request: Request, view: Any) -> bool:
        self.waits = []
        keyed = [(t, t.get_cache_key(request, view)) for t in self.throttles]
        limits = {key: parse_rate(t.get_rate()) for t, key in keyed if key is not None}
        if not limits:
            return True
        try:  # one round trip for both; read only: nothing is written
            histories = self.throttles[0].cache.get_many(list(limits))
        except Exception as exc:  # the cache backend's own connection errors
            logger.warning("API rate limit of the cast not checked, cache unavailable: %s", exc)
            return True
        now = self.throttles[0].timer()
        for key, (limit, window) in limits.items():
            recent = [t for t in histories.get(key, []) if t > now - window]
            if len(recent) >= limit:
                self.waits.append(window - (now - recent[-1]))
        return not self.waits

    def wait(self) -> float | None:
        return max(self.waits) if self.waits else None


def count_refused(request: Request, view: Any) -> None:
    """Add a refused casting attempt to the user's and the token's histories, as the
    ordinary throttles add every other call (nothing was cast: no ballot is dated)."""
    for throttle in (UserRateThrottle(), TokenRateThrottle()):
        throttle.allow_request(request, view)
