"""Access rules of a topic's printable dossier (supervision/dossier_urls.py,
docs/supervision.md "The dossier").

Staff of the topic's region and above (and administrators) open it as a page, a PDF and
a workbook; everyone else gets 404, the department's clerk included although a finding
of the topic is handed to their department (赵磊 in 海州区, 孙丽 in 临江区): the dossier
spans every department's findings, so it is the staff's only.
"""

from __future__ import annotations

from typing import Any

from supervision import services
from supervision.models.topics import SupervisionPlan, TopicKind
from tests.security.access_rules import DISTRICT, OTHER_DISTRICT, Builder, Case, Rule, only
from tests.security.access_rules_supervision import plan
from tests.security.conftest import Cast


def topic_with_a_finding(side: str) -> Builder:
    """A topic of 海州区 (in) or 临江区 (out) with one finding handed to the clerk's bureau."""

    def build(cast: Cast) -> dict[str, Any]:
        key = f"dossier_topic_{side}"
        if key not in cast.objects:
            inside = side == "in"
            staff = cast.district_staff if inside else cast.other_district_staff
            department = cast.world.department if inside else cast.world.other_department
            topic = services.topic_create(
                plan=SupervisionPlan.objects.get(pk=plan(side)(cast)["pk"]),
                kind=TopicKind.INQUIRY,
                title="社会治安专题询问",
                by=staff,
            )
            services.finding_create(
                topic=topic, title="夜间巡逻不足", department=department, by=staff
            )
            cast.objects[key] = topic
        return {"pk": cast.objects[key].pk}

    return build


def dossier_rule() -> Rule:
    cases = []
    for query in ("", "format=xlsx", "format=pdf"):
        for side, allowed in (("in", DISTRICT), ("out", OTHER_DISTRICT)):
            cases.append(
                Case(
                    f"{side} {query or 'page'}",
                    only(allowed),
                    topic_with_a_finding(side),
                    query=query,
                )
            )
    return Rule(tuple(cases))


RULES: dict[str, Rule] = {"supervision_topic_dossier": dossier_rule()}
