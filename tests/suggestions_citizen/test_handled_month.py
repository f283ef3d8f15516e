"""The closes per handler and month (``HandledMonthCount``; docs/dashboard.md, the
activity ranking): the citizen services add a close to its handler's month in the
same transaction, a rebuild counts the same rows from the problems, the check finds
a row that drifted, and the 履职积分 tally reads it for whole months with the same
totals as the problems themselves.

By hand: two problems at 桃园社区's station on Mon 2 November 2026, accepted and so
handed to the station's representative. They answer A the same day and the citizen
rates it 满意 on Tue 3 November (closed in November); they answer B on Mon 30
November and it is closed unrated on Tue 1 December (closed in December in Asia/
Shanghai, though 1 December 07:00 there is still 30 November in UTC). (Every problem
answered has been with a representative, its handler: ``ISSUE_TRANSITIONS``.)
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from congress.models import Region, User
from representatives.models import Representative, Station
from representatives.registry import PointSource, point_sources
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory, IssueRating
from suggestions.models.monthly import HandledMonthCount
from tests.conftest import World
from tests.suggestions_citizen.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = datetime.date(2026, 11, 1)
DECEMBER = datetime.date(2026, 12, 1)


@contextmanager
def at(month: int, day: int, hour: int = 10) -> Iterator[None]:
    moment = datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def closes(
    world: World,
    district_staff: User,
    station: Station,
    representative: Representative,
    representative_user: User,
    categories: dict[str, IssueCategory],
) -> Representative:
    roads = categories["roads"]
    with at(11, 2, 9):
        a = submit(station=station, category=roads, mobile="13900000001")
        b = submit(station=station, category=roads, mobile="13900000002")
    with at(11, 2):
        for issue in (a, b):
            services.citizen_issue_accept(issue=issue, by=district_staff)
        services.citizen_issue_answer(issue=a, by=representative_user, answer="已协调解决")
    with at(11, 3):
        services.citizen_issue_rate(issue=a, rating=IssueRating.SATISFIED)
    with at(11, 30):
        services.citizen_issue_answer(issue=b, by=representative_user, answer="已办理")
    with at(12, 1, 7):
        services.citizen_issue_close_unrated(issue=b)
    for issue in (a, b):
        issue.refresh_from_db()
        assert issue.handler_id == representative.pk
    return representative


def _rows() -> dict[tuple[int, datetime.date], int]:
    return {
        (row.representative_id, row.month): row.closed for row in HandledMonthCount.objects.all()
    }


def _source() -> PointSource:
    """The handled problems' point source as the app registers it (the ranking's)."""
    return next(source for source in point_sources if source.code == "citizen_issues")


def _tallied(rep: Representative, start: datetime.date, end: datetime.date) -> int:
    rows = list(_source().tally_of(Representative.objects.filter(pk=rep.pk), start, end))
    return sum(row["point_count"] for row in rows)


def test_the_services_add_each_close_to_its_handlers_month(closes: Representative) -> None:
    assert _rows() == {(closes.pk, NOVEMBER): 1, (closes.pk, DECEMBER): 1}
    assert services.handled_month_counts_differences() == {}
    # A rebuild from the problems writes the same rows.
    services.issue_month_counts_rebuild()
    assert _rows() == {(closes.pk, NOVEMBER): 1, (closes.pk, DECEMBER): 1}


def test_the_tally_reads_whole_months_from_the_summary_with_the_same_totals(
    closes: Representative,
) -> None:
    november_end = datetime.date(2026, 11, 30)
    december_end = datetime.date(2026, 12, 31)
    # Whole months: the summary's rows (its table in the SQL), by hand 1, 1 and 2.
    whole = _source().tally_of(Representative.objects.all(), NOVEMBER, november_end)
    assert HandledMonthCount._meta.db_table in str(whole.query)
    assert _tallied(closes, NOVEMBER, november_end) == 1
    assert _tallied(closes, DECEMBER, december_end) == 1
    assert _tallied(closes, NOVEMBER, december_end) == 2
    # Other periods count the problems themselves: the same closes.
    part = _source().tally_of(Representative.objects.all(), NOVEMBER, datetime.date(2026, 12, 1))
    assert HandledMonthCount._meta.db_table not in str(part.query)
    assert _tallied(closes, NOVEMBER, datetime.date(2026, 12, 1)) == 2
    assert _tallied(closes, datetime.date(2026, 11, 4), november_end) == 0
    # A period that ends today (活跃度排名's year so far) reads the summary through the
    # end of this month: no close is dated after today, so the totals are the same.
    today = timezone.localdate()
    so_far = _source().tally_of(Representative.objects.all(), NOVEMBER, today)
    assert HandledMonthCount._meta.db_table in str(so_far.query)
    assert _tallied(closes, NOVEMBER, today) == 2


def test_the_check_finds_a_drifted_row_and_the_rebuild_repairs_it(closes: Representative) -> None:
    call_command("issue_reads_rebuild", check=True, stdout=io.StringIO())
    HandledMonthCount.objects.filter(month=NOVEMBER).update(closed=5)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 summary rows differ"):
        call_command("issue_reads_rebuild", check=True, stdout=out)
    assert f"representative {closes.pk} 2026-11 closed: kept 5, counted 1" in out.getvalue()
    call_command("issue_reads_rebuild", stdout=io.StringIO())
    assert _rows() == {(closes.pk, NOVEMBER): 1, (closes.pk, DECEMBER): 1}


def _areas() -> set[tuple[int | None, ...]]:
    return set(HandledMonthCount.objects.values_list("area_0", "area_1", "area_2", "area_3"))


def test_the_rows_keep_their_handlers_area_and_a_region_reads_its_own_on_it(
    world: World, city_staff: User, closes: Representative
) -> None:
    """刘红 is registered in 桃园社区 (新浦街道, 海州区): each row keeps those ids, written
    by the services and by a rebuild alike; a region's ranking reads its rows on them
    (``area_tally_of``), with the same totals as the semi-join of its people."""
    from representatives import services as representative_services
    from representatives.models import holder_area_q

    here = (world.city.parent_id, world.city.pk, world.district.pk, world.town.pk)
    assert _areas() == {here}
    services.issue_month_counts_rebuild()
    assert _areas() == {here}

    def in_area(region: Region) -> int:
        rows = _source().area_tally_of(None, NOVEMBER, datetime.date(2026, 12, 31))
        assert rows is not None and HandledMonthCount._meta.db_table in str(rows.query)
        return sum(row["point_count"] for row in rows.filter(holder_area_q(region)))

    assert (in_area(world.district), in_area(world.other_district), in_area(world.city)) == (
        2,
        0,
        2,
    )
    # A period of part of a month is counted from the problems, which do not keep the
    # handler's area: the ranking semi-joins its people there instead.
    assert _source().area_tally_of(None, NOVEMBER, datetime.date(2026, 12, 1)) is None
    # 刘红 moves to 临江区: their rows go along, and so do the points.
    representative_services.representative_update(
        representative=closes, by=city_staff, region=world.other_district
    )
    assert _areas() == {(world.city.parent_id, world.city.pk, world.other_district.pk, None)}
    assert (in_area(world.district), in_area(world.other_district)) == (0, 2)
    call_command("record_areas_rebuild", check=True, stdout=io.StringIO())
