"""The rules of the citizen channel, each a setting with the default from practice.

Read through these functions (not at import) so that tests and an operator's
settings can change them. Deadlines count working days on the official
calendar (``congress.workdays``).

The rules in ``CASE_RULES`` are also set per congress (``congress.rules``,
docs/rules.md): each function takes the congress, or the values a problem recorded
when it was submitted (``recorded``, ``CitizenIssue.rules_in_force``), which win, so a
later change of a congress's rules applies to new problems only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congress.rules import Rule, Unit, in_force, register_rule
from congress.workdays import Deadline

if TYPE_CHECKING:
    from congress.models import Congress, Region

Recorded = Mapping[str, Any] | None

ACCEPT = "citizen.accept_workdays"
HANDLING = "citizen.handling_workdays"
DEPARTMENT = "citizen.department_workdays"
REVIEW = "citizen.review_workdays"
RATING = "citizen.rating_workdays"
REHANDLING = "citizen.rehandling_months"
SUPERVISION_AFTER = "citizen.supervision_after_reopens"
SMS_CONFIRMATION = "citizen.sms_confirmation"
MODERATION_WORDS = "citizen.moderation_words"
APPOINTMENT_RESPONSE = "appointment.response_workdays"
APPOINTMENT_DEPARTMENT = "appointment.department_workdays"
APPOINTMENT_POSTPONE = "appointment.max_postpone_months"

_GROUP = _("群众反映问题")
_PRACTICE = _("实践做法：各地“码上办”类群众诉求办理规定，无法律条文")
DEFAULT_MODERATION_WORDS = ["代开发票", "刷单", "博彩", "赌博网站", "贷款秒批", "加微信领取"]


def _practice(
    key: str, label: Any, setting: str, default: int, low: int, high: int, unit: Any, order: int
) -> None:
    register_rule(
        Rule(
            key=key,
            label=label,
            source=_PRACTICE,
            kind="int",
            default=default,
            setting=setting,
            app="suggestions",
            group=_GROUP,
            unit=unit,
            minimum=low,
            maximum=high,
            order=order,
        )
    )


_practice(ACCEPT, _("受理时限"), "CITIZEN_ACCEPT_WORKDAYS", 2, 1, 10, "workdays", 100)
_practice(
    HANDLING,
    _("代表办理时限（答复、转交或转为建议）"),
    "CITIZEN_HANDLING_WORKDAYS",
    15,
    5,
    30,
    "workdays",
    101,
)
_practice(
    DEPARTMENT,
    _("承办单位答复时限（交办后）"),
    "CITIZEN_DEPARTMENT_WORKDAYS",
    15,
    5,
    30,
    "workdays",
    102,
)
_practice(REVIEW, _("代表审核答复并反馈时限"), "CITIZEN_REVIEW_WORKDAYS", 5, 1, 15, "workdays", 103)
_practice(
    RATING,
    _("群众评价期限（逾期按未评价办结，由代表回访）"),
    "CITIZEN_RATING_WORKDAYS",
    10,
    3,
    30,
    "workdays",
    104,
)
_practice(REHANDLING, _("不满意重新办理时限"), "CITIZEN_REHANDLING_MONTHS", 1, 1, 3, "months", 105)
_practice(
    SUPERVISION_AFTER,
    _("重新办理达到此次数时提请督办"),
    "CITIZEN_SUPERVISION_AFTER_REOPENS",
    2,
    1,
    5,
    "times",
    106,
)
register_rule(
    Rule(
        key=SMS_CONFIRMATION,
        label=_("群众提交后须短信验证码确认"),
        source=_("实践做法：防止冒用他人手机号和恶意提交"),
        kind="bool",
        default=False,
        setting="CITIZEN_SMS_CONFIRMATION",
        app="suggestions",
        group=_GROUP,
        order=107,
    )
)
register_rule(
    Rule(
        key=MODERATION_WORDS,
        label=_("需人工审核的敏感词"),
        source=_("实践做法：含这些词的提交先经工作人员审核再流转（广告、诈骗、赌博等）"),
        kind="words",
        default=DEFAULT_MODERATION_WORDS,
        setting="CITIZEN_MODERATION_WORDS",
        app="suggestions",
        group=_GROUP,
        order=108,
    )
)

_APPOINTMENTS = _("约见")
for _key, _label, _setting, _default, _low, _high, _unit, _order in (
    (
        APPOINTMENT_RESPONSE,
        _("约见答复时限（代表确认时间或工作人员转交）"),
        "APPOINTMENT_RESPONSE_WORKDAYS",
        3,
        1,
        10,
        "workdays",
        150,
    ),
    (
        APPOINTMENT_DEPARTMENT,
        _("被约见机关答复时限"),
        "APPOINTMENT_DEPARTMENT_WORKDAYS",
        10,
        3,
        20,
        "workdays",
        151,
    ),
    (
        APPOINTMENT_POSTPONE,
        _("约见最迟可推迟至希望日期后"),
        "APPOINTMENT_MAX_POSTPONE_MONTHS",
        1,
        1,
        3,
        "months",
        152,
    ),
):
    register_rule(
        Rule(
            key=_key,
            label=_label,
            source=_("实践做法：代表约见国家机关负责人、群众约见代表的办理规定"),
            kind="int",
            default=_default,
            setting=_setting,
            app="suggestions",
            group=_APPOINTMENTS,
            unit=cast(Unit, _unit),
            minimum=_low,
            maximum=_high,
            order=_order,
        )
    )

# What an appointment records when it is requested.
APPOINTMENT_RULES = (APPOINTMENT_RESPONSE, APPOINTMENT_DEPARTMENT, APPOINTMENT_POSTPONE)

# Every rule above: what a problem records when it is submitted.
CASE_RULES = (
    ACCEPT,
    HANDLING,
    DEPARTMENT,
    REVIEW,
    RATING,
    REHANDLING,
    SUPERVISION_AFTER,
    SMS_CONFIRMATION,
    MODERATION_WORDS,
)


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def accept_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """受理: staff (or the addressed representative) accept or decline within this."""
    return Deadline(in_force(ACCEPT, recorded, congress), "workdays")


def handling_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """A representative answers, forwards or converts a problem within this."""
    return Deadline(in_force(HANDLING, recorded, congress), "workdays")


def department_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """交办: a department replies within this (the issue's default: 15 working days)."""
    return Deadline(in_force(DEPARTMENT, recorded, congress), "workdays")


def review_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """The representative reviews a department's reply and reports back within this."""
    return Deadline(in_force(REVIEW, recorded, congress), "workdays")


def rehandling_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """不满意 reopens the case with its own deadline, by default one month
    (docs/architecture.md, 'Citizens' problems and appointments')."""
    return Deadline(in_force(REHANDLING, recorded, congress), "months")


def rating_period(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """No rating within this after the answer: closed as not rated (回访 by the representative)."""
    return Deadline(in_force(RATING, recorded, congress), "workdays")


def supervision_after_reopens(
    congress: Congress | None = None, *, recorded: Recorded = None
) -> int:
    """Reopened this many times: flagged to staff for supervision (督办)."""
    return int(in_force(SUPERVISION_AFTER, recorded, congress))


def sms_confirmation_required(
    congress: Congress | None = None, *, recorded: Recorded = None
) -> bool:
    """An SMS code must confirm a submission before it is routed (off by default)."""
    return bool(in_force(SMS_CONFIRMATION, recorded, congress))


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


def moderation_words(congress: Congress | None = None, *, recorded: Recorded = None) -> list[str]:
    """Words that hold a submission for a person to look at first (spam, abuse)."""
    return list(in_force(MODERATION_WORDS, recorded, congress))


def notice_version() -> str:
    """The version of the personal-information notice a citizen agreed to (stored)."""
    return str(_get("CITIZEN_NOTICE_VERSION", "2026-1"))


def appointment_max_postpone(
    congress: Congress | None = None, *, recorded: Recorded = None
) -> Deadline:
    """约见 may be put off at most this long after the date asked for
    (docs/architecture.md, 'Citizens' problems and appointments')."""
    return Deadline(in_force(APPOINTMENT_POSTPONE, recorded, congress), "months")


def appointment_response_deadline(
    congress: Congress | None = None, *, recorded: Recorded = None
) -> Deadline:
    """The representative proposes a time (or staff route a request) within this."""
    return Deadline(in_force(APPOINTMENT_RESPONSE, recorded, congress), "workdays")


def appointment_department_deadline(
    congress: Congress | None = None, *, recorded: Recorded = None
) -> Deadline:
    """A body asked to meet a representative answers within this."""
    return Deadline(in_force(APPOINTMENT_DEPARTMENT, recorded, congress), "workdays")


def retention_days(region: Region | None = None) -> int:
    """How long after closing a citizen's name and number are kept, as the public forms
    tell them: the period in force at the place (its congress's, else the congress
    above's, ``retention.personal_data_days``, docs/rules.md; one query), else the
    installation's."""
    from congress.retention import RETENTION_DAYS
    from congress.rules import rule_value, rules_at

    if region is None:
        return int(rule_value(RETENTION_DAYS))
    return int(rules_at(region, [RETENTION_DAYS])[RETENTION_DAYS])
