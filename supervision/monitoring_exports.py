"""A campaign's questionnaire results as an Excel workbook (openpyxl, as the project's
other reports): the aggregated counts only. No free text (it may name someone), no
submission, nothing about who answered: the workbook is safe to pass on."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from supervision import monitoring as m
from supervision.models.monitoring import SurveyQuestionKind
from supervision.models.topics import Topic


def results_workbook(topic: Topic) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("问卷结果")
    sheet.append([topic.title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("序号"), _("题目"), _("选项"), _("人数"), _("占比")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    found = m.questionnaire_of(topic)
    for number, result in enumerate(m.question_results(found), 1):
        question = result.question
        if question.kind == SurveyQuestionKind.TEXT:
            sheet.append([number, question.text, _("文字回答（不导出内容）"), result.total, None])
            continue
        for option in result.options:
            share = float(option.percent) / 100 if option.percent is not None else None
            sheet.append([number, question.text, option.label, option.count, share])
        if result.satisfied is not None:
            sheet.append(
                [
                    number,
                    question.text,
                    _("满意度（满意＋基本满意）"),
                    result.total,
                    float(result.satisfied) / 100,
                ]
            )
    for line in sheet.iter_rows(min_row=3):
        line[4].number_format = "0.0%"

    points = book.create_sheet(_("监测点"))
    points.append([_("类型"), _("监测点数"), _("在用"), _("答卷数")])
    for cell in points[1]:
        cell.font = Font(bold=True)
    counts = m.point_counts(topic)
    for kind, label in m.PointKind.choices:
        row = counts[kind]
        points.append([str(label), row.points, row.active, row.answers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
