"""The rules of the citizen channel, each a setting with the default from practice.

Read through these functions (not at import) so that tests and an operator's
settings can change them. Deadlines count working days on the official
calendar (``congress.workdays``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from congress.workdays import Deadline


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def accept_deadline() -> Deadline:
    """受理: staff (or the addressed representative) accept or decline within this."""
    return Deadline(int(_get("CITIZEN_ACCEPT_WORKDAYS", 2)), "workdays")


def handling_deadline() -> Deadline:
    """A representative answers, forwards or converts a problem within this."""
    return Deadline(int(_get("CITIZEN_HANDLING_WORKDAYS", 15)), "workdays")


def department_deadline() -> Deadline:
    """交办: a department replies within this (the issue's default: 15 working days)."""
    return Deadline(int(_get("CITIZEN_DEPARTMENT_WORKDAYS", 15)), "workdays")


def review_deadline() -> Deadline:
    """The representative reviews a department's reply and reports back within this."""
    return Deadline(int(_get("CITIZEN_REVIEW_WORKDAYS", 5)), "workdays")


def rehandling_deadline() -> Deadline:
    """不满意 reopens the case with its own deadline, by default one month
    (docs/architecture.md, 'Citizens' problems and appointments')."""
    return Deadline(int(_get("CITIZEN_REHANDLING_MONTHS", 1)), "months")


def rating_period() -> Deadline:
    """No rating within this after the answer: closed as not rated (回访 by the representative)."""
    return Deadline(int(_get("CITIZEN_RATING_WORKDAYS", 10)), "workdays")


def supervision_after_reopens() -> int:
    """Reopened this many times: flagged to staff for supervision (督办)."""
    return int(_get("CITIZEN_SUPERVISION_AFTER_REOPENS", 2))


def sms_confirmation_required() -> bool:
    """An SMS code must confirm a submission before it is routed (off by default)."""
    return bool(_get("CITIZEN_SMS_CONFIRMATION", False))


def max_photos() -> int:
    return int(_get("CITIZEN_MAX_PHOTOS", 6))


def max_description() -> int:
    return int(_get("CITIZEN_MAX_DESCRIPTION", 2000))


def rate_per_ip() -> str:
    """Submissions per client address. Generous: a station's Wi-Fi is one address."""
    return str(_get("CITIZEN_RATE_PER_IP", "30/h"))


def rate_per_phone() -> str:
    return str(_get("CITIZEN_RATE_PER_PHONE", "5/h"))


def rate_tracking() -> str:
    """Tracking-page actions (rating, code confirmation, lookups) and the similar-
    problem hints (one per pause in typing) per address."""
    return str(_get("CITIZEN_RATE_TRACKING", "120/h"))


def moderation_words() -> list[str]:
    """Words that hold a submission for a person to look at first (spam, abuse)."""
    default = ["代开发票", "刷单", "博彩", "赌博网站", "贷款秒批", "加微信领取"]
    return list(_get("CITIZEN_MODERATION_WORDS", default))


def notice_version() -> str:
    """The version of the personal-information notice a citizen agreed to (stored)."""
    return str(_get("CITIZEN_NOTICE_VERSION", "2026-1"))


def appointment_max_postpone() -> Deadline:
    """约见 may be put off at most this long after the date asked for
    (docs/architecture.md, 'Citizens' problems and appointments')."""
    return Deadline(int(_get("APPOINTMENT_MAX_POSTPONE_MONTHS", 1)), "months")


def appointment_response_deadline() -> Deadline:
    return Deadline(int(_get("APPOINTMENT_RESPONSE_WORKDAYS", 3)), "workdays")


def appointment_department_deadline() -> Deadline:
    """A body asked to meet a representative answers within this."""
    return Deadline(int(_get("APPOINTMENT_DEPARTMENT_WORKDAYS", 10)), "workdays")


def retention_days() -> int:
    return int(_get("PERSONAL_DATA_RETENTION_DAYS", 3 * 365))
