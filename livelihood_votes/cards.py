"""Home-page cards of the vote (registered in setup.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from congress.scoping import is_staff_or_admin
from livelihood_votes import selectors
from livelihood_votes.models import VoteStatus
from representatives.selectors import representative_of


def representative_card(request: HttpRequest) -> dict[str, Any] | None:
    """A representative with an open vote in one of their congresses: vote now."""
    representative = representative_of(request.user)
    if representative is None:
        return None
    votes = list(selectors.open_votes_for(representative))
    if not votes:
        return None
    to_vote = [vote for vote in votes if not vote.voted]  # type: ignore[attr-defined]
    return {"votes": votes, "to_vote": len(to_vote)}


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    """Staff: votes being prepared, open now, and closed, in their jurisdiction."""
    if not is_staff_or_admin(request.user):
        return None
    counts = selectors.visible_votes(request.user).aggregate(
        drafts=Count("pk", filter=Q(status=VoteStatus.DRAFT)),
        open=Count("pk", filter=Q(status=VoteStatus.OPEN)),
        closed=Count("pk", filter=Q(status=VoteStatus.CLOSED)),
    )
    if not any(counts.values()):
        return None
    return counts
