"""Access rules of the livelihood year's cycle, call for proposals, screening and
shortlist (livelihood_votes/cycles/).

Scopes (livelihood_votes/cycles/selectors.py): staff of the cycle's region or above run
it (its page, the screening list, the steps); a proposal is seen by them and by whoever
made it; representatives with a seat in the cycle's congress and clerks of a department
in its region propose to an open call; the call's pages, its counts and a proposal's
tracking link are public. Everyone else gets 404. 刘红 (representative) sits in 海州区's
congress in these rules; 赵磊 (clerk) is of a 海州区 department, 孙丽 (other_clerk) of a
临江区 one.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from congress.models import User
from livelihood_votes.cycles import services
from livelihood_votes.models import Cycle, Proposal, ProposalChannel
from livelihood_votes.models.cycles import ShortlistEntry
from representatives.models import Representative
from tests.representatives.factories import RepresentativeFactory, seat
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    api,
    everyone,
    only,
    outcomes,
    page,
    signed_in,
)
from tests.security.conftest import Cast

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
BAD_REQUEST = 400
FORM_KEY = uuid.UUID("00000000-0000-4000-8000-000000000018")


def _side(cast: Cast, side: str) -> tuple[Any, User]:
    world = cast.world
    if side == "in":
        return world.district, cast.district_staff
    return world.other_district, cast.other_district_staff


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def _seat_liu(cast: Cast) -> None:
    """刘红 (the representative persona) holds a seat in 海州区's congress."""
    if not Representative.objects.filter(user=cast.representative).exists():
        liu = RepresentativeFactory(
            name="刘红", region=cast.world.village, user=cast.representative
        )
        seat(liu, cast.world.district)


def _cycle(cast: Cast, side: str) -> Cycle:
    """The district's year, its call open since five days and for thirty more."""
    region, staff = _side(cast, side)
    _seat_liu(cast)
    found = Cycle.objects.filter(region=region).first()
    if found is not None:
        return found
    return services.cycle_create(
        congress=region.congress,
        year=TODAY.year + 1,
        title=f"{region.name}民生实事项目",
        by=staff,
        call_opens_on=TODAY - 5 * DAY,
        call_closes_on=TODAY + 30 * DAY,
    )


def _proposal(cast: Cast, side: str) -> Proposal:
    cycle = _cycle(cast, side)
    region, _staff = _side(cast, side)
    return services.proposal_submit(
        cycle=cycle,
        channel=ProposalChannel.CITIZEN,
        region=region,
        title=f"建设老年食堂{Proposal.objects.count()}",
        description="希望建一个老年食堂",
        place="桃园社区",
        theme="elderly",
        mobile=f"139{Proposal.objects.count():08d}",
    ).proposal


def _shortlisted(cast: Cast, side: str) -> Cycle:
    """A fresh cycle of the side whose screening has closed, with one project on its list."""
    region, staff = _side(cast, side)
    _seat_liu(cast)
    year = TODAY.year + 2 + Cycle.objects.filter(region=region).count()
    cycle = services.cycle_create(
        congress=region.congress,
        year=year,
        title=f"{region.name}{year}民生实事项目",
        by=staff,
        call_opens_on=TODAY - 5 * DAY,
        call_closes_on=TODAY + 30 * DAY,
    )
    proposal = services.proposal_submit(
        cycle=cycle,
        channel=ProposalChannel.CITIZEN,
        region=region,
        title="改造背街小巷",
        description="路面破损",
        place="幸福路",
        theme="housing",
        mobile="13911112222",
    ).proposal
    services.cycle_edit(
        cycle=cycle,
        by=staff,
        call_opens_on=TODAY - 40 * DAY,
        call_closes_on=TODAY - 3 * DAY,
        screening_closes_on=TODAY + 3 * DAY,
    )
    services.proposal_accept(proposal=proposal, by=staff)
    department = cast.world.department if side == "in" else cast.world.other_department
    services.shortlist_add(
        cycle=cycle,
        proposals=[proposal],
        title="改造背街小巷10条",
        description="—",
        department=department,
        budget=Decimal("100"),
        deadline=TODAY + 300 * DAY,
        place="幸福路",
        by=staff,
    )
    services.cycle_edit(cycle=cycle, by=staff, screening_closes_on=TODAY - DAY)
    services.shortlist_review(cycle=cycle, note="经主任会议审议，同意提交代表票决。", by=staff)
    return cycle


def cycle(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lc_{side}", lambda: _cycle(cast, side)).pk}


def proposal(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"lp_{side}", lambda: _proposal(cast, side)).pk}


def fresh_proposal(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _proposal(cast, side).pk, **extra}


def fresh_shortlisted(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _shortlisted(cast, side).pk, **extra}


def fresh_entry(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = _shortlisted(cast, side)
        return {"pk": found.pk, "entry_id": found.shortlist.get().pk}

    return build


def tracking(cast: Cast) -> dict[str, Any]:
    cache.clear()  # the public pages' rate limit counts every persona from one address
    return {"token": _once(cast, "lp_in", lambda: _proposal(cast, "in")).tracking_token}


def made_up_token(cast: Cast) -> dict[str, Any]:
    cache.clear()
    _once(cast, "lp_in", lambda: _proposal(cast, "in"))
    return {"token": "no-such-token-" + "x" * 20}


def public_cycle(cast: Cast) -> dict[str, Any]:
    cache.clear()
    return cycle("in")(cast)


def proposal_form(cast: Cast) -> dict[str, Any]:
    return {
        "idempotency_key": str(FORM_KEY),
        "title": "桃园社区建设口袋公园",
        "description": "社区缺少休闲场地",
        "place": "桃园社区东侧空地",
        "area": cast.world.town.pk,
        "theme": "environment",
        "mobile": "13955556666",
    }


def _proposal_status(cast: Cast, args: dict[str, Any]) -> str:
    return Proposal.objects.get(pk=args["pk"]).status


def _cycle_vote(cast: Cast, args: dict[str, Any]) -> Any:
    return Cycle.objects.get(pk=args["pk"]).vote_id


def _entries(cast: Cast, args: dict[str, Any]) -> int:
    return ShortlistEntry.objects.filter(cycle_id=args["pk"]).count()


def staff_only(side_in: Builder, side_out: Builder, **kwargs: Any) -> Rule:
    return Rule(
        (
            Case("in 海州区", only(DISTRICT), side_in, **kwargs),
            Case("in 临江区", only(OTHER_DISTRICT), side_out, **kwargs),
        )
    )


_VOTE = {"seats": 1, "ballot_form": "up_to_n"}
GET_IS_NO_STEP = outcomes(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(STAFF, NOT_ALLOWED))

RULES: dict[str, Rule] = {
    "livelihood_cycle_list": page(only(STAFF)),
    "livelihood_cycle_create": page(only(STAFF)),
    "livelihood_my_proposals": page(signed_in()),
    "livelihood_cycle_detail": staff_only(cycle("in"), cycle("out")),
    "livelihood_cycle_edit": staff_only(cycle("in"), cycle("out")),
    "livelihood_proposal_list": staff_only(cycle("in"), cycle("out")),
    "livelihood_cycle_act": Rule(
        (
            Case(
                "依清单创建票决 in 海州区: its staff",
                only(DISTRICT, ok=REDIRECT),
                fresh_shortlisted("in", action="create_vote"),
                "POST",
                lambda c: _VOTE,
                fresh=True,
                unchanged=_cycle_vote,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_shortlisted("out", action="create_vote"),
                "POST",
                lambda c: _VOTE,
                fresh=True,
                unchanged=_cycle_vote,
            ),
            Case(
                "GET is not a step",
                GET_IS_NO_STEP,
                lambda c: {**cycle("in")(c), "action": "create_vote"},
            ),
        )
    ),
    "livelihood_shortlist_remove": Rule(
        (
            Case(
                "in 海州区: its staff",
                only(DISTRICT, ok=REDIRECT),
                fresh_entry("in"),
                "POST",
                fresh=True,
                unchanged=_entries,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_entry("out"),
                "POST",
                fresh=True,
                unchanged=_entries,
            ),
        )
    ),
    "livelihood_proposal_detail": staff_only(proposal("in"), proposal("out")),
    "livelihood_proposal_act": Rule(
        (
            Case(
                "采纳 in 海州区: its staff",
                only(DISTRICT, ok=REDIRECT),
                fresh_proposal("in", action="accept"),
                "POST",
                fresh=True,
                unchanged=_proposal_status,
            ),
            Case(
                "in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_proposal("out", action="accept"),
                "POST",
                fresh=True,
                unchanged=_proposal_status,
            ),
            Case(
                "GET is not a step",
                outcomes(NOT_ALLOWED, anonymous=LOGIN),
                lambda c: {**proposal("in")(c), "action": "accept"},
            ),
        )
    ),
    "livelihood_propose": Rule(
        (
            Case(
                "海州区's open call: its representative and its departments' clerk",
                only(("representative", "clerk")),
                cycle("in"),
            ),
            Case(
                "临江区's open call: its departments' clerk", only(("other_clerk",)), cycle("out")
            ),
        )
    ),
    # --- public ---
    "livelihood_call_list": page(everyone(OK)),
    "livelihood_call": Rule(
        (
            Case("an open call", everyone(OK), public_cycle),
            Case("a made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        )
    ),
    "livelihood_call_propose": Rule(
        (
            Case("the form", everyone(OK), public_cycle),
            Case(
                "a real proposal (one key: the first stores it, a retry finds it)",
                everyone(REDIRECT),
                public_cycle,
                "POST",
                proposal_form,
            ),
            Case("a made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        ),
        note="a public form: no account, rate-limited, one idempotency key per form",
    ),
    "livelihood_proposal_track": Rule(
        (
            Case("the proposer's own link", everyone(OK), tracking),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token),
        ),
        note="a capability URL: whoever holds the link sees that one proposal's outcome",
    ),
    # --- API ---
    "livelihood-cycle-list": page(api(signed_in())),
    "livelihood-cycle-detail": Rule(
        (
            Case("in 海州区", api(only(DISTRICT)), cycle("in")),
            Case("in 临江区", api(only(OTHER_DISTRICT)), cycle("out")),
        )
    ),
    "livelihood-cycle-shortlist": Rule(
        (
            Case("in 海州区", api(only(DISTRICT)), cycle("in")),
            Case("in 临江区", api(only(OTHER_DISTRICT)), cycle("out")),
        )
    ),
    "livelihood-cycle-counts": Rule(
        (
            Case("in 海州区", api(only(DISTRICT)), cycle("in")),
            Case("in 临江区", api(only(OTHER_DISTRICT)), cycle("out")),
        )
    ),
    "livelihood-cycle-act": Rule(
        (
            Case(
                "依清单创建票决 in 海州区",
                api(only(DISTRICT)),
                fresh_shortlisted("in", action_name="create_vote"),
                "POST",
                lambda c: _VOTE,
                fresh=True,
                unchanged=_cycle_vote,
            ),
            Case(
                "in 临江区",
                api(only(OTHER_DISTRICT)),
                fresh_shortlisted("out", action_name="create_vote"),
                "POST",
                lambda c: _VOTE,
                fresh=True,
                unchanged=_cycle_vote,
            ),
            Case(
                "a name that is no step: 400 for who runs it",
                api(only(DISTRICT, ok=BAD_REQUEST)),
                lambda c: {**cycle("in")(c), "action_name": "nonsense"},
                "POST",
            ),
        )
    ),
    "livelihood-proposal-list": page(api(signed_in())),
    "livelihood-proposal-detail": Rule(
        (
            Case("in 海州区", api(only(DISTRICT)), proposal("in")),
            Case("in 临江区", api(only(OTHER_DISTRICT)), proposal("out")),
        )
    ),
    "livelihood-proposal-act": Rule(
        (
            Case(
                "采纳 in 海州区",
                api(only(DISTRICT)),
                fresh_proposal("in", action_name="accept"),
                "POST",
                fresh=True,
                unchanged=_proposal_status,
            ),
            Case(
                "in 临江区",
                api(only(OTHER_DISTRICT)),
                fresh_proposal("out", action_name="accept"),
                "POST",
                fresh=True,
                unchanged=_proposal_status,
            ),
            Case(
                "a name that is no step: 400 for who screens it",
                api(only(DISTRICT, ok=BAD_REQUEST)),
                lambda c: {**proposal("in")(c), "action_name": "nonsense"},
                "POST",
            ),
        )
    ),
    "livelihood_public_calls": page(everyone(OK)),
    "livelihood_public_call": Rule(
        (
            Case("an open call's counts", everyone(OK), public_cycle),
            Case("a made-up id", everyone(NOT_FOUND), lambda c: {"pk": 987654}),
        ),
        note="public counts by area and theme, no proposer data",
    ),
}

__all__ = ["API_ANONYMOUS", "OK", "RULES"]
