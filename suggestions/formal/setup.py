"""Registrations with the core (case type, labels, navigation, home cards, demo data) and
with the representatives app (points). Imported by SuggestionsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.dashboard import DashboardPanel, register_dashboard_panel
from congress.loop import CaseType, register_case_type
from congress.loop.handling import RatingSource, register_rating_source
from congress.registry import (
    DemoBuilder,
    HomeCard,
    NavItem,
    register_demo_builder,
    register_home_card,
    register_labels,
    register_nav,
)
from congress.scoping import is_staff_or_admin
from congress.synthetic import SyntheticBuilder, register_synthetic_builder
from representatives.registry import PointSource, register_point_source
from representatives.selectors import representative_of
from suggestions.formal import cards, conf, demo, points
from suggestions.formal.dashboard import suggestions_panel
from suggestions.formal.handling_ratings import suggestion_handling_ratings
from suggestions.formal.selectors import visible_suggestions
from suggestions.formal.workflow import ACTION_LABELS, SIGNER_CASE, SUGGESTION_CASE
from suggestions.models.formal import SignerStatus, SuggestionStatus


def _can_view(user: Any, case_id: int) -> bool:
    return visible_suggestions(user).filter(pk=case_id).exists()


register_case_type(
    CaseType(
        key=SUGGESTION_CASE,
        label=_("代表建议"),
        url=lambda case_id: reverse("formal_suggestion_detail", args=[case_id]),
        can_view=_can_view,
        # Reply within 3 months of 交办; extensions never past 6 months (代表法 2025 第51–52条).
        default_deadline=conf.reply_deadline(),
        longest=conf.longest_deadline(),
        # The reply needs a category (A/B/C/D): it is given on the suggestion's page.
        generic_reply=False,
        # Return windows, extensions and decisions carry the suggestion rules and
        # notices, so the generic assignment page may only log progress.
        generic_actions=frozenset({"progress"}),
        # A three-month deadline gets a first reminder two weeks of working days ahead.
        policy_defaults={"days_before": "10,3,1"},
    )
)
# The representatives' ratings of the departments' answers (docs/dashboard.md, "承办单位").
register_rating_source(RatingSource(SUGGESTION_CASE, suggestion_handling_ratings))
# A co-signer's answer is an event of its own case type, shown on the suggestion's
# timeline: its statuses are the signer's (确认附议 → "已确认", not the raw "confirmed").
register_labels(
    case_type=SUGGESTION_CASE, actions=ACTION_LABELS, statuses=dict(SuggestionStatus.choices)
)
register_labels(case_type=SIGNER_CASE, actions=ACTION_LABELS, statuses=dict(SignerStatus.choices))


def _files_or_reads(user: Any) -> bool:
    return bool(
        user.is_superuser
        or user.is_congress_staff
        or user.is_committee_member
        or representative_of(user) is not None
    )


def _is_handler(user: Any) -> bool:
    return bool(user.is_handler)


def _reads_reports(user: Any) -> bool:
    return is_staff_or_admin(user) or bool(user.is_committee_member)


register_nav(
    NavItem(
        _("代表建议"),
        "formal_suggestion_list",
        _files_or_reads,
        order=200,
        icon="journal-text",
        group="suggestions",
    )
)
register_nav(
    NavItem(
        _("建议办理"),
        "formal_workspace",
        _is_handler,
        order=205,
        icon="inboxes",
        group="suggestions",
    )
)
register_nav(
    NavItem(
        _("建议统计"),
        "formal_report",
        _reads_reports,
        order=210,
        icon="clipboard-data",
        group="suggestions",
    )
)
register_home_card(
    HomeCard("suggestions/formal/card_representative.html", cards.representative_card, order=50)
)
register_home_card(HomeCard("suggestions/formal/card_staff.html", cards.staff_card, order=55))
register_home_card(HomeCard("suggestions/formal/card_clerk.html", cards.clerk_card, order=35))
register_home_card(HomeCard("suggestions/formal/card_key.html", cards.key_card, order=60))
register_dashboard_panel(DashboardPanel("suggestions", suggestions_panel, order=20))
register_point_source(
    PointSource.from_tally(
        "suggestions",
        _("代表建议、议案"),
        points.tally,
        points.records,
        month_tally=points.month_tally,
        # The summary keeps its representative's area (``HolderAreaColumns``).
        month_areas=True,
    )
)
# After the representatives builder (order 20): suggestions need representatives.
register_demo_builder(DemoBuilder("suggestions (formal)", demo.build, order=40))


def _signed_counts(ctx: Any) -> None:
    """The suggestions signed per month (履职积分's summary), counted from the signers
    that ``generate_city`` wrote in bulk. Last, after every builder that writes
    suggestions. (The demo files and reviews through the services, which keep it.)"""
    points.signed_counts_rebuild()


register_synthetic_builder(SyntheticBuilder("suggestions signed", _signed_counts, order=900))


def _build_synthetic(ctx: Any) -> None:
    from suggestions.formal.synthetic import build

    build(ctx)


# generate_city: after the representatives (order 20), whose seats file the suggestions.
register_synthetic_builder(SyntheticBuilder("formal suggestions", _build_synthetic, order=50))
