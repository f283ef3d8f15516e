"""The 选题参考 page, 以此立题, the topic's 来源 section and the API
(docs/supervision-sources.md): what staff see, bad input kept beside its field, and a
fixed number of queries for 3 problems and 30."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from supervision import services
from supervision.models.sources import TopicSource
from supervision.models.topics import Topic, TopicKind
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)
from tests.supervision.sources_support import build_year, clock, today


@pytest.fixture
def year(
    world: World,
    district_staff: User,
    city_staff: User,
    clerk: User,
    station: Station,  # noqa: F811
    representative_user: User,
    categories: dict[str, IssueCategory],  # noqa: F811
) -> dict[str, Any]:
    return build_year(
        world,
        district_staff=district_staff,
        city_staff=city_staff,
        clerk=clerk,
        station=station,
        representative_user=representative_user,
        categories=categories,
        lead_user=User.objects.create_user(username="liuhong_rep", password="x" * 12),
    )


def test_the_page_ranks_the_clusters_and_offers_a_topic(
    year: dict[str, Any], client: Client, city_staff: User, world: World
) -> None:
    login(client, city_staff)
    with today():
        page = client.get("/supervision/topic-ideas/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="category:transport"' in html
    assert html.index('data-key="category:transport"') < html.index(
        'data-key="category:environment"'
    )
    assert "50.0%" in html and "<polyline" in html and "以此立题" in html
    assert f"?region={world.district.pk}" in html  # a place drills down
    assert "张建国" not in html and "13900000001" not in html


def test_the_english_page(year: dict[str, Any], client: Client, city_staff: User) -> None:
    login(client, city_staff)
    with today():
        page = client.get("/supervision/topic-ideas/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_a_topic_from_a_cluster_through_the_form(
    year: dict[str, Any], client: Client, city_staff: User, world: World
) -> None:
    plan = services.plan_create(
        congress=world.city.congress, year=2027, title="2027年监督工作计划", by=city_staff
    )
    login(client, city_staff)
    url = f"/supervision/topic-ideas/new/?region={world.city.pk}&key=category:transport"
    with today():
        form = client.get(url)
        assert form.status_code == 200
        html = form.content.decode()
        assert "关于江海市交通运输领域突出问题的专项监督" in html
        # A bad date order: refused beside the form, what was typed is kept.
        bad = client.post(
            url,
            {
                "plan": plan.pk,
                "kind": TopicKind.CAMPAIGN,
                "title": "城区交通专项监督",
                "starts_on": "2027-05-01",
                "ends_on": "2027-03-01",
            },
        )
        assert bad.status_code == 400
        assert "计划完成日期不能早于开始日期" in bad.content.decode()
        assert "城区交通专项监督" in bad.content.decode()
        assert not Topic.objects.filter(title="城区交通专项监督").exists()
        done = client.post(
            url, {"plan": plan.pk, "kind": TopicKind.CAMPAIGN, "title": "城区交通专项监督"}
        )
    topic = Topic.objects.get(title="城区交通专项监督")
    assert done.status_code == 302 and done["Location"] == topic.get_absolute_url()
    assert TopicSource.objects.filter(topic=topic).count() == 5
    detail = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="topic-sources"' in detail
    assert year["a"].tracking_code in detail
    assert f"/issues/{year['a'].pk}/" in detail or "/issues/" in detail


def test_a_made_up_cluster_is_404(year: dict[str, Any], client: Client, city_staff: User) -> None:
    login(client, city_staff)
    with today():
        assert client.get("/supervision/topic-ideas/new/?key=category:bogus").status_code == 404


def test_linking_by_number_keeps_a_bad_number_beside_the_field(
    year: dict[str, Any], client: Client, district_staff: User, world: World
) -> None:
    plan = services.plan_create(
        congress=world.district.congress, year=2027, title="计划", by=district_staff
    )
    topic = services.topic_create(
        plan=plan, kind=TopicKind.INQUIRY, title="交通", by=district_staff
    )
    login(client, district_staff)
    url = f"/supervision/topics/{topic.pk}/sources/"
    bad = client.post(url, {"number": year["f"].tracking_code})  # 临江区's: not seen
    assert bad.status_code == 400
    assert year["f"].tracking_code in bad.content.decode()
    assert "没有找到编号为" in bad.content.decode()
    ok = client.post(url, {"number": year["a"].tracking_code})
    assert ok.status_code == 302
    source = TopicSource.objects.get(topic=topic)
    removed = client.post(f"/supervision/topics/{topic.pk}/sources/{source.pk}/remove/")
    assert removed.status_code == 302 and not TopicSource.objects.exists()


def test_the_api(year: dict[str, Any], client: Client, city_staff: User, world: World) -> None:
    plan = services.plan_create(
        congress=world.city.congress, year=2027, title="计划", by=city_staff
    )
    topic = services.topic_create(plan=plan, kind=TopicKind.INQUIRY, title="交通", by=city_staff)
    login(client, city_staff)
    with today():
        ideas = client.get("/api/v1/supervision/topic-ideas/").json()
    assert ideas["category"][0]["key"] == "category:transport"
    assert (ideas["category"][0]["issues"], ideas["category"][0]["suggestions"]) == (3, 2)
    assert ideas["category"][0]["unsatisfied_share"] == 50.0
    url = f"/api/v1/supervision/topics/{topic.pk}/sources/"
    made = client.post(url, {"number": "第1号"}, content_type="application/json")
    assert made.status_code == 201
    bad = client.post(url, {"number": "ZZZZZZZZ"}, content_type="application/json")
    assert bad.status_code == 400 and "message" in bad.json()
    listed = client.get(url).json()
    assert [row["number"] for row in listed] == ["第1号"]
    gone = client.delete(f"{url}{listed[0]['id']}/")
    assert gone.status_code == 204 and not TopicSource.objects.exists()


def _problems(world: World, station: Station, categories: dict[str, IssueCategory], n: int) -> None:  # noqa: F811
    kinds = list(categories.values())
    with clock(11, 2):
        for i in range(n):
            submit(
                station=station if i % 2 else None,
                region=None if i % 2 else world.other_district,
                category=kinds[i % len(kinds)],
                mobile=f"139{i:08d}",
            )


@pytest.mark.parametrize("page", ["ideas", "api", "topic"])
def test_queries_do_not_grow_with_the_problems(
    page: str,
    world: World,
    city_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    client = login(Client(), city_staff)
    plan = services.plan_create(
        congress=world.city.congress, year=2027, title="计划", by=city_staff
    )
    topic = services.topic_create(plan=plan, kind=TopicKind.INQUIRY, title="交通", by=city_staff)
    url = {
        "ideas": "/supervision/topic-ideas/",
        "api": "/api/v1/supervision/topic-ideas/",
        "topic": topic.get_absolute_url(),
    }[page]
    counts = []
    for size in (3, 27):
        _problems(world, station, categories, size)
        if page == "topic":
            from congress.topic_sources import CaseRef
            from suggestions.models.citizen import CitizenIssue
            from supervision.sources import services as source_services

            refs = [
                CaseRef("suggestions.citizenissue", pk)
                for pk in CitizenIssue.objects.values_list("pk", flat=True)
            ]
            source_services.topic_source_link(topic=topic, refs=refs, by=city_staff)
        with today(), CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
