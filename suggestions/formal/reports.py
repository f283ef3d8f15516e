"""The session's handling report (建议办理情况报告) to the standing committee.

Numbers for one session: received, registered, assigned, replied on time, A/B/C/D
counts and shares, satisfaction counts and rate, by department, by category and by
delegation; key-supervision progress; and the carry-over list. Every figure comes
from an aggregate query (a fixed number of queries whatever the size of the session).
Shares are given with two decimals, rounded half up, as the reports print them
(seed 004: 341 suggestions, 286 A → 83.87%).

Satisfaction counts every rating of the 办理结果 that a signer gave (次, not 件): the
first rating of a reply and the ratings after re-handling alike. A 不满意 sends the
suggestion back for re-handling and never reaches the suggestion's own rating field
(that is the lead's closing rating), so counting that field would never show one: 4
不满意 of 82 ratings read "不满意0件，满意率100.00%" instead of 95.12%. Re-handling is
shown apart: how many suggestions went back, how many were rated again, and how.
See docs/reports.md.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from congress.models import Session
from suggestions.formal.selectors import RECEIVED, TAKEN_UP, carried_over, key_suggestions
from suggestions.models.formal import (
    ReplyCategory,
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionSatisfaction,
    SuggestionStatus,
)

S = SuggestionStatus
CATEGORIES = [c.value for c in ReplyCategory]


def ratio(part: int, whole: int) -> Decimal | None:
    """The share as a fraction rounded like the printed percentage (286/341 → 0.8387), or
    None when there is nothing to divide. Excel shows it with a percent format."""
    if not whole:
        return None
    percent = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return percent / 100


def share(part: int, whole: int) -> str:
    """A percentage with two decimals ("83.87%"), or "—" when there is nothing to divide."""
    value = ratio(part, whole)
    return "—" if value is None else f"{value * 100:.2f}%"


def _counts() -> dict[str, Any]:
    """The per-group aggregates, as Count expressions (one query per grouping).

    The ratings are joined in (every rating of every reply round), so each count is
    distinct: a suggestion is one 件 however many ratings it has."""
    sat = SuggestionSatisfaction
    rating = "replies__ratings"
    return {
        "received": Count("pk", distinct=True),
        "registered": Count("pk", distinct=True, filter=Q(status__in=TAKEN_UP)),
        "assigned": Count("pk", distinct=True, filter=Q(assigned_at__isnull=False)),
        "replied": Count("pk", distinct=True, filter=Q(first_replied_at__isnull=False)),
        "on_time": Count("pk", distinct=True, filter=Q(replied_on_time=True)),
        **{f"cat_{c}": Count("pk", distinct=True, filter=Q(reply_category=c)) for c in CATEGORIES},
        "satisfied": Count(rating, distinct=True, filter=Q(replies__ratings__result=sat.SATISFIED)),
        "basically": Count(rating, distinct=True, filter=Q(replies__ratings__result=sat.BASICALLY)),
        "unsatisfied": Count(
            rating, distinct=True, filter=Q(replies__ratings__result=sat.UNSATISFIED)
        ),
    }


@dataclass
class Rehandling:
    """不满意 and after: the suggestions sent back for re-handling (a signer rated the
    attitude or the result 不满意), how many of them were rated again after the new
    reply, and those later ratings of the result (次)."""

    sent_back: int = 0
    rerated: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def satisfaction_rate(self) -> str:
        return share(self.satisfied + self.basically, self.ratings)

    @property
    def satisfaction_ratio(self) -> Decimal | None:
        return ratio(self.satisfied + self.basically, self.ratings)


def _rehandling(rows: QuerySet[Suggestion]) -> Rehandling:
    """One aggregate query. A reply of round 2 or later exists only after re-handling
    (a follow-up report of a carried-over item is no re-handling, and is not rated)."""
    sat = SuggestionSatisfaction
    unsatisfied = Q(replies__ratings__result=sat.UNSATISFIED) | Q(
        replies__ratings__attitude=sat.UNSATISFIED
    )
    later = Q(replies__round__gte=2, replies__is_follow_up=False)
    rating = "replies__ratings"
    values = rows.aggregate(
        sent_back=Count("pk", distinct=True, filter=unsatisfied),
        rerated=Count("pk", distinct=True, filter=later & Q(replies__ratings__isnull=False)),
        satisfied=Count(
            rating, distinct=True, filter=later & Q(replies__ratings__result=sat.SATISFIED)
        ),
        basically=Count(
            rating, distinct=True, filter=later & Q(replies__ratings__result=sat.BASICALLY)
        ),
        unsatisfied=Count(
            rating, distinct=True, filter=later & Q(replies__ratings__result=sat.UNSATISFIED)
        ),
    )
    return Rehandling(**{name: count or 0 for name, count in values.items()})


@dataclass
class Row:
    """One line of a breakdown (or the whole session)."""

    label: str
    received: int = 0
    registered: int = 0
    assigned: int = 0
    replied: int = 0
    on_time: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0

    @classmethod
    def from_values(cls, label: str, values: dict[str, Any]) -> Row:
        return cls(
            label=label,
            received=values.get("received") or 0,
            registered=values.get("registered") or 0,
            assigned=values.get("assigned") or 0,
            replied=values.get("replied") or 0,
            on_time=values.get("on_time") or 0,
            categories={c: values.get(f"cat_{c}") or 0 for c in CATEGORIES},
            satisfied=values.get("satisfied") or 0,
            basically=values.get("basically") or 0,
            unsatisfied=values.get("unsatisfied") or 0,
        )

    @property
    def categorised(self) -> int:
        return sum(self.categories.values())

    @property
    def rated(self) -> int:
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def on_time_rate(self) -> str:
        return share(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> str:
        """满意率: 满意 and 基本满意 among all ratings of the result (次)."""
        return share(self.satisfied + self.basically, self.rated)

    @property
    def satisfaction_ratio(self) -> Decimal | None:
        return ratio(self.satisfied + self.basically, self.rated)

    @property
    def on_time_ratio(self) -> Decimal | None:
        return ratio(self.on_time, self.replied)

    def category_ratio(self, category: str) -> Decimal | None:
        return ratio(self.categories.get(category, 0), self.categorised)

    def category_share(self, category: str) -> str:
        return share(self.categories.get(category, 0), self.categorised)

    @property
    def shares(self) -> list[tuple[str, int, str]]:
        return [(c, self.categories.get(c, 0), self.category_share(c)) for c in CATEGORIES]

    @property
    def a_share(self) -> str:
        return self.category_share(ReplyCategory.A)


@dataclass
class SessionReport:
    session: Session
    total: Row
    motions: int
    merged: int
    converted: int
    declined: int
    by_department: list[Row]
    by_category: list[Row]
    by_delegation: list[Row]
    rehandling: Rehandling
    key: list[Suggestion]
    carried_over: list[Suggestion]
    earlier_carried_over: list[Suggestion]

    @property
    def title(self) -> str:
        return _("关于%(session)s代表建议办理情况的报告") % {"session": self.session}

    @property
    def breakdowns(self) -> list[tuple[str, list[Row]]]:
        return [
            (_("按承办单位"), self.by_department),
            (_("按类别"), self.by_category),
            (_("按代表团"), self.by_delegation),
        ]


def session_rows(session: Session) -> QuerySet[Suggestion]:
    """What the report counts: everything received at the session (not drafts, not
    withdrawn, not a pre-submission sent back for revision)."""
    return Suggestion.objects.filter(session=session, status__in=RECEIVED).exclude(
        status=S.PRE_RETURNED
    )


def _grouped(rows: QuerySet[Suggestion], key: str) -> list[dict[str, Any]]:
    return list(rows.values(key).annotate(**_counts()).order_by(key))


def session_report(session: Session, *, user: Any = None) -> SessionReport:
    rows = session_rows(session)
    total = Row.from_values(_("合计"), rows.aggregate(**_counts()))
    status_counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    categories = dict(SuggestionCategory.choices)
    by_department = [
        Row.from_values(str(values["lead_assignment__department__name"]), values)
        for values in _grouped(
            rows.filter(lead_assignment__isnull=False), "lead_assignment__department__name"
        )
    ]
    by_department.sort(key=lambda row: -row.received)
    by_category = [
        Row.from_values(str(categories.get(values["category"], values["category"])), values)
        for values in _grouped(rows, "category")
    ]
    by_delegation = [
        Row.from_values(str(values["delegation__name"] or _("未编入代表团")), values)
        for values in _grouped(rows, "delegation__name")
    ]
    key = list(
        (key_suggestions(user) if user is not None else Suggestion.objects.filter(is_key=True))
        .filter(session=session)
        .select_related("lead_assignment__department")
    )
    return SessionReport(
        session=session,
        total=total,
        motions=rows.filter(kind=SuggestionKind.MOTION).count(),
        merged=status_counts.get(S.MERGED, 0),
        converted=status_counts.get(S.CONVERTED, 0),
        declined=status_counts.get(S.DECLINED, 0),
        by_department=by_department,
        by_category=by_category,
        by_delegation=by_delegation,
        rehandling=_rehandling(rows),
        key=key,
        carried_over=list(
            rows.filter(status=S.CARRIED_OVER).select_related(
                "session__term__congress", "lead", "lead_assignment__department"
            )
        ),
        earlier_carried_over=list(
            carried_over([session.term.congress_id], before=session.opens_on)
        ),
    )


# --- Excel (openpyxl) -------------------------------------------------------------------

PERCENT = "0.00%"


def _breakdown_header() -> list[str]:
    return [
        _("名称"),
        _("件数"),
        _("已交办"),
        _("已答复"),
        _("按时答复"),
        _("按时答复率"),
        "A",
        "B",
        "C",
        "D",
        _("A类占比"),
        _("满意（次）"),
        _("基本满意（次）"),
        _("不满意（次）"),
        _("满意率"),
    ]


# The columns of a breakdown line that hold a share (1-based, as Excel counts).
BREAKDOWN_SHARES = (6, 11, 15)


def _breakdown_line(row: Row) -> list[Any]:
    return [
        row.label,
        row.received,
        row.assigned,
        row.replied,
        row.on_time,
        row.on_time_ratio,
        *[row.categories.get(c, 0) for c in CATEGORIES],
        row.category_ratio(ReplyCategory.A),
        row.satisfied,
        row.basically,
        row.unsatisfied,
        row.satisfaction_ratio,
    ]


def _summary_lines(report: SessionReport) -> list[tuple[str, int, Decimal | None]]:
    """(label, count, share or None): the count in one cell, its share in the next."""
    total, again = report.total, report.rehandling
    return [
        (_("收到建议、议案"), total.received, None),
        (_("其中议案"), report.motions, None),
        (_("立案"), total.registered, None),
        (_("并案"), report.merged, None),
        (_("转来信处理"), report.converted, None),
        (_("不予立案"), report.declined, None),
        (_("已交办"), total.assigned, None),
        (_("已答复"), total.replied, None),
        (_("按时答复"), total.on_time, total.on_time_ratio),
        *[(_("%(c)s类") % {"c": c}, n, total.category_ratio(c)) for c, n, _s in total.shares],
        (_("测评满意（次）"), total.satisfied, None),
        (_("测评基本满意（次）"), total.basically, None),
        (_("测评不满意（次）"), total.unsatisfied, None),
        (
            _("满意和基本满意（次），满意率"),
            total.satisfied + total.basically,
            total.satisfaction_ratio,
        ),
        (_("因不满意退回重新办理（件）"), again.sent_back, None),
        (_("重新办理后已再次测评（件）"), again.rerated, None),
        (_("重新办理后测评满意（次）"), again.satisfied, None),
        (_("重新办理后测评基本满意（次）"), again.basically, None),
        (_("重新办理后测评不满意（次）"), again.unsatisfied, None),
    ]


def report_workbook(report: SessionReport) -> bytes:
    """The report as an Excel workbook, one sheet per table. Counts and shares are
    numbers (a share is a fraction shown with a percent format), so the office can sum
    and chart them. Representatives are public office holders; no citizen's personal
    data is in any sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("总体情况")
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("项目"), _("数量"), _("占比")])
    for label, count, fraction in _summary_lines(report):
        summary.append([label, count, fraction])
        summary.cell(row=summary.max_row, column=3).number_format = PERCENT
    summary.append([_("满意率按代表对办理结果的每一次测评计算，重新办理前后的测评都计入。")])
    for title, rows in [
        (_("按承办单位"), report.by_department),
        (_("按类别"), report.by_category),
        (_("按代表团"), report.by_delegation),
    ]:
        sheet = book.create_sheet(title)
        sheet.append(_breakdown_header())
        for row in [*rows, report.total]:
            sheet.append(_breakdown_line(row))
            for column in BREAKDOWN_SHARES:
                sheet.cell(row=sheet.max_row, column=column).number_format = PERCENT
    key_sheet = book.create_sheet(_("重点督办"))
    key_sheet.append([_("编号"), _("标题"), _("领衔办理"), _("牵头督办"), _("督办工委"), _("状态")])
    for item in report.key:
        key_sheet.append(
            [
                item.number,
                item.title,
                item.key_leading_official,
                item.key_supervisor,
                item.key_committee,
                item.get_status_display(),
            ]
        )
    carry = book.create_sheet(_("跨年度跟踪"))
    carry.append([_("会议"), _("编号"), _("标题"), _("承办单位"), _("答复类别"), _("跟踪期限")])
    for item in [*report.earlier_carried_over, *report.carried_over]:
        assignment = item.lead_assignment
        carry.append(
            [
                str(item.session),
                item.number,
                item.title,
                str(assignment.department) if assignment else "",
                item.follow_up_category or item.reply_category,
                assignment.due_on.isoformat() if assignment else "",
            ]
        )
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
