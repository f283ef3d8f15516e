"""The home card of the projects (registered in livelihood_votes/project_setup.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from livelihood_votes.projects import selectors


def clerk_card(request: HttpRequest) -> dict[str, Any] | None:
    """本月进度报告: a department clerk's monthly reports still to file, soonest due
    first. One query; hidden when nothing is awaited."""
    if not request.user.is_authenticated or not request.user.is_handler:
        return None
    reports = selectors.reports_awaited(request.user)
    return {"reports": reports, "today": timezone.localdate()} if reports else None
