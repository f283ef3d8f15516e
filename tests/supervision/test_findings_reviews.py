"""回头看: a review scheduled after N months reopens the closed-off findings whose
problem came back, and records what changed; the topic's counts follow."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import loop
from congress.errors import InvalidTransition, RuleViolation
from congress.models import Assignment, AssignmentStatus
from congress.workdays import add_workdays
from supervision import services
from supervision.models.topics import FollowUpReview
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


# --- 回头看 is a loop item of the region's staff: reminded, escalated, closed when held ------


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def titles(user) -> list[str]:
    return list(user.notifications.order_by("pk").values_list("title", flat=True))


def test_a_review_is_due_from_the_regions_staff_on_its_date(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    on = add_workdays(timezone.localdate(), 10)
    review = services.review_schedule(topic=topic, scheduled_on=on, by=district_staff)
    step = Assignment.objects.get(case_type="supervision.review", case_id=review.pk)
    assert review.assignment_id == step.pk
    assert (step.staff_region_id, step.department_id, step.due_on) == (world.district.pk, None, on)
    assert step.status == AssignmentStatus.ASSIGNED
    assert loop.assignees(step) == [district_staff]
    assert step.title == "回头看：社会治安综合治理专题询问"


def test_the_sweep_reminds_on_the_day_and_tells_the_city_when_overdue(
    world, district_staff, city_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    on = add_workdays(timezone.localdate(), 10)
    services.review_schedule(topic=topic, scheduled_on=on, by=district_staff)
    loop.reminders_sweep(now=at(on))
    assert titles(district_staff)[-1] == "今日到期：“回头看：社会治安综合治理专题询问”"
    assert titles(city_staff) == []
    loop.reminders_sweep(now=at(add_workdays(on, 3)))
    # The staff of the region above (江海市) hear of a 回头看 three working days overdue.
    assert len(titles(city_staff)) == 1
    assert "回头看：社会治安综合治理专题询问" in titles(city_staff)[0]


def test_holding_the_review_closes_its_step_and_the_reminders_stop(
    world, district_staff, city_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    on = add_workdays(timezone.localdate(), 10)
    review = services.review_schedule(topic=topic, scheduled_on=on, by=district_staff)
    services.review_hold(review=review, summary="整改成果巩固", by=district_staff)
    step = Assignment.objects.get(pk=review.assignment_id)
    assert step.status == AssignmentStatus.CLOSED
    assert loop.reminders_sweep(now=at(add_workdays(on, 12))).examined == 0
    assert titles(city_staff) == []


def test_a_review_cannot_be_scheduled_in_the_past_and_nothing_is_created(
    client, world, district_staff
) -> None:
    topic = topic_of(world.district, district_staff)
    with pytest.raises(RuleViolation, match="不能早于今天"):
        services.review_schedule(
            topic=topic,
            scheduled_on=timezone.localdate() - datetime.timedelta(days=1),
            by=district_staff,
        )
    assert not FollowUpReview.objects.exists()
    assert not Assignment.objects.filter(case_type="supervision.review").exists()


def test_cancelling_the_topic_cancels_its_review_step(world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    review = services.review_schedule(topic=topic, by=district_staff)
    services.topic_move(topic=topic, action="cancel", by=district_staff, note="计划调整")
    assert Assignment.objects.get(pk=review.assignment_id).status == AssignmentStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        services.review_schedule(topic=topic, by=district_staff)


def test_only_the_topics_staff_reach_the_review_from_a_reminder(
    client, world, district_staff, other_district_staff, city_staff, clerk
) -> None:
    topic = topic_of(world.district, district_staff)
    review = services.review_schedule(topic=topic, by=district_staff)
    kind = loop.case_type_of("supervision.review")
    assert kind.url(review.pk) == reverse("supervision_review_hold", args=[review.pk])
    assert kind.can_view(district_staff, review.pk)
    assert kind.can_view(city_staff, review.pk)  # the region above, which hears escalations
    assert not kind.can_view(other_district_staff, review.pk)
    assert not kind.can_view(clerk, review.pk)
    login(client, other_district_staff)
    assert client.get(kind.url(review.pk)).status_code == 404


def test_the_topic_page_marks_a_review_past_its_date(client, world, district_staff) -> None:
    topic = topic_of(world.district, district_staff)
    due = services.review_schedule(topic=topic, by=district_staff)
    later = services.review_schedule(topic=topic, by=district_staff)
    # No clock moves: the date is put in the past, as the calendar would.
    FollowUpReview.objects.filter(pk=due.pk).update(
        scheduled_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(client, district_staff)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count('data-testid="review-overdue"') == 1
    assert later.scheduled_on.isoformat() in page
