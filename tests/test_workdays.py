"""Working-day arithmetic on the official calendar (docs/architecture.md, 'Deadlines on the
official calendar')."""

import datetime

import pytest

from congress.models import HolidayOverride
from congress.workdays import (
    Deadline,
    add_deadline,
    add_months,
    add_workdays,
    is_workday,
    known_years,
    workdays_between,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def test_national_day_2025_and_its_make_up_days() -> None:
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    assert is_workday(D(2025, 9, 28))
    assert is_workday(D(2025, 10, 11))
    assert not is_workday(D(2025, 10, 1))
    assert not is_workday(D(2025, 10, 8))
    # Friday 26 Sep + 1 working day is the make-up Sunday, 28 Sep.
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)
    # From Sunday 28 Sep: 30 Sep (Tue) is the 2nd; then 9 Oct (Thu) is the 3rd.
    assert add_workdays(D(2025, 9, 28), 3) == D(2025, 10, 9)
    assert add_workdays(D(2025, 9, 28), 5) == D(2025, 10, 11)  # the make-up Saturday
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 11)) == 3


def test_seven_working_days_across_the_year_end() -> None:
    # 2025-12-29 (Mon) + 7 working days: 30, 31 Dec, 1 Jan is New Year (off),
    # 2026: 1–3 Jan off, Sunday 4 Jan worked; 4, 5, 6, 7, 8 Jan.
    assert not is_workday(D(2026, 1, 1))
    assert is_workday(D(2026, 1, 4))
    assert add_workdays(D(2025, 12, 29), 7) == D(2026, 1, 8)


def test_counting_backwards_for_reminders() -> None:
    # 8 Oct … 1 Oct are off; 30 Sep, 29 Sep, then the make-up Sunday 28 Sep.
    assert add_workdays(D(2025, 10, 9), -3) == D(2025, 9, 28)


def test_months_keep_the_day_or_take_the_month_end() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    # Three months from 15 July 2025 is 15 October, inside no holiday: kept.
    assert add_deadline(D(2025, 7, 15), Deadline(3, "months")) == D(2025, 10, 15)
    # One month from 1 September 2025 lands on National Day: moved to 9 October.
    assert add_deadline(D(2025, 9, 1), Deadline(1, "months")) == D(2025, 10, 9)


def test_an_unknown_year_falls_back_to_statutory_holidays_and_weekends_plus_overrides() -> None:
    assert 2027 not in known_years()
    assert not is_workday(D(2027, 1, 2))  # a Saturday
    assert not is_workday(D(2027, 1, 1))  # 元旦, a Friday: a holiday without any notice
    assert is_workday(D(2027, 1, 4))
    assert not is_workday(D(2027, 1, 9))  # a Saturday: no make-up day is known yet
    HolidayOverride.objects.create(date=D(2027, 1, 9), is_workday=True, note="调休上班")
    HolidayOverride.objects.create(date=D(2027, 1, 4), is_workday=False, note="元旦调休")
    assert is_workday(D(2027, 1, 9))
    assert not is_workday(D(2027, 1, 4))
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 5)


def test_an_override_beats_the_package() -> None:
    HolidayOverride.objects.create(date=D(2025, 10, 9), is_workday=False, note="本地节日")
    assert not is_workday(D(2025, 10, 9))
