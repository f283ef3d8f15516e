"""Registers the seats summary's builder for the demo and ``generate_city``: their
seats are written in bulk, so the summary is counted from them at the end
(representatives/seat_counts.py). Imported from ``RepresentativesConfig.ready``."""

from __future__ import annotations

from typing import Any

from congress.registry import DemoBuilder, register_demo_builder
from congress.synthetic import SyntheticBuilder, register_synthetic_builder


def _seat_counts(ctx: Any) -> None:
    """Last, after every builder that writes seats (the representatives', the formal
    suggestions' and the votes' demos add some)."""
    from representatives.seat_counts import seat_counts_rebuild

    seat_counts_rebuild()


register_demo_builder(DemoBuilder("seats summary", _seat_counts, order=950))
register_synthetic_builder(SyntheticBuilder("seats summary", _seat_counts, order=950))
