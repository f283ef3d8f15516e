"""The session's handling report: the seeds' own check (海门/通州, seed 004): 341
suggestions, 286 A, 52 B and 3 C, an A share of 83.87%."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import AuditEvent, User
from suggestions.formal.reports import session_report, share
from suggestions.models.formal import Suggestion, SuggestionStatus
from tests.conftest import World, login
from tests.suggestions_formal.conftest import Cast

S = SuggestionStatus


@pytest.fixture
def session_of_341(cast: Cast, world: World) -> Cast:
    """A fixture of 341 handled suggestions (rows, not history: the report reads the
    figures the services store on each suggestion)."""
    replied = timezone.make_aware(datetime.datetime(2026, 4, 1, 10))
    categories = ["A"] * 286 + ["B"] * 52 + ["C"] * 3
    rows = [
        Suggestion(
            title=f"建议{n}",
            content="……",
            category="transport" if n % 2 else "education",
            session=cast.session,
            congress=cast.session.term.congress,
            lead=cast.lead,
            region=world.village,
            status=S.CLOSED if category == "A" else S.CARRIED_OVER,
            number=n,
            submitted_at=replied,
            accepted_at=replied,
            assigned_at=replied,
            first_replied_at=replied,
            replied_on_time=n % 31 != 0,  # 11 of 341 late
            reply_category=category,
            result_rating="satisfied" if n % 10 else "basically",
        )
        for n, category in enumerate(categories, start=1)
    ]
    Suggestion.objects.bulk_create(rows)
    return cast


def test_the_seeds_numbers_come_out(session_of_341: Cast) -> None:
    report = session_report(session_of_341.session)

    total = report.total
    assert (total.received, total.registered, total.replied) == (341, 341, 341)
    assert total.categories == {"A": 286, "B": 52, "C": 3, "D": 0}
    assert total.a_share == "83.87%"
    assert [s for _c, _n, s in total.shares] == ["83.87%", "15.25%", "0.88%", "0.00%"]
    assert total.on_time == 330 and total.on_time_rate == "96.77%"
    assert total.satisfaction_rate == "100.00%"
    assert len(report.carried_over) == 55
    assert {row.label for row in report.by_category} == {"交通运输", "教育"}


def test_shares_round_half_up_to_two_decimals() -> None:
    assert share(1, 3) == "33.33%"
    assert share(2, 3) == "66.67%"
    assert share(1, 8) == "12.50%"
    assert share(0, 0) == "—"


def test_staff_print_and_export_the_report(
    session_of_341: Cast, city_staff: User, client: Client
) -> None:
    login(client, city_staff)
    session = session_of_341.session

    page = client.get(f"/suggestions/report/?session={session.pk}")
    assert page.status_code == 200
    assert "83.87%" in page.content.decode()

    printed = client.get(f"/suggestions/report/{session.pk}/print/")
    text = printed.content.decode()
    assert "A类占比83.87%" in text.replace(" ", "")
    assert "<script>" not in text  # the print button is wired from a static file (CSP)

    exported = client.get(f"/suggestions/report/{session.pk}/xlsx/")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(exported.content))
    summary = {row[0]: row[1] for row in book["总体情况"].iter_rows(values_only=True)}
    assert summary["收到建议、议案"] == 341
    assert summary["A类"] == "286（83.87%）"
    assert AuditEvent.objects.filter(action="export", actor=city_staff).exists()


def test_the_report_of_another_congress_is_not_found(
    session_of_341: Cast, other_district_staff: User, client: Client
) -> None:
    login(client, other_district_staff)
    session = session_of_341.session
    assert client.get(f"/suggestions/report/{session.pk}/print/").status_code == 404
    assert client.get(f"/suggestions/report/{session.pk}/xlsx/").status_code == 404
    assert client.get(f"/suggestions/report/?session={session.pk}").status_code == 404


def test_the_report_costs_a_fixed_number_of_queries(
    session_of_341: Cast, city_staff: User, client: Client, django_assert_max_num_queries: object
) -> None:
    login(client, city_staff)
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        client.get(f"/suggestions/report/?session={session_of_341.session.pk}")
