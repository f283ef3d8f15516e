"""Registration of plans, topics and findings with the core (imported by
SupervisionConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.loop import CaseType, register_case_type
from congress.registry import (
    DemoBuilder,
    HomeCard,
    NavGroup,
    NavItem,
    register_demo_builder,
    register_home_card,
    register_labels,
    register_nav,
    register_nav_group,
)
from congress.scoping import is_staff_or_admin
from supervision import cards, conf, demo, selectors, services
from supervision.models.topics import FindingStatus, PlanStatus, TopicStatus
from supervision.workflow import (
    FINDING_CASE,
    FINDING_LABELS,
    PLAN_CASE,
    PLAN_LABELS,
    REVIEW_CASE,
    TOPIC_CASE,
    TOPIC_LABELS,
)

NAV_GROUP = "supervision"


def _can_view_finding(user: Any, case_id: int) -> bool:
    return selectors.visible_findings(user).filter(pk=case_id).exists()


def _is_staff_or_clerk(user: Any) -> bool:
    return is_staff_or_admin(user) or bool(user.is_authenticated and user.department_ids)


register_case_type(
    CaseType(
        key=FINDING_CASE,
        label=_("问题清单"),
        url=lambda case_id: reverse("supervision_finding_detail", args=[case_id]),
        can_view=_can_view_finding,
        default_deadline=conf.finding_deadline(),
        # 申请销号 and 销号 carry evidence and the topic's counts: they are taken on the
        # finding's page; the generic page may sign for it, log progress and ask for time.
        generic_reply=False,
        generic_actions=frozenset(
            {
                "accept",
                "start",
                "progress",
                "request_extension",
                "approve_extension",
                "reject_extension",
            }
        ),
        on_steps_changed=services.finding_steps_changed,
    )
)


def _can_view_review(user: Any, case_id: int) -> bool:
    return selectors.visible_reviews(user).filter(pk=case_id).exists()


register_case_type(
    CaseType(
        key=REVIEW_CASE,
        label=_("回头看"),
        url=lambda case_id: reverse("supervision_review_hold", args=[case_id]),
        can_view=_can_view_review,
        default_deadline=conf.review_deadline(),
        # Holding it (what changed, the findings to reopen) is done on its own page, which
        # answers and closes the step; the generic page may only sign for it and log progress.
        generic_reply=False,
        generic_actions=frozenset({"accept", "start", "progress"}),
    )
)
register_labels(case_type=PLAN_CASE, actions=PLAN_LABELS, statuses=dict(PlanStatus.choices))
register_labels(case_type=TOPIC_CASE, actions=TOPIC_LABELS, statuses=dict(TopicStatus.choices))
register_labels(
    case_type=FINDING_CASE, actions=FINDING_LABELS, statuses=dict(FindingStatus.choices)
)
register_nav_group(NavGroup(NAV_GROUP, _("监督"), icon="clipboard-check"))
register_nav(
    NavItem(
        _("监督议题"),
        "supervision_topic_list",
        is_staff_or_admin,
        order=400,
        icon="clipboard-check",
        group=NAV_GROUP,
    )
)
register_nav(
    NavItem(
        _("监督工作计划"),
        "supervision_plan_list",
        is_staff_or_admin,
        order=401,
        icon="calendar3",
        group=NAV_GROUP,
    )
)
register_nav(
    NavItem(
        _("问题清单"),
        "supervision_finding_list",
        _is_staff_or_clerk,
        order=402,
        icon="list-check",
        group=NAV_GROUP,
    )
)
register_home_card(HomeCard("supervision/card_staff.html", cards.staff_card, order=70))
register_api_enums(
    {
        "SupervisionPlanStatusEnum": "supervision.models.topics.PlanStatus",
        "SupervisionTopicStatusEnum": "supervision.models.topics.TopicStatus",
        "SupervisionTopicKindEnum": "supervision.models.topics.TopicKind",
        "SupervisionFindingStatusEnum": "supervision.models.topics.FindingStatus",
        "SupervisionGroupRoleEnum": "supervision.models.topics.GroupRole",
        "SupervisionInvestigationMethodEnum": "supervision.models.topics.InvestigationMethod",
    }
)
# After the core's city and its departments (order 10) and the representatives (20).
register_demo_builder(DemoBuilder("supervision topics", demo.build, order=60))
