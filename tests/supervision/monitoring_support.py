"""Stories of a campaign's monitoring points: a started 专项监督 topic of 海州区 (and of
临江区), its points in 新浦街道 and its questionnaire, built through the real services."""

from __future__ import annotations

import uuid

from congress.models import Region, User
from supervision import monitoring as m
from supervision import services
from supervision.models.monitoring import (
    MonitoringPoint,
    PointKind,
    Questionnaire,
    SurveyQuestion,
    SurveyQuestionKind,
)
from supervision.models.topics import Topic, TopicKind
from tests.supervision.findings_support import plan_of


def campaign_of(region: Region, by: User, *, start: bool = True) -> Topic:
    topic = services.topic_create(
        plan=plan_of(region, by), kind=TopicKind.CAMPAIGN, title="优化营商环境专项监督", by=by
    )
    if start:
        services.topic_move(topic=topic, action="start", by=by)
        topic.refresh_from_db()
    return topic


def point_of(
    topic: Topic, by: User, name: str = "新浦农贸市场", kind: str = PointKind.SURVEY
) -> MonitoringPoint:
    return m.point_create(topic=topic, kind=kind, name=name, region=topic.region, by=by)


def questions_of(topic: Topic, by: User) -> tuple[SurveyQuestion, SurveyQuestion, SurveyQuestion]:
    """满意度, single choice (一次办成 / 两次 / 三次及以上) and an optional free text."""
    overall = m.question_add(
        topic=topic, kind=SurveyQuestionKind.SATISFACTION, text="总体评价", by=by
    )
    trips = m.question_add(
        topic=topic,
        kind=SurveyQuestionKind.CHOICE,
        text="办一件事跑几次",
        options="一次办成\n两次\n三次及以上",
        by=by,
    )
    comment = m.question_add(
        topic=topic, kind=SurveyQuestionKind.TEXT, text="意见建议", required=False, by=by
    )
    return overall, trips, comment


def answer(
    point: MonitoringPoint,
    questions: tuple[SurveyQuestion, SurveyQuestion, SurveyQuestion],
    satisfaction: int,
    trips: int,
    text: str = "",
) -> None:
    overall, trip, comment = questions
    raw = {overall.pk: str(satisfaction), trip.pk: str(trips), comment.pk: text}
    m.response_submit(point=point, raw=raw, idempotency_key=uuid.uuid4())


def questionnaire_of(topic: Topic) -> Questionnaire:
    found = m.questionnaire_of(topic)
    assert found is not None
    return found
