"""Demo of topic selection from the data (docs/supervision-sources.md): the city's plan
of this year gets one topic made from the largest category cluster of the past twelve
months, its problems and suggestions linked as sources, through the services."""

from __future__ import annotations

from typing import Any

from congress.models import User
from supervision import sources
from supervision.models.topics import SupervisionPlan, TopicKind


def build(ctx: Any) -> None:
    city_staff = User.objects.get(username="city_staff")
    scope = sources.idea_scope(city_staff, str(ctx.city.pk), today=ctx.today)
    categories = sources.topic_ideas(scope)["category"]
    if not categories:
        return
    top = categories[0]
    plan = SupervisionPlan.objects.get(congress=ctx.city.congress, year=ctx.today.year)
    topic, linked = sources.topic_create_from_cluster(
        scope=scope,
        key=top.key,
        plan=plan,
        fields={
            "kind": TopicKind.CAMPAIGN,
            "title": sources.suggested_title(scope, top.label, "category"),
            "description": f"选题依据：过去12个月全市“{top.label}”类群众反映问题"
            f" {top.counts.get('issues', 0)} 件、代表建议 {top.counts.get('suggestions', 0)} 件。",
        },
        by=city_staff,
    )
    ctx.extra["supervision_topic_from_data"] = topic.pk
    ctx.extra["supervision_topic_from_data_sources"] = linked
