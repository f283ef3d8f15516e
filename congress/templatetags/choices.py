"""A field's choice label in a template, without rebuilding the choices per call.

``{{ issue|label:"status" }}`` shows what ``issue.get_status_display`` shows. Django's
``get_FOO_display`` builds a dictionary of all the field's choices on every call (and
hashes each lazy label, translating it): on a list of 50 rows with two such columns
that was a fifth of the page's time (docs/benchmarks.md). Here the value → label map
is built once per field; only the label shown is translated.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.db import models

register = template.Library()


@cache
def _labels(model: type[models.Model], name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(name).flatchoices)  # type: ignore[union-attr]


@register.filter
def label(obj: models.Model, name: str) -> Any:
    value = getattr(obj, name)
    shown = _labels(type(obj), name).get(value)
    return value if shown is None else str(shown)
