"""The demo's business-environment campaign gets its monitoring points and about 60
answers, through the services; the counts on the rows agree with the answers stored."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.utils import timezone

from congress.demo import build_core
from congress.registry import demo_builders
from supervision import monitoring as m
from supervision.models.monitoring import MonitoringPoint, SurveyAnswer, SurveyTally
from supervision.models.topics import Topic
from tests.supervision.monitoring_support import questionnaire_of


@pytest.mark.django_db
def test_the_demo_campaign_has_points_and_answers() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=1.0)
    by_name = {builder.name: builder for builder in demo_builders}
    order = [b.name for b in sorted(demo_builders, key=lambda b: b.order)]
    assert order.index("supervision topics") < order.index("supervision monitoring points")
    by_name["supervision topics"].build(ctx)
    by_name["supervision monitoring points"].build(ctx)
    topic = Topic.objects.get(pk=ctx.extra["supervision_monitoring_topic"])
    points = MonitoringPoint.objects.filter(topic=topic)
    kinds = sorted(points.values_list("kind", flat=True))
    assert (kinds.count("contact"), kinds.count("survey"), kinds.count("observation")) == (5, 10, 3)
    questionnaire = questionnaire_of(topic)
    assert questionnaire.responses == 60
    assert points.aggregate(total=Sum("answers"))["total"] == 60
    assert points.filter(is_active=False).count() == 1
    # Every option counted once per answer that chose it.
    for question in m.questions_of(questionnaire):
        stored = SurveyAnswer.objects.filter(question=question).count()
        counted = SurveyTally.objects.filter(question=question).aggregate(n=Sum("count"))["n"]
        assert stored == counted
    overall = m.question_results(questionnaire)[0]
    assert overall.total == 60 and overall.satisfied is not None
    converted = SurveyAnswer.objects.exclude(finding=None).get()
    assert converted.finding is not None and converted.finding.topic == topic
