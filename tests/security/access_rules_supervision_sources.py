"""Access rules of topic selection from the data and a topic's sources
(supervision/source_urls.py, source_api_urls.py; docs/supervision-sources.md).

Scopes: 选题参考 and 以此立题 are the staff's, for their region (a region sideways or
above is 404, the dashboard's rule); a topic's sources are its region's staff's, as the
topic is (supervision/selectors.py). Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from congress.models import Region
from supervision.models.sources import TopicSource
from tests.security.access_rules import (
    DISTRICT,
    OTHER_DISTRICT,
    STAFF,
    Builder,
    Case,
    Rule,
    api,
    only,
    page,
    scoped,
)
from tests.security.access_rules_supervision import _topic, fresh_topic, staff_post, topic
from tests.security.conftest import Cast

BAD_REQUEST, NO_CONTENT = 400, 204


def _problem_in(region: Region) -> Builder:
    """A citizen's problem on 道路交通 in the region: the cluster category:transport."""

    def build(cast: Cast) -> dict[str, Any]:
        if "sources_problem" not in cast.objects:
            import uuid

            from suggestions.citizen import services
            from suggestions.models.citizen import IssueCategory

            services.categories_ensure_defaults()
            submission = services.Submission(
                category=IssueCategory.objects.get(code="roads"),
                description="幸福路路口有个大坑",
                region=region,
                station=None,
                mobile="13812345678",
                citizen_name="张建国",
                consent=True,
            )
            services.citizen_issue_submit(submission=submission, idempotency_key=uuid.uuid4())
            cast.objects["sources_problem"] = True
        return {}

    return build


def _district_problem(cast: Cast) -> dict[str, Any]:
    return _problem_in(cast.world.district)(cast)


def fresh_source(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = _topic(cast, side)
        source = TopicSource.objects.create(
            topic=found,
            case_type="suggestions.citizenissue",
            case_id=987654,
            number="ZZ00ZZ00",
            title="群众反映：道路交通 · 桃园社区 · 2026-11-02",
            case_created_at=timezone.now(),
        )
        return {"pk": found.pk, "source_id": source.pk}

    return build


# 以此立题 of 海州区's 道路交通 cluster: each staff member asks about their own region;
# 临江区's has no such cluster (404), the city and the administrator's province hold it.
IDEA_OWNERS = ("district_staff", "city_staff", "administrator")

RULES: dict[str, Rule] = {
    "supervision_topic_ideas": page(only(STAFF)),
    "supervision_topic_from_idea": Rule(
        (
            Case(
                "海州区's cluster",
                only(IDEA_OWNERS),
                _district_problem,
                query="key=category:transport",
            ),
        )
    ),
    "supervision_topic_source_add": Rule(
        (
            *scoped(topic("in"), topic("out")).cases,
            Case(
                "a number nobody has, 海州区",
                only(DISTRICT, ok=BAD_REQUEST),
                fresh_topic("in"),
                "POST",
                lambda c: {"number": "ZZZZZZZZ"},
                fresh=True,
            ),
        )
    ),
    "supervision_topic_source_remove": staff_post(fresh_source("in"), fresh_source("out")),
    # The API
    "supervision-topic-ideas": Rule((Case("get", api(only(STAFF))),)),
    "supervision-topic-sources": Rule(
        (
            *scoped(topic("in"), topic("out"), anonymous=401).cases,
            Case(
                "a number nobody has, 海州区",
                api(only(DISTRICT, ok=BAD_REQUEST)),
                fresh_topic("in"),
                "POST",
                lambda c: {"number": "ZZZZZZZZ"},
                fresh=True,
            ),
        )
    ),
    "supervision-topic-source": Rule(
        (
            Case(
                "unlink, 海州区",
                api(only(DISTRICT, ok=NO_CONTENT)),
                fresh_source("in"),
                "DELETE",
                fresh=True,
            ),
            Case(
                "unlink, 临江区",
                api(only(OTHER_DISTRICT, ok=NO_CONTENT)),
                fresh_source("out"),
                "DELETE",
                fresh=True,
            ),
        )
    ),
}
