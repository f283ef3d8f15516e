"""The problem list as an Excel workbook (openpyxl, streamed in write-only mode).

Personal data (name, mobile) is a column only when asked for, and the service
that calls this checks the permission and writes the audit row.
"""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from suggestions.citizen.selectors import with_list_columns
from suggestions.models.citizen import CitizenIssue, IssueRating, IssueStatus

MAX_ROWS = 100_000


def _text(value: object) -> str:
    """A cell as text; a leading = + - @ would make Excel run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def issues_workbook(issues: QuerySet[CitizenIssue], *, include_personal: bool) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("群众反映问题"))
    header = [
        _("查询码"),
        _("提交时间"),
        _("类别"),
        _("标题"),
        _("问题描述"),
        _("所在区划"),
        _("详细地点"),
        _("家站点"),
        _("办理代表"),
        _("承办单位"),
        _("状态"),
        _("是否超期"),
        _("同类反映人数"),
        _("评价"),
        _("评价意见"),
        _("办结时间"),
    ]
    if include_personal:
        header += [_("姓名"), _("手机号")]
    sheet.append(header)
    rows = (
        with_list_columns(issues)
        .select_related("category", "region", "station", "handler")
        .order_by("-created_at", "-pk")
    )
    count = 0
    for issue in rows.iterator(chunk_size=1000):
        if count >= MAX_ROWS:
            break
        line = [
            issue.tracking_code,
            timezone.localtime(issue.created_at).strftime("%Y-%m-%d %H:%M"),
            issue.category.name,
            _text(issue.title),
            _text(issue.description),
            issue.region.name,
            _text(issue.address),
            issue.station.name if issue.station else "",
            issue.handler.name if issue.handler else "",
            getattr(issue, "department_name", "") or "",
            IssueStatus(issue.status).label,
            _("是") if getattr(issue, "is_overdue", False) else "",
            issue.supporters,
            IssueRating(issue.rating).label if issue.rating else "",
            _text(issue.rating_comment),
            timezone.localtime(issue.closed_at).strftime("%Y-%m-%d") if issue.closed_at else "",
        ]
        if include_personal:
            line += [_text(issue.citizen_name), issue.mobile]
        sheet.append([str(cell) if not isinstance(cell, int) else cell for cell in line])
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count
