"""The demo's completed special inquiry of the city: its 21 findings are published and
anyone reads them; its 回头看 is a loop item of the city's staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from congress.demo import build_core
from congress.models import Assignment
from congress.registry import demo_builders
from supervision.models.topics import FollowUpReview, Topic


@pytest.mark.django_db
def test_the_demo_inquiry_is_published_and_its_review_is_due() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=1.0)
    by_name = {builder.name: builder for builder in demo_builders}
    by_name["supervision topics"].build(ctx)
    topic = Topic.objects.get(pk=ctx.extra["supervision_inquiry"])
    assert topic.published_at is not None
    page = Client().get(f"/p/supervision/topics/{topic.pk}/").content.decode()
    assert page.count('data-testid="public-finding"') == 21
    assert "已销号 21 / 共 21 项" in page
    review = FollowUpReview.objects.get(topic=topic)
    step = Assignment.objects.get(pk=review.assignment_id)
    assert (step.case_type, step.staff_region_id, step.due_on) == (
        "supervision.review",
        topic.region_id,
        review.scheduled_on,
    )
