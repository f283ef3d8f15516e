"""Registrations with the core (case types, navigation, home cards, demo data), with
representatives (points, the station's public board) and with retention.

Imported by ``SuggestionsConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.dashboard import DashboardPanel, register_dashboard_panel
from congress.loop import CaseType, register_case_type
from congress.loop.handling import RatingSource, register_rating_source
from congress.models import Region
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
from congress.synthetic import SyntheticBuilder, register_synthetic_builder
from congress.workdays import Deadline
from representatives.registry import (
    PointSource,
    register_point_source,
    register_public_case_provider,
)
from representatives.selectors import representative_of
from suggestions import bigscreen  # noqa: F401 - registers the big screen's source
from suggestions.citizen import conf, home, selectors, services
from suggestions.citizen.dashboard import citizen_panel
from suggestions.citizen.services.monthly import issue_handling_rating_rows, issue_handling_ratings
from suggestions.citizen.workflow import (
    APPOINTMENT_ACTION_LABELS,
    APPOINTMENT_CASE,
    ISSUE_ACTION_LABELS,
    ISSUE_CASE,
)
from suggestions.models.citizen import AppointmentStatus, IssueStatus

register_case_type(
    CaseType(
        key=ISSUE_CASE,
        label=_("群众反映问题"),
        url=lambda case_id: reverse("citizen_issue_detail", args=[case_id]),
        can_view=selectors.can_view_issue,
        default_deadline=conf.department_deadline(),
        # A department may ask for more time, but a citizen's problem is not a
        # suggestion: three months in all, then it is a supervision matter.
        longest=Deadline(3, "months"),
        # Replies change the problem's own status: they are given on its page.
        generic_reply=False,
        # The problem keeps its earliest open due date on its row (已超期 lists).
        on_steps_changed=services.issue_steps_changed,
    )
)
register_case_type(
    CaseType(
        key=APPOINTMENT_CASE,
        label=_("约见"),
        url=lambda case_id: reverse("appointment_detail", args=[case_id]),
        can_view=selectors.can_view_appointment,
        default_deadline=conf.appointment_response_deadline(),
        generic_reply=False,
    )
)


register_labels(
    case_type=ISSUE_CASE, actions=ISSUE_ACTION_LABELS, statuses=dict(IssueStatus.choices)
)
register_labels(
    case_type=APPOINTMENT_CASE,
    actions=APPOINTMENT_ACTION_LABELS,
    statuses=dict(AppointmentStatus.choices),
)


def _works_on_issues(user: Any) -> bool:
    return bool(
        user.is_superuser
        or user.is_congress_staff
        or user.is_handler
        or representative_of(user) is not None
    )


register_nav(
    NavItem(
        _("群众诉求"),
        "citizen_issue_list",
        _works_on_issues,
        order=60,
        icon="chat-square-text",
        group="citizens",
    )
)
register_nav(
    NavItem(
        _("约见"),
        "appointment_list",
        _works_on_issues,
        order=65,
        icon="calendar2-heart",
        group="citizens",
    )
)


def _issues_card(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not _works_on_issues(user):
        return None
    representative = representative_of(user)
    upcoming = (
        list(selectors.upcoming_appointments(representative, days=14)[:5])
        if representative is not None
        else []
    )
    return {"counts": home.home_counts(user), "appointments": upcoming}


register_home_card(HomeCard("suggestions/citizen/card_issues.html", _issues_card, order=35))
register_dashboard_panel(DashboardPanel("citizen", citizen_panel, order=10))
# The citizens' ratings of the departments' answers (docs/dashboard.md, "承办单位").
register_rating_source(
    RatingSource(ISSUE_CASE, issue_handling_ratings, rows=issue_handling_rating_rows)
)


def _build_demo(ctx: Any) -> None:
    from suggestions.citizen.demo import build

    build(ctx)


# After the representatives' builder (order 20): it leaves stations and representatives.
register_demo_builder(DemoBuilder("citizen issues", _build_demo, order=40))


def _build_synthetic(ctx: Any) -> None:
    from suggestions.citizen.synthetic import build

    build(ctx)


# generate_city: after the representatives (order 20), whose stations take the problems.
register_synthetic_builder(SyntheticBuilder("citizen problems", _build_synthetic, order=40))


def _dashboard_summaries(ctx: Any) -> None:
    """The dashboard's summaries counted from the rows the builders wrote in bulk, with
    dates moved back (docs/dashboard.md): the problems' months, the departments'
    handling. Last, after every builder that writes problems or assignments."""
    from congress.loop.handling import handling_counts_rebuild

    services.issue_month_counts_rebuild()
    handling_counts_rebuild()


register_demo_builder(DemoBuilder("dashboard summaries", _dashboard_summaries, order=900))
register_synthetic_builder(SyntheticBuilder("dashboard summaries", _dashboard_summaries, order=900))

register_point_source(
    PointSource.from_tally(
        "citizen_issues",
        _("办理群众反映问题"),
        selectors.handled_tally,
        selectors.handled_records,
        month_tally=selectors.handled_month_tally,
        # The summary keeps its representative's area (``HolderAreaColumns``).
        month_areas=True,
    )
)
register_public_case_provider(selectors.public_board_for_station)

register_anonymiser(
    Anonymiser("citizen issues", services.expired_issues, services.issues_anonymise)
)


def _follow_region(sender: type[Region], instance: Region, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        # After the commit: Region.save rewrites its descendants' paths after this
        # signal, and the problems follow the paths as they end up.
        transaction.on_commit(lambda: services.issues_follow_region(instance))


# A region moved in the tree: its problems' area columns and counts follow.
post_save.connect(_follow_region, sender=Region, dispatch_uid="citizen_issues_follow_region")
register_anonymiser(
    Anonymiser(
        "citizen appointments", services.expired_appointments, services.appointments_anonymise
    )
)


def _default_categories(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "label", "") == "suggestions":
        services.categories_ensure_defaults()


post_migrate.connect(_default_categories, dispatch_uid="suggestions.citizen.categories")
