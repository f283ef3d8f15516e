"""Registration of the livelihood year's projects with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-projects.md)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.loop import CaseType, register_case_type
from congress.registry import (
    Anonymiser,
    DemoBuilder,
    HomeCard,
    NavItem,
    register_anonymiser,
    register_demo_builder,
    register_home_card,
    register_labels,
    register_nav,
)
from congress.scoping import is_staff_or_admin
from congress.workdays import Deadline
from livelihood_votes.models.projects import ProjectStatus, ReportStatus
from livelihood_votes.projects import cards, demo, services
from livelihood_votes.projects.workflow import ACTION_LABELS, PROJECT_CASE, REPORT_CASE
from representatives.selectors import representative_of


def _can_view_report(user: Any, case_id: int) -> bool:
    from livelihood_votes.projects.selectors import visible_reports

    return visible_reports(user).filter(pk=case_id).exists()


def _report_url(case_id: int) -> str:
    from livelihood_votes.models.projects import ProgressReport

    project_id = ProgressReport.objects.filter(pk=case_id).values_list("project_id", flat=True)
    return reverse("livelihood_project_detail", args=[project_id.first() or 0])


def _sees_projects(user: Any) -> bool:
    """Staff, clerks and representatives (what the other entries already read: no query
    of its own on every page)."""
    if not user.is_authenticated:
        return False
    return is_staff_or_admin(user) or user.is_handler or representative_of(user) is not None


# The month's progress report: due on a working day of the next month
# (projects/conf.py); the filing itself closes it, so the generic page may only note
# progress and accept.
register_case_type(
    CaseType(
        key=REPORT_CASE,
        label=_("民生实事项目月度进度"),
        url=_report_url,
        can_view=_can_view_report,
        default_deadline=Deadline(1, "months"),
        generic_reply=False,
        generic_actions=frozenset({"progress", "accept"}),
        policy_defaults={"days_before": "3,1"},
    )
)
register_labels(case_type=PROJECT_CASE, actions=ACTION_LABELS, statuses=dict(ProjectStatus.choices))
register_labels(case_type=REPORT_CASE, actions=ACTION_LABELS, statuses=dict(ReportStatus.choices))
register_nav(
    NavItem(
        _("民生实事项目"),
        "livelihood_project_list",
        _sees_projects,
        order=303,
        icon="bar-chart",
        group="livelihood",
    )
)
register_home_card(
    HomeCard("livelihood_votes/projects/card_clerk.html", cards.clerk_card, order=45)
)
register_api_enums(
    {
        "LivelihoodProjectStatusEnum": "livelihood_votes.models.projects.ProjectStatus",
        "LivelihoodProjectReportStatusEnum": "livelihood_votes.models.projects.ReportStatus",
        "LivelihoodProjectInspectionKindEnum": "livelihood_votes.models.projects.InspectionKind",
    }
)
# After the livelihood votes (order 50): the elected candidates become projects.
register_demo_builder(DemoBuilder("livelihood projects", demo.build, order=55))
# A resident's phone, left with a comment for staff, is scrubbed after the retention period.
register_anonymiser(
    Anonymiser(
        "livelihood project comments", services.expired_comments, services.comments_anonymise
    )
)
