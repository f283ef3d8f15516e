"""A topic's findings, and a year's closed-off and on-time rates by department, as Excel
workbooks (openpyxl, as the project's other reports):
numbers are numbers and dates are dates, so the sheet can be summed and sorted."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models.topics import Topic
from supervision.selectors import DepartmentRate


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


def rates_workbook(year: int, rows: list[DepartmentRate], total: DepartmentRate) -> bytes:
    """The year's findings by responsible department: counts as numbers, rates as
    fractions shown in per cent (blank where there is nothing to divide by)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("%(year)s年问题整改") % {"year": year}
    sheet.append(
        [
            _("责任单位"),
            _("问题数"),
            _("已销号"),
            _("销号率"),
            _("按期销号"),
            _("按期销号率"),
            _("长期整改"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [*rows, total]:
        closed_rate, on_time_rate = row.closed_off_rate, row.on_time_rate
        sheet.append(
            [
                row.department or _("合计"),
                row.total,
                row.closed_off,
                float(closed_rate) / 100 if closed_rate is not None else None,
                row.on_time,
                float(on_time_rate) / 100 if on_time_rate is not None else None,
                row.long_term,
            ]
        )
    for line in sheet.iter_rows(min_row=2):
        line[3].number_format = line[5].number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
