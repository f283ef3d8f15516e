"""The staff's tools on problems: hiding from the public board, banning a number,
revealing the contact (audited), assigning many at once, exporting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.audit import audit_record
from congress.errors import DomainError, RuleViolation
from congress.models import AuditAction, User
from congress.scoping import require_in_jurisdiction
from congress.workflow import record_event
from representatives.models import Representative
from suggestions.citizen.services.acceptance import citizen_issue_accept
from suggestions.citizen.services.assignment import citizen_issue_assign
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import BannedPhone, CitizenIssue, IssueStatus


def citizen_issue_set_public(
    *, issue: CitizenIssue, hidden: bool, by: User, reason: str = ""
) -> CitizenIssue:
    """Staff hide a problem from the station's public board (or show it again)."""
    require_in_jurisdiction(by, issue.region)  # the staff's, of the problem's region
    with transaction.atomic():
        CitizenIssue.objects.filter(pk=issue.pk).update(hidden_from_public=hidden)
        record_event(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action="hide_public" if hidden else "show_public",
            by=by,
            note=reason,
        )
    issue.refresh_from_db()
    return issue


def citizen_issue_ban_phone(
    *, issue: CitizenIssue, by: User, reason: str, days: int | None = None
) -> BannedPhone:
    """No more submissions from this number (abuse). Only the number's hash is stored."""
    require_in_jurisdiction(by, issue.region)  # the staff's, of the problem's region
    if not issue.mobile_hash:
        raise RuleViolation(_("该问题没有留手机号。"))
    if not reason.strip():
        raise RuleViolation(_("请说明限制的原因。"))
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    with transaction.atomic():
        ban, _created = BannedPhone.objects.update_or_create(
            mobile_hash=issue.mobile_hash,
            defaults={"reason": reason.strip()[:200], "created_by": by, "expires_at": expires},
        )
        record_event(case_type=ISSUE_CASE, case_id=issue.pk, action="ban_phone", by=by, note=reason)
    return ban


def citizen_issue_reveal_contact(
    *, issue: CitizenIssue, by: User, request: HttpRequest | None = None
) -> dict[str, str]:
    """The handler needs to call the citizen back: the full name and number, audited."""
    audit_record(
        action=AuditAction.REVEAL,
        actor=by,
        obj=issue,
        request=request,
        detail={"fields": ["citizen_name", "mobile"], "case": ISSUE_CASE},
    )
    return {"citizen_name": issue.citizen_name, "mobile": issue.mobile}


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def citizen_issues_bulk_assign(
    *, issues: Iterable[CitizenIssue], representative: Representative, by: User
) -> BulkResult:
    """Give many problems to one representative; each on its own, so one that moved
    meanwhile is skipped (and named) instead of failing the batch."""
    require_in_jurisdiction(by, representative.region)
    result = BulkResult()
    for issue in issues:
        try:
            if issue.status == IssueStatus.SUBMITTED:
                citizen_issue_accept(issue=issue, by=by, representative=representative)
            else:
                citizen_issue_assign(issue=issue, representative=representative, by=by)
        except DomainError:
            result.skipped.append(issue.tracking_code)
        else:
            result.done.append(issue.tracking_code)
    return result


def citizen_issues_export(
    *,
    issues: QuerySet[CitizenIssue],
    by: User,
    include_personal: bool = False,
    request: HttpRequest | None = None,
    filters: str = "",
) -> bytes:
    """An Excel file of the list. Names and numbers only with the permission, and
    every export is on the audit trail (what, how many, with or without them)."""
    from suggestions.citizen.exports import issues_workbook

    if include_personal and not by.has_perm("suggestions.export_personal_data"):
        raise RuleViolation(_("您没有导出群众个人信息的权限。"))
    content, count = issues_workbook(issues, include_personal=include_personal)
    audit_record(
        action=AuditAction.EXPORT,
        actor=by,
        request=request,
        detail={
            "what": ISSUE_CASE,
            "rows": count,
            "personal_data": include_personal,
            "filters": filters[:500],
        },
    )
    return content
