"""The implementation's rules, each a setting with its default, read through a function
(never at import time, so ``override_settings`` takes effect). docs/livelihood-projects.md,
"Rules"."""

from __future__ import annotations

import datetime

from django.conf import settings


def report_workday() -> int:
    """The monthly progress report of a month is due on this working day of the next
    month (from practice: departments report by the 5th working day; local rules set
    it)."""
    return int(getattr(settings, "LIVELIHOOD_PROJECT_REPORT_WORKDAY", 5))


def behind_tolerance() -> int:
    """A project is behind schedule when its percent complete is more than this many
    points below the linear plan (from its start to its deadline), or when a milestone
    date has passed without the milestone done."""
    return int(getattr(settings, "LIVELIHOOD_PROJECT_BEHIND_TOLERANCE", 15))


def default_deadline(year: int) -> datetime.date:
    """An elected project's deadline until the plan sets one: the end of the cycle's
    year (the year's projects are rated at its end)."""
    return datetime.date(year, 12, 31)


def comment_rate() -> str:
    """Residents' comments on a public project page, per address."""
    return str(getattr(settings, "LIVELIHOOD_PROJECT_COMMENT_RATE", "5/h"))


def max_photos() -> int:
    """Photos per monthly report or inspection."""
    return int(getattr(settings, "LIVELIHOOD_PROJECT_MAX_PHOTOS", 6))
