"""This app's rules, each a setting with the default from practice (docs/architecture.md,
'Stations and points').

Read through these functions so that tests can override the settings.
"""

from __future__ import annotations

from django.conf import settings


def duty_publish_days_ahead() -> int:
    """The duty schedule (接待选民日) is published at least this many days ahead."""
    return int(getattr(settings, "DUTY_PUBLISH_DAYS_AHEAD", 3))


def public_schedule_days() -> int:
    """How far ahead the public station page lists published shifts."""
    return int(getattr(settings, "PUBLIC_SCHEDULE_DAYS", 31))


def evaluation_rate_limit() -> tuple[int, int]:
    """(how many, per how many seconds) voter evaluations one address may send a station."""
    return (
        int(getattr(settings, "EVALUATION_RATE_LIMIT_COUNT", 5)),
        int(getattr(settings, "EVALUATION_RATE_LIMIT_SECONDS", 3600)),
    )
