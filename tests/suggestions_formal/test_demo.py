"""The demo: last year's session fully handled and rated, this year's in flight."""

import logging
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from congress.demo import build_core
from congress.models import OPEN_STATUSES, Assignment, Session, User
from congress.registry import demo_builders
from suggestions.formal import points
from suggestions.formal.reports import session_report
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import SignedMonthCount, Suggestion, SuggestionStatus

S = SuggestionStatus


@pytest.mark.django_db
def test_the_demo_tells_a_realistic_year(caplog: pytest.LogCaptureFixture) -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=0.25)
    by_name = {builder.name: builder for builder in demo_builders}
    assert by_name["representatives"].order < by_name["suggestions (formal)"].order
    by_name["representatives"].build(ctx)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="suggestions.formal.demo"):
        by_name["suggestions (formal)"].build(ctx)
    elapsed = time.monotonic() - started

    sessions = Session.objects.filter(term__congress__region=ctx.city, kind="plenary").order_by(
        "-opens_on"
    )
    current, past = sessions[0], sessions[1]
    handled = Suggestion.objects.filter(session=past)
    assert handled.count() >= 40
    assert set(handled.values_list("status", flat=True)) <= {S.CLOSED, S.CARRIED_OVER}
    report = session_report(past)
    assert report.total.replied == report.total.received
    assert report.total.categories["A"] > report.total.received * 0.6
    assert report.total.satisfaction_rate != "—"
    in_flight = dict(
        Suggestion.objects.filter(session=current).values_list("status").annotate(n=Count("pk"))
    )
    assert in_flight.get(S.HANDLING, 0) and in_flight.get(S.CLOSED, 0)
    for username in ("clerk_transport", "clerk_housing"):
        clerk = User.objects.get(username=username)
        work = Assignment.objects.filter(
            case_type=SUGGESTION_CASE, department_id__in=clerk.department_ids
        )
        assert work.exists(), username
    open_work = Assignment.objects.filter(case_type=SUGGESTION_CASE, status__in=OPEN_STATUSES)
    assert open_work.filter(due_on__gte=ctx.today).exists()
    assert not [r.message for r in caplog.records if "left out" in r.message]
    assert elapsed < 60
    # The demo files and reviews through the services, which kept the suggestions signed
    # per month (履职积分) without a recount: it equals a count of the signers.
    assert SignedMonthCount.objects.filter(rule="suggestion").exists()
    assert points.signed_counts_differences() == {}
