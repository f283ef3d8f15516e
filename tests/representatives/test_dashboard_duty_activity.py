"""The dashboard's 代表工作 panel, issue 16: duty shifts served against those scheduled,
and the activity ranking (top and bottom ten by 履职积分), hand-counted for October
2026 in 海州区 (docs/dashboard.md, "代表工作").

The October of the fixture, made by calling the services as the people would (the
clock is set so that shifts are scheduled ahead and recorded afterwards):

新浦 station (海州区): 陈明 serves the 5th and the 6th, 李军 the 7th and is on leave
on the 8th, 周杰 serves the 13th, 孙丽's shift of the 9th is cancelled, her shift of
the 12th is handed to 吴芳 (换班), who is absent; 吴芳 also has a shift on the 28th,
still to come on the 25th. So 7 shifts are owed in October, 6 of them due by the
25th, 4 served: 66.7% (without 周杰's: 6 owed, 5 due, 3 served, 60%). A shift served in
November and those served at 临江区's station are not 海州区's October.

Points (default rules: contact +1, served +5, absent −1, inspection +3, absent −1 per
half day): 陈明 10 + 1 contact = 11; 李军 5 + inspection 3 = 8; 吴芳 −1 + 1 contact = 0;
赵敏 nothing = 0; 孙丽 absent from a two-half-day inspection = −2; 周杰 (seat ended)
is not ranked whatever he did; 孙悦 of 临江区 (15) only at the city.
"""

from __future__ import annotations

import datetime
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from congress.dashboard import PanelData, Period, Scope, Table
from congress.models import User
from congress.reports import MONTH, report_build, report_workbook
from representatives import points, services
from representatives.dashboard import duty_figures, ranking, representatives_panel
from representatives.models import ActivityKind, DutyShift, Representative, Station
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat, station_with

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period("months", datetime.date(2026, 10, 1), datetime.date(2026, 10, 1))
OCTOBER_QUERY = "period=months&from=2026-10&to=2026-10"


@contextmanager
def clock(month: int, day: int, hour: int = 10) -> Iterator[None]:
    moment = datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def scope_of(user: User, world: World, region: Any = None, today: int = 25) -> Scope:
    return Scope(
        user=user,
        region=region or world.district,
        period=OCTOBER,
        children=[],
        today=datetime.date(2026, 10, today),
    )


def panel_of(user: User, world: World, **kwargs: Any) -> PanelData:
    return representatives_panel(scope_of(user, world, **kwargs))


def figures(panel: PanelData) -> dict[str, Any]:
    return {figure.key: figure.value for figure in panel.figures}


def table(panel: PanelData, key: str) -> Table:
    return next(table for table in panel.tables if table.key == key)


@dataclass
class October:
    chen: Representative
    li: Representative
    sun: Representative
    wu: Representative
    zhao: Representative
    zhou: Representative
    far: Representative
    station: Station


def _rep(name: str, region: Any, congress_region: Any) -> Representative:
    rep = RepresentativeFactory(name=name, region=region)
    seat(rep, congress_region)
    return rep


def _shift(station: Station, rep: Representative, day: int, by: User) -> DutyShift:
    return services.duty_shift_create(
        station=station,
        representative=rep,
        date=datetime.date(2026, 10, day),
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        by=by,
    )


@pytest.fixture
def october(world: World, district_staff: User, city_staff: User) -> October:
    chen = _rep("陈明", world.village, world.district)
    li = _rep("李军", world.village, world.district)
    sun = _rep("孙丽", world.town, world.district)
    wu = _rep("吴芳", world.town, world.town)
    zhao = _rep("赵敏", world.district, world.district)
    zhou = _rep("周杰", world.village, world.district)
    far = _rep("孙悦", world.other_district, world.other_district)
    station = station_with(world.town, [chen, li, sun, wu, zhou], name="新浦联络站")
    far_station = station_with(world.other_district, [far], name="临江联络站")
    with clock(10, 1):
        served = [
            _shift(station, chen, 5, district_staff),
            _shift(station, chen, 6, district_staff),
        ]
        served.append(_shift(station, li, 7, district_staff))
        leave = _shift(station, li, 8, district_staff)
        cancelled = _shift(station, sun, 9, district_staff)
        handed = _shift(station, sun, 12, district_staff)
        _shift(station, wu, 28, district_staff)  # still to come on the 25th
        zhou_shift = _shift(station, zhou, 13, district_staff)
        far_shifts = [_shift(far_station, far, day, city_staff) for day in (5, 6, 7)]
        services.duty_shift_take_leave(shift=leave, reason="出差", by=district_staff)
        services.duty_shift_cancel(shift=cancelled, reason="场地维修", by=district_staff)
        replacement = services.duty_shift_swap(
            shift=handed, to_representative=wu, reason="临时有事", by=district_staff
        )
    with clock(11, 2):
        november = services.duty_shift_create(
            station=station,
            representative=chen,
            date=datetime.date(2026, 11, 3),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            by=district_staff,
        )
    with clock(10, 20):
        for shift in [*served, zhou_shift]:
            services.duty_shift_serve(shift=shift, by=district_staff)
        for shift in far_shifts:
            services.duty_shift_serve(shift=shift, by=city_staff)
        services.duty_shift_mark_absent(shift=replacement, reason="未到", by=district_staff)
        for rep in (chen, wu, zhou):
            services.contact_log_record(
                representative=rep,
                kind="visit",
                contacted_on=datetime.date(2026, 10, 15),
                summary="走访",
                by=district_staff,
            )
        inspection = services.activity_create(
            by=district_staff,
            title="视察民生实事项目",
            kind=ActivityKind.INSPECTION,
            region=world.district,
            starts_at=timezone.now() - datetime.timedelta(days=2),
            half_days=2,
        )
        services.activity_record_attendance(
            activity=inspection,
            by=district_staff,
            attendance={li.pk: "present", sun.pk: "absent", zhou.pk: "present"},
        )
    with clock(11, 5):
        services.duty_shift_serve(shift=november, by=district_staff)
        mandate = zhou.mandates.get()
        services.mandate_end(
            mandate=mandate, ends_on=datetime.date(2026, 11, 5), reason="调离", by=district_staff
        )
    return October(chen, li, sun, wu, zhao, zhou, far, station)


# --- duty shifts ---------------------------------------------------------------------


def test_duty_shifts_served_against_scheduled_by_hand(
    world: World, district_staff: User, october: October
) -> None:
    shown = figures(panel_of(district_staff, world))
    # 周杰's served shift on the 13th was his while he sat: it was owed and served.
    assert shown["duty_scheduled"] == 7
    assert shown["duty_served"] == 4
    # Due by the 25th: all but 吴芳's shift of the 28th; served 4 of 6.
    assert shown["duty_rate"] == pytest.approx(66.7)
    # After the month every shift is due.
    after = duty_figures(scope_of(district_staff, world, today=31))
    assert (after.scheduled, after.due, after.served) == (7, 7, 4)


def test_the_rate_is_five_scheduled_three_served_without_the_departed(
    world: World, district_staff: User, october: October
) -> None:
    """Without 周杰's sitting (a station with only the five serving representatives):
    5 due, 3 served, 60%."""
    DutyShift.objects.filter(representative=october.zhou).delete()
    shown = figures(panel_of(district_staff, world))
    assert (shown["duty_scheduled"], shown["duty_served"]) == (6, 3)
    assert shown["duty_rate"] == 60.0


def test_the_city_counts_both_districts_and_a_township_its_own_stations(
    world: World, city_staff: User, town_staff: User, october: October
) -> None:
    city = figures(panel_of(city_staff, world, region=world.city))
    assert (city["duty_scheduled"], city["duty_served"]) == (10, 7)
    town = figures(panel_of(town_staff, world, region=world.town))
    assert (town["duty_scheduled"], town["duty_served"]) == (7, 4)


# --- the ranking ---------------------------------------------------------------------


def _rows(table: Table) -> list[tuple[str, int, int]]:
    """(name, place, points) per row."""
    return [(row[0], row[1], row[3]) for row in table.rows]


def test_the_ranking_by_hand_ties_by_name(
    world: World, district_staff: User, october: October
) -> None:
    panel = panel_of(district_staff, world)
    top = table(panel, "activity_top")
    assert _rows(top) == [
        ("陈明", 1, 11),
        ("李军", 2, 8),
        ("吴芳", 3, 0),
        ("赵敏", 3, 0),
        ("孙丽", 5, -2),
    ]
    # Five serving representatives: the bottom ten would be the same five backwards.
    assert [t.key for t in panel.tables] == ["activity_top"]
    # Each name opens the representative's page.
    assert top.links[0] == reverse("representative_detail", args=[october.chen.pk])
    # The columns after the total are each source's points, and they add up to it.
    labels = [str(label) for label in top.columns[4:]]
    assert {"联系选民", "进站值班", "履职活动"} <= set(labels)
    for row in top.rows:
        assert sum(row[4:]) == row[3]
    chen = dict(zip(labels, top.rows[0][4:], strict=True))
    assert (chen["联系选民"], chen["进站值班"], chen["履职活动"]) == (1, 10, 0)


def test_the_ranking_is_the_points_pages_measure(
    world: World, district_staff: User, october: October
) -> None:
    """The same totals as 活跃度排名 (representatives/points.py), for every source."""
    found = ranking(scope_of(district_staff, world))
    by_python = {
        rep.pk: points.points_for(rep, OCTOBER.start, OCTOBER.end).total
        for rep in Representative.objects.filter(pk__in=[r.pk for r in found.top])
    }
    assert {entry.pk: entry.total for entry in found.top} == by_python
    assert {source.code for source in found.sources} >= {"contacts", "duty", "activities"}


def test_the_bottom_ten_are_the_least_active_including_zero(
    world: World, district_staff: User, october: October
) -> None:
    extra = [_rep(f"代表{n:02d}", world.village, world.district) for n in range(1, 8)]
    panel = panel_of(district_staff, world)
    names = [f"代表{n:02d}" for n in range(1, 8)]
    assert [row[0] for row in table(panel, "activity_top").rows] == [
        "陈明",
        "李军",
        *names,
        "吴芳",
    ]
    bottom = table(panel, "activity_bottom")
    assert [row[0] for row in bottom.rows] == ["孙丽", *names, "吴芳", "赵敏"]
    assert [row[1] for row in bottom.rows] == [12] + [3] * 9
    assert bottom.links[1] == reverse("representative_detail", args=[extra[0].pk])


def test_a_change_of_rule_moves_the_ranking(
    world: World, district_staff: User, october: October
) -> None:
    from representatives.models import PointRule

    services.point_rules_install_defaults()
    PointRule.objects.filter(code="activity_inspection").update(points=20)
    top = table(panel_of(district_staff, world), "activity_top")
    assert _rows(top)[:2] == [("李军", 1, 25), ("陈明", 2, 11)]


# --- scope ---------------------------------------------------------------------------


def test_district_staff_rank_only_their_district(
    world: World,
    district_staff: User,
    other_district_staff: User,
    city_staff: User,
    october: October,
) -> None:
    mine = [row[0] for row in table(panel_of(district_staff, world), "activity_top").rows]
    assert "孙悦" not in mine and "周杰" not in mine
    theirs = table(
        panel_of(other_district_staff, world, region=world.other_district), "activity_top"
    )
    assert _rows(theirs) == [("孙悦", 1, 15)]
    city = table(panel_of(city_staff, world, region=world.city), "activity_top")
    assert [row[0] for row in city.rows][:2] == ["孙悦", "陈明"]


def test_another_districts_dashboard_is_a_404(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    url = reverse("dashboard") + f"?region={world.other_district.pk}&{OCTOBER_QUERY}"
    assert client.get(url).status_code == 404


# --- the page, the API, the report ---------------------------------------------------


def test_the_page_shows_the_duty_figures_and_the_ranking_with_links(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    response = client.get(reverse("dashboard") + f"?region={world.district.pk}&{OCTOBER_QUERY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="representatives.duty_rate"' in html
    assert "应值班班次" in html and "值班率" in html
    assert 'data-testid="table-representatives-activity_top"' in html
    detail = reverse("representative_detail", args=[october.chen.pk])
    assert f'<a href="{detail}">陈明</a>' in html
    assert "同分按姓名排序" in html  # the definition beside it


def test_the_api_gives_the_same_figures_and_rows(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    with clock(10, 25):
        response = client.get(
            reverse("api-dashboard") + f"?region={world.district.pk}&{OCTOBER_QUERY}"
        )
    assert response.status_code == 200
    panel = next(p for p in response.json()["panels"] if p["key"] == "representatives")
    shown = {figure["key"]: figure["value"] for figure in panel["figures"]}
    assert (shown["duty_scheduled"], shown["duty_served"], shown["duty_rate"]) == (7, 4, 66.7)
    top = next(t for t in panel["tables"] if t["key"] == "activity_top")
    assert [row[0] for row in top["rows"]] == ["陈明", "李军", "吴芳", "赵敏", "孙丽"]


def test_the_page_works_in_english(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    with translation.override("en"):
        response = client.get(
            reverse("dashboard") + f"?region={world.district.pk}&{OCTOBER_QUERY}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200


def test_the_report_workbook_has_numbers_as_numbers(
    world: World, district_staff: User, october: October
) -> None:
    from openpyxl import load_workbook

    report = report_build(
        user=district_staff,
        region=world.district,
        kind=MONTH,
        period=OCTOBER,
        today=datetime.date(2026, 10, 25),
    )
    sheet = load_workbook(io.BytesIO(report_workbook(report)))["代表工作"]
    rows = {row[0].value: row for row in sheet.iter_rows()}
    rate = rows["值班率"]
    assert rate[1].value == pytest.approx(0.667) and rate[1].number_format == "0.0%"
    assert rows["应值班班次"][1].value == 7
    assert rows["陈明"][1].value == 1 and rows["陈明"][3].value == 11
    assert isinstance(rows["孙丽"][3].value, int) and rows["孙丽"][3].value == -2


# --- queries -------------------------------------------------------------------------


def _panel_queries(user: User, world: World) -> int:
    with CaptureQueriesContext(connection) as captured:
        representatives_panel(scope_of(user, world))
    return len(captured)


def _add(world: World, staff: User, station: Station, start: int, count: int) -> None:
    with clock(10, 1):
        for n in range(start, start + count):
            rep = _rep(f"新代表{n:03d}", world.village, world.district)
            services.station_member_add(station=station, representative=rep, by=staff)
            shift = _shift(station, rep, 2 + n % 20, staff)
            services.contact_log_record(
                representative=rep,
                kind="visit",
                contacted_on=datetime.date(2026, 10, 1),
                summary="走访",
                by=staff,
            )
            if n % 2:
                services.duty_shift_cancel(shift=shift, reason="调整", by=staff)


def test_the_panel_runs_the_same_queries_for_3_and_30_representatives(
    world: World, district_staff: User, october: October
) -> None:
    panel_of(district_staff, world)  # the user's grants read once
    _add(world, district_staff, october.station, 0, 3)
    few = _panel_queries(district_staff, world)
    _add(world, district_staff, october.station, 3, 27)
    assert _panel_queries(district_staff, world) == few
    top = table(panel_of(district_staff, world), "activity_top")
    assert len(top.rows) == 10


def test_the_dashboard_page_runs_the_same_queries_for_3_and_30(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    url = reverse("dashboard") + f"?region={world.district.pk}&{OCTOBER_QUERY}"
    _add(world, district_staff, october.station, 0, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)
    _add(world, district_staff, october.station, 3, 27)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == few


def test_a_problem_the_representative_closed_counts_in_its_month(
    world: World, district_staff: User, october: October
) -> None:
    """办理群众反映问题 (the citizen channel's source, +1 each): a problem handled by
    赵敏 and rated 满意 on 22 October counts in October, by the local day it closed."""
    from suggestions.citizen import services as citizen
    from suggestions.models.citizen import IssueCategory, IssueRating

    zhao_user = User.objects.create_user(username="zhaomin", password="x" * 12)
    Representative.objects.filter(pk=october.zhao.pk).update(user=zhao_user)
    october.zhao.refresh_from_db()
    citizen.categories_ensure_defaults()
    category = IssueCategory.objects.order_by("pk").first()
    assert category is not None
    with clock(10, 21):
        issue, _new = citizen.citizen_issue_submit(
            submission=citizen.Submission(
                category=category,
                description="路灯不亮，晚上很黑",
                region=world.town,
                station=october.station,
                mobile="13800000009",
                citizen_name="王建国",
                consent=True,
            ),
            idempotency_key=uuid.uuid4(),
        )
        citizen.citizen_issue_accept(issue=issue, by=district_staff, representative=october.zhao)
        citizen.citizen_issue_answer(issue=issue, by=zhao_user, answer="已修好")
    # 23:30 on the 22nd in Shanghai is still October 22 there.
    with clock(10, 22, 23):
        citizen.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)
    top = table(panel_of(district_staff, world), "activity_top")
    zhao = next(row for row in top.rows if row[0] == "赵敏")
    assert zhao[3] == 1
    labels = [str(label) for label in top.columns]
    assert zhao[labels.index("办理群众反映问题")] == 1
    # Not in November.
    november = Scope(
        user=district_staff,
        region=world.district,
        period=Period("months", datetime.date(2026, 11, 1), datetime.date(2026, 11, 1)),
        children=[],
        today=datetime.date(2026, 11, 30),
    )
    rows = table(representatives_panel(november), "activity_top").rows
    assert next(row for row in rows if row[0] == "赵敏")[3] == 0


# --- the list behind the duty figures (值班记录) ---------------------------------------


def _listed(client: Client, url: str) -> list[tuple[str, int, str]]:
    """(representative, day, status) of each shift the page lists."""
    response = client.get(url)
    assert response.status_code == 200
    return [(s.representative.name, s.date.day, s.status) for s in response.context["page"]]


def test_each_duty_figure_opens_the_shifts_it_counts(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    """The figures' links, followed on the 25th: 7 owed (not 孙丽's cancelled sitting
    nor her handed-over one, nothing of 临江区 or November), 4 served, and the 2 due
    and not served (李军's leave, 吴芳's absence) that make the rate 4 of 6."""
    urls = {figure.key: figure.url for figure in panel_of(district_staff, world).figures}
    login(client, district_staff)
    with clock(10, 25):
        owed = _listed(client, urls["duty_scheduled"])
        served = _listed(client, urls["duty_served"])
        missed = _listed(client, urls["duty_rate"])
    assert owed == [
        ("吴芳", 28, "scheduled"),
        ("周杰", 13, "served"),
        ("吴芳", 12, "absent"),
        ("李军", 8, "on_leave"),
        ("李军", 7, "served"),
        ("陈明", 6, "served"),
        ("陈明", 5, "served"),
    ]
    assert served == [
        ("周杰", 13, "served"),
        ("李军", 7, "served"),
        ("陈明", 6, "served"),
        ("陈明", 5, "served"),
    ]
    assert missed == [("吴芳", 12, "absent"), ("李军", 8, "on_leave")]
    # The API filters the same way.
    query = f"region={world.district.pk}&start=2026-10-01&end=2026-10-31"
    with clock(10, 25):
        api = {
            name: client.get(f"/api/v1/duty-shifts/?{query}&{name}=true").json()["count"]
            for name in ("owed", "missed")
        }
    assert api == {"owed": 7, "missed": 2}
    # After the 28th, 吴芳's shift never recorded is missed too, marked on the page.
    with clock(10, 29):
        assert _listed(client, urls["duty_rate"])[0] == ("吴芳", 28, "scheduled")
        assert "到期未登记" in client.get(urls["duty_rate"]).content.decode()


def test_the_list_is_the_viewer_s_stations_only(
    client: Client, world: World, district_staff: User, city_staff: User, october: October
) -> None:
    login(client, district_staff)
    everything = _listed(client, reverse("duty_shift_list"))
    assert len(everything) == 10  # 新浦's nine October sittings and November's
    # Without a region, the staff's own: the same rows as asking for it.
    own = reverse("duty_shift_list") + f"?region={world.district.pk}"
    assert _listed(client, own) == everything
    assert "孙悦" not in {name for name, _day, _status in everything}
    # Another district's region named in the query finds none of its shifts.
    assert _listed(client, reverse("duty_shift_list") + f"?region={world.other_district.pk}") == []
    login(client, city_staff)
    assert len(_listed(client, reverse("duty_shift_list"))) == 13


def test_a_bad_date_is_said_and_the_list_stays(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    response = client.get(reverse("duty_shift_list") + "?start=2026-13-45&status=served")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in html and "起" in html
    # The valid filters still apply.
    assert {s.status for s in response.context["page"]} == {"served"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("duty_shift_list") + "?start=2026-13-45").content.decode()
    assert "Duty records" in english and "ignored" in english


def test_the_list_s_queries_do_not_grow_with_its_rows(
    client: Client, world: World, district_staff: User, october: October
) -> None:
    login(client, district_staff)
    url = reverse("duty_shift_list") + f"?region={world.district.pk}&owed=true"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with clock(10, 1):
        for day in range(1, 29):
            if day not in (5, 6):  # 陈明's own sittings
                _shift(october.station, october.chen, day, district_staff)
    with CaptureQueriesContext(connection) as many:
        rows = _listed(client, url)
    assert len(rows) > 30
    assert len(many) == len(few)
