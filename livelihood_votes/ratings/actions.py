"""The staff's steps on a cycle's year-end rating (开始测评, 结束测评并计票, 公布结果), as
data: one declaration per step with the state it starts from (a cycle with no round
yet, or the round's status, read from ``RATING_TRANSITIONS``), its form and the one
service it calls (docs/architecture.md, "Checklist: add a new case type", step 5).

Who may: the staff who run the cycle (``selectors.manages``: staff of its region or
above, or an administrator). ``allowed`` derives what a user may do now from this table
and nothing else restates it; the rating's staff page shows its buttons from it, and the
page's POST view and the API's one ``actions/<name>/`` route take a step through
``take``: a name not in the table is ``UnknownAction`` (400), a step the user may not
take now ``InvalidTransition`` (409).
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
from livelihood_votes.models import Cycle
from livelihood_votes.models.ratings import RatingRound
from livelihood_votes.ratings import selectors, services
from livelihood_votes.ratings.workflow import RATING_TRANSITIONS

NOT_OPENED = ""  # the state of a cycle whose rating has not been opened


@dataclass(frozen=True)
class RatingAction:
    label: str | Promise
    sources: frozenset[str]
    form: type[forms.Form]
    run: Callable[[Cycle, RatingRound | None, User, dict[str, Any]], Any]
    done: str | Promise
    style: str = "primary"


def _round(rating: RatingRound | None) -> RatingRound:
    assert rating is not None  # the sources say there is one
    return rating


RATING_ACTIONS: dict[str, RatingAction] = {
    "open": RatingAction(
        _("开始满意度测评"),
        frozenset({NOT_OPENED}),
        forms.Form,
        lambda cycle, rating, by, d: services.rating_open(cycle=cycle, by=by),
        _("满意度测评已开始。"),
    ),
    "close": RatingAction(
        _("结束测评并计票"),
        RATING_TRANSITIONS["rating_close"][0],
        forms.Form,
        lambda cycle, rating, by, d: services.rating_close(rating=_round(rating), by=by),
        _("测评已结束，各项目的测评结果已写入。"),
        "danger",
    ),
    "publish": RatingAction(
        _("公布测评结果"),
        RATING_TRANSITIONS["rating_publish"][0],
        forms.Form,
        lambda cycle, rating, by, d: services.rating_publish(rating=_round(rating), by=by),
        _("测评结果已公布。"),
    ),
}


def round_of(cycle: Cycle) -> RatingRound | None:
    return RatingRound.objects.filter(cycle=cycle).select_related("box", "cycle").first()


def _state(rating: RatingRound | None) -> str:
    return NOT_OPENED if rating is None else rating.status


# The object is the cycle with its round (none before 开始测评).
TABLE: ActionTable[tuple[Cycle, RatingRound | None], RatingAction] = ActionTable(
    RATING_ACTIONS,
    lambda manages, state, action: _state(state[1]) in action.sources,
    standing=lambda user, state: selectors.manages(user, state[0]),
)


def rating_action(name: str) -> RatingAction:
    """The declaration of ``name``; an unknown name is an error (400), never ignored."""
    return TABLE.named(name)


def allowed(user: AnyUser, cycle: Cycle, rating: RatingRound | None) -> list[str]:
    """The steps the user may take on the cycle's rating now, in the table's order."""
    return TABLE.allowed(user, (cycle, rating))


def take(cycle: Cycle, name: str, user: User, data: Mapping[str, Any]) -> RatingAction:
    """Take one step for the page or the API (congress/actions.py: unknown name 400, not
    allowed now 409, a form that does not validate 400)."""
    rating = round_of(cycle)
    declared = TABLE.require(name, user, (cycle, rating))
    declared.run(cycle, rating, user, validated(declared.form(data)))
    return declared
