"""The vote's rules, each a setting, since local rules vary (docs/architecture.md, 'The
livelihood-project vote'). Read through these functions, never at import time, so that
``override_settings`` takes effect."""

from __future__ import annotations

from django.conf import settings


def differential_range() -> tuple[int, int]:
    """差额: candidates exceed seats by this many percent of the seats (default 10–30 %;
    23 candidates for 20 seats is 15 %). Outside it a vote refuses to open."""
    return (
        int(getattr(settings, "LIVELIHOOD_VOTE_DIFFERENTIAL_MIN", 10)),
        int(getattr(settings, "LIVELIHOOD_VOTE_DIFFERENTIAL_MAX", 30)),
    )


def pass_base() -> str:
    """A project passes with approvals from more than half of all the congress's
    representatives (``electorate``, the default) or of those who voted (``voters``)."""
    return str(getattr(settings, "LIVELIHOOD_VOTE_PASS_BASE", "electorate"))
