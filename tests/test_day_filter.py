"""``|day`` shows what ``|date:"Y-m-d"`` shows, in the local time zone (Asia/Shanghai)."""

from __future__ import annotations

import datetime

from django.template import Context, Template


def _render(source: str, value: object) -> str:
    return Template("{% load dates %}" + source).render(Context({"value": value}))


def test_a_moment_is_shown_as_its_day_in_the_local_time_zone() -> None:
    # 17:30 UTC on 5 December is 01:30 on 6 December in Beijing time.
    moment = datetime.datetime(2026, 12, 5, 17, 30, tzinfo=datetime.UTC)
    assert _render("{{ value|day }}", moment) == "2026-12-06"
    assert _render('{{ value|date:"Y-m-d" }}', moment) == "2026-12-06"


def test_a_date_and_nothing() -> None:
    assert _render("{{ value|day }}", datetime.date(2027, 1, 4)) == "2027-01-04"
    assert _render("{{ value|day }}", None) == ""
    assert _render("{{ value|day }}", "") == ""
