"""履职积分 rules per congress and per year (issue #19, docs/rules.md "Point rules").

The story: 江海市 (the city) has 海州区 and 临江区 below it; 新浦街道 (with its own
congress, which sets nothing) and its 桃园社区 lie in 海州区. Each representative
logged one contact last year and two this year; a contact is worth 1 point by default
(DEFAULT_RULES, docs/architecture.md "Stations and points"). 海州区's congress makes
it 4: its representatives' contacts of this year count 4 each, last year's still 1,
and 临江区's keep 1 until the city sets its own value, which 临江区 then follows. The
expected totals are worked out by hand in each test.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.dashboard import Period, Scope
from congress.errors import OutOfJurisdiction, RuleViolation
from congress.models import AuditAction, AuditEvent, Congress, User
from representatives import points, services
from representatives.dashboard import ranking
from representatives.models import PointRule, PointRuleYear, Representative
from representatives.point_rules import freeze_past_years, point_rules_save
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat

TODAY = timezone.localdate()
THIS_YEAR = datetime.date(TODAY.year, 1, 1)
LAST_YEAR = datetime.date(TODAY.year - 1, 1, 1)
LAST_DECEMBER = datetime.date(TODAY.year - 1, 12, 15)


def congress_of(region: Any) -> Congress:
    return Congress.objects.get(region=region)


def _serving(name: str, region: Any, seat_in: Any) -> Representative:
    """A representative registered at ``region`` with a seat in ``seat_in``'s congress,
    one contact logged last December and two on 1 January (through the service, as
    the app records them)."""
    rep = RepresentativeFactory(name=name, region=region)
    seat(rep, seat_in)
    for day in (LAST_DECEMBER, THIS_YEAR, THIS_YEAR):
        services.contact_log_record(
            representative=rep, kind="visit", contacted_on=day, summary="走访", by=None
        )
    return rep


@pytest.fixture
def people(world: World) -> dict[str, Representative]:
    return {
        # In 桃园社区 under 新浦街道's congress, which sets nothing: follows 海州区.
        "village": _serving("王村", world.village, world.district),
        "district": _serving("李区", world.district, world.district),
        "other": _serving("赵江", world.other_district, world.other_district),
    }


def _this_year(rep: Representative) -> int:
    return points.points_for(rep, THIS_YEAR, TODAY).total


def _last_year(rep: Representative) -> int:
    return points.points_for(rep, LAST_YEAR, datetime.date(TODAY.year - 1, 12, 31)).total


def _set(congress: Congress, value: int | None, by: User) -> list[str]:
    return point_rules_save(congress=congress, values={"contact_log": value}, by=by)


def test_a_districts_value_counts_for_its_representatives_this_year_only(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    before = {key: (_last_year(rep), _this_year(rep)) for key, rep in people.items()}
    assert before == {"village": (1, 2), "district": (1, 2), "other": (1, 2)}

    assert _set(congress_of(world.district), 4, administrator) == ["contact_log"]

    after = {key: (_last_year(rep), _this_year(rep)) for key, rep in people.items()}
    # 海州区's two (the village's through 新浦街道, which set nothing): 2 × 4 this year,
    # last year's one contact still 1. 临江区's: unchanged.
    assert after == {"village": (1, 8), "district": (1, 8), "other": (1, 2)}
    # A period across the new year counts each year with its own value: 1 + 2 × 4.
    total = points.points_for(people["village"], LAST_YEAR, TODAY)
    assert total.total == 9
    assert sorted((line.rule.points, line.count) for line in total.lines) == [(1, 1), (4, 2)]
    assert total.count_of("contact_log") == 3


def test_the_city_value_reaches_the_district_that_set_none(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    _set(congress_of(world.district), 4, administrator)
    _set(congress_of(world.city), 6, administrator)
    assert [_this_year(people[k]) for k in ("village", "district", "other")] == [8, 8, 12]
    # 海州区 goes back to following the city: 2 × 6.
    _set(congress_of(world.district), None, administrator)
    assert not PointRule.objects.filter(congress=congress_of(world.district)).exists()
    assert [_this_year(people[k]) for k in ("village", "district", "other")] == [12, 12, 12]
    assert [_last_year(people[k]) for k in ("village", "district", "other")] == [1, 1, 1]


def test_the_dashboard_ranking_counts_the_same_values_as_the_points_page(
    world: World, people: dict[str, Representative], administrator: User, city_staff: User
) -> None:
    """The ranking is SQL (representatives/dashboard.py): each holder weighted by the
    values at their region, each year of the period with its own."""
    _set(congress_of(world.district), 4, administrator)
    _set(congress_of(world.town), -2, administrator)  # 桃园社区 lies under 新浦街道
    december = Period("months", datetime.date(TODAY.year - 1, 12, 1), THIS_YEAR)
    found = ranking(Scope(city_staff, world.city, december, [], TODAY))
    by_sql = {entry.name: entry.total for entry in found.top}
    # Last December's contact at last year's 1, January's two at this year's values.
    expected = {"王村": 1 + 2 * -2, "李区": 1 + 2 * 4, "赵江": 1 + 2 * 1}
    assert by_sql == expected
    by_python = {
        rep.name: points.points_for(rep, december.start, december.end).total
        for rep in people.values()
    }
    assert by_python == expected


def test_the_dashboard_ranking_this_year(
    world: World, people: dict[str, Representative], administrator: User, city_staff: User
) -> None:
    _set(congress_of(world.district), 4, administrator)
    _set(congress_of(world.town), -2, administrator)
    this_year = Period("months", THIS_YEAR, datetime.date(TODAY.year, TODAY.month, 1))
    found = ranking(Scope(city_staff, world.city, this_year, [], TODAY))
    assert [(entry.name, entry.total) for entry in found.top] == [
        ("李区", 8),
        ("赵江", 2),
        ("王村", -4),
    ]


def test_last_year_is_copied_once_before_the_first_change(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    _set(congress_of(world.district), 4, administrator)
    copied = PointRuleYear.objects.filter(year=TODAY.year - 1)
    assert copied.filter(congress=None, code="contact_log").get().points == 1
    assert not copied.exclude(congress=None).exists()  # no congress had its own then
    rows = copied.count()
    _set(congress_of(world.district), 5, administrator)
    assert copied.count() == rows
    assert copied.filter(congress=None, code="contact_log").get().points == 1
    assert not freeze_past_years()
    # A year with no copy of its own counts with the first later copy: the year before
    # last had the same rules as last year (nothing changed in between).
    two_years_ago = datetime.date(TODAY.year - 2, 6, 1)
    services.contact_log_record(
        representative=people["district"],
        kind="visit",
        contacted_on=two_years_ago,
        summary="走访",
        by=None,
    )
    assert points.points_for(people["district"], two_years_ago, two_years_ago).total == 1


def test_an_installation_change_in_the_admin_keeps_last_year(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    services.point_rules_install_defaults()
    rule = PointRule.objects.get(congress=None, code="contact_log")
    client = Client()
    login(client, administrator)
    response = client.post(
        reverse("admin:representatives_pointrule_change", args=[rule.pk]),
        {
            "label": rule.label,
            "points": "3",
            "is_active": "on",
            "description": rule.description,
            "sort_order": rule.sort_order,
        },
    )
    assert response.status_code == 302
    assert [_last_year(people[k]) for k in ("district", "other")] == [1, 1]
    assert [_this_year(people[k]) for k in ("district", "other")] == [6, 6]


def test_a_value_out_of_range_is_refused_with_the_range(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    congress = congress_of(world.district)
    with pytest.raises(RuleViolation) as refused:
        point_rules_save(
            congress=congress, values={"contact_log": 2, "duty_served": 101}, by=administrator
        )
    assert "-100至100分" in str(refused.value.message)
    assert not PointRule.objects.filter(congress=congress).exists()  # nothing written
    assert not PointRuleYear.objects.exists()


def test_staff_read_but_may_not_change_and_other_districts_not_even_that(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    congress = congress_of(world.district)
    with pytest.raises(PermissionDenied):
        _set(congress, 4, district_staff)
    with pytest.raises(OutOfJurisdiction):
        _set(congress, 4, other_district_staff)
    assert not PointRule.objects.filter(congress=congress).exists()


def test_the_page_saves_with_an_audit_row_and_shows_the_history(
    world: World, people: dict[str, Representative], administrator: User
) -> None:
    congress = congress_of(world.district)
    client = Client()
    login(client, administrator)
    url = reverse("congress_point_rules", args=[congress.pk])
    response = client.post(url, {"contact_log": "4", "duty_served": ""})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert event.detail == {"rule": "points.contact_log", "from": None, "to": 4}
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "联系选民 （沿用上级） → +4" in text
    assert _this_year(people["district"]) == 8


def test_the_page_refuses_a_value_out_of_range_naming_the_field_and_keeps_what_was_typed(
    world: World, administrator: User
) -> None:
    congress = congress_of(world.district)
    client = Client()
    login(client, administrator)
    response = client.post(
        reverse("congress_point_rules", args=[congress.pk]),
        {"contact_log": "7", "duty_served": "150"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'data-testid="error-duty_served"' in text
    assert "-100至100分" in text
    assert 'value="7"' in text and 'value="150"' in text
    assert not PointRule.objects.filter(congress=congress).exists()


def test_district_staff_read_the_values_they_follow(
    world: World, administrator: User, district_staff: User
) -> None:
    _set(congress_of(world.city), 6, administrator)
    client = Client()
    login(client, district_staff)
    response = client.get(reverse("congress_point_rules", args=[congress_of(world.district).pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<strong>+6</strong>" in text and "江海市" in text
    assert 'name="contact_log"' not in text  # no form for readers


def _ranking_queries(client: Client, region: Any, size: int) -> int:
    for n in range(size):
        _serving(f"代表{size}-{n:02d}", region, region)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("points_ranking"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="ranking-row"') >= size
    return len(queries)


def test_the_points_page_costs_the_same_queries_for_3_and_30_representatives(
    world: World, administrator: User, city_staff: User
) -> None:
    _set(congress_of(world.district), 4, administrator)
    _set(congress_of(world.city), 6, administrator)
    client = Client()
    login(client, city_staff)
    client.get(reverse("points_ranking"))  # the session's first reads
    counts = [
        _ranking_queries(client, world.district, 3),
        _ranking_queries(client, world.other_district, 27),
    ]
    assert counts[0] == counts[1]


def test_the_dashboard_ranking_costs_the_same_queries_for_3_and_30_representatives(
    world: World, administrator: User, city_staff: User
) -> None:
    _set(congress_of(world.district), 4, administrator)
    period = Period("months", datetime.date(TODAY.year - 1, 12, 1), THIS_YEAR)
    scope = Scope(city_staff, world.city, period, [], TODAY)
    ranking(scope)  # the user's regions, read once
    counts = []
    for size, region in ((3, world.district), (27, world.other_district)):
        for n in range(size):
            _serving(f"代表{size}-{n:02d}", region, region)
        with CaptureQueriesContext(connection) as queries:
            found = ranking(scope)
        assert len(found.top) == 10 if size == 27 else len(found.top) == 3
        counts.append(len(queries))
    # Per year of the period the rules (last year: its copy), and the one statement.
    assert counts == [3, 3]


def _ranking_headings(client: Client, user: User) -> list[str]:
    login(client, user)
    page = client.get(
        reverse("points_ranking"), {"start": THIS_YEAR.isoformat(), "end": TODAY.isoformat()}
    )
    assert page.status_code == 200
    html = page.content.decode()
    return [
        part.split("</span>")[0].strip()
        for part in html.split('data-testid="ranking-rule-value">')[1:]
    ]


def test_the_ranking_heads_a_column_with_the_value_counted_or_says_it_varies(
    world: World,
    people: dict[str, Representative],
    administrator: User,
    city_staff: User,
    other_district_staff: User,
    client: Client,
) -> None:
    """Before any congress sets its own, the contact column reads +1 for the city's staff;
    once 海州区 counts 4, the city's ranking (海州区's and 临江区's people) cannot print one
    value above the column, and 临江区's own staff still see +1."""
    assert _ranking_headings(client, city_staff) == ["+1"]
    _set(congress_of(world.district), 4, administrator)
    assert _ranking_headings(client, city_staff) == ["各地分值不同"]
    assert _ranking_headings(client, other_district_staff) == ["+1"]
