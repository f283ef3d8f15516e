"""Suggestions are placed on their own row, and lists page by cursor (docs/architecture.md,
"Reads that do not grow with the data").

The city congress's region is 江海市 (depth 1, under 东海省); 刘红 files from 桃园社区,
under 新浦街道, 海州区. Who sees what is stated here by hand: city staff see every
suggestion filed to the city congress once submitted; the district and town offices
see their own representatives' suggestions only while they pre-review them.
"""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from congress.models import Session, SessionKind, User
from suggestions.formal import services
from suggestions.formal.selectors import visible_suggestions
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, city_term, draft, registered


def test_filing_puts_the_congress_and_the_leads_place_on_the_row(cast: Cast, world: World) -> None:
    suggestion = draft(cast)
    row = Suggestion.objects.get(pk=suggestion.pk)
    province = world.city.parent_id
    assert (row.area_0, row.area_1, row.area_2, row.area_3) == (province, world.city.pk, None, None)
    assert (row.origin_area_0, row.origin_area_1, row.origin_area_2, row.origin_area_3) == (
        province,
        world.city.pk,
        world.district.pk,
        world.town.pk,
    )


def test_who_sees_a_suggestion_from_draft_to_registration(
    cast: Cast,
    world: World,
    city_staff: User,
    district_staff: User,
    town_staff: User,
    other_district_staff: User,
) -> None:
    suggestion = draft(cast)

    def seen_by(user: User) -> bool:
        return visible_suggestions(user).filter(pk=suggestion.pk).exists()

    # A draft is the representatives' own.
    assert [seen_by(u) for u in (city_staff, district_staff, town_staff)] == [False] * 3
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    # Submitted: the city office reviews it, the district and town offices pre-review it.
    assert [seen_by(u) for u in (city_staff, district_staff, town_staff)] == [True] * 3
    assert not seen_by(other_district_staff)
    services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)
    # Registered by the city: the city's business from now on.
    assert [seen_by(u) for u in (city_staff, district_staff, town_staff)] == [True, False, False]


def _count_queries(client: Client | APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_list_pages_by_cursor_and_keeps_its_filter(
    cast: Cast, city_staff: User, client: Client
) -> None:
    titles = [f"关于第{n:02d}条道路修缮的建议" for n in range(53)]
    for title in titles:
        registered(cast, city_staff, title=title)
    client.force_login(city_staff)
    first = client.get("/suggestions/?status=registered").content.decode()
    shown = re.findall(r"关于第(\d\d)条道路修缮的建议", first)
    assert shown == [f"{n:02d}" for n in range(52, 2, -1)]  # newest first, 50 of them
    after = re.search(r'href="\?([^"]*after=[^"]+)" rel="next"', first)
    assert after is not None and "status=registered" in after.group(1)
    second = client.get("/suggestions/?" + after.group(1).replace("&amp;", "&")).content.decode()
    assert re.findall(r"关于第(\d\d)条道路修缮的建议", second) == ["02", "01", "00"]
    assert 'rel="next"' not in second and 'rel="prev"' in second


def test_the_api_list_pages_by_cursor_in_fixed_queries(cast: Cast, city_staff: User) -> None:
    client = APIClient()
    client.force_authenticate(city_staff)
    for n in range(3):
        registered(cast, city_staff, title=f"第{n}件")
    client.get("/api/v1/suggestions/")  # per-process caches warm
    few = _count_queries(client, "/api/v1/suggestions/")
    for n in range(3, 60):
        registered(cast, city_staff, title=f"第{n}件")
    many = _count_queries(client, "/api/v1/suggestions/")
    assert few == many
    body = client.get("/api/v1/suggestions/").json()
    assert len(body["results"]) == 50 and body["next"] and body["previous"] is None
    assert "count" not in body
    rest = client.get(body["next"]).json()
    assert [r["title"] for r in rest["results"]] == [f"第{n}件" for n in range(9, -1, -1)]


def test_the_session_filter_offers_the_newest_sessions_and_the_chosen_one(
    cast: Cast, world: World, city_staff: User, client: Client
) -> None:
    term = city_term(world)
    for n in range(45):  # older sessions than the cast's (January 2026)
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * n)
        Session.objects.create(
            term=term, kind=SessionKind.PLENARY, number=100 + n, opens_on=day, closes_on=day
        )
    oldest = Session.objects.get(term=term, number=100)
    registered(cast, city_staff)
    client.force_login(city_staff)

    def offered(url: str) -> list[str]:
        page = client.get(url).content.decode()
        select = re.search(r'<select[^>]*name="session".*?</select>', page, re.S)
        assert select is not None
        return re.findall(r'<option value="(\d+)"', select.group(0))

    listed = offered("/suggestions/")
    assert len(listed) == 40 and str(cast.session.pk) == listed[0]  # newest first
    assert str(oldest.pk) not in listed
    chosen = offered(f"/suggestions/?session={oldest.pk}")
    assert chosen[-1] == str(oldest.pk) and len(chosen) == 41
    # The filter takes it: none of the cast's suggestions were filed at that session.
    page = client.get(f"/suggestions/?session={oldest.pk}").content.decode()
    assert "没有符合条件的建议" in page
