"""The demo's plan of this year holds one topic made from the city's largest category
cluster of the past twelve months, with its cases linked as sources
(docs/supervision-sources.md, "Demo")."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from congress.models import User
from supervision import sources
from supervision.models.sources import TopicSource
from supervision.models.topics import Topic


@pytest.mark.django_db
def test_the_demo_plan_has_a_topic_from_the_data() -> None:
    call_command("seed_demo", scale=0.25)
    city_staff = User.objects.get(username="city_staff")
    scope = sources.idea_scope(city_staff, None)
    top = sources.topic_ideas(scope)["category"][0]
    topic = Topic.objects.get(title=sources.suggested_title(scope, top.label, "category"))
    assert (topic.plan.year, topic.region_id) == (timezone.localdate().year, scope.region.pk)
    linked = TopicSource.objects.filter(topic=topic)
    assert 0 < linked.count() <= min(top.total, sources.CLUSTER_CASES)
    assert all(row.linked_by_id == city_staff.pk for row in linked)
    client = Client()
    client.force_login(city_staff)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="topic-sources"' in page
    assert client.get("/supervision/topic-ideas/").status_code == 200
