"""The big screen (docs/dashboard.md, "Big screen"): its figures against a hand count,
who may make and revoke its links, what a link opens (its region's screen, nothing
else), no personal data anywhere on it, and queries that do not grow with the data.

The hand-counted week is the dashboard's (tests/suggestions_citizen/test_dashboard.py,
``november``): in 海州区, five problems submitted on Mon 2 Nov 2026 (one more in 临江区);
by the 10th three are closed (A 满意 after a 不满意, B 基本满意, C unrated), two of them
on time; one step of another case type at 海州区交通运输局 is overdue since 3 Nov.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from knox.models import AuthToken

from congress import bigscreen
from congress.logging import redact
from congress.models import AuditEvent, User
from congress.models.bigscreen import BigScreenLink
from livelihood_votes import services as votes
from livelihood_votes.models import Cycle, Mark, Project
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World, login
from tests.factories import DepartmentFactory
from tests.livelihood_votes.conftest import (
    Cast,
    candidates_of,
    make_vote,
    opened,
    paper_ballots,
)
from tests.livelihood_votes.conftest import cast as vote_cast  # noqa: F401 - fixture
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)
from tests.suggestions_citizen.test_dashboard import november  # noqa: F401 - fixture

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def at(day: int, hour: int = 10) -> Iterator[None]:
    moment = datetime.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _figures_computed_afresh(settings: Any) -> None:
    # These tests change the data between two reads of the screen; the short cache of
    # a region's figures has its own tests (below, "the figures' cache").
    settings.BIGSCREEN_CACHE_SECONDS = 0


def _data(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    return {figure["key"]: figure["value"] for figure in data["figures"]}


def _make_link(by: User, region: Any, label: str = "代表之家大厅") -> tuple[BigScreenLink, str]:
    return bigscreen.bigscreen_link_create(region=region, label=label, by=by)


# --- the figures ---------------------------------------------------------------------


def test_the_district_screen_equals_the_hand_count(
    client: Client,
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811
) -> None:
    login(client, district_staff)
    with at(10):
        data = _data(client, reverse("bigscreen_data"))
    assert data["region"] == {"id": world.district.pk, "name": "海州区"}
    assert _figures(data) == {
        "today": 0,  # nothing submitted on the 10th
        "month_received": 5,
        "month_closed": 3,
        "handling_rate": 60.0,  # 3 of 5
        "on_time_rate": 66.7,  # 2 of 3
        "satisfaction_rate": 66.7,  # 满意 + 基本满意 of 3 ratings (one 不满意)
    }
    assert data["updated"] == "10:00"
    charts = {chart["key"]: chart for chart in data["charts"]}
    # Twelve months, December 2025 to November 2026.
    assert charts["trend"]["rows"][0] == "2025-12"
    assert charts["trend"]["rows"][-1] == "2026-11"
    assert charts["trend"]["series"][0]["data"] == [0] * 11 + [5]
    assert charts["trend"]["series"][1]["data"] == [0] * 11 + [3]
    by_category = dict(
        zip(charts["category"]["rows"], charts["category"]["series"][0]["data"], strict=True)
    )
    assert by_category == {november["roads"].name: 3, november["env"].name: 2}
    assert charts["regions"]["rows"] == ["新浦街道"]
    assert charts["regions"]["series"][0]["data"] == [5]
    # 海州区交通运输局: one overdue step, one answer (on time).
    assert data["league"]["rows"] == [["海州区交通运输局", 1, 1, "100.0%"]]
    assert data["suggestions"] is None  # no session of 海州区's congress yet
    assert data["votes"] == [] and data["projects"] == []


def test_today_counts_the_problems_submitted_since_midnight(
    client: Client,
    world: World,
    city_staff: User,
    november: dict[str, Any],  # noqa: F811
) -> None:
    login(client, city_staff)
    with at(2, 20):
        data = _data(client, reverse("bigscreen_data"))
    assert _figures(data)["today"] == 6  # 海州区's five and 临江区's one, on the 2nd
    charts = {chart["key"]: chart for chart in data["charts"]}
    assert charts["regions"]["rows"] == ["海州区", "临江区"]
    assert charts["regions"]["series"][0]["data"] == [5, 1]
    with at(3):
        assert _figures(_data(client, reverse("bigscreen_data")))["today"] == 0


def test_an_open_vote_shows_its_turnout_and_nothing_of_its_choices(
    client: Client,
    world: World,
    district_staff: User,
    representative_user: User,
    vote_cast: Cast,  # noqa: F811
) -> None:
    with at(10):
        vote = opened(make_vote(world.district, district_staff), district_staff)
        liu, zhang = vote_cast.liu, vote_cast.zhang
        picks = {c.pk: Mark.APPROVE for c in candidates_of(vote)[:3]}
        votes.ballot_cast(vote=vote, representative=liu, choices=picks, by=representative_user)
        votes.ballot_cast(vote=vote, representative=zhang, choices=picks, by=zhang.user)
        login(client, district_staff)
        data = _data(client, reverse("bigscreen_data"))
    # 2 of the 10 seated representatives of 海州区 have voted.
    assert data["votes"] == [
        {"title": "2026年度民生实事项目代表票决", "voted": 2, "electorate": 10, "turnout": 20.0}
    ]
    text = json.dumps(data, ensure_ascii=False)
    assert "民生项目1" not in text  # no choice (nor candidate) while the box is shut
    assert data["projects"] == []


def test_the_projects_elected_this_year_are_listed_by_name(
    client: Client,
    world: World,
    district_staff: User,
    vote_cast: Cast,  # noqa: F811
) -> None:
    with at(10):
        vote = opened(make_vote(world.district, district_staff), district_staff)
        ten = {c.pk: Mark.APPROVE for c in candidates_of(vote)[:10]}
        # Six of the ten vote on paper, each approving projects 1-10: quorate (6 > 5),
        # each of the ten has 6 approvals, more than half of the electorate of 10.
        paper_ballots(vote, vote_cast.seated[:6], [ten] * 6, district_staff)
        votes.vote_close(vote=vote, by=district_staff)
        login(client, district_staff)
        data = _data(client, reverse("bigscreen_data"))
    assert data["votes"] == []
    assert data["projects"] == [
        {"name": f"民生项目{n}", "percent": None, "behind": False} for n in range(1, 11)
    ]

    # Once the year's projects are being implemented, each shows its progress (the facts
    # on its row); an elected project not started yet keeps its name alone.
    cycle = Cycle.objects.create(
        congress=world.district.congress, region=world.district, year=2026, title="2026年度"
    )
    elected = {c.title: c for c in candidates_of(vote)}
    Project.objects.create(
        cycle=cycle,
        candidate=elected["民生项目2"],
        title="民生项目2",
        department=DepartmentFactory(region=world.district),
        order=1,
        percent_complete=40,
        behind_schedule=True,
    )
    with at(10):
        data = _data(client, reverse("bigscreen_data"))
    assert data["projects"][0] == {"name": "民生项目2", "percent": 40, "behind": True}
    assert [p["name"] for p in data["projects"][1:]] == [
        f"民生项目{n}" for n in range(1, 11) if n != 2
    ]


# --- who may make, see and revoke links ---------------------------------------------------


def test_staff_make_links_for_their_region_or_below_never_sideways_or_up(
    world: World, district_staff: User
) -> None:
    link, token = _make_link(district_staff, world.district)
    assert link.token_hash == bigscreen.hash_token(token) != token
    assert len(token) >= 40
    assert _make_link(district_staff, world.town)[0].region == world.town
    for elsewhere in (world.other_district, world.city):
        with pytest.raises(Exception) as refused:
            _make_link(district_staff, elsewhere)
        assert refused.type.__name__ == "OutOfJurisdiction"
    assert BigScreenLink.objects.count() == 2
    audit = AuditEvent.objects.filter(detail__event="bigscreen_link_created")
    assert audit.count() == 2
    assert token not in json.dumps(list(audit.values("object_repr", "detail")))


def test_the_link_page_lists_creates_and_revokes(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    login(client, district_staff)
    url = reverse("bigscreen_links")
    response = client.post(url, {"region": world.district.pk, "label": "常委会会议室"})
    assert response.status_code == 200
    issued = response.context["issued"]
    assert "/bigscreen/s/" in issued
    # Sideways: the form offers no such region, and nothing is made.
    refused = client.post(url, {"region": world.other_district.pk, "label": "会场"})
    assert refused.status_code == 400
    assert "会场" in refused.content.decode()  # what was typed is kept
    # An empty label is refused with a message, the region kept.
    empty = client.post(url, {"region": world.district.pk, "label": "  "})
    assert empty.status_code == 400
    assert BigScreenLink.objects.count() == 1
    link = BigScreenLink.objects.get()
    page = client.get(url).content.decode()
    assert "常委会会议室" in page and "陈静" in page and "有效" in page
    # 临江区's staff neither see it nor may revoke it.
    other = Client()
    login(other, other_district_staff)
    assert "常委会会议室" not in other.get(url).content.decode()
    assert other.post(reverse("bigscreen_link_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    # Its own office revokes it: at once a 404.
    token_path = issued.split("testserver", 1)[1]
    assert Client().get(token_path).status_code == 200
    done = client.post(reverse("bigscreen_link_revoke", args=[link.pk]))
    assert done.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == district_staff
    assert Client().get(token_path).status_code == 404
    assert Client().get(token_path + "data/").status_code == 404
    assert "已撤销" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(detail__event="bigscreen_link_revoked").count() == 1


@pytest.mark.parametrize("persona", ["clerk", "representative_user", "committee_member"])
def test_only_congress_staff_have_a_screen_and_links(
    client: Client, world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)
    for name in ("bigscreen", "bigscreen_data", "bigscreen_links"):
        assert client.get(reverse(name)).status_code == 404
    with pytest.raises(Exception) as refused:
        _make_link(user, world.district)
    assert refused.type.__name__ in ("Http404", "OutOfJurisdiction")


def test_a_signed_in_district_sees_only_itself_and_below(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    for name in ("bigscreen", "bigscreen_data"):
        for sideways_or_up in (world.other_district, world.city, world.village):
            url = reverse(name) + f"?region={sideways_or_up.pk}"
            assert client.get(url).status_code == 404
        assert client.get(reverse(name) + f"?region={world.town.pk}").status_code == 200
    api = reverse("api-bigscreen", args=[world.district.pk])
    assert client.get(api).json()["region"]["name"] == "海州区"
    assert client.get(reverse("api-bigscreen", args=[world.city.pk])).status_code == 404


# --- what a link opens ----------------------------------------------------------------------


def test_a_link_opens_only_its_region_and_grants_nothing_else(
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811
) -> None:
    link, token = _make_link(district_staff, world.town)
    anonymous = Client()
    page = reverse("bigscreen_shared", kwargs={"token": token})
    data_url = reverse("bigscreen_shared_data", kwargs={"token": token})
    response = anonymous.get(page)
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert response["Cache-Control"] == "no-store"
    assert data_url in response.content.decode()
    data = _data(anonymous, data_url)
    assert data["region"]["name"] == "新浦街道"
    # The link's region only: a region asked for in the query is ignored.
    assert _data(anonymous, data_url + f"?region={world.district.pk}")["region"]["name"] == (
        "新浦街道"
    )
    # Nothing else opens with it.
    for name in ("dashboard", "bigscreen", "bigscreen_links", "citizen_issue_list"):
        assert anonymous.get(reverse(name)).status_code == 302  # to sign in
    assert anonymous.get(reverse("api-bigscreen", args=[world.town.pk])).status_code == 401
    link.refresh_from_db()
    assert link.last_used_at is not None
    # A made-up or a truncated token is a 404.
    assert anonymous.get(page.replace(token, token[:-1] + "x")).status_code == 404
    assert anonymous.get(reverse("bigscreen_shared", kwargs={"token": "x" * 43})).status_code == 404


def test_a_link_dies_with_its_creators_reach(world: World, district_staff: User) -> None:
    _link, token = _make_link(district_staff, world.district)
    url = reverse("bigscreen_shared_data", kwargs={"token": token})
    assert Client().get(url).status_code == 200
    district_staff.is_active = False
    district_staff.save()
    assert Client().get(url).status_code == 404


def test_the_link_is_rate_limited_per_token(world: World, district_staff: User) -> None:
    _link, token = _make_link(district_staff, world.district)
    url = reverse("bigscreen_shared_data", kwargs={"token": token})
    anonymous = Client()
    with override_settings(BIGSCREEN_LINK_RATE="3/h"):
        assert [anonymous.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert anonymous.get(url, HTTP_ACCEPT="application/json").json()["code"] == "throttled"
        # Another link has its own counter.
        _other, other_token = _make_link(district_staff, world.district, "会场")
        other_url = reverse("bigscreen_shared_data", kwargs={"token": other_token})
        assert anonymous.get(other_url).status_code == 200


def test_the_token_never_reaches_the_logs(
    world: World, district_staff: User, caplog: pytest.LogCaptureFixture
) -> None:
    _link, token = _make_link(district_staff, world.district)
    url = reverse("bigscreen_shared", kwargs={"token": token})
    assert token not in redact(f'"GET {url} HTTP/1.1" 200')
    assert token[:4] in redact(url)
    revoked = bigscreen.bigscreen_link_revoke(link=BigScreenLink.objects.get(), by=district_staff)
    assert revoked.revoked
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(url).status_code == 404
    for record in caplog.records:
        assert token not in redact(record.getMessage())


# --- no personal data --------------------------------------------------------------------


def test_no_name_phone_or_tracking_link_on_the_screen(
    client: Client,
    world: World,
    district_staff: User,
    representative: Representative,  # noqa: F811
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    issue = submit(
        station=station,
        category=categories["roads"],
        mobile="13912345678",
        citizen_name="欧阳明月",
    )
    services.citizen_issue_accept(issue=issue, by=district_staff)
    issue = CitizenIssue.objects.get(pk=issue.pk)
    _link, token = _make_link(district_staff, world.district)
    anonymous = Client()
    texts = [
        anonymous.get(reverse("bigscreen_shared", kwargs={"token": token})).content.decode(),
        anonymous.get(reverse("bigscreen_shared_data", kwargs={"token": token})).content.decode(),
    ]
    login(client, district_staff)
    texts.append(client.get(reverse("bigscreen")).content.decode())
    texts.append(client.get(reverse("bigscreen_data")).content.decode())
    texts.append(json.dumps(client.get(reverse("api-bigscreen", args=[world.district.pk])).json()))
    for text in texts:
        decoded = json.loads(text) if text.startswith("{") else None
        text = json.dumps(decoded, ensure_ascii=False) if decoded is not None else text
        for personal in (
            "欧阳明月",  # the citizen
            "13912345678",
            "139****5678",  # nor masked
            issue.tracking_token,  # their tracking link
            "刘红",  # the representative
            "陈静",  # the staff member who made the link
            "chenjing",
        ):
            assert personal not in text, personal
    assert "海州区" in texts[0]


# --- the figures' cache ------------------------------------------------------------------------


def test_a_regions_figures_are_kept_briefly_for_every_viewer_and_say_when(
    client: Client,
    world: World,
    city_staff: User,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
    settings: Any,
) -> None:
    """Screens poll unattended: within ``BIGSCREEN_CACHE_SECONDS`` a region's figures
    are read from the cache, the same for a signed-in staff member, the API and a
    signed link (one key per region and period, never per viewer), with the time
    they were computed; another region has its own; once the time is over, a new
    problem shows."""
    settings.BIGSCREEN_CACHE_SECONDS = 30
    cache.clear()  # no figures left by an earlier test of the same region id
    _link, token = _make_link(city_staff, world.district)
    shared = reverse("bigscreen_shared_data", kwargs={"token": token})
    login(client, district_staff)
    with at(10):
        first = _data(client, reverse("bigscreen_data"))
    with at(10, hour=11):
        submit(region=world.district, category=categories["roads"], mobile="13900000077")
        with CaptureQueriesContext(connection) as cached:
            again = _data(client, reverse("bigscreen_data"))
        by_link = _data(Client(), shared)
        by_api = _data(client, reverse("api-bigscreen", args=[world.district.pk]))
        city = Client()
        login(city, city_staff)
        of_the_city = _data(city, reverse("bigscreen_data"))
    assert again == by_link == by_api == first
    assert again["updated"] == "10:00"  # computed at 10:00, shown as such at 11:00
    assert _figures(again)["month_received"] == 5
    # The region's figures came from the cache: the session and the region only.
    assert not any("suggestions_" in query["sql"] for query in cached.captured_queries)
    assert of_the_city["region"]["id"] == world.city.pk
    assert _figures(of_the_city)["month_received"] == 7  # 5 + 临江区's 1 + the new one
    cache.clear()  # the time is over
    with at(10, hour=11):
        fresh = _data(client, reverse("bigscreen_data"))
    assert (_figures(fresh)["month_received"], fresh["updated"]) == (6, "11:00")


def test_the_cached_figures_hold_no_personal_data(
    client: Client,
    world: World,
    district_staff: User,
    november: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.BIGSCREEN_CACHE_SECONDS = 30
    cache.clear()  # no figures left by an earlier test of the same region id
    login(client, district_staff)
    with at(10):
        _data(client, reverse("bigscreen_data"))
    # One key: the region, the twelve months, the day and the labels' language.
    kept = cache.get(f"bigscreen:{world.district.pk}:2025-12:2026-11:2026-11-10:zh-hans")
    assert kept is not None and kept["region"]["id"] == world.district.pk
    text = json.dumps(kept, ensure_ascii=False)
    for issue in CitizenIssue.objects.all():
        for personal in (issue.citizen_name, issue.mobile, issue.tracking_token):
            if personal:
                assert personal not in text
    assert district_staff.username not in text


# --- queries that do not grow ----------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_the_json_runs_the_same_queries_for_few_and_many_problems(
    client: Client,
    world: World,
    city_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    kinds = list(categories.values())
    _link, token = _make_link(city_staff, world.city)
    shared = reverse("bigscreen_shared_data", kwargs={"token": token})
    login(client, city_staff)
    signed_in = reverse("bigscreen_data")
    api = reverse("api-bigscreen", args=[world.city.pk])

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
    anonymous = Client()
    anonymous.get(shared), client.get(signed_in)  # last use written, session read once
    few = (_queries(anonymous, shared), _queries(client, signed_in), _queries(client, api))
    add(27, 3)
    many = (_queries(anonymous, shared), _queries(client, signed_in), _queries(client, api))
    assert many == few


def test_the_dashboard_links_to_the_screen_and_its_links(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    html = client.get(reverse("dashboard") + f"?region={world.town.pk}").content.decode()
    assert f'href="/bigscreen/?region={world.town.pk}"' in html
    assert f'href="/bigscreen/links/?region={world.town.pk}"' in html
    # The links page offers the township the dashboard was showing.
    form = client.get(f"/bigscreen/links/?region={world.town.pk}").context["form"]
    assert form.initial["region"] == world.town.pk
    offered = {region.name for region in form.fields["region"].queryset}
    assert offered == {"海州区", "新浦街道"}


def test_an_api_token_reads_its_users_regions_only(world: World, district_staff: User) -> None:
    _row, key = AuthToken.objects.create(user=district_staff)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    data = api.get(reverse("api-bigscreen", args=[world.town.pk])).json()
    assert data["region"] == {"id": world.town.pk, "name": "新浦街道"}
    for elsewhere in (world.other_district, world.city, world.village):
        assert api.get(reverse("api-bigscreen", args=[elsewhere.pk])).status_code == 404


def test_the_screen_speaks_english_too(client: Client, world: World, district_staff: User) -> None:
    login(client, district_staff)
    with translation.override("en"):
        response = client.get(reverse("bigscreen"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_pages_run_the_same_queries_for_few_and_many_links(
    client: Client, world: World, city_staff: User, district_staff: User
) -> None:
    login(client, city_staff)
    links, screen = reverse("bigscreen_links"), reverse("bigscreen")

    def add(count: int) -> None:
        for n in range(count):
            link, _token = _make_link(district_staff if n % 2 else city_staff, world.district)
            if n % 3 == 0:
                bigscreen.bigscreen_link_revoke(link=link, by=city_staff)

    add(3)
    client.get(links)
    few = (_queries(client, links), _queries(client, screen))
    add(57)  # past a page of 50
    assert (_queries(client, links), _queries(client, screen)) == few
    page = client.get(links)
    assert len(page.context["page"]) == 50 and page.context["page"].has_next
