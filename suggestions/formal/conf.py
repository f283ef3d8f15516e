"""The rules of representatives' suggestions, each a setting with the default from law
and practice (代表法 2025 第51–52条; 上海 2015 rules as the local template).
docs/architecture.md, 'Representatives' suggestions', lists them.

Read through these functions (never at import time) so that a deployment's settings and
a test's ``override_settings`` take effect.
"""

from __future__ import annotations

from django.conf import settings

from congress.workdays import Deadline


def assign_within() -> Deadline:
    """交办 within 7 working days after the session closes (staff are reminded if not)."""
    return Deadline(int(getattr(settings, "SUGGESTION_ASSIGN_WITHIN_WORKDAYS", 7)), "workdays")


def return_within() -> int:
    """A department may ask to return a mis-assigned suggestion within 7 working days."""
    return int(getattr(settings, "SUGGESTION_RETURN_WITHIN_WORKDAYS", 7))


def co_handler_deadline() -> Deadline:
    """Co-handlers (协办/会办) send their opinion to the lead department within 1 month."""
    return Deadline(int(getattr(settings, "SUGGESTION_CO_HANDLER_MONTHS", 1)), "months")


def reply_deadline() -> Deadline:
    """The lead department replies within 3 months of 交办."""
    return Deadline(int(getattr(settings, "SUGGESTION_REPLY_MONTHS", 3)), "months")


def longest_deadline() -> Deadline:
    """Extensions need approval and never pass 6 months in total from 交办."""
    return Deadline(int(getattr(settings, "SUGGESTION_LONGEST_MONTHS", 6)), "months")


def rehandling_deadline() -> Deadline:
    """不满意 sends the suggestion back to the same department for 1 month."""
    return Deadline(int(getattr(settings, "SUGGESTION_REHANDLING_MONTHS", 1)), "months")


def carry_over_deadline() -> Deadline:
    """B/C replies are followed into the next year: a follow-up report is due within this
    time (half a year by default, so that the next session's report has it), round after
    round until the matter is resolved. Capped by the longest deadline of the case type."""
    return Deadline(int(getattr(settings, "SUGGESTION_CARRY_OVER_MONTHS", 6)), "months")


# 地方组织法 第21条: 县级以上 ten or more representatives jointly (联名) may table a motion,
# 乡镇 five or more; a delegation (代表团) may table one in its own name.
DEFAULT_MOTION_SIGNERS = {"township": 5, "county": 10, "city": 10, "province": 10}


def motion_min_signers(congress_level: str) -> int:
    """How many signers (the lead included) a motion needs at a congress level."""
    table = {**DEFAULT_MOTION_SIGNERS, **getattr(settings, "SUGGESTION_MOTION_MIN_SIGNERS", {})}
    return int(table.get(congress_level, 10))


def attachment_max_bytes() -> int:
    return int(getattr(settings, "SUGGESTION_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def public_page_size() -> int:
    return int(getattr(settings, "SUGGESTION_PUBLIC_PAGE_SIZE", 30))
