from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congress.notifications import unread_count
from congress.registry import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_entries": []}
    return {
        "nav_entries": navigation_for(user),
        "unread_count": unread_count(user),
    }
