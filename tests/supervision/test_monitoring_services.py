"""Monitoring points and their questionnaires through the services: points one by one
and pasted in bulk, the questions frozen by the first answer, the anonymous answer with
its counts kept on rows, and a written answer turned into a finding by the one finding
service. Expected figures are worked out by hand in each test."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.http import Http404

from congress.errors import InvalidTransition, RuleViolation
from supervision import monitoring as m
from supervision import services
from supervision.models.monitoring import (
    MonitoringPoint,
    QuestionnaireResponse,
    SurveyAnswer,
    SurveyQuestionKind,
)
from supervision.models.topics import Finding
from tests.supervision.monitoring_support import (
    answer,
    campaign_of,
    point_of,
    questionnaire_of,
    questions_of,
)

pytestmark = pytest.mark.django_db


def test_staff_add_a_point_in_their_topics_region_only(
    world, district_staff, other_district_staff
) -> None:
    topic = campaign_of(world.district, district_staff)
    point = m.point_create(
        topic=topic,
        kind="contact",
        name="江海精密机械有限公司",
        region=world.town,
        by=district_staff,
    )
    assert (point.kind, point.region, point.is_active, point.answers) == (
        "contact",
        world.town,
        True,
        0,
    )
    # A random link, not a number one could count through (a short id may well appear
    # inside 22 random characters by chance, so that is not what is checked).
    assert len(point.token) >= 22 and not point.token.isdigit()
    with pytest.raises(Http404):
        m.point_create(
            topic=topic, kind="contact", name="别处", region=world.town, by=other_district_staff
        )
    with pytest.raises(RuleViolation, match="行政区划"):
        m.point_create(
            topic=topic,
            kind="contact",
            name="临江企业",
            region=world.other_district,
            by=district_staff,
        )
    with pytest.raises(RuleViolation, match="同名"):
        m.point_create(
            topic=topic,
            kind="survey",
            name="江海精密机械有限公司",
            region=world.town,
            by=district_staff,
        )
    assert MonitoringPoint.objects.count() == 1


def test_a_paste_adds_all_its_points_or_names_every_bad_line(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point_of(topic, district_staff, name="区政务服务中心")
    bad = (
        "海达食品股份有限公司, 联系点, 990102001000\n"
        "新浦农贸市场，问卷点，990102001001\n"
        "只有名称\n"
        "临江企业, 联系点, 990103000000\n"
        "区政务服务中心, 调查点, 990102000000\n"
        "某某, 宣传点, 990102000000\n"
    )
    with pytest.raises(RuleViolation) as refused:
        m.points_bulk_create(topic=topic, text=bad, by=district_staff)
    message = str(refused.value.message)
    for line in ("第3行", "第4行", "第5行", "第6行"):
        assert line in message
    assert "第1行" not in message and "第2行" not in message
    assert MonitoringPoint.objects.count() == 1  # nothing added
    good = "海达食品股份有限公司, 联系点, 990102001000\n新浦农贸市场\t问卷点\t990102001001\n\n桃园观察点，观察点，990102000000"
    created = m.points_bulk_create(topic=topic, text=good, by=district_staff)
    assert [(p.name, p.kind, p.region.code) for p in created] == [
        ("海达食品股份有限公司", "contact", "990102001000"),
        ("新浦农贸市场", "survey", "990102001001"),
        ("桃园观察点", "observation", "990102000000"),
    ]
    assert len({p.token for p in MonitoringPoint.objects.all()}) == 4


def test_deactivating_a_point_closes_its_questionnaire(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    questions = questions_of(topic, district_staff)
    m.point_set_active(point=point, active=False, by=district_staff)
    with pytest.raises(InvalidTransition):
        answer(point, questions, 0, 0)
    with pytest.raises(InvalidTransition):
        m.point_set_active(point=point, active=False, by=district_staff)
    m.point_set_active(point=point, active=True, by=district_staff)
    answer(point, questions, 0, 0)
    point.refresh_from_db()
    assert point.answers == 1


def test_a_planned_or_completed_topic_takes_no_answers(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff, start=False)
    point = point_of(topic, district_staff)
    questions = questions_of(topic, district_staff)
    with pytest.raises(InvalidTransition):
        answer(point, questions, 0, 0)
    services.topic_move(topic=topic, action="start", by=district_staff)
    point.refresh_from_db()
    answer(point, questions, 0, 0)
    services.topic_move(topic=topic, action="complete", by=district_staff)
    point.refresh_from_db()
    with pytest.raises(InvalidTransition):
        answer(point, questions, 0, 0)
    assert QuestionnaireResponse.objects.count() == 1


def test_questions_are_editable_until_the_first_answer(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    overall, trips, comment = questions_of(topic, district_staff)
    with pytest.raises(RuleViolation, match="两个选项"):
        m.question_add(
            topic=topic, kind="choice", text="单选", options="只有一个", by=district_staff
        )
    m.question_move(question=comment, up=True, by=district_staff)
    assert [q.text for q in m.questions_of(questionnaire_of(topic))] == [
        "总体评价",
        "意见建议",
        "办一件事跑几次",
    ]
    m.question_update(
        question=trips,
        kind="choice",
        text="办一件事跑几次",
        options="一次\n两次\n三次及以上",
        by=district_staff,
    )
    answer(point, (overall, trips, comment), 0, 1)
    for change in (
        lambda: m.question_add(topic=topic, kind="text", text="新题", by=district_staff),
        lambda: m.question_update(question=overall, kind="text", text="改", by=district_staff),
        lambda: m.question_remove(question=comment, by=district_staff),
        lambda: m.question_move(question=comment, up=False, by=district_staff),
        lambda: m.questionnaire_set_intro(topic=topic, intro="x", by=district_staff),
    ):
        with pytest.raises(RuleViolation, match="题目不能再修改"):
            change()
    assert questionnaire_of(topic).questions.count() == 3


def test_an_answer_moves_the_counts_on_the_rows(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    market = point_of(topic, district_staff)
    hall = point_of(topic, district_staff, name="区政务服务中心", kind="contact")
    questions = questions_of(topic, district_staff)
    # 满意 ×3, 基本满意 ×1, 不满意 ×1; trips 一次 ×2, 两次 ×2, 三次 ×1; two texts.
    answer(market, questions, 0, 0, "窗口排队时间长")
    answer(market, questions, 0, 1)
    answer(market, questions, 2, 2, "检查太多")
    answer(hall, questions, 1, 0)
    answer(hall, questions, 0, 1)
    market.refresh_from_db()
    hall.refresh_from_db()
    assert (market.answers, hall.answers) == (3, 2)
    assert market.last_answer_at is not None
    found = questionnaire_of(topic)
    assert found.responses == 5 and found.is_frozen
    results = m.question_results(found)
    overall, trips, comment = results
    assert [(o.label, o.count, o.percent) for o in overall.options] == [
        ("满意", 3, Decimal("60.0")),
        ("基本满意", 1, Decimal("20.0")),
        ("不满意", 1, Decimal("20.0")),
    ]
    assert overall.satisfied == Decimal("80.0")  # (3 + 1) / 5
    assert [(o.label, o.count) for o in trips.options] == [
        ("一次办成", 2),
        ("两次", 2),
        ("三次及以上", 1),
    ]
    assert trips.satisfied is None
    assert (comment.total, comment.options) == (2, [])
    assert SurveyAnswer.objects.filter(option__isnull=True).count() == 2


def test_the_same_key_twice_is_one_answer(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    overall, trips, _comment = questions_of(topic, district_staff)
    key = uuid.uuid4()
    raw = {overall.pk: "1", trips.pk: "0"}
    first, created = m.response_submit(point=point, raw=raw, idempotency_key=key)
    again, created_again = m.response_submit(point=point, raw=raw, idempotency_key=key)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    point.refresh_from_db()
    assert point.answers == 1


def test_bad_answers_are_named_per_question_and_nothing_is_stored(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    overall, trips, comment = questions_of(topic, district_staff)
    with pytest.raises(m.AnswersInvalid) as refused:
        m.response_submit(
            point=point,
            raw={overall.pk: "", trips.pk: "7", comment.pk: "长" * 501},
            idempotency_key=uuid.uuid4(),
        )
    assert set(refused.value.errors) == {overall.pk, trips.pk, comment.pk}
    assert QuestionnaireResponse.objects.count() == 0
    point.refresh_from_db()
    assert point.answers == 0


def test_a_written_answer_becomes_a_finding_through_the_finding_service(
    world, district_staff, other_district_staff
) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    questions = questions_of(topic, district_staff)
    answer(point, questions, 2, 2, "同一个月来了三拨检查")
    written = m.text_answers(questionnaire_of(topic)).get()
    with pytest.raises(Http404):
        m.answer_to_finding(
            answer=written, title="多头检查", department=world.department, by=other_district_staff
        )
    with pytest.raises(RuleViolation, match="对号入座"):
        m.answer_to_finding(answer=written, title="多头检查", department=None, by=district_staff)
    finding = m.answer_to_finding(
        answer=written, title="涉企检查多头重复", department=world.department, by=district_staff
    )
    topic.refresh_from_db()
    assert topic.findings_count == 1
    assert "同一个月来了三拨检查" in finding.description and point.name in finding.description
    assert finding.assignment is not None
    assert finding.assignment.department == world.department
    written.refresh_from_db()
    assert written.finding == finding
    with pytest.raises(InvalidTransition):
        m.answer_to_finding(
            answer=written, title="再来一次", department=world.department, by=district_staff
        )
    assert Finding.objects.count() == 1


def test_a_choice_answer_cannot_become_a_finding(world, district_staff) -> None:
    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    answer(point, questions_of(topic, district_staff), 0, 0)
    chosen = SurveyAnswer.objects.filter(question__kind=SurveyQuestionKind.SATISFACTION).get()
    with pytest.raises(RuleViolation):
        m.answer_to_finding(
            answer=chosen, title="x", department=world.department, by=district_staff
        )


def test_staff_see_the_points_of_their_jurisdiction_only(
    world, district_staff, other_district_staff, city_staff, clerk
) -> None:
    mine = point_of(campaign_of(world.district, district_staff), district_staff)
    theirs = point_of(campaign_of(world.other_district, other_district_staff), other_district_staff)
    assert list(m.visible_points(district_staff)) == [mine]
    assert list(m.visible_points(other_district_staff)) == [theirs]
    assert set(m.visible_points(city_staff)) == {mine, theirs}
    assert list(m.visible_points(clerk)) == []


def test_an_answer_costs_the_same_statements_after_3_and_30_answers(world, district_staff) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = campaign_of(world.district, district_staff)
    point = point_of(topic, district_staff)
    questions = questions_of(topic, district_staff)
    counts = []
    for stored in (3, 30):
        while QuestionnaireResponse.objects.count() < stored:
            answer(point, questions, 0, 1, "意见")
        point.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            answer(point, questions, 1, 2, "再提一条")
        counts.append(len(queries))
    assert counts[0] == counts[1]
