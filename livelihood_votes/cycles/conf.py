"""The call's rules, each a setting with its default (docs/livelihood-call.md). Read
through these functions, never at import time, so that ``override_settings`` works."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def call_min_days() -> int:
    """A call for proposals is open at least this many days, both ends counted (issue
    #18: 征集 "open at least 30 days")."""
    return int(getattr(settings, "LIVELIHOOD_CALL_MIN_DAYS", 30))


def max_cost() -> Decimal:
    """The largest estimated cost (万元) a proposal may name; above it the number is
    taken for a typing mistake (default 1,000,000 万元, i.e. 100亿元)."""
    return Decimal(str(getattr(settings, "LIVELIHOOD_PROPOSAL_MAX_COST", 1_000_000)))


def rate_submit() -> str:
    """Public proposals per client address (``congress.ratelimit``)."""
    return str(getattr(settings, "LIVELIHOOD_PROPOSAL_RATE", "10/h"))


def rate_submit_phone() -> str:
    """Public proposals per phone number (its keyed hash)."""
    return str(getattr(settings, "LIVELIHOOD_PROPOSAL_PHONE_RATE", "5/h"))


def rate_tracking() -> str:
    """Tracking-page and public-count reads per client address."""
    return str(getattr(settings, "LIVELIHOOD_TRACKING_RATE", "120/h"))


def max_photos() -> int:
    """Photos a proposal may carry (each checked and re-encoded by ``congress.uploads``)."""
    return int(getattr(settings, "LIVELIHOOD_PROPOSAL_MAX_PHOTOS", 4))
