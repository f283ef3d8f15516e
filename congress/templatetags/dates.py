"""``{{ value|day }}``: a date, or a moment in the local time zone, as ``2026-12-06``.

What ``{{ value|date:"Y-m-d" }}`` shows, for the lists that show it on every row:
Django's ``date`` filter reads its format string character by character on every
call, which on a page of 50 problems with two dates cost about a tenth of the page
(docs/benchmarks.md). A date's ISO form is the same text.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def day(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
