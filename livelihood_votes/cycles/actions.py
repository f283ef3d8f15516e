"""The staff's steps on a proposal (采纳, 不予采纳, 合并) and on a cycle (列入候选项目,
依清单创建票决), as data: one declaration per step with the phases of the cycle in which
it may be taken, the statuses it starts from (read from ``PROPOSAL_TRANSITIONS``), its
form and the one service it calls (docs/architecture.md, "Checklist: add a new case
type", step 5; docs/livelihood-call.md).

Who may: staff of the cycle's region or above, or an administrator (``selectors.manages``).
``allowed`` derives what a user may do now from these tables and nothing else restates
it; the pages show their buttons from it, and the pages' POST views and the API's
``actions/<name>/`` routes take a step through ``take_on_proposal`` / ``take_on_cycle``:
a name not in the table is ``UnknownAction`` (400), a step the user may not take now
``InvalidTransition`` (409), a form that does not validate a ``RuleViolation`` (400).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable, validated
from congress.errors import RuleViolation
from congress.models import User
from congress.scoping import AnyUser, visible_departments
from livelihood_votes.cycles import forms as cycle_forms
from livelihood_votes.cycles import selectors, services
from livelihood_votes.cycles.services import SCREEN_PHASES, SHORTLIST_PHASES, VOTE_CREATE_PHASES
from livelihood_votes.cycles.workflow import PROPOSAL_TRANSITIONS, Phase, phase
from livelihood_votes.models import Cycle, Proposal


@dataclass(frozen=True)
class ProposalAction:
    """One screening step on a proposal: the move it makes, the phases it is open in,
    its form, its service, and what the page says once it is done."""

    move: str
    phases: frozenset[Phase]
    form: type[forms.Form]
    run: Callable[[Proposal, User, dict[str, Any]], Any]
    done: str | Promise


def _merge(proposal: Proposal, by: User, data: dict[str, Any]) -> Any:
    into = selectors.merge_targets(proposal).filter(pk=data["into"]).first()
    if into is None:
        raise RuleViolation(
            _("找不到编号为%(pk)s的可合并建议（须为同一次征集中未合并、未被否决的建议）。")
            % {"pk": data["into"]}
        )
    return services.proposal_merge(proposal=proposal, into=into, by=by, note=data["note"])


PROPOSAL_ACTIONS: dict[str, ProposalAction] = {
    "accept": ProposalAction(
        "proposal_accept",
        SCREEN_PHASES,
        cycle_forms.NoteForm,
        lambda p, by, d: services.proposal_accept(proposal=p, by=by, note=d["note"]),
        _("已采纳。"),
    ),
    "screen_out": ProposalAction(
        "proposal_screen_out",
        SCREEN_PHASES,
        cycle_forms.ScreenOutForm,
        lambda p, by, d: services.proposal_screen_out(
            proposal=p, reason=d["reason"], note=d["note"], by=by
        ),
        _("已记录不予采纳的原因。"),
    ),
    "merge": ProposalAction(
        "proposal_merge",
        SCREEN_PHASES,
        cycle_forms.MergeForm,
        _merge,
        _("已合并。"),
    ),
}


def _proposal_standing(user: AnyUser, proposal: Proposal) -> Phase | None:
    """The cycle's phase today for its managing staff; nothing for anyone else."""
    cycle = proposal.cycle
    if cycle is None or not selectors.manages(user, cycle):
        return None
    return phase(cycle, timezone.localdate())


PROPOSALS: ActionTable[Proposal, ProposalAction] = ActionTable(
    PROPOSAL_ACTIONS,
    lambda now, proposal, a: now in a.phases and proposal.status in PROPOSAL_TRANSITIONS[a.move][0],
    standing=_proposal_standing,
)


def proposal_action(name: str) -> ProposalAction:
    """The declaration of ``name``; an unknown name is an error (400), never ignored."""
    return PROPOSALS.named(name)


def allowed_on_proposal(user: AnyUser, proposal: Proposal) -> list[str]:
    """The screening steps the user may take on the proposal now, in the table's order."""
    return PROPOSALS.allowed(user, proposal)


def take_on_proposal(
    proposal: Proposal, name: str, user: User, data: Mapping[str, Any]
) -> ProposalAction:
    declared = PROPOSALS.require(name, user, proposal)
    declared.run(proposal, user, validated(declared.form(data)))
    return declared


# --- the cycle ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleAction:
    """One step on a cycle: the phases it is open in, whether it needs the vote not made
    yet, its form (built for the cycle and the user), its service and its done-message."""

    phases: frozenset[Phase]
    form: Callable[[Cycle, AnyUser, Mapping[str, Any] | None], forms.Form]
    run: Callable[[Cycle, User, dict[str, Any]], Any]
    done: str | Promise
    # What else the step waits for, read from the cycle's row.
    when: Callable[[Cycle], bool] = lambda cycle: True


def shortlist_form(cycle: Cycle, user: AnyUser, data: Mapping[str, Any] | None) -> forms.Form:
    choices = [(p.pk, f"#{p.pk} {p.title}") for p in selectors.accepted_proposals(cycle)[:500]]
    return cycle_forms.ShortlistForm(
        data,
        choices=choices,
        departments=visible_departments(user).filter(is_active=True),
    )


def _shortlist_add(cycle: Cycle, by: User, data: dict[str, Any]) -> Any:
    chosen = list(selectors.accepted_proposals(cycle).filter(pk__in=data.pop("proposals")))
    return services.shortlist_add(cycle=cycle, proposals=chosen, by=by, **data)


CYCLE_ACTIONS: dict[str, CycleAction] = {
    "shortlist_add": CycleAction(
        SHORTLIST_PHASES,
        shortlist_form,
        _shortlist_add,
        _("已列入候选项目清单。"),
    ),
    # The congress reviews the list before the vote is made from it.
    "review_shortlist": CycleAction(
        SHORTLIST_PHASES | VOTE_CREATE_PHASES,
        lambda cycle, user, data: cycle_forms.ShortlistReviewForm(data),
        lambda cycle, by, d: services.shortlist_review(cycle=cycle, note=d["note"], by=by),
        _("已记录候选项目清单的审议情况，可以创建票决。"),
        when=lambda cycle: cycle.shortlist_reviewed_at is None,
    ),
    "create_vote": CycleAction(
        VOTE_CREATE_PHASES,
        lambda cycle, user, data: cycle_forms.VoteFromShortlistForm(data),
        lambda cycle, by, d: services.cycle_vote_create(
            cycle=cycle, seats=d["seats"], ballot_form=d["ballot_form"], by=by
        ),
        _("票决已按候选项目清单创建，请核对后开始投票。"),
        when=lambda cycle: cycle.shortlist_reviewed_at is not None,
    ),
}


def _cycle_standing(user: AnyUser, cycle: Cycle) -> Phase | None:
    """The phase today for the cycle's managing staff while the vote is not made from
    the list yet; nothing otherwise."""
    if not selectors.manages(user, cycle) or cycle.vote_id is not None:
        return None
    return phase(cycle, timezone.localdate())


CYCLES: ActionTable[Cycle, CycleAction] = ActionTable(
    CYCLE_ACTIONS,
    lambda now, cycle, a: now in a.phases and a.when(cycle),
    standing=_cycle_standing,
)


def cycle_action(name: str) -> CycleAction:
    return CYCLES.named(name)


def allowed_on_cycle(user: AnyUser, cycle: Cycle) -> list[str]:
    """The steps on the cycle the user may take now: the phase allows them and the vote
    has not been made from the list yet."""
    return CYCLES.allowed(user, cycle)


def take_on_cycle(cycle: Cycle, name: str, user: User, data: Mapping[str, Any]) -> CycleAction:
    declared = CYCLES.require(name, user, cycle)
    declared.run(cycle, user, validated(declared.form(cycle, user, data)))
    return declared
