"""A topic's findings as an Excel workbook (openpyxl, as the project's other reports):
numbers are numbers and dates are dates, so the sheet can be summed and sorted."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models.topics import Topic


def findings_workbook(topic: Topic) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("问题清单")
    header = [
        _("编号"),
        _("问题类别"),
        _("问题"),
        _("责任单位"),
        _("整改措施"),
        _("长期整改"),
        _("挂牌督办"),
        _("状态"),
        _("整改期限"),
        _("销号时间"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = topic.findings.select_related("category", "department").order_by("number")
    for finding in rows.iterator(chunk_size=500):
        closed = finding.closed_off_at
        sheet.append(
            [
                finding.number,
                finding.category.title if finding.category else "",
                finding.title,
                finding.department.name,
                finding.measures,
                _("是") if finding.is_long_term else "",
                _("是") if finding.is_flagged else "",
                finding.get_status_display(),
                finding.due_on,
                timezone.localtime(closed).replace(tzinfo=None) if closed else None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
