"""Reads of a box: turnout (public while open). The published list and a receipt's
ballot are read by the feature app through its own scope, after the close only."""

from __future__ import annotations

from django.db.models import Count, Q

from congress.models.ballots import BallotBox, BallotSource, Elector


def turnout(box: BallotBox) -> dict[str, int]:
    """How many voted, online and on paper (handed out): one aggregate query."""
    return Elector.objects.filter(box=box).aggregate(
        online=Count("pk", filter=Q(channel=BallotSource.ONLINE)),
        paper=Count("pk", filter=Q(channel=BallotSource.PAPER)),
        voted=Count("pk", filter=Q(channel__isnull=False)),
    )
