"""A citizen proposer's phone number, scrubbed once the retention period has run
(``PERSONAL_DATA_RETENTION_DAYS``, run by ``congress.retention``). The proposal, its
outcome and its tracking link stay; the number and its hash go."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from congress.registry import Anonymiser, register_anonymiser
from livelihood_votes.models import Proposal


def expired_proposals(cutoff: datetime.datetime) -> QuerySet[Proposal]:
    """Proposals made before ``cutoff`` that still hold a number."""
    return Proposal.objects.filter(created_at__lt=cutoff).exclude(mobile="", mobile_hash="")


def proposals_anonymise(rows: QuerySet[Proposal]) -> int:
    return Proposal.objects.filter(pk__in=rows.values("pk")).update(mobile="", mobile_hash="")


def register() -> None:
    register_anonymiser(Anonymiser("livelihood proposals", expired_proposals, proposals_anonymise))
