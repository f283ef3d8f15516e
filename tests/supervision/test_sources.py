"""Topic selection from the data and a topic's sources (docs/supervision-sources.md):
the clusters against a hand count (tests/supervision/sources_support.py), the scope of
each staff, and the services that link and unlink, with their audit rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from congress.errors import RuleViolation
from congress.models import AuditEvent, User
from congress.topic_sources import CaseRef, cluster_cases, months_back
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from supervision import services, sources
from supervision.models.sources import TopicSource
from supervision.models.topics import SupervisionPlan, TopicKind
from supervision.sources import services as source_services
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
)
from tests.supervision.sources_support import TODAY, build_year, today

ISSUE, SUGGESTION = "suggestions.citizenissue", "suggestions.suggestion"


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


def _rows(user: User, region_id: int | None = None) -> dict[str, Any]:
    scope = sources.idea_scope(user, str(region_id) if region_id else None, today=TODAY)
    return {
        dimension: [
            (
                row.label,
                row.counts.get("issues", 0),
                row.counts.get("suggestions", 0),
                row.trend,
                row.unsatisfied_share,
            )
            for row in rows
        ]
        for dimension, rows in sources.topic_ideas(scope).items()
    }


def _trend(**months: int) -> list[int]:
    """Twelve months, December 2025 first: jan=2 puts 2 in January 2026."""
    names = ["dec", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov"]
    return [months.get(name, 0) for name in names]


def test_the_window_is_the_past_twelve_months() -> None:
    months = months_back(TODAY)
    assert (months[0].isoformat(), months[-1].isoformat(), len(months)) == (
        "2025-12-01",
        "2026-11-01",
        12,
    )


def test_the_city_sees_its_clusters_as_counted_by_hand(
    year: dict[str, Any], city_staff: User, world: World
) -> None:
    rows = _rows(city_staff)
    assert rows["category"] == [
        ("交通运输", 3, 2, _trend(jan=2, nov=3), 50.0),
        ("生态环境", 1, 0, _trend(oct=1), None),
    ]
    assert rows["place"] == [
        ("海州区", 3, 2, _trend(jan=2, oct=1, nov=2), 50.0),
        ("临江区", 1, 0, _trend(nov=1), None),
    ]
    assert rows["department"] == [("海州区交通运输局", 1, 0, _trend(nov=1), 100.0)]


def test_the_district_sees_its_own_problems_only(
    year: dict[str, Any], district_staff: User
) -> None:
    rows = _rows(district_staff)
    assert rows["category"] == [
        ("交通运输", 2, 0, _trend(nov=2), 50.0),
        ("生态环境", 1, 0, _trend(oct=1), None),
    ]
    assert rows["place"] == [("新浦街道", 3, 0, _trend(oct=1, nov=2), 50.0)]


def test_a_region_sideways_or_above_or_a_clerk_is_404(
    year: dict[str, Any], district_staff: User, clerk: User, world: World
) -> None:
    with pytest.raises(Http404):
        sources.idea_scope(district_staff, str(world.other_district.pk), today=TODAY)
    with pytest.raises(Http404):
        sources.idea_scope(district_staff, str(world.city.pk), today=TODAY)
    with pytest.raises(Http404):
        sources.idea_scope(clerk, None, today=TODAY)


def test_a_topic_from_a_cluster_links_the_cases_newest_first(
    year: dict[str, Any], city_staff: User, world: World
) -> None:
    plan = services.plan_create(
        congress=world.city.congress, year=2027, title="2027年监督工作计划", by=city_staff
    )
    with today():
        scope = sources.idea_scope(city_staff, None)
        topic, linked = source_services.topic_create_from_cluster(
            scope=scope,
            key="category:transport",
            plan=plan,
            fields={"kind": TopicKind.CAMPAIGN, "title": "城区交通专项监督"},
            by=city_staff,
        )
    assert linked == 5
    rows = list(sources.topic_sources(topic))
    first, second = year["suggestions"]
    # The problems of 2 November (f at 9:00, b at 8:00, a at 7:00), then January's suggestions.
    # (the two suggestions were submitted at the same moment: either order)
    assert [(row.case_type, row.case_id) for row in rows[:3]] == [
        (ISSUE, year["f"].pk),
        (ISSUE, year["b"].pk),
        (ISSUE, year["a"].pk),
    ]
    assert {(row.case_type, row.case_id) for row in rows[3:]} == {
        (SUGGESTION, second.pk),
        (SUGGESTION, first.pk),
    }
    a = next(row for row in rows if row.case_id == year["a"].pk and row.case_type == ISSUE)
    assert (a.number, a.title) == (
        year["a"].tracking_code,
        "群众反映：道路交通 · 桃园社区 · 2026-11-02",
    )
    assert next(row for row in rows if row.case_id == first.pk).number == "第1号"
    for row in rows:  # a snapshot without the citizen's name or number
        assert "张建国" not in row.title and "1390000" not in row.title
    audit = AuditEvent.objects.filter(object_id=str(topic.pk), detail__change="topic_source_link")
    assert [event.detail["linked"] for event in audit] == [5]


def test_the_district_links_only_what_it_sees(
    year: dict[str, Any], district_staff: User, world: World
) -> None:
    plan = services.plan_create(
        congress=world.district.congress, year=2027, title="海州区计划", by=district_staff
    )
    with today():
        scope = sources.idea_scope(district_staff, None)
        refs = cluster_cases(scope, "category:transport", 200)
        topic, linked = source_services.topic_create_from_cluster(
            scope=scope,
            key="category:transport",
            plan=plan,
            fields={"kind": TopicKind.CAMPAIGN, "title": "交通"},
            by=district_staff,
        )
    assert refs == [CaseRef(ISSUE, year["b"].pk), CaseRef(ISSUE, year["a"].pk)]
    assert linked == 2
    # 临江区's problem, by its tracking code: refused, nothing linked.
    with pytest.raises(RuleViolation):
        source_services.topic_source_link_number(
            topic=topic, number=year["f"].tracking_code, by=district_staff
        )
    # The same case twice: refused with a message.
    with pytest.raises(RuleViolation):
        source_services.topic_source_link_number(
            topic=topic, number=year["a"].tracking_code.lower(), by=district_staff
        )
    # The district's environment problem by its code: linked.
    added = source_services.topic_source_link_number(
        topic=topic, number=year["c"].tracking_code, by=district_staff
    )
    assert (added.case_type, added.case_id) == (ISSUE, year["c"].pk)
    assert TopicSource.objects.filter(topic=topic).count() == 3


def test_the_limit_keeps_the_newest(year: dict[str, Any], city_staff: User) -> None:
    with today():
        scope = sources.idea_scope(city_staff, None)
        assert cluster_cases(scope, "category:transport", 2) == [
            CaseRef(ISSUE, year["f"].pk),
            CaseRef(ISSUE, year["b"].pk),
        ]
        assert cluster_cases(scope, "category:nothing-like-it", 200) == []
        assert cluster_cases(scope, "bogus", 200) == []


def test_a_suggestion_is_linked_by_its_number(
    year: dict[str, Any], city_staff: User, world: World
) -> None:
    plan = services.plan_create(
        congress=world.city.congress, year=2027, title="计划", by=city_staff
    )
    topic = services.topic_create(plan=plan, kind=TopicKind.INQUIRY, title="公交", by=city_staff)
    source = source_services.topic_source_link_number(topic=topic, number="第1号", by=city_staff)
    assert (source.case_type, source.case_id) == (SUGGESTION, year["suggestions"][0].pk)
    with pytest.raises(RuleViolation):
        source_services.topic_source_link_number(topic=topic, number="99", by=city_staff)


def test_out_of_jurisdiction_links_and_unlinks_are_404_and_change_nothing(
    year: dict[str, Any], district_staff: User, other_district_staff: User, world: World
) -> None:
    plan = SupervisionPlan.objects.create(
        congress=world.district.congress, region=world.district, year=2027, title="计划"
    )
    topic = services.topic_create(
        plan=plan, kind=TopicKind.INQUIRY, title="交通", by=district_staff
    )
    source_services.topic_source_link(
        topic=topic, refs=[CaseRef(ISSUE, year["a"].pk)], by=district_staff
    )
    source = TopicSource.objects.get(topic=topic)
    with pytest.raises(Http404):
        source_services.topic_source_link(
            topic=topic, refs=[CaseRef(ISSUE, year["b"].pk)], by=other_district_staff
        )
    with pytest.raises(Http404):
        source_services.topic_source_unlink(source=source, by=other_district_staff)
    assert list(TopicSource.objects.filter(topic=topic).values_list("case_id", flat=True)) == [
        year["a"].pk
    ]
    source_services.topic_source_unlink(source=source, by=district_staff)
    assert not TopicSource.objects.filter(topic=topic).exists()
    assert (
        AuditEvent.objects.filter(
            object_id=str(topic.pk), detail__change="topic_source_unlink"
        ).count()
        == 1
    )
