"""The monthly and yearly reports (docs/dashboard.md, "Reports"): the dashboard's
figures for a month or a year as a page, a PDF and an Excel workbook, their scope,
their queries, the leaders' subscriptions and the beat's monthly mailing.

The known fixture is the dashboard's week of November 2026 in 海州区
(tests/suggestions_citizen/test_dashboard.py, ``november``): five problems, one
rated 不满意 and then 满意, one 基本满意, one closed unrated. By hand, for 海州区
in November: received 5, accepted 3, closed 3, 办结率 3/5 = 60.0%, on time 2 of 3
= 66.7%, average (2 + 4 + 5) / 3 = 3.7 working days, ratings 3 (不满意, 满意,
基本满意) → 满意率 2/3 = 66.7%, 不满意 1, reopened 1, overdue now 1; and
海州区交通运输局 answered one step, on time, in 2 working days.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.celery import app as celery_app
from congress.models import Notification, User
from congress.models.reports import ReportMailing, ReportSubscription
from congress.reports import monthly_reports_send, pdf_available, report_subscribe
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)
from tests.suggestions_citizen.test_dashboard import november  # noqa: F401 - fixture

NOVEMBER_2026 = {"year": 2026, "month": "11"}
# What the monthly mailing of 1 December 2026 reports on.
FIRST_OF_DECEMBER = datetime.date(2026, 12, 1)


def month_url(region_id: int, year: int = 2026, month: str = "11") -> str:
    return reverse("report_month", kwargs={"region_id": region_id, "year": year, "month": month})


def year_url(region_id: int, year: int = 2026) -> str:
    return reverse("report_year", kwargs={"region_id": region_id, "year": year})


def _figure(html: str, key: str) -> str:
    """The value cell of a figure's row on the report page."""
    row = html.split(f'data-figure="{key}">', 1)[1].split("</tr>", 1)[0]
    return row.split('<td class="num">', 1)[1].split("</td>", 1)[0]


# --- the figures ---------------------------------------------------------------------


def test_the_month_report_shows_the_hand_counted_figures(
    client: Client,
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    login(client, district_staff)
    response = client.get(month_url(world.district.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "海州区2026年11月月度报告" in html
    expected = {
        "citizen.received": "5",
        "citizen.accepted": "3",
        "citizen.closed": "3",
        "citizen.handling_rate": "60.0%",
        "citizen.on_time_rate": "66.7%",
        "citizen.average_workdays": "3.7 工作日",
        "citizen.satisfaction_rate": "66.7%",
        "citizen.unsatisfied": "1",
        "citizen.reopened": "1",
        "citizen.overdue": "1",
        "departments.finished": "1",
        "departments.on_time_rate": "100.0%",
        "departments.average_workdays": "2.0 工作日",
    }
    assert {key: _figure(html, key) for key in expected} == expected
    # The definition is beside each number, as on the dashboard.
    assert "办结 ÷ 收到" in html
    # The league table, and no citizen's name or phone anywhere.
    assert "海州区交通运输局" in html
    assert "张建国" not in html and "13900000001" not in html


def test_the_year_report_sums_the_months_and_shows_each_of_them(
    client: Client,
    world: World,
    city_staff: User,
    november: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    login(client, city_staff)
    html = client.get(year_url(world.city.pk)).content.decode()
    assert "江海市2026年度报告" in html
    # The city holds 海州区's five problems and 临江区's one.
    assert _figure(html, "citizen.received") == "6"
    trend = html.split('data-testid="report-chart-citizen-trend"', 1)[1].split("</table>")[0]
    assert trend.count('<th scope="row">') == 12  # January to December 2026
    assert '<th scope="row">2026-11</th><td class="num">6</td><td class="num">3</td>' in trend


def test_the_excel_workbook_holds_numbers_and_percent_formatted_rates(
    client: Client,
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    from openpyxl import load_workbook

    login(client, district_staff)
    response = client.get(month_url(world.district.pk) + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="report-990102000000-2026-11.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    citizen = book["群众诉求"]
    cells = {
        row[0].value: row[1] for row in citizen.iter_rows(min_row=5, max_col=2) if row[1].value
    }
    assert cells["收到"].value == 5 and isinstance(cells["收到"].value, int)
    assert cells["办结"].value == 3
    assert cells["办结率"].value == pytest.approx(0.6)
    assert cells["办结率"].number_format == "0.0%"
    assert cells["满意率"].value == pytest.approx(0.667)
    assert cells["满意率"].number_format == "0.0%"
    assert cells["不满意"].value == 1
    assert cells["平均办结用时"].value == pytest.approx(3.7)
    departments = book["承办单位"]
    league = [
        [cell.value for cell in row]
        for row in departments.iter_rows()
        if row[0].value == "海州区交通运输局"
    ]
    # 满意率: its answer to A was rated 不满意, then 满意 (docs/dashboard.md, "承办单位").
    assert league == [["海州区交通运输局", 1, 1, 1.0, 2.0, 0.5]]
    row = next(row for row in departments.iter_rows() if row[0].value == "海州区交通运输局")
    assert row[3].number_format == "0.0%" and row[5].number_format == "0.0%"
    # Nothing personal in any sheet.
    text = " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    assert "张建国" not in text and "1390000" not in text


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint's system libraries are missing")
def test_the_pdf_is_a_pdf(
    client: Client,
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    login(client, district_staff)
    response = client.get(month_url(world.district.pk) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="report-990102000000-2026-11.pdf"' in response["Content-Disposition"]


def test_the_page_prints_on_a4_and_offers_pdf_and_excel(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    html = client.get(month_url(world.district.pk)).content.decode()
    assert "@page { size: A4;" in html
    assert 'data-testid="report-xlsx"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


# --- scope ---------------------------------------------------------------------------


def test_a_district_opens_its_own_reports_and_those_below_never_sideways_or_up(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    assert client.get(month_url(world.district.pk)).status_code == 200
    assert client.get(year_url(world.town.pk)).status_code == 200
    for region in (world.other_district, world.city):
        assert client.get(month_url(region.pk)).status_code == 404
        assert client.get(year_url(region.pk)).status_code == 404
        assert client.get(month_url(region.pk) + "?format=xlsx").status_code == 404
        assert client.get(reverse("report_index") + f"?region={region.pk}").status_code == 404
    # Below the township the summaries have no area of their own: no report.
    assert client.get(month_url(world.village.pk)).status_code == 404
    assert client.get(month_url(987654)).status_code == 404
    assert client.get(reverse("report_index") + "?region=x").status_code == 404


def test_a_future_or_impossible_period_is_a_404(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    today = timezone.localdate()
    next_year = today.year + 1
    assert client.get(month_url(world.district.pk, next_year, "01")).status_code == 404
    assert client.get(year_url(world.district.pk, next_year)).status_code == 404
    assert client.get(month_url(world.district.pk, 2026, "13")).status_code == 404
    assert client.get(month_url(world.district.pk, 2026, "00")).status_code == 404
    assert client.get(year_url(world.district.pk, 1999)).status_code == 404


@pytest.mark.parametrize("persona", ["clerk", "representative_user", "committee_member"])
def test_only_congress_staff_have_reports(
    client: Client, world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("report_index")).status_code == 404
    assert client.get(month_url(world.district.pk)).status_code == 404


def test_the_list_offers_months_and_years_and_the_dashboard_links_to_it(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.get(reverse("report_index"))
    assert response.status_code == 200
    assert response.context["region"] == world.district
    html = response.content.decode()
    this_month = timezone.localdate()
    assert f"/reports/{world.district.pk}/{this_month:%Y-%m}/" in html
    assert f"/reports/{world.district.pk}/{this_month:%Y}/" in html
    assert len(response.context["months"]) == 24 and len(response.context["years"]) == 5
    assert f'href="?region={world.town.pk}"' in html  # 新浦街道, below
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="/reports/?region={world.district.pk}"' in dashboard


# --- queries -------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_report_runs_the_same_queries_for_3_and_30_problems(
    client: Client,
    world: World,
    city_staff: User,
    station: Station,  # noqa: F811 - fixture
    categories: dict[str, IssueCategory],  # noqa: F811 - fixture
) -> None:
    login(client, city_staff)
    today = timezone.localdate()
    page = month_url(world.city.pk, today.year, f"{today.month:02d}")
    year = year_url(world.city.pk, today.year)
    index = reverse("report_index")
    kinds = list(categories.values())

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            issue = submit(
                station=station if n % 2 else None,
                region=None if n % 2 else world.other_district,
                category=kinds[n % len(kinds)],
                mobile=f"139{n:08d}",
            )
            if n % 3 == 0:
                services.citizen_issue_accept(issue=issue, by=city_staff)

    add(3, 0)
    client.get(page)  # the session and the calendar read once
    few = (_queries(client, page), _queries(client, year), _queries(client, index))
    assert _figure(client.get(page).content.decode(), "citizen.received") == "3"
    add(27, 3)
    assert (_queries(client, page), _queries(client, year), _queries(client, index)) == few
    assert _figure(client.get(page).content.decode(), "citizen.received") == "30"


# --- subscriptions -------------------------------------------------------------------


def test_staff_subscribe_to_a_region_of_theirs_and_never_sideways(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.post(reverse("report_subscribe", args=[world.district.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/reports/?region={world.district.pk}"
    client.post(reverse("report_subscribe", args=[world.district.pk]))  # twice: one row
    assert client.post(reverse("report_subscribe", args=[world.other_district.pk])).status_code == (
        404
    )
    assert client.post(reverse("report_subscribe", args=[world.city.pk])).status_code == 404
    rows = list(ReportSubscription.objects.values_list("user_id", "region_id"))
    assert rows == [(district_staff.pk, world.district.pk)]
    html = client.get(reverse("report_index")).content.decode()
    assert 'data-testid="report-unsubscribe"' in html
    client.post(reverse("report_unsubscribe", args=[world.district.pk]))
    assert not ReportSubscription.objects.exists()


def test_the_service_refuses_a_region_out_of_jurisdiction(
    world: World, district_staff: User, clerk: User
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        report_subscribe(user=district_staff, region=world.other_district)
    with pytest.raises(Http404):
        report_subscribe(user=clerk, region=world.district)
    assert not ReportSubscription.objects.exists()


# --- the monthly mailing -------------------------------------------------------------


@pytest.fixture
def leaders(world: World, district_staff: User, city_staff: User) -> dict[str, User]:
    """陈静 (海州区) and 周文华 (江海市) subscribe to 海州区; 周文华 to 江海市 too."""
    User.objects.filter(pk=district_staff.pk).update(email="chenjing@rd.example.cn")
    User.objects.filter(pk=city_staff.pk).update(email="zhouwenhua@rd.example.cn")
    district_staff.refresh_from_db()
    city_staff.refresh_from_db()
    report_subscribe(user=district_staff, region=world.district)
    report_subscribe(user=city_staff, region=world.district)
    report_subscribe(user=city_staff, region=world.city)
    return {"district": district_staff, "city": city_staff}


def test_the_beat_sends_last_months_report_once_to_each_subscriber(
    world: World,
    leaders: dict[str, User],
    november: dict[str, Any],  # noqa: F811 - fixture
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 3
    assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 0  # the beat fires again
    notes = Notification.objects.filter(kind="report.monthly").select_related("recipient")
    sent = sorted((note.recipient.username, note.title, note.url) for note in notes)
    assert sent == [
        ("chenjing", "海州区2026年11月月度报告", f"/reports/{world.district.pk}/2026-11/"),
        ("zhouwenhua", "江海市2026年11月月度报告", f"/reports/{world.city.pk}/2026-11/"),
        ("zhouwenhua", "海州区2026年11月月度报告", f"/reports/{world.district.pk}/2026-11/"),
    ]
    assert ReportMailing.objects.filter(month=datetime.date(2026, 11, 1)).count() == 3
    # Through the outbox: one e-mail each, with the figures and the link, nothing personal.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "chenjing@rd.example.cn",
        "zhouwenhua@rd.example.cn",
        "zhouwenhua@rd.example.cn",
    ]
    district_mail = next(m for m in mail.outbox if m.to == ["chenjing@rd.example.cn"])
    assert district_mail.subject == "海州区2026年11月月度报告"
    assert "收到 5" in district_mail.body and "办结率 60.0%" in district_mail.body
    assert "满意率 66.7%" in district_mail.body and "不满意 1" in district_mail.body
    assert f"{settings.SITE_URL}/reports/{world.district.pk}/2026-11/" in district_mail.body
    for message in mail.outbox:
        assert "张建国" not in message.body and "1390000" not in message.body


def test_the_beat_task_twice_is_one_notification_each(
    world: World, leaders: dict[str, User]
) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly"]
    task = celery_app.tasks[str(entry["task"])]
    task.delay()  # as beat sends it (run in-process here)
    task.delay()  # a second firing, or a retry
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert ReportMailing.objects.filter(month=last_month).count() == 3
    assert Notification.objects.filter(kind="report.monthly").count() == 3
    # The schedule: the 1st of each month.
    assert entry["schedule"].day_of_month == {1}


def test_a_leader_who_left_the_region_or_the_office_gets_nothing(
    world: World, leaders: dict[str, User]
) -> None:
    from congress.models import RoleGrant

    RoleGrant.objects.filter(user=leaders["district"]).delete()  # 陈静 moved on
    User.objects.filter(pk=leaders["city"].pk).update(is_active=False)
    assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 0
    assert not Notification.objects.filter(kind="report.monthly").exists()


@pytest.mark.worker
def test_the_real_worker_sends_each_subscriber_one_mail_however_often_beat_fires(
    world: World, leaders: dict[str, User], celery_worker_process: Any
) -> None:
    """On PostgreSQL, Redis and a Celery worker process: the beat's task sent twice
    and run once more here at the same time still makes one mail per subscription."""
    from pathlib import Path

    from congress.models import Delivery, DeliveryStatus
    from congress.reports import send_monthly_reports
    from tests.worker_support import wait_for

    send_monthly_reports.delay()
    send_monthly_reports.delay()
    monthly_reports_send()
    wait_for(lambda: ReportMailing.objects.count() == 3)
    wait_for(
        lambda: (
            Delivery.objects.filter(
                notification__kind="report.monthly", status=DeliveryStatus.SENT
            ).count()
            == 3
        ),
        timeout=60,
    )
    assert Notification.objects.filter(kind="report.monthly").count() == 3
    # The worker knows the task (congress.reports is in CELERY_IMPORTS) and ran it twice.
    succeeded = re.compile(r"congress\.reports\.send_monthly_reports\[[-0-9a-f]+\] succeeded")
    wait_for(lambda: len(succeeded.findall(celery_worker_process.log())) == 2)
    mails = Path(celery_worker_process.log_path.parent / "mail").glob("*.log")
    written = "".join(path.read_text() for path in mails)
    assert written.count("To: chenjing@rd.example.cn") == 1
    assert written.count("To: zhouwenhua@rd.example.cn") == 2


def test_a_leader_who_moved_sees_the_old_subscription_and_can_end_it(
    client: Client, world: World, leaders: dict[str, User], other_district_staff: User
) -> None:
    from congress.models import Role, RoleGrant
    from tests.factories import grant

    moved = leaders["district"]
    RoleGrant.objects.filter(user=moved).delete()
    grant(moved, Role.STAFF, region=world.other_district)  # 陈静 now works for 临江区
    login(client, moved)
    html = client.get(reverse("report_index")).content.decode()
    assert "已不在您的管辖范围，不再发送" in html
    response = client.post(reverse("report_unsubscribe", args=[world.district.pk]))
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert not ReportSubscription.objects.filter(user=moved).exists()
    # Someone else's subscription is no business of theirs: 海州区 is a 404 to them.
    assert client.post(reverse("report_unsubscribe", args=[world.city.pk])).status_code == 404
    assert ReportSubscription.objects.filter(user=leaders["city"]).count() == 2


def test_the_report_and_its_workbook_work_in_english(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(month_url(world.district.pk)).status_code == 200
    assert client.get(month_url(world.district.pk) + "?format=xlsx").status_code == 200
    assert client.get(reverse("report_index")).status_code == 200


def test_the_report_shows_what_the_dashboard_shows_for_the_same_month(
    client: Client,
    world: World,
    city_staff: User,
    november: dict[str, Any],  # noqa: F811 - fixture
) -> None:
    """One way to count: every figure of the report is the dashboard's for November."""
    login(client, city_staff)
    for region in (world.city, world.district, world.town):
        api = client.get(
            reverse("api-dashboard"),
            {"region": region.pk, "period": "months", "from": "2026-11", "to": "2026-11"},
        ).json()
        html = client.get(month_url(region.pk)).content.decode()
        shown = {
            f"{panel['key']}.{figure['key']}": figure["value"]
            for panel in api["panels"]
            for figure in panel["figures"]
            if figure["key"] != "overdue"  # "now": the same, but read a moment apart
        }
        assert shown, region
        for key, value in shown.items():
            cell = _figure(html, key).split(" ")[0]
            if value is None:
                assert cell == "—", key
            elif isinstance(value, float):
                assert cell.rstrip("%") == f"{value:.1f}", key
            else:
                assert cell.replace(",", "") == str(value), key
