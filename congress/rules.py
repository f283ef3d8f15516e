"""Rules per congress (docs/rules.md): the registry of the rules a congress may set for
itself, the value in force at a place, and the one service that changes a congress's own.

A rule is registered once by the app whose ``conf.py`` reads it (key, label, legal
source, type, default, allowed range). Its value for a congress is, in this order:
the congress's own (``CongressRule``), else that of the nearest congress above it on
the region path, else the installation's setting, else the default from law or
practice. A case records the values in force when it starts (``rules_at``), so a
later change applies to new cases only.

Reads cost one query for every rule at once (``rules_at``); nothing is read at import
time, so ``override_settings`` works in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from congress.errors import OutOfJurisdiction, RuleViolation
from congress.registry import NavItem, register_nav

if TYPE_CHECKING:
    from congress.models import Congress, Region, User
    from congress.scoping import AnyUser

Kind = Literal["int", "bool", "words", "choice"]
Unit = Literal["workdays", "days", "months", "times", "percent", ""]

# The longest list of words a rule of kind "words" takes, and the longest word.
MAX_WORDS = 200
MAX_WORD_LENGTH = 30


@dataclass(frozen=True)
class Rule:
    """One rule a congress may set for itself.

    ``source`` names the law's article, or "实践做法" and the practice it follows;
    ``setting`` is the installation-wide setting that replaces ``default`` before any
    congress sets its own; ``minimum``/``maximum`` bound an ``int`` (both inclusive);
    ``choices`` are the (value, label) pairs a ``choice`` takes.
    """

    key: str
    label: str | Promise
    source: str | Promise
    kind: Kind
    default: Any
    setting: str
    app: str
    group: str | Promise
    unit: Unit = ""
    minimum: int | None = None
    maximum: int | None = None
    order: int = 100
    choices: tuple[tuple[str, Any], ...] = ()

    def range_text(self) -> str:
        """The allowed values, as the form and a refusal state them."""
        if self.kind == "bool":
            return _("是或否")
        if self.kind == "choice":
            return "、".join(str(label) for _value, label in self.choices)
        if self.kind == "words":
            return _("最多%(n)s个词，每个不超过%(length)s个字") % {
                "n": MAX_WORDS,
                "length": MAX_WORD_LENGTH,
            }
        return _("%(low)s至%(high)s%(unit)s") % {
            "low": self.minimum,
            "high": self.maximum,
            "unit": unit_label(self.unit),
        }

    def show(self, value: Any) -> str:
        """A value as the page shows it."""
        if self.kind == "bool":
            return _("是") if value else _("否")
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value))
        if self.kind == "words":
            return "、".join(value) if value else _("（无）")
        if not self.unit:
            return str(value)
        return _("%(value)s%(unit)s") % {"value": value, "unit": unit_label(self.unit)}


def unit_label(unit: Unit) -> str:
    return {
        "workdays": pgettext("rule unit", "个工作日"),
        "days": pgettext("rule unit", "天"),
        "months": pgettext("rule unit", "个月"),
        "times": pgettext("rule unit", "次"),
        "percent": "%",
        "": "",
    }[unit]


_registry: dict[str, Rule] = {}


def register_rule(rule: Rule) -> None:
    """Called by the app whose ``conf.py`` reads the rule (at import of that module).
    Registering the same rule again is harmless; two different rules under one key are
    refused."""
    known = _registry.get(rule.key)
    if known is not None and known != rule:
        raise ValueError(f"rule {rule.key!r} registered twice with different definitions")
    if rule.kind == "int" and (rule.minimum is None or rule.maximum is None):
        raise ValueError(f"rule {rule.key!r}: an int rule needs its range")
    if rule.kind == "choice" and rule.default not in dict(rule.choices):
        raise ValueError(f"rule {rule.key!r}: the default is not one of its choices")
    _registry[rule.key] = rule


def registered_rules() -> list[Rule]:
    return sorted(_registry.values(), key=lambda rule: (rule.order, rule.key))


def get_rule(key: str) -> Rule:
    try:
        return _registry[key]
    except KeyError:
        raise RuleViolation(_("没有名为“%(key)s”的规则。") % {"key": key}) from None


# --- values ------------------------------------------------------------------------


def installation_value(rule: Rule) -> Any:
    """The value before any congress sets its own: the setting, else the default."""
    return _coerce(rule, getattr(settings, rule.setting, rule.default))


def _coerce(rule: Rule, value: Any) -> Any:
    if rule.kind == "int":
        return int(value)
    if rule.kind == "bool":
        return bool(value)
    if rule.kind == "choice":
        return str(value)
    return [str(word) for word in value]


def _overrides_along(region: Region) -> list[tuple[int, str, Any, int, str]]:
    """(depth, key, value, congress id, congress name) of every value set by a congress
    at ``region`` or above it, deepest first: one query on the unique (congress, key)
    index."""
    from congress.models.rules import CongressRule

    ancestors = region.ancestor_ids()
    depth_of = {pk: depth for depth, pk in enumerate(ancestors)}
    rows = CongressRule.objects.filter(congress__region_id__in=ancestors).values_list(
        "congress__region_id", "key", "value", "congress_id", "congress__name"
    )
    found = [
        (depth_of[region_id], key, value, cid, name) for region_id, key, value, cid, name in rows
    ]
    return sorted(found, key=lambda row: -row[0])


def rules_at(region: Region, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The value in force of each rule (``keys``, else every registered rule) for a case
    at ``region``: its congress's own, else the nearest congress above, else the
    installation's. One query. What a case records when it starts."""
    wanted = list(keys) if keys is not None else list(_registry)
    values = {key: installation_value(get_rule(key)) for key in wanted}
    chosen: set[str] = set()
    for _depth, key, value, _congress, _name in _overrides_along(region):
        if key in values and key not in chosen:
            values[key] = _coerce(get_rule(key), value)
            chosen.add(key)
    return values


def rule_value(key: str, congress: Congress | None = None) -> Any:
    """The value of one rule for ``congress`` (with inheritance), or the installation's
    when no congress is named."""
    rule = get_rule(key)
    if congress is None:
        return installation_value(rule)
    return rules_at(congress.region, [key])[key]


def in_force(key: str, recorded: Mapping[str, Any] | None, congress: Congress | None = None) -> Any:
    """The value a case follows: the one it recorded when it started, else (a case from
    before the rule was recorded) the value in force now."""
    if recorded and key in recorded:
        return _coerce(get_rule(key), recorded[key])
    return rule_value(key, congress)


@dataclass(frozen=True)
class RuleMap:
    """One rule's value everywhere at once, for a periodic job that works on rows of
    many places (the duty schedule's publication, retention, representatives' SMS):
    the installation's value and each congress's own, by the congress's region path,
    deepest first. ``at(path)`` is the value in force at a place; ``q(value, field)``
    selects the rows (by their region path ``field``) where ``value`` is in force."""

    rule: Rule
    installation: Any
    own: tuple[tuple[str, Any], ...]  # (region path, value), the longest path first

    def at(self, path: str | None) -> Any:
        for prefix, value in self.own:
            if path and path.startswith(prefix):
                return value
        return self.installation

    def values(self) -> list[Any]:
        """Every value in force somewhere, the installation's first."""
        found = [self.installation]
        for _path, value in self.own:
            if value not in found:
                found.append(value)
        return found

    def q(self, value: Any, field: str) -> Q:
        """The rows whose place (``field``: a region path, e.g. ``"region__path"``)
        follows ``value``: under a congress that set it, and not under a congress
        below that set another; or, for the installation's value, under no congress
        that set another (a row with no place follows the installation)."""
        others = [path for path, other in self.own if other != value]
        terms = []
        for path, own in self.own:
            if own != value:
                continue
            term = Q(**{f"{field}__startswith": path})
            for deeper in others:
                if deeper.startswith(path) and deeper != path:
                    term &= ~Q(**{f"{field}__startswith": deeper})
            terms.append(term)
        if value == self.installation:
            if not others:
                return Q()  # in force everywhere (an empty Q would vanish in an OR)
            outside = ~Q(**{f"{field}__startswith": others[0]})
            for path in others[1:]:
                outside &= ~Q(**{f"{field}__startswith": path})
            terms.append(Q(**{f"{field}__isnull": True}) | outside)
        if not terms:
            return Q(pk__in=[])
        combined = terms[0]
        for term in terms[1:]:
            combined |= term
        return combined


def rule_map(key: str) -> RuleMap:
    """``key``'s value at every congress that set its own, and the installation's: one
    query on the rule's rows (one per congress at most)."""
    from congress.models.rules import CongressRule

    rule = get_rule(key)
    rows = CongressRule.objects.filter(key=key).values_list("congress__region__path", "value")
    own = sorted(((path, _coerce(rule, value)) for path, value in rows), key=lambda r: -len(r[0]))
    return RuleMap(rule, installation_value(rule), tuple(own))


@dataclass(frozen=True)
class RuleState:
    """One rule as a congress's page shows it."""

    rule: Rule
    own: Any  # None: the congress has not set it
    inherited: Any  # what it follows without its own value
    inherited_from: str  # the congress above whose value that is, or "" (the installation)
    installation: Any

    @property
    def value(self) -> Any:
        return self.inherited if self.own is None else self.own

    def installation_text(self) -> str:
        return self.rule.show(self.installation)

    def inherited_text(self) -> str:
        return self.rule.show(self.inherited)

    def value_text(self) -> str:
        return self.rule.show(self.value)


def rule_states(congress: Congress) -> list[RuleState]:
    """Every registered rule for one congress: its own value, what it would inherit and
    from whom, the installation's. One query."""
    rows = _overrides_along(congress.region)
    states = []
    for rule in registered_rules():
        own = None
        inherited, source = installation_value(rule), ""
        for _depth, key, value, congress_id, name in rows:  # deepest first
            if key != rule.key:
                continue
            if congress_id == congress.pk:
                own = _coerce(rule, value)
            elif not source:
                inherited, source = _coerce(rule, value), name
        states.append(RuleState(rule, own, inherited, source, installation_value(rule)))
    return states


def clean_rule_value(rule: Rule, raw: Any) -> Any:
    """``raw`` as the rule's value, or ``RuleViolation`` naming the allowed range."""
    if rule.kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise RuleViolation(
            _("“%(label)s”的取值应为%(range)s。")
            % {"label": rule.label, "range": rule.range_text()}
        )
    if rule.kind == "choice":
        if raw in dict(rule.choices):
            return str(raw)
        raise RuleViolation(
            _("“%(label)s”的取值应为%(range)s。")
            % {"label": rule.label, "range": rule.range_text()}
        )
    if rule.kind == "words":
        words = raw.split() if isinstance(raw, str) else raw
        if not isinstance(words, list | tuple) or not all(isinstance(w, str) for w in words):
            raise RuleViolation(_("“%(label)s”应为词语列表。") % {"label": rule.label})
        cleaned = list(dict.fromkeys(word.strip() for word in words if word.strip()))
        if len(cleaned) > MAX_WORDS or any(len(word) > MAX_WORD_LENGTH for word in cleaned):
            raise RuleViolation(
                _("“%(label)s”超出允许范围：%(range)s。")
                % {"label": rule.label, "range": rule.range_text()}
            )
        return cleaned
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleViolation(
            _("“%(label)s”应为整数，允许范围：%(range)s。")
            % {"label": rule.label, "range": rule.range_text()}
        ) from None
    assert rule.minimum is not None and rule.maximum is not None
    if not rule.minimum <= number <= rule.maximum:
        raise RuleViolation(
            _("“%(label)s”超出允许范围：%(range)s（%(source)s）。")
            % {"label": rule.label, "range": rule.range_text(), "source": rule.source}
        )
    return number


# --- who may see and change a congress's rules ---------------------------------------


def visible_congresses(user: AnyUser) -> QuerySet[Congress]:
    """The congresses whose rules a user may read: staff, those of their regions and
    below; administrators, all. Everyone else, none."""
    from congress.models import Congress as CongressModel
    from congress.scoping import is_staff_or_admin, region_scope_q

    if not is_staff_or_admin(user):
        return CongressModel.objects.none()
    query = region_scope_q(user, "region__path")
    rows = CongressModel.objects.select_related("region")
    return rows if query is None else rows.filter(query)


def can_edit_rules(user: AnyUser) -> bool:
    """Administrators set the rules (docs/rules.md, 'Who sets them'); staff read them."""
    return bool(user.is_authenticated and user.is_superuser)


def congress_rules_save(
    *, congress: Congress, values: Mapping[str, Any], by: User | None
) -> list[str]:
    """Set a congress's own values: ``values`` maps a rule's key to its new value, or to
    ``None`` to follow the congress above again. Every value is checked against its
    range before anything is written; each change is an audit row (rule, from, to).
    Returns the keys that changed."""
    from congress.audit import audit_record
    from congress.models import AuditAction
    from congress.models.rules import CongressRule, CongressRuleChange
    from congress.scoping import in_jurisdiction

    if by is not None and not can_edit_rules(by):
        if in_jurisdiction(by, congress.region):
            raise PermissionDenied
        raise OutOfJurisdiction
    cleaned = {
        key: None if raw is None else clean_rule_value(get_rule(key), raw)
        for key, raw in values.items()
    }
    changed = []
    now = timezone.now()
    with transaction.atomic():
        current = {
            row.key: row
            for row in CongressRule.objects.select_for_update().filter(
                congress=congress, key__in=list(cleaned)
            )
        }
        for key, value in cleaned.items():
            row = current.get(key)
            before = row.value if row is not None else None
            if before == value:
                continue
            if value is None:
                CongressRule.objects.filter(pk=row.pk).delete()  # type: ignore[union-attr]
            elif row is None:
                CongressRule.objects.create(
                    congress=congress, key=key, value=value, set_by=by, set_at=now
                )
            else:
                CongressRule.objects.filter(pk=row.pk).update(value=value, set_by=by, set_at=now)
            CongressRuleChange.objects.create(
                congress=congress, key=key, before=before, after=value, by=by, at=now
            )
            audit_record(
                action=AuditAction.ADMIN_CHANGE,
                actor=by,
                obj=congress,
                detail={"rule": key, "from": before, "to": value},
            )
            changed.append(key)
    return changed


def rule_history(congress: Congress, limit: int = 20) -> list[dict[str, Any]]:
    """The latest changes of a congress's rules (one query on the congress's index; the
    audit trail holds the same changes as the record of who did what)."""
    from congress.models.rules import CongressRuleChange

    rows = (
        CongressRuleChange.objects.filter(congress=congress)
        .exclude(key__startswith="points.")  # the point values' page has its own
        .select_related("by")
        .order_by("-at", "-id")[:limit]
    )
    history = []
    for change in rows:
        rule = _registry.get(change.key)
        if rule is None:  # a rule no app registers any more
            continue
        history.append(
            {
                "at": change.at,
                "by": str(change.by) if change.by else "",
                "rule": rule,
                "before": _("（沿用上级）") if change.before is None else rule.show(change.before),
                "after": _("（沿用上级）") if change.after is None else rule.show(change.after),
            }
        )
    return history


def _sees_rules(user: Any) -> bool:
    from congress.scoping import is_staff_or_admin

    return is_staff_or_admin(user)


register_nav(
    NavItem(
        gettext_lazy("各级人大规则"),
        "congress_rules_list",
        _sees_rules,
        order=920,
        icon="sliders",
        group="basics",
    )
)
