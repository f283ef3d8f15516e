"""Deadlines on the Chinese official calendar.

The law counts many deadlines in working days (交办 within 7 working days) and
some in months (reply within 3 months). Working days follow the State Council's
holiday notice for each year, with its make-up working weekends (调休); the
``chinese_calendar`` package carries the published years. The admin-editable
``HolidayOverride`` table wins over the package (a late notice, a local holiday).

A year the package does not know yet has a *provisional* calendar: the public
holidays that do not depend on the yearly notice (国务院《全国年节及纪念日放假办法》
第二条, as amended 2024: 元旦, 春节 from 除夕 to 正月初三, 清明, 劳动节 1–2 May,
端午, 中秋, 国庆 1–3 October) are rest days, and so are weekends; make-up working
days are unknown until the notice. The lunar dates and the Qingming solar term
come from ``tyme4py``. A year stops being provisional when the package knows it
or when the administrator has entered overrides for it (the notice itself).

Overrides are cached in each process and checked against a revision stamp in
the database (``CalendarState``) at the start of every request and task, so an
edit, by any route, is seen at once by every web and worker process.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import chinese_calendar
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from tyme4py.lunar import LunarDay
from tyme4py.solar import SolarTerm

from congress.errors import RuleViolation

logger = logging.getLogger(__name__)
Unit = Literal["workdays", "days", "months"]
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# Outside a request or a task (a shell, a long management command) the revision is
# checked again after this long; inside one, at its start.
_RECHECK_SECONDS = 5.0


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


# --- the statutory holidays of a year the package does not know ------------------


def _solar(day: Any) -> datetime.date:
    return D(day.get_year(), day.get_month(), day.get_day())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[datetime.date, Any]:
    """The 13 public holidays of 《全国年节及纪念日放假办法》 (2024) in ``year``, by date.

    Only the holidays themselves: the yearly notice adds bridging days and make-up
    working weekends, which no rule predicts.
    """
    new_year = _solar(LunarDay.from_ymd(year, 1, 1).get_solar_day())
    days: dict[datetime.date, Any] = {D(year, 1, 1): _("元旦")}
    # 春节: 除夕 (the last day of the lunar year, the 29th or the 30th) to 正月初三.
    for offset in range(-1, 3):
        days[new_year + datetime.timedelta(days=offset)] = _("春节")
    days[_solar(SolarTerm.from_name(year, "清明").get_solar_day())] = _("清明节")
    days[D(year, 5, 1)] = days[D(year, 5, 2)] = _("劳动节")
    days[_solar(LunarDay.from_ymd(year, 5, 5).get_solar_day())] = _("端午节")
    days[_solar(LunarDay.from_ymd(year, 8, 15).get_solar_day())] = _("中秋节")
    for day in (1, 2, 3):
        days[D(year, 10, day)] = _("国庆节")
    return days


@lru_cache(maxsize=4096)
def _official_workday(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


@lru_cache(maxsize=256)
def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(D(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def known_years() -> range:
    """The years the installed calendar package carries (its published notices)."""
    first = 2004
    last = first
    while package_knows(last + 1):
        last += 1
    return range(first, last + 1)


# --- overrides, cached per process behind a shared revision -----------------------


@dataclass(frozen=True)
class _Snapshot:
    revision: uuid.UUID | None
    overrides: dict[datetime.date, bool]
    years: frozenset[int]
    checked_at: float


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_recheck = True


def _current_revision() -> uuid.UUID | None:
    from congress.models import CalendarState

    return CalendarState.objects.filter(pk=1).values_list("revision", flat=True).first()


def _overrides_snapshot() -> _Snapshot:
    global _snapshot, _recheck
    snapshot = _snapshot
    if (
        snapshot is not None
        and not _recheck
        and time.monotonic() - snapshot.checked_at < _RECHECK_SECONDS
    ):
        return snapshot
    # The revision is read before the rows: a change committed in between makes
    # the rows newer than the revision they are filed under, so the next check
    # reads them again; the other order could keep stale rows under a new number.
    revision = _current_revision()
    if snapshot is None or snapshot.revision != revision:
        from congress.models import HolidayOverride

        overrides = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        snapshot = _Snapshot(
            revision=revision,
            overrides=overrides,
            years=frozenset(day.year for day in overrides),
            checked_at=time.monotonic(),
        )
    else:
        snapshot = _Snapshot(
            revision, snapshot.overrides, snapshot.years, checked_at=time.monotonic()
        )
    with _lock:
        _snapshot, _recheck = snapshot, False
    return snapshot


def forget_overrides(*_args: Any, **_kwargs: Any) -> None:
    """Check the revision again on the next calculation.

    Connected to the start of every request and every Celery task (``apps.py``):
    one primary-key read then, only if that request computes a deadline.
    """
    global _recheck
    _recheck = True


def calendar_changed(*dates: datetime.date) -> None:
    """Record that the overrides of ``dates`` changed: every process reloads them.

    Called in the transaction of the change (the override model and its queryset
    call it for every route: save, delete, bulk delete, update, bulk create), so the
    new revision is visible exactly when the new rows are. The earliest changed day
    is kept for the recalculation of the deadlines that reach it.
    """
    from congress.models import CalendarState

    earliest = min(dates) if dates else None
    pending: Any = F("pending_from")
    if earliest is not None:
        pending = Case(
            When(pending_from__isnull=True, then=Value(earliest)),
            When(pending_from__gt=earliest, then=Value(earliest)),
            default=F("pending_from"),
        )
    with transaction.atomic():
        if not CalendarState.objects.filter(pk=1).update(
            revision=uuid.uuid4(), pending_from=pending
        ):
            try:
                with transaction.atomic():
                    CalendarState.objects.create(pk=1, pending_from=earliest)
            except IntegrityError:  # another process created the row first
                CalendarState.objects.filter(pk=1).update(
                    revision=uuid.uuid4(), pending_from=pending
                )
    forget_overrides()
    from congress import queue, tasks

    queue.enqueue_on_commit(tasks.recalculate_deadlines)


# --- questions about days ----------------------------------------------------------


def is_official_year(year: int) -> bool:
    """Whether ``year``'s calendar is the published one (not provisional)."""
    return package_knows(year) or year in _overrides_snapshot().years


def provisional_years(start: datetime.date, end: datetime.date) -> list[int]:
    """The years from ``start`` to ``end`` whose calendar is still provisional."""
    first, last = sorted((start.year, end.year))
    return [year for year in range(first, last + 1) if not is_official_year(year)]


def is_workday(day: datetime.date) -> bool:
    override = _overrides_snapshot().overrides.get(day)
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
    return D(year, month, day)


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
        end += ONE_DAY
    return end


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -workdays_between(end, start)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_workday(day)
    return count


# --- how a due date was counted, so it can be counted again -------------------------


def due_basis(start: datetime.date, deadline: Deadline, shift: int = 0) -> dict[str, Any]:
    """What a counted due date came from, as stored on the assignment (JSON)."""
    return {
        "from": start.isoformat(),
        "amount": deadline.amount,
        "unit": deadline.unit,
        "shift": shift,
    }


def due_from_basis(basis: dict[str, Any]) -> datetime.date:
    """Count a stored basis again on today's calendar; ``shift`` is the working days
    added after pauses (the clock stood still while a case was on hold)."""
    deadline = Deadline(int(basis["amount"]), basis["unit"])
    due = add_deadline(D.fromisoformat(basis["from"]), deadline)
    return add_workdays(due, int(basis.get("shift", 0)))


def basis_is_provisional(basis: dict[str, Any] | None, due_on: datetime.date) -> bool:
    """Whether a due date counted from ``basis`` crossed a provisional year."""
    if not basis:
        return False
    return bool(provisional_years(D.fromisoformat(basis["from"]), due_on))


def unknown_years_reached(latest_due: datetime.date | None, today: datetime.date) -> list[int]:
    """The provisional years an open deadline reaches (every year from this one to
    the latest due date), and next year, which the next deadlines will reach."""
    last = max(today.year + 1, latest_due.year if latest_due else today.year)
    return provisional_years(D(today.year, 1, 1), D(last, 1, 1))
