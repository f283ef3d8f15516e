"""Deadlines on the Chinese official calendar.

The law counts many deadlines in working days (交办 within 7 working days) and
some in months (reply within 3 months). Working days follow the State Council's
holiday notice for each year, with its make-up working weekends (调休); the
``chinese_calendar`` package carries the published years. The admin-editable
``HolidayOverride`` table wins over the package (a late notice, a local
holiday). For a year the package does not know yet, Monday to Friday are
working days, plus overrides, and ``known_years`` lets the admin warn about it.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import chinese_calendar
from django.core.cache import cache
from django.utils.translation import ngettext

from congress.errors import RuleViolation

logger = logging.getLogger(__name__)
Unit = Literal["workdays", "days", "months"]
_OVERRIDES_CACHE_KEY = "workdays:overrides:v1"
# Each process keeps the overrides for a few seconds: a sweep asks about the same
# few weeks thousands of times. An edit is seen by every process within that time.
_LOCAL_SECONDS = 30.0
_local: dict[str, object] = {"until": 0.0, "overrides": {}}


@dataclass(frozen=True)
class Deadline:
    amount: int
    unit: Unit = "workdays"

    def __str__(self) -> str:
        if self.unit == "workdays":
            text = ngettext("%(n)s个工作日", "%(n)s个工作日", self.amount)
        elif self.unit == "days":
            text = ngettext("%(n)s天", "%(n)s天", self.amount)
        else:
            text = ngettext("%(n)s个月", "%(n)s个月", self.amount)
        return text % {"n": self.amount}


def _overrides() -> dict[datetime.date, bool]:
    if time.monotonic() < _local["until"]:  # type: ignore[operator]
        return _local["overrides"]  # type: ignore[return-value]
    try:
        cached = cache.get(_OVERRIDES_CACHE_KEY)
    except Exception:  # the cache (Redis) is down: a deadline must still be computed
        cached = None
    if cached is None:
        from congress.models import HolidayOverride

        cached = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        try:
            cache.set(_OVERRIDES_CACHE_KEY, cached, 300)
        except Exception:
            logger.warning("cache unavailable; holiday overrides read from the database")
    _local.update(until=time.monotonic() + _LOCAL_SECONDS, overrides=cached)
    return cached


def forget_overrides() -> None:
    """Called when an override is saved, so the next calculation reads the table again."""
    _local["until"] = 0.0
    try:
        cache.delete(_OVERRIDES_CACHE_KEY)
    except Exception:
        logger.warning("cache unavailable; other processes see the change within 5 minutes")


@lru_cache(maxsize=4096)
def _official_workday(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def known_years() -> range:
    first = 2004
    last = first
    while package_knows(last + 1):
        last += 1
    return range(first, last + 1)


def is_workday(day: datetime.date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override
    return _official_workday(day)


def add_workdays(start: datetime.date, amount: int) -> datetime.date:
    """The date ``amount`` working days after ``start`` (``start`` itself not counted).

    A negative amount counts backwards (for "3 working days before the due date").
    """
    step = 1 if amount >= 0 else -1
    day, remaining = start, abs(amount)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Same day N months later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def add_deadline(start: datetime.date, deadline: Deadline) -> datetime.date:
    """The due date of a deadline starting on ``start``.

    A deadline in calendar days or months that ends on a holiday moves to the
    next working day, as administrative practice counts it.
    """
    if deadline.amount < 0:
        raise RuleViolation("A deadline cannot be negative.")
    if deadline.unit == "workdays":
        return add_workdays(start, deadline.amount)
    if deadline.unit == "days":
        end = start + datetime.timedelta(days=deadline.amount)
    else:
        end = add_months(start, deadline.amount)
    while not is_workday(end):
        end += datetime.timedelta(days=1)
    return end


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -workdays_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_workday(day)
    return count
