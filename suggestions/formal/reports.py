"""The session's handling report (建议办理情况报告) to the standing committee.

Numbers for one session: received, registered, assigned, replied on time, A/B/C/D
counts and shares, satisfaction counts and rate, by department, by category and by
delegation; key-supervision progress; and the carry-over list. Every figure comes
from an aggregate query (a fixed number of queries whatever the size of the session).
Shares are given with two decimals, rounded half up, as the reports print them
(seed 004: 341 suggestions, 286 A → 83.87%).
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


def share(part: int, whole: int) -> str:
    """A percentage with two decimals ("83.87%"), or "—" when there is nothing to divide."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value}%"


def _counts() -> dict[str, Any]:
    """The per-group aggregates, as Count expressions (one query per grouping)."""
    sat = SuggestionSatisfaction
    return {
        "received": Count("pk"),
        "registered": Count("pk", filter=Q(status__in=TAKEN_UP)),
        "assigned": Count("pk", filter=Q(assigned_at__isnull=False)),
        "replied": Count("pk", filter=Q(first_replied_at__isnull=False)),
        "on_time": Count("pk", filter=Q(replied_on_time=True)),
        **{f"cat_{c}": Count("pk", filter=Q(reply_category=c)) for c in CATEGORIES},
        "satisfied": Count("pk", filter=Q(result_rating=sat.SATISFIED)),
        "basically": Count("pk", filter=Q(result_rating=sat.BASICALLY)),
        "unsatisfied": Count("pk", filter=Q(result_rating=sat.UNSATISFIED)),
    }


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
        """满意率: 满意 and 基本满意 among those rated."""
        return share(self.satisfied + self.basically, self.rated)

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
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("满意率"),
    ]


def _breakdown_line(row: Row) -> list[Any]:
    return [
        row.label,
        row.received,
        row.assigned,
        row.replied,
        row.on_time,
        row.on_time_rate,
        *[row.categories.get(c, 0) for c in CATEGORIES],
        row.a_share,
        row.satisfied,
        row.basically,
        row.unsatisfied,
        row.satisfaction_rate,
    ]


def report_workbook(report: SessionReport) -> bytes:
    """The report as an Excel workbook, one sheet per table. Representatives are public
    office holders; no citizen's personal data is in any sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("总体情况")
    total = report.total
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    for label, value in [
        (_("收到建议、议案"), total.received),
        (_("其中议案"), report.motions),
        (_("立案"), total.registered),
        (_("并案"), report.merged),
        (_("转来信处理"), report.converted),
        (_("不予立案"), report.declined),
        (_("已交办"), total.assigned),
        (_("已答复"), total.replied),
        (_("按时答复"), total.on_time),
        (_("按时答复率"), total.on_time_rate),
        *[(_("%(c)s类") % {"c": c}, f"{n}（{s}）") for c, n, s in total.shares],
        (_("满意"), total.satisfied),
        (_("基本满意"), total.basically),
        (_("不满意"), total.unsatisfied),
        (_("满意率"), total.satisfaction_rate),
    ]:
        summary.append([label, value])
    for title, rows in [
        (_("按承办单位"), report.by_department),
        (_("按类别"), report.by_category),
        (_("按代表团"), report.by_delegation),
    ]:
        sheet = book.create_sheet(title)
        sheet.append(_breakdown_header())
        for row in [*rows, report.total]:
            sheet.append(_breakdown_line(row))
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
