"""回头看: a review scheduled after N months reopens the closed-off findings whose
problem came back, and records what changed; the topic's counts follow."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.errors import InvalidTransition, RuleViolation
from supervision import services
from tests.conftest import login
from tests.supervision.findings_support import closed_off, finding_of, topic_of

pytestmark = pytest.mark.django_db


def test_a_review_is_scheduled_six_months_ahead_by_default(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    review = services.review_schedule(topic=topic, by=district_staff)
    today = timezone.localdate()
    assert today + datetime.timedelta(days=180) <= review.scheduled_on
    assert review.scheduled_on <= today + datetime.timedelta(days=190)


def test_holding_a_review_reopens_the_chosen_findings(client, world, district_staff, clerk) -> None:
    topic = topic_of(world.district, district_staff)
    back = closed_off(
        finding_of(topic, world.department, district_staff, title="反弹"), clerk, district_staff
    )
    kept = closed_off(
        finding_of(topic, world.department, district_staff, title="巩固"), clerk, district_staff
    )
    review = services.review_schedule(topic=topic, by=district_staff)
    login(client, district_staff)
    response = client.post(
        reverse("supervision_review_hold", args=[review.pk]),
        {"summary": "夜间巡逻有所松懈", "reopen": [back.pk]},
    )
    assert response.status_code == 302
    back.refresh_from_db()
    kept.refresh_from_db()
    topic.refresh_from_db()
    review.refresh_from_db()
    assert (back.status, kept.status) == ("rectifying", "closed_off")
    assert (topic.findings_count, topic.findings_closed_off) == (2, 1)
    assert review.reopened == 1 and review.held_on == timezone.localdate()
    with pytest.raises(InvalidTransition):
        services.review_hold(review=review, summary="再来一次", by=district_staff)


def test_a_review_without_summary_is_refused(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    review = services.review_schedule(topic=topic, by=district_staff)
    with pytest.raises(RuleViolation, match="整改变化情况"):
        services.review_hold(review=review, summary=" ", by=district_staff)
