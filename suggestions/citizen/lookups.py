"""Search-as-you-type for the filter fields of the staff lists: a small JSON answer.

A list's filter form offered every station, representative, department and region
of the user's scope as a ``<select>``: at a city's size (about 1,100 stations and
7,500 representatives) rendering them was a large part of the page's time, and it
grows with the data (docs/architecture.md, "Reads that do not grow with the
data"). The form now renders a text field holding the chosen id, and
``static/js/lookup.js`` turns it into a search box that asks this endpoint:

    GET /issues/lookup/<kind>/?q=<part of a name>  ->  {"results": [{"id": 7, "text": "…"}]}

Only objects in the user's own scope are searched (the same ``visible_*`` functions
as the lists' filters), at most ``LIMIT`` of them, in name order: a fixed number of
queries whatever the size of the scope or the text searched. An unknown kind is a
404; an object outside the scope is never in the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from congress.scoping import AnyUser, visible_departments, visible_regions
from representatives.selectors import visible_representatives, visible_stations

LIMIT = 20
MAX_QUERY = 50


def _named(obj: Any) -> str:
    """A name and where it is: two representatives or stations may share a name."""
    region = getattr(obj, "region", None)
    return f"{obj.name} · {region.name}" if region is not None else str(obj.name)


@dataclass(frozen=True)
class Lookup:
    rows: Callable[[AnyUser], QuerySet[Any]]
    label: Callable[[Any], str] = _named


LOOKUPS: dict[str, Lookup] = {
    "region": Lookup(
        lambda user: visible_regions(user).select_related("parent"),
        label=lambda region: (
            f"{region.name} · {region.parent.name}" if region.parent else region.name
        ),
    ),
    "station": Lookup(lambda user: visible_stations(user)),
    "representative": Lookup(lambda user: visible_representatives(user)),
    "department": Lookup(lambda user: visible_departments(user)),
}


def label(kind: str, obj: Any) -> str:
    """The text a chosen object shows in its field (the same as in the answer)."""
    return LOOKUPS[kind].label(obj)


def search(kind: str, user: AnyUser, text: str) -> list[dict[str, Any]]:
    """At most ``LIMIT`` objects of ``kind`` in ``user``'s scope whose name holds
    ``text`` (all of them, in name order, for an empty text). One query."""
    lookup = LOOKUPS[kind]
    rows = lookup.rows(user)
    text = text.strip()[:MAX_QUERY]
    if text:
        rows = rows.filter(name__icontains=text)
    return [
        {"id": obj.pk, "text": lookup.label(obj)} for obj in rows.order_by("name", "pk")[:LIMIT]
    ]


@login_required
@require_GET
def lookup(request: HttpRequest, kind: str) -> JsonResponse:
    if kind not in LOOKUPS:
        raise Http404
    response = JsonResponse({"results": search(kind, request.user, request.GET.get("q", ""))})
    response["Cache-Control"] = "private, no-store"
    return response
