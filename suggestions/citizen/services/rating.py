"""回访: the citizen's rating (满意 closes, 不满意 reopens with its own deadline and
may flag 督办), closing unrated problems, and the representative's return visit.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.errors import InvalidTransition, RuleViolation, StaleState
from congress.loop.handling import handling_rated
from congress.models import AssignmentStatus, User
from congress.notifications import notify
from congress.workdays import add_deadline
from congress.workflow import record_event
from representatives.models import ContactKind, ContactLog
from suggestions.citizen import conf
from suggestions.citizen.selectors import department_assignment
from suggestions.citizen.services.base import KEY_NAMESPACE, _transition, issue_rules
from suggestions.citizen.services.steps import _notify_staff, _start_step
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueRating, IssueStatus


def citizen_issue_rate(*, issue: CitizenIssue, rating: str, comment: str = "") -> CitizenIssue:
    """回访 by the citizen: 满意/基本满意 closes it; 不满意 reopens it for re-handling
    with its own deadline, and a second reopening flags it for supervision (督办)."""
    if rating not in (IssueRating.SATISFIED, IssueRating.BASICALLY, IssueRating.UNSATISFIED):
        raise RuleViolation(_("请选择满意、基本满意或不满意。"))
    comment = comment.strip()[:500]
    now = timezone.now()
    base = {"rating": rating, "rating_comment": comment, "rated_at": now}
    with transaction.atomic():
        if rating != IssueRating.UNSATISFIED:
            _transition(
                issue,
                "rate",
                by=None,
                note=comment,
                updates={**base, "closed_at": now},
                data={"rating": rating},
                public_note=_("感谢您的评价（%(rating)s）。本件已办结。")
                % {"rating": IssueRating(rating).label},
            )
            department = department_assignment(issue)
            if department is not None and department.status == AssignmentStatus.REPLIED:
                # The department's answer was rated (docs/dashboard.md, "承办单位").
                handling_rated(assignment=department, satisfied=True, unsatisfied=False, at=now)
                loop.assignment_close(
                    assignment=department, by=None, note=str(IssueRating(rating).label)
                )
            return issue
        _reopen(issue, comment=comment, updates=base)
    return issue


def _reopen(issue: CitizenIssue, *, comment: str, updates: dict[str, Any]) -> None:
    rules = issue_rules(issue)
    reopened = issue.reopen_count + 1
    flag = (
        reopened >= conf.supervision_after_reopens(recorded=rules) and not issue.needs_supervision
    )
    changes = {
        **updates,
        "reopen_count": reopened,
        "rating_due_on": None,
        "needs_supervision": issue.needs_supervision or flag,
    }
    reason = comment or _("群众对办理结果不满意")
    department = department_assignment(issue)
    due = add_deadline(timezone.localdate(), conf.rehandling_deadline(recorded=rules))
    public = _("您对办理结果不满意，已安排重新办理，期限至%(due)s。") % {"due": due.isoformat()}
    if department is not None and department.status == AssignmentStatus.REPLIED:
        event = _transition(
            issue,
            "reopen_department",
            by=None,
            note=comment,
            updates=changes,
            public_note=public,
            data={"rating": IssueRating.UNSATISFIED},
        )
        # The department's answer was rated 不满意: dated by the event the rebuild reads.
        handling_rated(assignment=department, satisfied=False, unsatisfied=True, at=event.at)
        loop.assignment_reopen(
            assignment=department,
            by=None,
            reason=reason,
            deadline=conf.rehandling_deadline(recorded=rules),
        )
    else:
        _transition(
            issue,
            "reopen",
            by=None,
            note=comment,
            updates=changes,
            public_note=public,
            data={"rating": IssueRating.UNSATISFIED},
        )
        _start_step(
            issue,
            by=None,
            representative=issue.handler,
            deadline=conf.rehandling_deadline(recorded=rules),
            note=reason,
        )
    if flag:
        record_event(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action="supervision",
            by=None,
            actor_label=_("系统"),
            note=_("群众第%(n)s次不满意，列入督办") % {"n": reopened},
        )
        _notify_staff(
            issue,
            kind="citizen_issue.supervision",
            title=_("督办：群众多次不满意“%(title)s”（%(code)s）"),
        )


def citizen_issue_close_unrated(*, issue: CitizenIssue) -> CitizenIssue:
    """No rating within the period: closed as not rated; the representative is asked
    to make a return visit (回访) and log it."""
    with transaction.atomic():
        _transition(
            issue,
            "close_unrated",
            by=None,
            actor_label=_("系统"),
            updates={"rating": IssueRating.NOT_RATED, "closed_at": timezone.now()},
            public_note=_("评价期已过，本件按未评价办结。如问题仍未解决，欢迎再次反映。"),
        )
        department = department_assignment(issue)
        if department is not None and department.status == AssignmentStatus.REPLIED:
            loop.assignment_close(assignment=department, by=None, note=_("逾期未评价"))
        handler = issue.handler
        if handler is not None and handler.user is not None:
            notify(
                recipients=[handler.user],
                kind="citizen_issue.return_visit",
                title=_("请回访群众：%(title)s（逾期未评价）") % {"title": issue.title},
                url=issue.get_absolute_url(),
                case_type=ISSUE_CASE,
                case_id=issue.pk,
            )
    return issue


def citizen_issues_close_unrated(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Periodic: close every answered problem whose rating period has run out.

    Cost: one indexed query (partial index on rating_due_on of answered rows) for
    at most ``limit`` rows, then one transition each; a second run finds nothing.
    """
    today = today or timezone.localdate()
    closed = 0
    due = CitizenIssue.objects.filter(
        status=IssueStatus.ANSWERED, rating_due_on__lt=today
    ).select_related("handler__user")
    for issue in due.order_by("rating_due_on", "pk")[:limit]:
        try:
            citizen_issue_close_unrated(issue=issue)
        except (InvalidTransition, StaleState):
            continue  # rated or closed by someone else meanwhile
        closed += 1
    return closed


def citizen_issue_log_return_visit(
    *, issue: CitizenIssue, by: User, summary: str, kind: str = ContactKind.RETURN_VISIT
) -> ContactLog:
    """The representative's 回访, logged as a voter contact (issue 4) and on the timeline."""
    from representatives.services import contact_log_record

    if issue.handler is None:
        raise RuleViolation(_("该问题没有办理代表。"))
    if not summary.strip():
        raise RuleViolation(_("请填写回访情况。"))
    today = timezone.localdate()
    key = uuid.uuid5(KEY_NAMESPACE, f"return-visit:{issue.pk}:{today}")
    with transaction.atomic():
        log, created = contact_log_record(
            representative=issue.handler,
            kind=kind,
            contacted_on=today,
            summary=summary.strip(),
            by=by,
            idempotency_key=key,
            station=issue.station,
        )
        if created:
            record_event(
                case_type=ISSUE_CASE,
                case_id=issue.pk,
                action="return_visit",
                by=by,
                note=summary.strip(),
                public_note=_("代表已对本件进行回访。"),
                data={"contact_log": log.pk},
            )
    return log
