"""The staff's home card of findings (registered in setup.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congress.scoping import is_staff_or_admin
from supervision import selectors


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    """Findings overdue and awaiting close-off in the staff member's jurisdiction."""
    if not is_staff_or_admin(request.user):
        return None
    overdue, claimed = selectors.staff_card_counts(request.user)
    if not overdue and not claimed:
        return None
    return {"overdue": overdue, "claimed": claimed}
