"""Access rules of the livelihood-project vote (民生实事项目票决).

Scopes (livelihood_votes/selectors.py): staff see the votes of the congresses in their
region and below and run them; a representative sees the votes (not drafts) of the
congresses where they hold a seat, votes in them, and reads results and the ballot list
once closed; everyone else gets 404. Results and the ballot list are 409 for everyone
while a vote is open. 刘红 (representative) sits for 海州区, 吴明 (other representative)
for 临江区; each district holds its own vote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from congress.models import Region, User
from livelihood_votes import services
from livelihood_votes.models import Candidate, LivelihoodVote
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
    only,
    outcomes,
    page,
    scoped,
    signed_in,
)
from tests.security.access_rules_representatives import rep_in, rep_out
from tests.security.conftest import Cast

REPS = ("representative", "other_representative")
REP_IN = (*DISTRICT, "representative")
REP_OUT = (*OTHER_DISTRICT, "other_representative")
CONFLICT = 409


# --- objects ------------------------------------------------------------------------


def _staff(cast: Cast, region: Region) -> User:
    return cast.district_staff if region == cast.world.district else cast.other_district_staff  # type: ignore[no-any-return]


def _draft(cast: Cast, region: Region) -> LivelihoodVote:
    rep_in(cast), rep_out(cast)  # the electorates
    by = _staff(cast, region)
    vote = services.vote_create(
        congress=region.congress, title=f"{region.name}民生实事项目票决", year=2026, seats=10, by=by
    )
    for n in range(12):
        services.candidate_add(vote=vote, title=f"民生项目{n + 1}", by=by)
    return vote


def _open(cast: Cast, region: Region) -> LivelihoodVote:
    return services.vote_open(vote=_draft(cast, region), by=_staff(cast, region))


def _closed(cast: Cast, region: Region) -> LivelihoodVote:
    return services.vote_close(vote=_open(cast, region), by=_staff(cast, region))


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def vote(state: str, side: str) -> Builder:
    """The URL kwargs of a vote in ``state`` (draft/open/closed) in 海州区 (in) or 临江区 (out)."""
    make = {"draft": _draft, "open": _open, "closed": _closed}[state]

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        found = _once(cast, f"lv_{state}_{side}", lambda: make(cast, region))
        return {"pk": found.pk}

    return build


def fresh_vote(state: str, side: str) -> Builder:
    """A new vote for each request (the request changes it)."""
    make = {"draft": _draft, "open": _open, "closed": _closed}[state]

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        return {"pk": make(cast, region).pk}

    return build


def fresh_candidate(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        draft = _draft(cast, region)
        candidate = draft.candidates.first()
        assert isinstance(candidate, Candidate)
        return {"pk": draft.pk, "candidate_id": candidate.pk}

    return build


def fresh_vote_in_hall(side: str) -> Builder:
    """A new open vote in which the side's representative signed in for a paper ballot
    (so sheet 1 may be entered)."""

    def build(cast: Cast) -> dict[str, Any]:
        region = cast.world.district if side == "in" else cast.world.other_district
        found = _open(cast, region)
        rep = rep_in(cast) if side == "in" else rep_out(cast)
        services.participation_sign_in(vote=found, representative=rep, by=_staff(cast, region))
        return {"pk": found.pk}

    return build


def in_hall(build: Callable[[str], Builder], data: Callable[[Cast, str], dict[str, Any]]) -> Rule:
    """签到 and 录入: the staff of the vote's region (and above) see the page and post to
    it (each post on a fresh open vote); everyone else gets 404."""
    return Rule(
        (
            *scoped(vote("open", "in"), vote("open", "out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                build("in"),
                "POST",
                lambda c: data(c, "in"),
                fresh=True,
            ),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                build("out"),
                "POST",
                lambda c: data(c, "out"),
                fresh=True,
            ),
        )
    )


def _sign_in_data(cast: Cast, side: str) -> dict[str, Any]:
    rep = rep_in(cast) if side == "in" else rep_out(cast)
    return {"representative": rep.pk, "q": rep.name}


def _with(builder: Builder, **extra: Any) -> Builder:
    return lambda cast: {**builder(cast), **extra}


def reps_exist(cast: Cast) -> dict[str, Any]:
    rep_in(cast)
    rep_out(cast)
    return {}


def _status_of(cast: Cast, args: dict[str, Any]) -> str:
    return LivelihoodVote.objects.get(pk=args["pk"]).status  # type: ignore[no-any-return]


# --- rule shapes ---------------------------------------------------------------------------


def staff_post(build_in: Builder, build_out: Builder, data: Builder | None = None) -> Rule:
    """A staff action on a vote: GET is 405 for staff, 404 for the rest; POST redirects
    for staff whose region holds the vote and is 404 for everyone else."""
    return Rule(
        (
            Case("get", only(STAFF, ok=NOT_ALLOWED), build_in),
            Case("post in 海州区", only(DISTRICT, ok=REDIRECT), build_in, "POST", data, fresh=True),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                build_out,
                "POST",
                data,
                fresh=True,
            ),
        )
    )


def published(route_kind: str = "page") -> Rule:
    """Results and the ballot list: who sees the vote once closed; 409 while open."""
    wrap = api if route_kind == "api" else (lambda expect: expect)
    return Rule(
        (
            Case("closed, in 海州区", wrap(only(REP_IN)), vote("closed", "in")),
            Case("closed, in 临江区", wrap(only(REP_OUT)), vote("closed", "out")),
            Case("open: nobody sees counts", wrap(only(REP_IN, ok=CONFLICT)), vote("open", "in")),
        )
    )


RULES: dict[str, Rule] = {
    "livelihood_vote_list": page(
        outcomes(
            NOT_FOUND,
            anonymous=LOGIN,
            representative=REDIRECT,
            other_representative=REDIRECT,
            **dict.fromkeys(STAFF, OK),
        ),
        args=reps_exist,
    ),
    "livelihood_vote_create": page(only(STAFF), args=reps_exist),
    "my_livelihood_votes": page(only(REPS), args=reps_exist),
    "livelihood_vote_detail": Rule(
        (
            *scoped(
                vote("open", "in"), vote("open", "out"), allowed_in=REP_IN, allowed_out=REP_OUT
            ).cases,
            Case("a draft is for staff", only(DISTRICT), vote("draft", "in")),
        )
    ),
    "livelihood_candidate_add": staff_post(
        vote("draft", "in"), vote("draft", "out"), data=lambda c: {"title": "新建幼儿园"}
    ),
    "livelihood_candidate_remove": staff_post(fresh_candidate("in"), fresh_candidate("out")),
    "livelihood_vote_act": staff_post(
        _with(fresh_vote("draft", "in"), action="cancel"),
        _with(fresh_vote("draft", "out"), action="cancel"),
    ),
    "livelihood_vote_participants": scoped(vote("open", "in"), vote("open", "out")),
    "livelihood_vote_sign_in": in_hall(lambda side: fresh_vote("open", side), _sign_in_data),
    "livelihood_vote_paper": in_hall(
        fresh_vote_in_hall, lambda cast, side: {"sheet": 1, "selected": []}
    ),
    "livelihood_vote_results": published(),
    "livelihood_vote_results_print": published(),
    "livelihood_vote_ballots": published(),
    "livelihood_vote_runoff": staff_post(vote("closed", "in"), vote("closed", "out")),
    "livelihood_ballot": Rule(
        (
            Case("the ballot in 海州区", only(("representative",)), vote("open", "in")),
            Case("the ballot in 临江区", only(("other_representative",)), vote("open", "out")),
            Case(
                "casting in 海州区",
                only(("representative",)),
                fresh_vote("open", "in"),
                "POST",
                lambda c: {"selected": [], "confirm": "1"},
                fresh=True,
            ),
            Case(
                "casting in 临江区",
                only(("other_representative",)),
                fresh_vote("open", "out"),
                "POST",
                lambda c: {"selected": [], "confirm": "1"},
                fresh=True,
            ),
        )
    ),
    # The API
    "livelihood-vote-list": Rule((Case("list", api(signed_in()), reps_exist),)),
    "livelihood-vote-detail": scoped(
        vote("open", "in"),
        vote("open", "out"),
        allowed_in=REP_IN,
        allowed_out=REP_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "livelihood-vote-candidates": scoped(
        vote("open", "in"),
        vote("open", "out"),
        allowed_in=REP_IN,
        allowed_out=REP_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "livelihood-vote-ballot": Rule(
        (
            Case("get", api(signed_in(NOT_ALLOWED)), vote("open", "in")),
            Case(
                "post in 海州区",
                api(only(("representative",), ok=201)),
                fresh_vote("open", "in"),
                "POST",
                lambda c: {"selected": []},
                fresh=True,
            ),
            Case(
                "post in 临江区",
                api(only(("other_representative",), ok=201)),
                fresh_vote("open", "out"),
                "POST",
                lambda c: {"selected": []},
                fresh=True,
            ),
        )
    ),
    # The staff's steps (livelihood_votes/actions.py, VOTE_ACTIONS): the managing staff
    # take them; out of scope 404; a representative who sees the vote, or a step the
    # state does not allow now, 409; a name that is no step 400.
    "livelihood-vote-act": Rule(
        (
            Case(
                "取消 a draft in 海州区 (drafts are staff's only)",
                api(only(DISTRICT)),
                _with(fresh_vote("draft", "in"), action_name="cancel"),
                "POST",
                lambda c: {"reason": "重新征集"},
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "取消 a draft in 临江区",
                api(only(OTHER_DISTRICT)),
                _with(fresh_vote("draft", "out"), action_name="cancel"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "结束 an open vote in 海州区: its representative sees it, 409",
                api(
                    outcomes(
                        NOT_FOUND,
                        anonymous=LOGIN,
                        representative=CONFLICT,
                        **dict.fromkeys(DISTRICT, OK),
                    )
                ),
                _with(fresh_vote("open", "in"), action_name="close"),
                "POST",
                fresh=True,
                unchanged=_status_of,
            ),
            Case(
                "开始 a closed vote: not now, 409 for all who see it",
                api(only(REP_IN, ok=CONFLICT)),
                _with(vote("closed", "in"), action_name="open"),
                "POST",
                unchanged=_status_of,
            ),
            Case(
                "a name that is no step: 400 for all who see the vote",
                api(only(REP_OUT, ok=400)),
                _with(vote("open", "out"), action_name="publish"),
                "POST",
                unchanged=_status_of,
            ),
        )
    ),
    "livelihood-vote-results": published("api"),
    "livelihood-vote-ballots": published("api"),
}


# --- writes that would move a vote into another jurisdiction (docs/security.md) -----------
# A vote for 临江区's congress, or a candidate handled by 临江区's bureau on 海州区's
# vote: 海州区's staff are told it is not a valid choice (the form comes back, 200, or
# its page says so), which confirms nothing; nobody may pick a bureau of another
# district for 海州区's vote; the vote's own staff and those above may create it. What a refused
# request would have added is counted back (Case.unchanged).


def _votes_counted(cast: Cast, args: dict[str, Any]) -> int:
    return LivelihoodVote.objects.count()


def _candidates_of(cast: Cast, args: dict[str, Any]) -> list[Any]:
    return list(Candidate.objects.filter(vote=args["pk"]).values_list("pk", "department"))


def _add_cases(key: str, *cases: Case) -> None:
    rule = RULES[key]
    RULES[key] = Rule((*rule.cases, *cases), rule.note, rule.methods)


_add_cases(
    "livelihood_vote_create",
    Case(
        "for 临江区's congress",
        outcomes(
            NOT_FOUND,
            anonymous=LOGIN,
            district_staff=400,  # not a congress of theirs: the form comes back, a 400
            **dict.fromkeys(OTHER_DISTRICT, REDIRECT),
        ),
        reps_exist,
        "POST",
        lambda c: {
            "congress": c.world.other_district.congress.pk,
            "year": "2027",
            "title": "临江区2027年民生实事项目票决",
            "seats": "10",
            "ballot_form": "up_to_n",
        },
        unchanged=_votes_counted,
    ),
)
_add_cases(
    "livelihood_candidate_add",
    Case(
        # The form sits on the vote's page and goes back to it with the error.
        "handled by 临江区's bureau",
        only(DISTRICT, ok=REDIRECT),
        vote("draft", "in"),
        "POST",
        lambda c: {"title": "新建幼儿园", "department": c.world.other_department.pk},
        unchanged=_candidates_of,
        # The city's staff and an administrator hold both places and may, today (a
        # formal suggestion refuses another district's bureau even to them, 400).
        writers=("city_staff", "administrator"),
    ),
)
