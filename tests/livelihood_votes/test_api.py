"""/api/v1/livelihood-votes/: scoped lists and details, the ballot with its receipt, and
results that wait for the close."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import BallotForm, LivelihoodVote, Mark
from tests.conftest import login
from tests.livelihood_votes.conftest import (
    Cast,
    candidates_of,
    make_vote,
    opened,
    paper_ballots,
    sealed_ballots,
    the_ballot,
)


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_lists_are_scoped(
    cast: Cast,
    open_vote: LivelihoodVote,
    other_vote: LivelihoodVote,
    client: Client,
    district_staff: User,
    city_staff: User,
    representative_user: User,
    clerk: User,
) -> None:
    expected = {
        district_staff: {open_vote.pk},
        city_staff: {open_vote.pk, other_vote.pk},
        representative_user: {open_vote.pk},
        clerk: set(),
    }
    for user, ids in expected.items():
        login(client, user)
        rows = client.get("/api/v1/livelihood-votes/").json()["results"]
        assert {row["id"] for row in rows} == ids, user
    login(client, representative_user)
    assert client.get(f"/api/v1/livelihood-votes/{other_vote.pk}/").status_code == 404
    assert client.get(f"/api/v1/livelihood-votes/{other_vote.pk}/candidates/").status_code == 404
    titles = [
        c["title"]
        for c in client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/candidates/").json()
    ]
    assert titles == [f"民生项目{n}" for n in range(1, 13)]


def test_casting_through_the_api(
    cast: Cast,
    open_vote: LivelihoodVote,
    representative_user: User,
    district_staff: User,
    client: Client,
) -> None:
    login(client, representative_user)
    url = f"/api/v1/livelihood-votes/{open_vote.pk}/ballot/"
    ids = [c.pk for c in candidates_of(open_vote)]
    over = post(client, url, {"selected": ids[:11]})
    assert over.status_code == 400 and over.json()["code"] == "rule_violation"
    assert "您选了11项，最多可选10项，请取消1项" in over.json()["message"]
    assert post(client, url, {"choices": {str(ids[0]): "approve"}}).status_code == 400
    done = post(client, url, {"selected": ids[:10]})
    assert done.status_code == 201 and done.json() == {"receipt": the_ballot().receipt}
    again = post(client, url, {"selected": ids[:1]})
    assert again.status_code == 409
    assert again.json() == {"code": "already_voted", "message": "您已投过票，每位代表只能投一次。"}
    # What was stored is what was ticked: after the close, projects 1-10 have her
    # approval, 11 and 12 none, and the refused and repeated posts counted nothing.
    services.vote_close(vote=open_vote, by=district_staff)
    results = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/results/").json()
    assert (results["participants"], results["ballots"], results["void_ballots"]) == (1, 1, 0)
    assert {row["candidate"]: row["approvals"] for row in results["rows"]} == {
        pk: (1 if n < 10 else 0) for n, pk in enumerate(ids)
    }


def test_approve_oppose_abstain_through_the_api(
    cast: Cast, district_staff: User, representative_user: User, client: Client
) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.PER_CANDIDATE),
        district_staff,
    )
    login(client, representative_user)
    ids = [c.pk for c in candidates_of(vote)]
    marks = ["approve"] * 3 + ["oppose"] * 4 + ["abstain"] * 5
    choices = {str(pk): mark for pk, mark in zip(ids, marks, strict=True)}
    response = post(client, f"/api/v1/livelihood-votes/{vote.pk}/ballot/", {"choices": choices})
    assert response.status_code == 201
    services.vote_close(vote=vote, by=district_staff)
    rows = client.get(f"/api/v1/livelihood-votes/{vote.pk}/results/").json()["rows"]
    stored = {row["candidate"]: (row["approvals"], row["opposes"], row["abstains"]) for row in rows}
    expected = {"approve": (1, 0, 0), "oppose": (0, 1, 0), "abstain": (0, 0, 1)}
    assert stored == {pk: expected[mark] for pk, mark in zip(ids, marks, strict=True)}


@pytest.mark.parametrize("persona", ["district_staff", "city_staff"])
def test_staff_cannot_cast(
    persona: str,
    request: pytest.FixtureRequest,
    cast: Cast,
    open_vote: LivelihoodVote,
    client: Client,
) -> None:
    login(client, request.getfixturevalue(persona))
    response = post(client, f"/api/v1/livelihood-votes/{open_vote.pk}/ballot/", {"selected": []})
    assert response.status_code == 404
    assert not sealed_ballots()


def test_results_and_ballots_after_the_close(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    representative_user: User,
    client: Client,
) -> None:
    first = candidates_of(open_vote)[0]
    receipts = []
    for rep in (cast.liu, cast.zhang):
        receipts.append(
            services.ballot_cast(
                vote=open_vote, representative=rep, choices={first.pk: Mark.APPROVE}, by=rep.user
            )
        )  # type: ignore[arg-type]
    paper_ballots(open_vote, cast.others[:4], [{first.pk: Mark.APPROVE}] * 4, district_staff)
    services.vote_close(vote=open_vote, by=district_staff)
    login(client, representative_user)
    results = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/results/").json()
    assert (results["electorate"], results["participants"], results["quorate"]) == (10, 6, True)
    top = results["rows"][0]
    assert (top["candidate"], top["approvals"], top["passed"], top["elected"]) == (
        first.pk,
        6,
        True,
        True,
    )
    assert results["tied"] == [] and results["approvals_needed"] == 6
    listing = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/ballots/").json()
    assert listing["count"] == 6
    assert [b["receipt"] for b in listing["results"]] == sorted(
        b["receipt"] for b in listing["results"]
    )
    found = client.get(
        f"/api/v1/livelihood-votes/{open_vote.pk}/ballots/", {"receipt": receipts[0]}
    ).json()
    assert [b["receipt"] for b in found["results"]] == [receipts[0]]
