"""The rules of representatives' suggestions, each a setting with the default from law
and practice (代表法 2025 第51–52条; 上海 2015 rules as the local template).
docs/architecture.md, 'Representatives' suggestions', lists them.

Read through these functions (never at import time) so that a deployment's settings and
a test's ``override_settings`` take effect.

The deadlines in ``CASE_RULES`` are also set per congress (``congress.rules``,
docs/rules.md): each function takes the congress, or the values a suggestion recorded
when it was created (``recorded``, ``Suggestion.rules_in_force``), which win, so a later
change of a congress's rules applies to new suggestions only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congress.rules import Rule, in_force, register_rule
from congress.workdays import Deadline

if TYPE_CHECKING:
    from congress.models import Congress

Recorded = Mapping[str, Any] | None

ASSIGN_WITHIN = "suggestion.assign_within_workdays"
RETURN_WITHIN = "suggestion.return_within_workdays"
REPLY = "suggestion.reply_months"
CO_HANDLER = "suggestion.co_handler_months"
REHANDLING = "suggestion.rehandling_months"
CARRY_OVER = "suggestion.carry_over_months"

_GROUP = _("代表建议")
_LAW_REPLY = _("《代表法》（2025年修正）第五十一至五十二条：自交办之日起三个月内答复")
_PRACTICE = _("实践做法：以上海市2015年代表建议办理规定为地方范本")


def _rule(
    key: str,
    label: Any,
    source: Any,
    setting: str,
    default: int,
    low: int,
    high: int,
    unit: Any,
    order: int,
) -> None:
    register_rule(
        Rule(
            key=key,
            label=label,
            source=source,
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


_rule(
    ASSIGN_WITHIN,
    _("会议闭幕后交办时限"),
    _PRACTICE,
    "SUGGESTION_ASSIGN_WITHIN_WORKDAYS",
    7,
    1,
    20,
    "workdays",
    200,
)
_rule(
    RETURN_WITHIN,
    _("承办单位申请退回时限（交办后）"),
    _PRACTICE,
    "SUGGESTION_RETURN_WITHIN_WORKDAYS",
    7,
    1,
    15,
    "workdays",
    201,
)
# The law's three months is the longest a congress may allow; it may ask for less.
_rule(REPLY, _("主办单位答复时限"), _LAW_REPLY, "SUGGESTION_REPLY_MONTHS", 3, 1, 3, "months", 202)
_rule(
    CO_HANDLER,
    _("协办（会办）单位提出意见时限"),
    _PRACTICE,
    "SUGGESTION_CO_HANDLER_MONTHS",
    1,
    1,
    2,
    "months",
    203,
)
_rule(
    REHANDLING,
    _("不满意重新办理时限"),
    _PRACTICE,
    "SUGGESTION_REHANDLING_MONTHS",
    1,
    1,
    3,
    "months",
    204,
)
_rule(
    CARRY_OVER,
    _("跨年度跟踪：续报办理情况时限"),
    _PRACTICE,
    "SUGGESTION_CARRY_OVER_MONTHS",
    6,
    1,
    6,
    "months",
    205,
)

# Every rule above: what a suggestion records when it is created.
CASE_RULES = (ASSIGN_WITHIN, RETURN_WITHIN, REPLY, CO_HANDLER, REHANDLING, CARRY_OVER)


def assign_within(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """交办 within 7 working days after the session closes (staff are reminded if not)."""
    return Deadline(in_force(ASSIGN_WITHIN, recorded, congress), "workdays")


def return_within(congress: Congress | None = None, *, recorded: Recorded = None) -> int:
    """A department may ask to return a mis-assigned suggestion within 7 working days."""
    return int(in_force(RETURN_WITHIN, recorded, congress))


def co_handler_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """Co-handlers (协办/会办) send their opinion to the lead department within 1 month."""
    return Deadline(in_force(CO_HANDLER, recorded, congress), "months")


def reply_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """The lead department replies within 3 months of 交办."""
    return Deadline(in_force(REPLY, recorded, congress), "months")


def longest_deadline() -> Deadline:
    """Extensions need approval and never pass 6 months in total from 交办. One value for
    the installation: the loop engine caps every extension at its case type's longest
    deadline (``congress.loop``), so it is not a rule per congress."""
    return Deadline(int(getattr(settings, "SUGGESTION_LONGEST_MONTHS", 6)), "months")


def rehandling_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """不满意 sends the suggestion back to the same department for 1 month."""
    return Deadline(in_force(REHANDLING, recorded, congress), "months")


def carry_over_deadline(congress: Congress | None = None, *, recorded: Recorded = None) -> Deadline:
    """B/C replies are followed into the next year: a follow-up report is due within this
    time (half a year by default, so that the next session's report has it), round after
    round until the matter is resolved. Capped by the longest deadline of the case type."""
    return Deadline(in_force(CARRY_OVER, recorded, congress), "months")


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
