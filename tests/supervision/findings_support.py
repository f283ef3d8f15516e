"""Stories of the supervision findings: a plan and a topic of 海州区 (and of 临江区),
findings handed to 海州区交通运输局 (the clerk 赵磊's) through the real services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from congress.models import Department, Region, User
from supervision import services
from supervision.models.topics import Finding, SupervisionPlan, Topic, TopicKind


def plan_of(region: Region, by: User, year: int = 2026) -> SupervisionPlan:
    found = SupervisionPlan.objects.filter(congress=region.congress, year=year).first()
    if found is not None:
        return found
    return services.plan_create(
        congress=region.congress, year=year, title=f"{region.name}{year}年监督工作计划", by=by
    )


def topic_of(region: Region, by: User, title: str = "社会治安综合治理专题询问") -> Topic:
    return services.topic_create(
        plan=plan_of(region, by), kind=TopicKind.INQUIRY, title=title, by=by
    )


def finding_of(
    topic: Topic,
    department: Department,
    by: User,
    title: str = "夜间巡逻覆盖不足",
    due_on: datetime.date | None = None,
) -> Finding:
    return services.finding_create(
        topic=topic,
        title=title,
        department=department,
        measures="增加夜间巡逻班次",
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=60),
        by=by,
    )


def claimed(finding: Finding, clerk: User) -> Finding:
    services.finding_claim_closure(finding=finding, note="已增加巡逻班次", by=clerk)
    finding.refresh_from_db()
    return finding


def closed_off(finding: Finding, clerk: User, staff: User) -> Finding:
    claimed(finding, clerk)
    services.finding_close_off(finding=finding, evidence="现场核实：巡逻已覆盖", by=staff)
    finding.refresh_from_db()
    return finding
