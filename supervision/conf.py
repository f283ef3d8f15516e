"""The supervision rules, each a setting with its default (read when used, never at import)."""

from __future__ import annotations

from django.conf import settings

from congress.workdays import Deadline


def finding_deadline() -> Deadline:
    """A finding's default rectification period when staff give no date: three months.
    监督法 (2024) leaves the period to the standing committee; three months is the
    local practice of the seeds (docs/supervision.md, "Rules")."""
    return Deadline(int(getattr(settings, "SUPERVISION_FINDING_MONTHS", 3)), "months")


def rehandling_deadline() -> Deadline:
    """A closure rejected or a finding reopened by 回头看: one month more."""
    return Deadline(int(getattr(settings, "SUPERVISION_REHANDLING_MONTHS", 1)), "months")


def review_after_months() -> int:
    """回头看 is scheduled this many months after the topic's findings are handed out."""
    return int(getattr(settings, "SUPERVISION_REVIEW_AFTER_MONTHS", 6))


def review_deadline() -> Deadline:
    """The 回头看's loop item is due on its date; this default is used when none is given."""
    return Deadline(review_after_months(), "months")


def public_rate() -> str:
    """Views of the public findings pages per client address (``congress.ratelimit``)."""
    return str(getattr(settings, "SUPERVISION_PUBLIC_RATE", "300/h"))
