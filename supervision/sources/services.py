"""Topic selection from the data and a topic's linked sources (docs/supervision-sources.md):
every write of this part, each checking the acting user's jurisdiction
(``require_in_jurisdiction`` on the topic's region: a 404 outside it) and leaving an
audit row.

The cases themselves belong to other apps (citizens' problems, representatives'
suggestions), which supervision may not import (docs/architecture.md, "Import
contracts"): everything about them is read through the core's registry
``congress.topic_sources``, which checks that the acting user may see each case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congress import topic_sources as registry
from congress.audit import audit_record
from congress.errors import RuleViolation
from congress.models import AuditAction, User
from congress.scoping import require_in_jurisdiction
from congress.topic_sources import CaseRef, IdeaScope
from supervision import services
from supervision.models.sources import TopicSource
from supervision.models.topics import SupervisionPlan, Topic
from supervision.sources.selectors import CLUSTER_CASES

# --- writes -------------------------------------------------------------------------------


def topic_source_link(*, topic: Topic, refs: Iterable[CaseRef], by: User | None) -> int:
    """Link cases to the topic as its sources; returns how many were new.

    Staff of the topic's region (or above) only (404 otherwise). Only the cases the
    acting user may see are linked, each once (a case already linked is skipped).
    """
    require_in_jurisdiction(by, topic.region)
    wanted = list(dict.fromkeys(refs))
    if not wanted:
        return 0
    described = registry.describe(by, wanted) if by is not None else {}
    rows = [
        TopicSource(
            topic=topic,
            case_type=info.ref.case_type,
            case_id=info.ref.case_id,
            number=info.number[:30],
            title=info.title[:200],
            case_created_at=info.created,
            linked_by=by,
        )
        for ref in wanted
        if (info := described.get(ref)) is not None
    ]
    with transaction.atomic():
        before = TopicSource.objects.filter(topic=topic).count()
        TopicSource.objects.bulk_create(rows, ignore_conflicts=True)
        added = TopicSource.objects.filter(topic=topic).count() - before
        if added:
            audit_record(
                action=AuditAction.STATE_CHANGE,
                actor=by,
                obj=topic,
                detail={"change": "topic_source_link", "linked": added},
            )
    return added


def topic_source_link_number(*, topic: Topic, number: str, by: User | None) -> TopicSource:
    """Link one more case by its number (a problem's tracking code, a suggestion's
    number); a number that names nothing the user may see is refused with a message."""
    require_in_jurisdiction(by, topic.region)
    ref = registry.lookup(by, number) if by is not None else None
    if ref is None:
        raise RuleViolation(
            _("没有找到编号为“%(number)s”的群众反映问题或代表建议。")
            % {"number": number.strip()[:30]}
        )
    if TopicSource.objects.filter(
        topic=topic, case_type=ref.case_type, case_id=ref.case_id
    ).exists():
        raise RuleViolation(_("该事项已是本议题的来源。"))
    topic_source_link(topic=topic, refs=[ref], by=by)
    return TopicSource.objects.get(topic=topic, case_type=ref.case_type, case_id=ref.case_id)


def topic_source_unlink(*, source: TopicSource, by: User | None) -> None:
    topic = source.topic
    require_in_jurisdiction(by, topic.region)
    with transaction.atomic():
        deleted, _rows = TopicSource.objects.filter(pk=source.pk).delete()
        if deleted:
            audit_record(
                action=AuditAction.STATE_CHANGE,
                actor=by,
                obj=topic,
                detail={
                    "change": "topic_source_unlink",
                    "case_type": source.case_type,
                    "case_id": source.case_id,
                },
            )


def topic_create_from_cluster(
    *,
    scope: IdeaScope,
    key: str,
    plan: SupervisionPlan,
    fields: Mapping[str, Any],
    by: User | None,
    limit: int = CLUSTER_CASES,
) -> tuple[Topic, int]:
    """以此立题: the topic through the plans' own ``topic_create``, then the cluster's
    cases the user may see (up to ``limit``, newest first) linked as its sources, in
    one transaction. Returns the topic and how many sources it got."""
    with transaction.atomic():
        topic = services.topic_create(plan=plan, by=by, **fields)
        refs = registry.cluster_cases(scope, key, limit)
        linked = topic_source_link(topic=topic, refs=refs, by=by)
    return topic, linked
