"""Registration of the livelihood year's cycles with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-call.md): timeline words, the staff's and
the proposers' navigation entries, the filer of problems converted to 民生实事, the
personal data to scrub, and the demo call."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.loop import CaseType, register_case_type
from congress.registry import (
    DemoBuilder,
    NavItem,
    register_demo_builder,
    register_labels,
    register_livelihood_proposer,
    register_nav,
)
from congress.scoping import is_staff_or_admin
from livelihood_votes.cycles import demo, privacy, selectors, services
from livelihood_votes.cycles.workflow import ACTION_LABELS, CYCLE_CASE, PROPOSAL_CASE
from livelihood_votes.models import ProposalStatus
from representatives.selectors import representative_of


def _proposes(user: Any) -> bool:
    """Representatives and department clerks propose from their phone (staff use the
    year's page)."""
    if not user.is_authenticated or is_staff_or_admin(user):
        return False
    return representative_of(user) is not None or bool(user.department_ids)


def _can_view_proposal(user: Any, pk: int) -> bool:
    return selectors.visible_proposals(user).filter(pk=pk).exists()


# A proposal is no loop item (nothing in it is due by a date); it is registered so that
# the photos on its timeline are served by the core's scoped download
# (``congress.files.attachment_download``) to whoever may see the proposal.
register_case_type(
    CaseType(
        key=PROPOSAL_CASE,
        label=_("民生实事项目建议"),
        url=lambda pk: reverse("livelihood_proposal_detail", args=[pk]),
        can_view=_can_view_proposal,
        generic_actions=frozenset(),
    )
)
register_api_enums(
    {
        "LivelihoodElectorateEnum": "livelihood_votes.models.cycles.Electorate",
        "LivelihoodProposalChannelEnum": "livelihood_votes.models.cycles.ProposalChannel",
        "LivelihoodProposalThemeEnum": "livelihood_votes.models.cycles.ProposalTheme",
        "LivelihoodProposalStatusEnum": "livelihood_votes.models.cycles.ProposalStatus",
        "LivelihoodScreeningReasonEnum": "livelihood_votes.models.cycles.ScreeningReason",
    }
)
register_labels(case_type=CYCLE_CASE, actions=ACTION_LABELS)
register_labels(
    case_type=PROPOSAL_CASE, actions=ACTION_LABELS, statuses=dict(ProposalStatus.choices)
)
register_nav(
    NavItem(
        _("民生实事年度工作"),
        "livelihood_cycle_list",
        is_staff_or_admin,
        order=299,
        icon="calendar-range",
        group="livelihood",
    )
)
register_nav(
    NavItem(
        _("民生实事建议"),
        "livelihood_my_proposals",
        _proposes,
        order=302,
        icon="lightbulb",
        group="livelihood",
    )
)
register_livelihood_proposer(services.problem_propose)
privacy.register()
# After the representatives (20) and the departments; before the vote's demo (50), whose
# city vote's candidates are this call's shortlist.
register_demo_builder(DemoBuilder("livelihood call", demo.build, order=45))
