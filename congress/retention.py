"""Retention of personal data (PIPL art. 19, GB/T 35273 §6.1): keep it no longer than needed.

Feature apps register an ``Anonymiser`` for each kind of row that holds
citizens' names or phone numbers (``congress.registry.register_anonymiser``);
this module asks each for the rows closed longer ago than
``PERSONAL_DATA_RETENTION_DAYS`` and has them scrubbed, in bounded batches, one
transaction per batch, with one audit row per anonymiser and run. The case
itself, its timeline and its statistics stay: only who the citizen was goes.

The edit history of the registry (congress/history.py) follows the same period:
its rows older than the cutoff are deleted by the same run.

The period is also a rule per congress (``retention.personal_data_days``,
docs/rules.md, "Retention"): a row whose model has a ``region`` (a citizen's problem,
an appointment, a livelihood proposal) follows the period in force at its region (its
congress's own, else the congress above's), read when the run happens; any other row,
and the edit history, follow the installation's ``PERSONAL_DATA_RETENTION_DAYS``. The
period is not recorded on the case: it is a limit on keeping personal data, and the
run applies the period in force on the day it scrubs (docs/rules.md says why).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.audit import audit_record
from congress.history import history_delete_expired
from congress.models import AuditAction
from congress.registry import Anonymiser, anonymisers
from congress.rules import Rule, RuleMap, register_rule, rule_map

logger = logging.getLogger(__name__)

ANONYMISED = AuditAction.ANONYMISED  # the audit action of a retention run
BATCH = 500

RETENTION_DAYS = "retention.personal_data_days"
register_rule(
    Rule(
        key=RETENTION_DAYS,
        label=_("群众个人信息保存期限（办结后）"),
        source=_(
            "《个人信息保护法》第十九条：保存期限应当为实现处理目的所必要的最短时间；天数为实践做法"
        ),
        kind="int",
        default=3 * 365,
        setting="PERSONAL_DATA_RETENTION_DAYS",
        app="congress",
        group=_("个人信息保护"),
        unit="days",
        minimum=180,
        maximum=5 * 365,
        order=900,
    )
)


@dataclass
class RetentionResult:
    cutoff: datetime.datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def retention_cutoff(
    now: datetime.datetime | None = None, days: int | None = None
) -> datetime.datetime:
    days = int(settings.PERSONAL_DATA_RETENTION_DAYS) if days is None else days
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _region_path(rows: QuerySet[Any]) -> str:
    """The region path of an anonymiser's rows (``region__path``), or "" when its model
    has no ``region``: such rows follow the installation's period."""
    try:
        field = rows.model._meta.get_field("region")
    except FieldDoesNotExist:
        return ""
    related = getattr(field, "related_model", None)
    return (
        "region__path" if related is not None and related._meta.label == "congress.Region" else ""
    )


def _parts(
    anonymiser: Anonymiser, now: datetime.datetime, days: RuleMap | None
) -> list[tuple[datetime.datetime, QuerySet[Any]]]:
    """(cutoff, rows past it) for each period in force somewhere: one part when no
    congress set its own period, or when the rows have no region."""
    if days is None or not days.own:
        cutoff = retention_cutoff(now, None if days is None else days.installation)
        return [(cutoff, anonymiser.expired(cutoff))]
    path = _region_path(anonymiser.expired(now))
    if not path:
        cutoff = retention_cutoff(now, days.installation)
        return [(cutoff, anonymiser.expired(cutoff))]
    parts = []
    for value in days.values():
        cutoff = retention_cutoff(now, value)
        parts.append((cutoff, anonymiser.expired(cutoff).filter(days.q(value, path))))
    return parts


def _anonymise_one(anonymiser: Anonymiser, expired: QuerySet[Any], limit: int) -> int:
    done = 0
    while done < limit:
        batch = min(BATCH, limit - done)
        ids = list(expired.values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            changed = anonymiser.anonymise(expired.model._default_manager.filter(pk__in=ids))
        if changed <= 0:  # an anonymiser that changes nothing would loop for ever
            logger.error("anonymiser %s changed none of %s expired rows", anonymiser.name, len(ids))
            break
        done += changed
    return done


def personal_data_anonymise_expired(
    *,
    now: datetime.datetime | None = None,
    days: int | None = None,
    limit: int = 10_000,
    dry_run: bool = False,
) -> RetentionResult:
    """Scrub personal data on cases closed before the retention cutoff.

    Safe to run twice or concurrently: an anonymised row is no longer "expired",
    so a second run finds nothing. ``limit`` bounds the rows per anonymiser and
    run (the daily task catches up on a backlog over several days). With
    ``dry_run`` it only counts.
    """
    now = now or timezone.now()
    # ``days`` given (the command's --days): one period for everything, as asked.
    periods = None if days is not None else rule_map(RETENTION_DAYS)
    result = RetentionResult(
        cutoff=retention_cutoff(now, days if periods is None else periods.installation)
    )
    for anonymiser in anonymisers:
        parts = (
            [(result.cutoff, anonymiser.expired(result.cutoff))]
            if periods is None
            else _parts(anonymiser, now, periods)
        )
        if dry_run:
            result.counts[anonymiser.name] = sum(rows.count() for _cutoff, rows in parts)
            continue
        count = 0
        for cutoff, rows in parts:
            done = _anonymise_one(anonymiser, rows, limit - count)
            count += done
            if done:
                audit_record(
                    action=ANONYMISED,
                    username="system",
                    detail={"anonymiser": anonymiser.name, "count": done, "cutoff": str(cutoff)},
                )
        result.counts[anonymiser.name] = count
    expired_history = history_delete_expired(cutoff=result.cutoff, limit=limit, dry_run=dry_run)
    for model, count in expired_history.items():
        result.counts[f"history {model}"] = count
        if count and not dry_run:
            audit_record(
                action=ANONYMISED,
                username="system",
                detail={"history": model, "count": count, "cutoff": str(result.cutoff)},
            )
    return result
