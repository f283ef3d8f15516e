"""The client's address, as far as it can be trusted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client, trusting only ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the
    entry that many places from the right is the one our outermost proxy saw.
    Anything further left was written by the client and could be anything: a
    rate limit keyed on it would be bypassed by rotating the header.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a key, not a bind
    hops = settings.TRUSTED_PROXY_COUNT
    if not hops:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
