"""``{% edit_history object %}``: the "修改记录" section at the end of an object's page.

Shown to auditors only (the audit permission, or an administrator); for anyone
else it renders nothing and costs no history query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db import models
from django.urls import reverse

from congress.history import may_read_history, object_history, tracked_for

register = template.Library()


@register.inclusion_tag("congress/_edit_history.html", takes_context=True)
def edit_history(context: template.Context, obj: models.Model) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    tracked = tracked_for(type(obj))
    if user is None or tracked is None or not may_read_history(user):
        return {"shown": False}
    query = urlencode({"kind": tracked.key, "object_id": obj.pk})
    return {
        "shown": True,
        "entries": object_history(obj),
        "audit_url": f"{reverse('audit_history')}?{query}",
    }


@register.simple_tag(takes_context=True)
def history_url(context: template.Context, obj: models.Model) -> str:
    """The audit page's 修改记录 of one object, for an auditor ("" for anyone else):
    the way to the history of an object shown inside another's page or in a list
    (a representative's seats, the voter delegates), which has no section of its own."""
    request = context.get("request")
    user = getattr(request, "user", None)
    tracked = tracked_for(type(obj))
    if user is None or tracked is None or not may_read_history(user):
        return ""
    return f"{reverse('audit_history')}?{urlencode({'kind': tracked.key, 'object_id': obj.pk})}"
