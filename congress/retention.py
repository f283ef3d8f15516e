"""Retention of personal data (PIPL art. 19, GB/T 35273 §6.1): keep it no longer than needed.

Feature apps register an ``Anonymiser`` for each kind of row that holds
citizens' names or phone numbers (``congress.registry.register_anonymiser``);
this module asks each for the rows closed longer ago than
``PERSONAL_DATA_RETENTION_DAYS`` and has them scrubbed, in bounded batches, one
transaction per batch, with one audit row per anonymiser and run. The case
itself, its timeline and its statistics stay: only who the citizen was goes.

The edit history of the registry (congress/history.py) follows the same period:
its rows older than the cutoff are deleted by the same run.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congress.audit import audit_record
from congress.history import history_delete_expired
from congress.models import AuditAction
from congress.registry import Anonymiser, anonymisers

logger = logging.getLogger(__name__)

ANONYMISED = AuditAction.ANONYMISED  # the audit action of a retention run
BATCH = 500


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
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _anonymise_one(anonymiser: Anonymiser, cutoff: datetime.datetime, limit: int) -> int:
    done = 0
    while done < limit:
        batch = min(BATCH, limit - done)
        expired = anonymiser.expired(cutoff)
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
    result = RetentionResult(cutoff=retention_cutoff(now, days))
    for anonymiser in anonymisers:
        if dry_run:
            result.counts[anonymiser.name] = anonymiser.expired(result.cutoff).count()
            continue
        count = _anonymise_one(anonymiser, result.cutoff, limit)
        result.counts[anonymiser.name] = count
        if count:
            audit_record(
                action=ANONYMISED,
                username="system",
                detail={
                    "anonymiser": anonymiser.name,
                    "count": count,
                    "cutoff": str(result.cutoff),
                },
            )
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
