"""The evaluation's rules, each a setting with its default, read when used."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# 等次 a representative may pick instead of typing a score, and the points each stands for
# (practice of 云评议 platforms: 优秀 / 良好 / 一般 / 较差). A score box's scale is 0–100.
DEFAULT_GRADES: tuple[tuple[str | Promise, int], ...] = (
    (_("优秀"), 95),
    (_("良好"), 85),
    (_("一般"), 70),
    (_("较差"), 50),
)


def grades() -> tuple[tuple[str | Promise, int], ...]:
    return tuple(getattr(settings, "EVALUATION_GRADES", DEFAULT_GRADES))


def scale() -> tuple[int, int]:
    """The lowest and highest score (default 0–100)."""
    low, high = getattr(settings, "EVALUATION_SCALE", (0, 100))
    return int(low), int(high)
