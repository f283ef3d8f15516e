"""向社会公布: 海州区's staff publish a topic's findings; anyone then reads its public page
(titles, categories, the responsible bureaus, status and dates) and nothing the staff or
the bureaus wrote for each other (description, measures, evidence, the timeline). Before
publishing, and after it is withdrawn, the page is 404 like a topic that does not exist."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import CaseEvent
from supervision import actions, services
from supervision.models.topics import Topic
from tests.conftest import login
from tests.supervision.findings_support import closed_off, finding_of, topic_of

pytestmark = pytest.mark.django_db


def started(topic: Topic, staff) -> Topic:
    services.topic_move(topic=topic, action="start", by=staff)
    topic.refresh_from_db()
    return topic


@pytest.fixture
def topic(world, district_staff, clerk) -> Topic:
    topic = started(topic_of(world.district, district_staff), district_staff)
    services.finding_create(
        topic=topic,
        title="夜间巡逻覆盖不足",
        description="王某某家门口常有可疑人员",
        measures="联系张三队长调整班次",
        department=world.department,
        by=district_staff,
    )
    closed_off(
        finding_of(topic, world.department, district_staff, "学校周边缺少信号灯"),
        clerk,
        district_staff,
    )
    topic.refresh_from_db()
    return topic


def test_publishing_needs_a_started_topic_with_findings(world, district_staff) -> None:
    planned = topic_of(world.district, district_staff)
    with pytest.raises(RuleViolation, match="启动并列入问题清单"):
        services.topic_publish(topic=planned, by=district_staff)
    started(planned, district_staff)
    with pytest.raises(RuleViolation):
        services.topic_publish(topic=planned, by=district_staff)  # no finding yet
    assert not actions.TOPIC_ACTIONS["publish"].when(planned)


def test_only_the_topics_staff_publish_and_withdraw(
    topic, district_staff, other_district_staff
) -> None:
    with pytest.raises(OutOfJurisdiction):
        services.topic_publish(topic=topic, by=other_district_staff)
    services.topic_publish(topic=topic, by=district_staff)
    assert topic.published_at is not None
    with pytest.raises(InvalidTransition):
        services.topic_publish(topic=topic, by=district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.topic_unpublish(topic=topic, by=other_district_staff)
    services.topic_unpublish(topic=topic, by=district_staff)
    assert topic.published_at is None
    steps = CaseEvent.objects.filter(case_type="supervision.topic", case_id=topic.pk)
    assert list(steps.order_by("pk").values_list("action", flat=True))[-2:] == [
        "publish",
        "unpublish",
    ]


def test_the_public_page_shows_what_was_found_and_fixed_and_no_one(
    client, topic, district_staff
) -> None:
    url = reverse("supervision_topic_public", args=[topic.pk])
    assert client.get(url).status_code == 404
    services.topic_publish(topic=topic, by=district_staff)
    page = client.get(url).content.decode()
    assert "夜间巡逻覆盖不足" in page and "学校周边缺少信号灯" in page
    assert "海州区交通运输局" in page
    assert "已销号 1 / 共 2 项" in page
    assert page.count('data-testid="public-finding"') == 2
    for private in ("王某某", "张三", "现场核实", "陈静", "赵磊"):
        assert private not in page
    region_page = client.get(
        reverse("supervision_public_region", args=[topic.region_id])
    ).content.decode()
    assert topic.title in region_page
    services.topic_unpublish(topic=topic, by=district_staff)
    assert client.get(url).status_code == 404
    region_page = client.get(
        reverse("supervision_public_region", args=[topic.region_id])
    ).content.decode()
    assert topic.title not in region_page


def test_the_staff_publish_from_the_topic_page_and_an_unknown_step_changes_nothing(
    client, topic, district_staff
) -> None:
    login(client, district_staff)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="topic-publish"' in page
    bogus = client.post(reverse("supervision_topic_act", args=[topic.pk, "bogus"]), follow=True)
    assert bogus.status_code == 200
    topic.refresh_from_db()
    assert topic.published_at is None
    client.post(reverse("supervision_topic_act", args=[topic.pk, "publish"]))
    topic.refresh_from_db()
    assert topic.published_at is not None
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="topic-unpublish"' in page and 'data-testid="public-link"' in page


def test_the_public_page_reads_the_same_queries_for_3_findings_and_30(
    client, world, district_staff
) -> None:
    topic = started(topic_of(world.district, district_staff), district_staff)
    counts = []
    for size in (3, 30):
        while topic.findings.count() < size:
            finding_of(topic, world.department, district_staff, f"问题{topic.findings.count()}")
        topic.refresh_from_db()
        if topic.published_at is None:
            services.topic_publish(topic=topic, by=district_staff)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("supervision_topic_public", args=[topic.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@override_settings(SUPERVISION_PUBLIC_RATE="3/m", TRUSTED_PROXY_COUNT=0)
def test_the_public_pages_are_rate_limited_per_address(client, topic, district_staff) -> None:
    cache.clear()
    services.topic_publish(topic=topic, by=district_staff)
    url = reverse("supervision_topic_public", args=[topic.pk])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.77").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(url, REMOTE_ADDR="203.0.113.78").status_code == 200
