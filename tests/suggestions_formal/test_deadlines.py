"""Deadline arithmetic on the official calendar (2026: 春节 15–23 Feb with 14 and 28 Feb
worked; 国庆 1–7 Oct), through the services that set each date."""

import datetime

import pytest
from django.test import override_settings

from congress.errors import RuleViolation
from congress.models import AssignmentRole, User
from congress.workdays import add_deadline, workdays_between
from suggestions.formal import conf, services
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, Clock, draft, registered


def test_assign_within_seven_working_days_of_the_close_across_the_spring_festival(
    cast: Cast, city_staff: User, clock: Clock
) -> None:
    cast.session.opens_on, cast.session.closes_on = (
        datetime.date(2026, 2, 9),
        datetime.date(2026, 2, 13),
    )
    cast.session.save()
    clock.set(datetime.date(2026, 2, 12))
    suggestion = registered(cast, city_staff)
    # 14 Feb (a worked Saturday), 24–27 Feb, 28 Feb (worked), 2 Mar: seven working days.
    assert suggestion.assign_by == datetime.date(2026, 3, 2)


def test_between_sessions_the_seven_days_count_from_registration(
    cast: Cast, city_staff: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 9, 28))
    suggestion = registered(cast, city_staff)
    assert suggestion.assign_by == datetime.date(2026, 10, 13)  # 国庆 skipped; 10 Oct (Sat) worked
    assert workdays_between(datetime.date(2026, 9, 28), suggestion.assign_by) == 7


def test_co_handler_one_month_and_lead_three_months(
    cast: Cast, city_staff: User, world: World, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 31))  # a Saturday; one month on is 28 Feb, a worked day
    suggestion = registered(cast, city_staff)
    services.suggestion_assign(
        suggestion=suggestion,
        lead_department=world.department,
        co_handlers=[world.city_department],
        by=city_staff,
    )
    due = {a.role: a.due_on for a in _assignments(suggestion)}
    assert due[AssignmentRole.CO_HANDLER] == datetime.date(2026, 2, 28)
    assert due[AssignmentRole.LEAD] == datetime.date(2026, 4, 30)


def test_three_months_ending_on_a_weekend_moves_to_the_next_working_day(db: None) -> None:
    assert add_deadline(datetime.date(2026, 7, 31), conf.reply_deadline()) == datetime.date(
        2026, 11, 2
    )


def test_the_six_month_cap_is_counted_from_assignment(
    cast: Cast, city_staff: User, world: World, clerk: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 4, 1))
    suggestion = registered(cast, city_staff)
    lead = services.suggestion_assign(
        suggestion=suggestion, lead_department=world.department, by=city_staff
    )
    assert lead.latest_due_on == datetime.date(2026, 10, 8)  # 1 Oct falls in 国庆
    services.handling_accept(assignment=lead, by=clerk)
    with pytest.raises(RuleViolation, match="最长办理期限"):
        services.handling_request_extension(
            assignment=lead, until=datetime.date(2026, 10, 9), reason="跨年度资金", by=clerk
        )


def test_rehandling_lasts_one_month_and_is_a_setting(clock: Clock) -> None:
    assert conf.rehandling_deadline().amount == 1
    with override_settings(SUGGESTION_REHANDLING_MONTHS=2, SUGGESTION_ASSIGN_WITHIN_WORKDAYS=5):
        assert conf.rehandling_deadline().amount == 2
        assert conf.assign_within().amount == 5


def _assignments(suggestion: Suggestion) -> list:  # type: ignore[type-arg]
    from congress.models import Assignment

    return list(Assignment.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk))


def test_a_draft_has_no_deadlines(cast: Cast) -> None:
    suggestion = draft(cast)
    assert suggestion.assign_by is None and suggestion.lead_assignment is None
