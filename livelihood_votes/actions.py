"""The staff's steps on a vote (开始投票, 结束投票, 取消票决), as data: one declaration per
step with the move of ``VOTE_TRANSITIONS`` it makes (its from-states decide when it
may be taken), its form and the one service it calls (docs/architecture.md,
"Checklist: add a new case type", step 5).

Who may: the staff who manage the vote (``selectors.manages``: staff of its congress's
region or above, or an administrator). ``allowed`` derives what a user may do now from
this table and nothing else restates it; the vote's page shows its buttons from it,
and the page's POST view and the API's one ``actions/<name>/`` route take a step
through ``take``: a name not in the table is ``UnknownAction`` (400), a step the user
may not take now ``InvalidTransition`` (409).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable, validated
from congress.models import User
from congress.scoping import AnyUser
from livelihood_votes import selectors, services
from livelihood_votes.forms import CancelForm
from livelihood_votes.models import LivelihoodVote
from livelihood_votes.workflow import VOTE_TRANSITIONS


@dataclass(frozen=True)
class VoteAction:
    """One step the managing staff take on a vote: the move of ``VOTE_TRANSITIONS`` it
    makes, its form, its service, and what the page says once it is done."""

    move: str
    form: type[forms.Form]
    run: Callable[[LivelihoodVote, User, dict[str, Any]], Any]
    done: str | Promise


VOTE_ACTIONS: dict[str, VoteAction] = {
    "open": VoteAction(
        "vote_open",
        forms.Form,
        lambda vote, by, d: services.vote_open(vote=vote, by=by),
        _("已开始投票。"),
    ),
    "close": VoteAction(
        "vote_close",
        forms.Form,
        lambda vote, by, d: services.vote_close(vote=vote, by=by),
        _("投票已结束，计票结果已公布。"),
    ),
    "cancel": VoteAction(
        "vote_cancel",
        CancelForm,
        lambda vote, by, d: services.vote_cancel(vote=vote, by=by, reason=d["reason"]),
        _("票决已取消。"),
    ),
}


TABLE = ActionTable(
    VOTE_ACTIONS,
    lambda manages, vote, action: vote.status in VOTE_TRANSITIONS[action.move][0],
    standing=selectors.manages,
)


def vote_action(name: str) -> VoteAction:
    """The declaration of ``name``; an unknown name is an error (400), never ignored."""
    return TABLE.named(name)


def allowed(user: AnyUser, vote: LivelihoodVote) -> list[str]:
    """The steps the user may take on the vote now, in the table's order."""
    return TABLE.allowed(user, vote)


def take(vote: LivelihoodVote, name: str, user: User, data: Mapping[str, Any]) -> VoteAction:
    """Take one step for the page or the API (congress/actions.py: unknown name 400, not
    allowed now 409, a form that does not validate 400); the declaration comes back (the
    page says its ``done``)."""
    declared = TABLE.require(name, user, vote)
    declared.run(vote, user, validated(declared.form(data)))
    return declared
