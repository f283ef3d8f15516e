from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congress.notifications import unread_count
from congress.registry import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": [item for item in nav_items if item.visible(user)],
        "unread_count": unread_count(user),
    }
