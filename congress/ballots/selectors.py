"""Reads of a box: turnout (public while open), the published list and a receipt's
ballot (after the close only). Who may read which box is the feature app's scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from congress.ballots.errors import ResultsNotPublished
from congress.models.ballots import BallotBox, BallotSource, BoxStatus, Elector, PublishedBallot


def turnout(box: BallotBox) -> dict[str, int]:
    """How many voted, online and on paper (handed out): one aggregate query."""
    return Elector.objects.filter(box=box).aggregate(
        online=Count("pk", filter=Q(channel=BallotSource.ONLINE)),
        paper=Count("pk", filter=Q(channel=BallotSource.PAPER)),
        voted=Count("pk", filter=Q(channel__isnull=False)),
    )


def published_ballots(box: BallotBox) -> QuerySet[PublishedBallot]:
    if box.status != BoxStatus.CLOSED:
        raise ResultsNotPublished()
    return box.published.order_by("receipt")
