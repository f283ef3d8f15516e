"""The representative's answer to the citizen (当场解答, or the report back on a
department's reply), after which the citizen is asked to rate it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models import User
from congress.workdays import add_deadline
from suggestions.citizen import conf
from suggestions.citizen.services.base import _transition, issue_rules
from suggestions.citizen.services.messages import _link, _text_citizen
from suggestions.citizen.services.steps import _finish_own_steps
from suggestions.models.citizen import CitizenIssue


def _ask_for_rating(issue: CitizenIssue) -> None:
    """The answer is out: the citizen is asked to rate it (tracking page, SMS)."""
    _text_citizen(
        issue=issue,
        key=f"issue:{issue.pk}:rate:{issue.reopen_count}",
        text=_("您反映的问题（%(code)s）已有答复，请查看并评价：%(url)s")
        % {"code": issue.tracking_code, "url": _link(issue.get_tracking_url())},
    )
    joined = CitizenIssue.objects.filter(merged_into=issue, wants_sms=True).exclude(mobile="")
    for other in joined[:200]:
        _text_citizen(
            issue=other,
            key=f"issue:{other.pk}:joined-answer:{issue.reopen_count}",
            text=_("您反映的问题（%(code)s）已有答复，请查看：%(url)s")
            % {"code": other.tracking_code, "url": _link(other.get_tracking_url())},
        )


def _answered_updates(issue: CitizenIssue, answer: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "answer": answer.strip(),
        "answered_at": timezone.now(),
        "rating_due_on": add_deadline(today, conf.rating_period(recorded=issue_rules(issue))),
    }


def _tell_citizen(
    issue: CitizenIssue,
    action: str,
    *,
    by: User,
    answer: str,
    note: str,
    expected_version: int | None,
) -> CitizenIssue:
    """The representative's answer reaches the citizen, who is then asked to rate it."""
    if not answer.strip():
        raise RuleViolation(_("请填写给群众的答复。"))
    with transaction.atomic():
        _transition(
            issue,
            action,
            by=by,
            note=note,
            expected_version=expected_version,
            updates=_answered_updates(issue, answer),
            public_note=answer.strip(),
        )
        _finish_own_steps(issue, by=by, note=answer)
        _ask_for_rating(issue)
    return issue


def citizen_issue_answer(
    *,
    issue: CitizenIssue,
    by: User,
    answer: str,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """当场解答 / 协调解决: the representative answers the citizen directly."""
    return _tell_citizen(
        issue, "answer", by=by, answer=answer, note=note, expected_version=expected_version
    )


def citizen_issue_report_back(
    *,
    issue: CitizenIssue,
    by: User,
    answer: str,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """The representative tells the citizen what the department did (in plain words)."""
    return _tell_citizen(
        issue, "report_back", by=by, answer=answer, note=note, expected_version=expected_version
    )
