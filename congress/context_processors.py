from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString

from congress.notifications import unread_count
from congress.registry import NavEntry, navigation_for

# The navigation bar's HTML by (the entries a user sees, language, URL prefix): the
# same few sets of entries recur for every user of a role, and rendering them costs
# more than the rest of a small page's template (docs/architecture.md, "Reading").
_RENDERED: dict[tuple[tuple[str, ...], str, str], SafeString] = {}
_KEPT = 256


def navigation_html(entries: list[NavEntry]) -> SafeString:
    key = (
        tuple(item.url_name for entry in entries for item in entry.items),
        translation.get_language() or "",
        get_script_prefix(),
    )
    html = _RENDERED.get(key)
    if html is None:
        if len(_RENDERED) >= _KEPT:
            _RENDERED.clear()
        html = _RENDERED[key] = render_to_string("congress/_nav.html", {"nav_entries": entries})
    return html


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    entries = navigation_for(user)
    return {
        "nav_entries": entries,
        "nav_html": lambda: navigation_html(entries),
        "unread_count": unread_count(user),
    }
