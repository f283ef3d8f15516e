"""The vote's rules, each a setting, since local rules vary (docs/architecture.md, 'The
livelihood-project vote'). Read through these functions, never at import time, so that
``override_settings`` takes effect.

The pass rule and the differential range are also set per congress (``congress.rules``,
docs/rules.md, "The livelihood vote"): each function takes the vote's congress. A vote
keeps its own pass rule as a field (``LivelihoodVote.pass_base``, set from the rule in
force when it is created), so a later change never moves a result; the differential is
checked once, when the vote opens, with the rule in force then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from congress.rules import Rule, register_rule, rule_value
from livelihood_votes.models import PassBase

if TYPE_CHECKING:
    from congress.models import Congress

PASS_BASE = "livelihood.pass_base"  # noqa: S105 - a rule's key, not a password
DIFFERENTIAL_MIN = "livelihood.differential_min_percent"
DIFFERENTIAL_MAX = "livelihood.differential_max_percent"

_GROUP = _("民生实事项目票决")
_DIFFERENTIAL_SOURCE = _(
    "实践做法：各地民生实事项目人大代表票决制办法实行差额票决，"
    "候选项目一般多于应选项目10%至30%（如23选20）"
)

register_rule(
    Rule(
        key=PASS_BASE,
        label=_("项目通过标准（赞成票须超过半数的基数）"),
        source=_(
            "实践做法：各地票决办法多以获得全体代表过半数赞成为通过，"
            "与人民代表大会通过决议的方式一致；也有以参加投票代表过半数为准的"
        ),
        kind="choice",
        default=PassBase.ELECTORATE.value,
        setting="LIVELIHOOD_VOTE_PASS_BASE",
        app="livelihood_votes",
        group=_GROUP,
        order=400,
        choices=tuple((value, label) for value, label in PassBase.choices),
    )
)
# Two rules whose ranges meet at 30 %, so that whatever a congress sets, the lowest
# differential never exceeds the highest (the registry checks one rule at a time).
register_rule(
    Rule(
        key=DIFFERENTIAL_MIN,
        label=_("差额比例下限（候选项目多于应选项目的百分比）"),
        source=_DIFFERENTIAL_SOURCE,
        kind="int",
        default=10,
        setting="LIVELIHOOD_VOTE_DIFFERENTIAL_MIN",
        app="livelihood_votes",
        group=_GROUP,
        unit="percent",
        minimum=0,
        maximum=30,
        order=401,
    )
)
register_rule(
    Rule(
        key=DIFFERENTIAL_MAX,
        label=_("差额比例上限（候选项目多于应选项目的百分比）"),
        source=_DIFFERENTIAL_SOURCE,
        kind="int",
        default=30,
        setting="LIVELIHOOD_VOTE_DIFFERENTIAL_MAX",
        app="livelihood_votes",
        group=_GROUP,
        unit="percent",
        minimum=30,
        maximum=100,
        order=402,
    )
)


def differential_range(congress: Congress | None = None) -> tuple[int, int]:
    """差额: candidates exceed seats by this many percent of the seats (default 10–30 %;
    23 candidates for 20 seats is 15 %). Outside it a vote refuses to open. With a
    congress, that congress's rule (inherited from the congress above); one query."""
    if congress is None:
        return int(rule_value(DIFFERENTIAL_MIN)), int(rule_value(DIFFERENTIAL_MAX))
    from congress.rules import rules_at

    values = rules_at(congress.region, [DIFFERENTIAL_MIN, DIFFERENTIAL_MAX])
    return int(values[DIFFERENTIAL_MIN]), int(values[DIFFERENTIAL_MAX])


def pass_base(congress: Congress | None = None) -> str:
    """A project passes with approvals from more than half of all the congress's
    representatives (``electorate``, the default) or of those who voted (``voters``).
    Copied onto a vote when it is created (``vote_create``)."""
    return str(rule_value(PASS_BASE, congress))
