"""The session's handling report: the seeds' own check (海门/通州, seed 004): 341
suggestions, 286 A, 52 B and 3 C, an A share of 83.87%; and the satisfaction of every
rating given, 不满意 included (4 of 82 ratings 不满意: 78/82 = 95.12%), with the
re-handling shown apart."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import Assignment, AuditEvent, User
from suggestions.formal import services
from suggestions.formal.reports import session_report, share
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import (
    Suggestion,
    SuggestionRating,
    SuggestionReply,
    SuggestionStatus,
)
from tests.conftest import World, login
from tests.suggestions_formal.conftest import Cast, assigned

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
    assert total.satisfaction_rate == "—"  # rows without ratings: nobody rated them
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
    sheet = book["总体情况"]
    summary = {row[0].value: row[1:] for row in sheet.iter_rows(min_row=3) if len(row) > 2}
    assert summary["收到建议、议案"][0].value == 341
    count, fraction = summary["A类"][:2]
    assert count.value == 286 and count.data_type == "n"
    # Numbers, not text such as "286（83.87%）": float("0.8387") would pass on a string.
    assert fraction.data_type == "n" and not isinstance(fraction.value, str)
    assert float(fraction.value) == 0.8387 and fraction.number_format == "0.00%"
    on_time = summary["按时答复"][1]
    assert on_time.data_type == "n" and float(on_time.value) == 0.9677  # 330 of 341
    by_category = list(book["按类别"].iter_rows(values_only=True))
    assert by_category[0][10] == "A类占比" and float(by_category[-1][10]) == 0.8387
    for sheet_name in ("总体情况", "按类别"):
        for row in book[sheet_name].iter_rows(min_row=2):
            for cell in row[1:]:
                if isinstance(cell.value, str):
                    assert not re.search(r"\d", cell.value), (sheet_name, cell.coordinate)
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


def _rated_rows(cast: Cast, world: World, city_staff: User, clerk: User) -> None:
    """82 ratings of the 办理结果 on 78 suggestions, as the rows the services leave: 74
    rated once (60 满意, 14 基本满意); 4 rated 不满意, re-handled, replied again (round 2)
    and rated again (3 满意, 1 基本满意). The replies share one real assignment and
    event (the report reads neither)."""
    real = assigned(cast, city_staff, world)
    lead = Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=real.pk)
    services.handling_accept(assignment=lead, by=clerk)
    first = services.suggestion_reply(
        suggestion=real, category="A", text="已办理。", signing_official="李明", by=clerk
    )
    Suggestion.objects.filter(pk=real.pk).update(status=S.WITHDRAWN)  # not one of the 78
    replied = timezone.make_aware(datetime.datetime(2026, 4, 1, 10))
    rows = Suggestion.objects.bulk_create(
        Suggestion(
            title=f"建议{n}",
            content="……",
            category="transport",
            session=cast.session,
            congress=cast.session.term.congress,
            lead=cast.lead,
            region=world.village,
            status=S.CLOSED,
            number=100 + n,
            submitted_at=replied,
            assigned_at=replied,
            first_replied_at=replied,
            replied_on_time=True,
            reply_category="A",
            result_rating="satisfied",
        )
        for n in range(78)
    )
    plan = [[("satisfied", 1)]] * 60 + [[("basically", 1)]] * 14
    plan += [[("unsatisfied", 1), ("satisfied", 2)]] * 3 + [[("unsatisfied", 1), ("basically", 2)]]
    for suggestion, ratings in zip(rows, plan, strict=True):
        for result, round_ in ratings:
            reply = SuggestionReply.objects.create(
                suggestion=suggestion,
                assignment=lead,
                department=world.department,
                event=first.event,
                round=round_,
                category="A",
                text="……",
                signing_official="李明",
                on_time=True,
                replied_at=replied,
            )
            SuggestionRating.objects.create(
                reply=reply,
                representative=cast.lead,
                attitude="satisfied",
                result=result,
                comment="" if result != "unsatisfied" else "未到现场查看",
            )


def test_every_rating_counts_the_unsatisfied_ones_too(
    cast: Cast, world: World, city_staff: User, clerk: User, client: Client
) -> None:
    _rated_rows(cast, world, city_staff, clerk)
    report = session_report(cast.session)
    total = report.total
    assert (total.satisfied, total.basically, total.unsatisfied) == (63, 15, 4)
    assert total.rated == 82
    assert total.satisfaction_rate == "95.12%"  # (63 + 15) / 82 = 0.95121…
    again = report.rehandling
    assert (again.sent_back, again.rerated) == (4, 4)
    assert (again.satisfied, again.basically, again.unsatisfied) == (3, 1, 0)
    assert again.satisfaction_rate == "100.00%"
    assert total.received == 78  # the joined ratings count no suggestion twice

    login(client, city_staff)
    printed = client.get(f"/suggestions/report/{cast.session.pk}/print/").content.decode()
    assert "满意63次、基本满意15次、不满意4次，满意率95.12%" in printed
    assert "退回重新办理4件，重新答复后已再次测评4件" in printed
    page = client.get(f"/suggestions/report/?session={cast.session.pk}").content.decode()
    assert 'data-testid="satisfaction-rate">95.12%<' in page
    assert 'data-testid="sent-back">4件<' in page
    assert "首次答复的测评和重新办理后的测评都计入" in page

    book = load_workbook(
        io.BytesIO(client.get(f"/suggestions/report/{cast.session.pk}/xlsx/").content)
    )
    summary = {row[0]: row[1:] for row in book["总体情况"].iter_rows(min_row=3, values_only=True)}
    assert summary["测评不满意（次）"][0] == 4
    assert summary["满意和基本满意（次），满意率"][0] == 78
    assert float(summary["满意和基本满意（次），满意率"][1]) == 0.9512
    assert summary["因不满意退回重新办理（件）"][0] == 4


def test_an_unsatisfied_rating_through_the_services_is_reported(
    cast: Cast, world: World, city_staff: User, clerk: User
) -> None:
    """刘红's suggestion: she rates the first reply 不满意, 赵磊 replies again, she rates it
    满意: two ratings, one of each, and one suggestion re-handled and rated again."""
    suggestion = assigned(cast, city_staff, world)
    lead = Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    services.handling_accept(assignment=lead, by=clerk)

    def reply_and_rate(result: str) -> None:
        services.suggestion_reply(
            suggestion=suggestion, category="A", text="已办理。", signing_official="李明", by=clerk
        )
        services.suggestion_rate(
            suggestion=suggestion,
            representative=cast.lead,
            attitude="satisfied",
            result=result,
            comment="希望到现场查看" if result == "unsatisfied" else "",
            by=cast.lead_user,
        )

    reply_and_rate("unsatisfied")
    report = session_report(cast.session)
    assert (report.total.unsatisfied, report.total.satisfaction_rate) == (1, "0.00%")
    assert (report.rehandling.sent_back, report.rehandling.rerated) == (1, 0)

    reply_and_rate("satisfied")
    report = session_report(cast.session)
    assert (report.total.satisfied, report.total.unsatisfied) == (1, 1)
    assert report.total.satisfaction_rate == "50.00%"
    assert (report.rehandling.sent_back, report.rehandling.rerated) == (1, 1)
    assert report.rehandling.satisfied == 1
    by_department = {row.label: row for row in report.by_department}
    assert by_department[world.department.name].satisfaction_rate == "50.00%"
