"""``{% icon "name" %}``: one Bootstrap icon from the SVG sprite (static/icons/icons.svg).

The sprite holds only the icons the product uses (scripts/build_icons.py builds it
from the vendored bootstrap-icons); the icon font it replaces weighed ~130 KB
compressed on every first visit, more than the rest of a citizen's page.
tests/test_icons.py fails when a template or a navigation entry names an icon
the sprite lacks. The tag is a template builtin (settings.TEMPLATES), so no
template needs ``{% load %}`` for it.
"""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "icons/icons.svg"


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """``{% icon "camera" %}`` or ``{% icon "check-circle" "text-success" %}``: decorative,
    so hidden from screen readers (the text beside it says what it means)."""
    classes = f"bi {css}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true"><use href="{}#{}"></use></svg>',
        classes,
        static(SPRITE),
        name,
    )
