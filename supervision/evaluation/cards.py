"""Home-page card of the evaluation (registered in supervision/evaluation_setup.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from representatives.selectors import representative_of
from supervision.evaluation import selectors


def representative_card(request: HttpRequest) -> dict[str, Any] | None:
    """A representative in the electorate of an open evaluation: score now."""
    representative = representative_of(request.user)
    if representative is None:
        return None
    evaluations = list(selectors.open_evaluations_for(representative)[:10])
    if not evaluations:
        return None
    return {"evaluations": evaluations}
