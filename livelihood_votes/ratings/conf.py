"""The year-end rating's rules, each a setting with its default, read through a function
(never at import time, so ``override_settings`` takes effect). docs/livelihood-rating.md,
'Rules'."""

from __future__ import annotations

from django.conf import settings

from congress.workdays import Deadline


def outcome_rule() -> str:
    """The rating's outcome rule, by its name in ``congress.ballots.outcomes``. Default
    (the rule of 镇海 for the year-end evaluation): 满意 if 满意 reach half of the whole
    frozen electorate, 基本满意 if 满意 + 基本满意 do, else 不满意. The other registered
    rule, ``rating_half_of_voters``, counts the same halves of those who voted. Copied
    onto the round when it opens."""
    return str(getattr(settings, "LIVELIHOOD_RATING_RULE", "rating_half_of_members"))


def rectify_deadline() -> Deadline:
    """不满意: the responsible department rectifies and reports again; its loop item is
    due within this many months (local rules set two to six; three is common)."""
    return Deadline(int(getattr(settings, "LIVELIHOOD_RECTIFY_MONTHS", 3)), "months")


def rectify_longest() -> Deadline:
    """Extensions of the rectification never pass this many months from its hand-over
    (the next year's rating, at the latest)."""
    return Deadline(int(getattr(settings, "LIVELIHOOD_RECTIFY_LONGEST_MONTHS", 12)), "months")


def public_rate() -> str:
    """The public results page's rate limit per address (``congress.ratelimit``)."""
    return str(getattr(settings, "LIVELIHOOD_RATING_PUBLIC_RATE", "60/m"))
