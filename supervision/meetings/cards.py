"""Home-page cards of the meetings (registered in supervision/meeting_setup.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from supervision.meetings import selectors


def member_card(request: HttpRequest) -> dict[str, Any] | None:
    """A committee member: the votes to cast, the upcoming meetings and the reports to
    read for them (the last month's meetings and the coming ones), and the questions they
    asked at inquiries. Five queries."""
    user = request.user
    if not (user.is_authenticated and user.is_committee_member):
        return None
    since = timezone.localdate() - datetime.timedelta(days=30)
    return {
        "votes": selectors.votes_to_cast(user),
        "meetings": selectors.upcoming_meetings(user),
        "reports": selectors.reports_to_read(user, since=since),
        "questions": selectors.questions_asked(user),
    }


def clerk_card(request: HttpRequest) -> dict[str, Any] | None:
    """A reporting body's clerk: the reports still to send, soonest due first."""
    if not request.user.is_authenticated or not request.user.is_handler:
        return None
    reports = selectors.reports_awaited(request.user)
    return {"reports": reports} if reports else None
