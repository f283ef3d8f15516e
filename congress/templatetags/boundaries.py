"""Whether a region's page offers the link 地图边界 (congress/boundary_views.py)."""

from __future__ import annotations

from typing import Any

from django import template

from congress.boundaries import can_read_boundaries
from congress.models import Region

register = template.Library()


@register.filter
def boundaries_readable(region: Region, user: Any) -> bool:
    """Staff of the region or above, and administrators (no query: the user's staff
    regions are read once per request)."""
    return can_read_boundaries(user, region)
