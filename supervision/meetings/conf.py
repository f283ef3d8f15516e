"""The meetings' rules, each a setting with its default, read through a function (never
at import time, so ``override_settings`` takes effect). docs/supervision-meetings.md,
'Rules'."""

from __future__ import annotations

import datetime

from django.conf import settings

from congress.workdays import Deadline, is_workday


def report_days_before() -> int:
    """监督法 (2024 修正), 专项工作报告: the reporting body sends the report (revised after the
    committee's comments) to the standing committee ten days before the meeting. This is
    the report's loop item: due this many days before the meeting."""
    return int(getattr(settings, "SUPERVISION_REPORT_DAYS_BEFORE", 10))


def draft_days_before() -> int:
    """监督法 (2024 修正): the draft goes to the special committee (or the committee's working
    body) for comments twenty days before the meeting. Shown beside the report."""
    return int(getattr(settings, "SUPERVISION_DRAFT_DAYS_BEFORE", 20))


def members_days_before() -> int:
    """监督法 (2024 修正): the committee's office sends the report to the members seven days
    before the meeting. The office's loop item (the staff's) is due this many days before."""
    return int(getattr(settings, "SUPERVISION_MEMBERS_DAYS_BEFORE", 7))


def days_before(held_on: datetime.date, days: int) -> datetime.date:
    """会议举行的N日前 on the official calendar (``congress.workdays``): N calendar days
    before the meeting, and when that day is a rest day (a weekend, a holiday of the
    State Council's notice) the working day before it, the last day an office is open to
    receive the papers in time."""
    day = held_on - datetime.timedelta(days=days)
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def outcome_rule() -> str:
    """The satisfaction vote's outcome rule, by its name in ``congress.ballots.outcomes``:
    by default 满意 if 满意 reach half of all members, 基本满意 if 满意 + 基本满意 do, else
    不满意 (镇海's rule; docs/architecture.md, 'Satisfaction'). Copied onto the vote
    when it opens."""
    return str(getattr(settings, "SUPERVISION_EVALUATION_RULE", "rating_half_of_members"))


def re_report_deadline() -> Deadline:
    """不满意: the body rectifies and reports again at a later meeting; its loop item is due
    within this many months (from practice: local rules set two to six months)."""
    return Deadline(int(getattr(settings, "SUPERVISION_RE_REPORT_MONTHS", 3)), "months")


def opinion_handling_deadline() -> Deadline:
    """审议意见: the body reports how it handled them (研究处理情况报告) within this many
    months of their issue (监督法 2024 leaves the time to local rules; two months is common
    practice)."""
    return Deadline(int(getattr(settings, "SUPERVISION_OPINION_HANDLING_MONTHS", 2)), "months")
