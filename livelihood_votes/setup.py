"""Registrations with the core (labels, navigation, home cards, demo data). Imported by
LivelihoodVotesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

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
from congress.synthetic import SyntheticBuilder, register_synthetic_builder
from livelihood_votes import (
    bigscreen,  # noqa: F401 - registers the big screen's source
    cards,
    demo,
    subdistrict_demo,
)
from livelihood_votes.models import VoteStatus
from livelihood_votes.selectors import is_voter_login
from livelihood_votes.workflow import ACTION_LABELS, VOTE_CASE


def _is_representative(user: Any) -> bool:
    """A representative's login, or a voter delegate's (a subdistrict's vote)."""
    return is_voter_login(user)


register_labels(case_type=VOTE_CASE, actions=ACTION_LABELS, statuses=dict(VoteStatus.choices))
# One menu for the year: the cycle, the vote, the projects, the rating (a person who sees
# one of them sees it as a link).
register_nav_group(NavGroup("livelihood", _("民生实事"), icon="check2-square"))
register_nav(
    NavItem(
        _("民生实事票决"),
        "livelihood_vote_list",
        is_staff_or_admin,
        order=300,
        icon="check2-square",
        group="livelihood",
    )
)
register_nav(
    NavItem(
        _("我的票决"),
        "my_livelihood_votes",
        _is_representative,
        order=301,
        icon="check2-square",
        group="livelihood",
    )
)
register_home_card(
    HomeCard("livelihood_votes/card_representative.html", cards.representative_card, order=25)
)
register_home_card(HomeCard("livelihood_votes/card_staff.html", cards.staff_card, order=65))
# After representatives (order 20): the demo votes need the representatives' seats.
register_demo_builder(DemoBuilder("livelihood votes", demo.build, order=50))
# A subdistrict's vote, voted by its 议政会's delegates (after the representatives' demo,
# which registers them).
register_demo_builder(DemoBuilder("livelihood subdistrict vote", subdistrict_demo.build, order=51))


def _build_synthetic(ctx: Any) -> None:
    from livelihood_votes.synthetic import build

    build(ctx)


# generate_city: after the representatives (order 20), whose seats vote.
register_synthetic_builder(SyntheticBuilder("livelihood votes", _build_synthetic, order=60))
