"""履职积分 rules per congress and per year (docs/rules.md, 'Point rules').

Which value counts. A representative's records are counted with the rules in force at
their region (所在地), the place the staff who serve them and the scoping read: for
each code, the value of the congress there, else of the nearest congress above that
set its own (a district without its own row follows its city's), else the
installation's row, else the default below. A representative with seats at several
levels has one score, counted with one set of rules, the way their SMS mode is read.

Which year. A change applies to the year in progress: the whole of it is counted with
the new value. Before the first change made in a year, ``freeze_past_years`` copies
the rules as they stood into ``PointRuleYear`` for the year before; a past year is
counted with the first copy of that year or a later one (nothing changed in
between), else with the rules now (nothing has changed since). No periodic job is
needed: a copy is only ever needed once something is about to change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import history
from congress.errors import OutOfJurisdiction, RuleViolation
from representatives.models import PointRule, PointRuleYear

if TYPE_CHECKING:
    from congress.models import Congress, User

# A point value a congress may set: a record is worth at most this much either way.
MIN_POINTS, MAX_POINTS = -100, 100
# The key of a point rule's change in the congress's change history (CongressRuleChange).
HISTORY_PREFIX = "points."

DEFAULT_RULES: list[tuple[str, str, int, str]] = [
    ("contact_log", "联系选民", 1, "每条联系选民记录"),
    ("duty_served", "进站接待选民", 5, "每次已值班"),
    ("duty_absent", "值班缺勤", -1, "每次无故缺勤"),
    ("activity_inspection", "参加视察", 3, "每次出席"),
    ("activity_research", "参加调研", 3, "每次出席"),
    ("activity_law_enforcement", "参加执法检查", 3, "每次出席"),
    ("activity_attend_meeting", "列席常委会会议", 2, "每次出席"),
    ("activity_training", "参加履职培训", 2, "每次出席"),
    ("activity_theme", "参加主题活动", 2, "每次出席"),
    ("activity_absent_half_day", "无故缺席活动", -1, "每缺席半天"),
    ("suggestion", "提出代表建议", 3, "每件（领衔或附议），由建议模块统计"),
    ("motion", "领衔提出议案", 5, "每件，由建议模块统计"),
    ("citizen_issue_handled", "办理群众反映问题", 1, "每件办结，由建议模块统计"),
]


def default_rules() -> list[PointRule]:
    """The rules from practice, unsaved: what a code with no row counts."""
    return [
        PointRule(
            code=code, label=label, points=points, description=description, sort_order=order * 10
        )
        for order, (code, label, points, description) in enumerate(DEFAULT_RULES, start=1)
    ]


# --- the rules of one year ------------------------------------------------------------


@dataclass(frozen=True)
class OwnValues:
    """One congress's own values: its region path, name and {code: points}."""

    path: str
    congress_id: int
    name: str
    points: dict[str, int]


@dataclass(frozen=True)
class RuleBook:
    """The point rules in force for one year: the installation's (every code, switched
    off ones included) and each congress's own values, the deepest congress first."""

    year: int
    installation: dict[str, PointRule]
    own: tuple[OwnValues, ...]
    _cache: dict[str, dict[str, PointRule]] = field(default_factory=dict, compare=False)

    def value_at(self, path: str | None, code: str) -> tuple[int, OwnValues | None]:
        """The points of ``code`` at a place, and the congress whose value it is (None:
        the installation's)."""
        for own in self.own:
            if path and path.startswith(own.path) and code in own.points:
                return own.points[code], own
        return self.installation[code].points, None

    def at(self, path: str | None) -> dict[str, PointRule]:
        """The active rules at a place (a representative's region path), by code."""
        key = path or ""
        if key not in self._cache:
            rules = {}
            for code, rule in self.installation.items():
                if not rule.is_active:
                    continue
                points, own = self.value_at(path, code)
                rules[code] = rule if own is None else _copy(rule, points)
            self._cache[key] = rules
        return self._cache[key]

    def weighted(self) -> list[tuple[str, int, tuple[tuple[str, int], ...]]]:
        """Per active code: the installation's points and the (region path, points) of
        the congresses that set their own, the deepest first. What the dashboard's
        ranking turns into SQL."""
        return [
            (
                code,
                rule.points,
                tuple((own.path, own.points[code]) for own in self.own if code in own.points),
            )
            for code, rule in self.installation.items()
            if rule.is_active
        ]


def _copy(rule: PointRule | PointRuleYear, points: int) -> PointRule:
    return PointRule(
        code=rule.code,
        label=rule.label,
        points=points,
        is_active=rule.is_active,
        description=rule.description,
        sort_order=rule.sort_order,
    )


def _book(year: int, rows: Iterable[PointRule | PointRuleYear]) -> RuleBook:
    """A year's rules from its rows (live or copied): the installation's rows over the
    defaults, and the congresses' rows grouped by congress."""
    installation = {rule.code: rule for rule in default_rules()}
    own: dict[int, OwnValues] = {}
    for row in rows:
        if row.congress_id is None:
            installation[row.code] = row if isinstance(row, PointRule) else _copy(row, row.points)
            continue
        assert row.congress is not None
        entry = own.setdefault(
            row.congress_id,
            OwnValues(row.congress.region.path, row.congress_id, row.congress.name, {}),
        )
        entry.points[row.code] = row.points
    deepest_first = sorted(own.values(), key=lambda entry: -len(entry.path))
    ordered = dict(sorted(installation.items(), key=lambda item: (item[1].sort_order, item[0])))
    return RuleBook(year, ordered, tuple(deepest_first))


def live_book(year: int | None = None) -> RuleBook:
    """The rules now: every row, one query."""
    rows = PointRule.objects.select_related("congress__region")
    return _book(year or timezone.localdate().year, rows)


def book_for(year: int, today: datetime.date | None = None) -> RuleBook:
    """The rules a year is counted with: the year in progress (or later) with the rules
    now; a past year with its copy, else the first later copy, else the rules now. One
    query, two for a past year with no copy at or after it."""
    if year >= (today or timezone.localdate()).year:
        return live_book(year)
    first_copy = PointRuleYear.objects.filter(year__gte=year).order_by("year").values("year")[:1]
    rows = list(
        PointRuleYear.objects.filter(year=Subquery(first_copy)).select_related("congress__region")
    )
    return _book(year, rows) if rows else live_book(year)


@dataclass(frozen=True)
class Span:
    """The part of a period that lies in one calendar year, and that year's rules."""

    start: datetime.date
    end: datetime.date
    book: RuleBook


def spans(start: datetime.date, end: datetime.date) -> list[Span]:
    """A period cut at each new year, each part with its year's rules (one or two
    queries per year the period touches)."""
    return [
        Span(
            max(start, datetime.date(year, 1, 1)),
            min(end, datetime.date(year, 12, 31)),
            book_for(year),
        )
        for year in range(start.year, end.year + 1)
    ]


def freeze_past_years(today: datetime.date | None = None) -> bool:
    """Copy the rules as they stand into last year's ``PointRuleYear`` rows, unless a
    copy of last year (or later) exists: called before any change, so last year keeps
    the values it was counted with. The rules now were in force for every year since
    the newest copy, which the reading side knows (``book_for``). Returns whether it
    copied."""
    year = (today or timezone.localdate()).year - 1
    if PointRuleYear.objects.filter(year__gte=year).exists():
        return False
    book = live_book(year)
    rows = [
        PointRuleYear(
            year=year,
            code=rule.code,
            label=rule.label,
            points=rule.points,
            is_active=rule.is_active,
            description=rule.description,
            sort_order=rule.sort_order,
        )
        for rule in book.installation.values()
    ]
    for own in book.own:
        for code, points in own.points.items():
            rule = book.installation.get(code)
            rows.append(
                PointRuleYear(
                    year=year,
                    congress_id=own.congress_id,
                    code=code,
                    label=rule.label if rule else code,
                    points=points,
                )
            )
    PointRuleYear.objects.bulk_create(rows, ignore_conflicts=True)
    return True


# --- a congress's own values: the page and its one service ----------------------------


@dataclass(frozen=True)
class PointRuleState:
    """One code as a congress's page shows it."""

    rule: PointRule  # the installation's
    own: int | None  # None: the congress follows the congress above
    inherited: int
    inherited_from: str  # the congress above whose value that is, or "" (the installation)

    @property
    def value(self) -> int:
        return self.inherited if self.own is None else self.own


def point_rule_states(congress: Congress) -> list[PointRuleState]:
    """Every active code for one congress: its own value, what it would follow without
    it and from whom. One query."""
    book = live_book()
    path = congress.region.path
    states = []
    for code, rule in book.installation.items():
        if not rule.is_active:
            continue
        own, inherited, source = None, rule.points, ""
        for entry in book.own:  # deepest first
            if not path.startswith(entry.path) or code not in entry.points:
                continue
            if entry.congress_id == congress.pk:
                own = entry.points[code]
            elif not source:
                inherited, source = entry.points[code], entry.name
        states.append(PointRuleState(rule, own, inherited, source))
    return states


def clean_points(label: str, raw: Any) -> int:
    """``raw`` as a point value, or ``RuleViolation`` naming the allowed range."""
    allowed = _("%(low)s至%(high)s分") % {"low": MIN_POINTS, "high": MAX_POINTS}
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleViolation(
            _("“%(label)s”应为整数，允许范围：%(range)s。") % {"label": label, "range": allowed}
        ) from None
    if not MIN_POINTS <= number <= MAX_POINTS:
        raise RuleViolation(
            _("“%(label)s”超出允许范围：%(range)s。") % {"label": label, "range": allowed}
        )
    return number


def _require_editor(by: User | None, congress: Congress) -> None:
    """Administrators set rules (docs/rules.md, 'Who sets them'); staff who may read the
    congress get 403, anyone else 404."""
    from congress.rules import can_edit_rules
    from congress.scoping import in_jurisdiction

    if by is None or can_edit_rules(by):
        return
    if in_jurisdiction(by, congress.region):
        raise PermissionDenied
    raise OutOfJurisdiction


@history.recorded_by
def point_rules_save(
    *, congress: Congress, values: Mapping[str, Any], by: User | None
) -> list[str]:
    """Set a congress's own point values: ``values`` maps a code to its points, or to
    ``None`` to follow the congress above. Every value is checked before anything is
    written; last year is copied first (``freeze_past_years``), so the change applies
    to the year in progress only. Each change is an audit row and a row of the
    congress's change history. Returns the codes that changed."""
    from congress.audit import audit_record
    from congress.models import AuditAction
    from congress.models.rules import CongressRuleChange

    _require_editor(by, congress)
    known = {state.rule.code: state.rule for state in point_rule_states(congress)}
    unknown = [code for code in values if code not in known]
    if unknown:
        raise RuleViolation(_("没有代码为“%(code)s”的积分规则。") % {"code": unknown[0]})
    cleaned = {
        code: None if raw is None else clean_points(known[code].label, raw)
        for code, raw in values.items()
    }
    changed: list[str] = []
    now = timezone.now()
    with transaction.atomic():
        current = {
            row.code: row
            for row in PointRule.objects.select_for_update().filter(
                congress=congress, code__in=list(cleaned)
            )
        }
        if any((current[c].points if c in current else None) != v for c, v in cleaned.items()):
            freeze_past_years(timezone.localdate())
        for code, value in cleaned.items():
            row = current.get(code)
            before = row.points if row is not None else None
            if before == value:
                continue
            _write(congress, known[code], row, value)
            CongressRuleChange.objects.create(
                congress=congress,
                key=HISTORY_PREFIX + code,
                before=before,
                after=value,
                by=by,
                at=now,
            )
            audit_record(
                action=AuditAction.ADMIN_CHANGE,
                actor=by,
                obj=congress,
                detail={"rule": HISTORY_PREFIX + code, "from": before, "to": value},
            )
            changed.append(code)
    return changed


def _write(congress: Congress, rule: PointRule, row: PointRule | None, value: int | None) -> None:
    """Save or delete one congress row (through the model, so the edit history has it)."""
    if value is None:
        assert row is not None
        row.delete()
    elif row is None:
        PointRule.objects.create(
            congress=congress,
            code=rule.code,
            label=rule.label,
            points=value,
            description=rule.description,
            sort_order=rule.sort_order,
        )
    else:
        row.points = value
        row.save(update_fields=["points"])


def point_rule_history(congress: Congress, limit: int = 20) -> list[dict[str, Any]]:
    """The latest changes of a congress's point values: the congress's change history,
    read on its index (congress, newest first), and the installation's labels."""
    from congress.models.rules import CongressRuleChange

    labels = {code: label for code, label, _points, _text in DEFAULT_RULES}
    labels.update(PointRule.objects.filter(congress=None).values_list("code", "label"))
    rows = (
        CongressRuleChange.objects.filter(congress=congress, key__startswith=HISTORY_PREFIX)
        .select_related("by")
        .order_by("-at", "-id")[:limit]
    )
    follow = _("（沿用上级）")
    return [
        {
            "at": change.at,
            "by": str(change.by) if change.by else "",
            "label": labels.get(code := change.key[len(HISTORY_PREFIX) :], code),
            "before": follow if change.before is None else f"{change.before:+d}",
            "after": follow if change.after is None else f"{change.after:+d}",
        }
        for change in rows
    ]
