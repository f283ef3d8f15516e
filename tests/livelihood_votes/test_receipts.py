"""After the close 刘红 finds her receipt in the published ballot list, with her own
choices on it; anyone who may read the list recounts it and gets the published result;
the printed 计票单 says so for the scrutineers to sign. And a restart of the server in
the middle of the vote loses no ballot: nothing of a cast ballot lives in a process."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from congress.ballots import services as ballots
from congress.models import User
from livelihood_votes import selectors, services
from livelihood_votes.models import LivelihoodVote
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, approve, candidates_of


def test_the_voter_finds_her_own_choices_after_the_close(
    cast: Cast,
    open_vote: LivelihoodVote,
    representative_user: User,
    district_staff: User,
    client: Client,
) -> None:
    first, second, third = candidates_of(open_vote)[:3]
    login(client, representative_user)
    answer = client.post(
        f"/livelihood-votes/{open_vote.pk}/ballot/",
        {"selected": [str(first.pk), str(third.pk)], "confirm": "1"},
    )
    receipt = answer.context["receipt"]
    url = f"/livelihood-votes/{open_vote.pk}/ballots/?receipt={receipt.lower().replace('-', '')}"
    assert client.get(url).status_code == 409  # nothing published while open
    services.vote_close(vote=open_vote, by=district_staff)
    page = client.get(url).content.decode()
    choices = page.split('data-testid="receipt-choices"')[1].split("</ul>")[0]
    assert first.title in choices and third.title in choices
    assert second.title not in choices and "赞成" in choices


def test_the_recount_of_the_published_list_equals_the_published_result(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    options = candidates_of(open_vote)
    for n, rep in enumerate(cast.seated[:2]):
        services.ballot_cast(
            vote=open_vote,
            representative=rep,
            choices=approve(*options[n : n + 5]),
            by=rep.user,  # type: ignore[arg-type]
        )
    services.vote_close(vote=open_vote, by=district_staff)
    open_vote.refresh_from_db()
    login(client, district_staff)
    listed = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/ballots/").json()["results"]
    recounted: dict[int, int] = {}
    for ballot in listed:  # anyone with the list can count it by hand
        for option, mark in ballot["marks"].items():
            recounted[int(option)] = recounted.get(int(option), 0) + (mark == "approve")
    published = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/results/").json()
    assert {row["candidate"]: row["approvals"] for row in published["rows"]} == {
        c.pk: recounted.get(c.pk, 0) for c in options
    }
    assert open_vote.box is not None
    assert ballots.box_recount(open_vote.box) == open_vote.box.counts
    sheet = client.get(f"/livelihood-votes/{open_vote.pk}/results/print/").content.decode()
    assert "结果与上表一致" in sheet and "监票人" in sheet


@pytest.mark.django_db(transaction=True)
def test_a_restart_mid_vote_loses_no_ballot(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    # Committed for real (no test transaction around it): what a cast wrote must be in
    # the database and the key folder when the process that wrote it is gone.
    receipts: list[Any] = [
        services.ballot_cast(vote=open_vote, representative=rep, choices={}, by=rep.user)  # type: ignore[arg-type]
        for rep in (cast.liu, cast.zhang)
    ]
    connection.close()  # the process goes away; the next request opens a new connection
    vote = LivelihoodVote.objects.get(pk=open_vote.pk)
    services.vote_close(vote=vote, by=district_staff)
    assert selectors.vote_tally(vote).ballots == 2
    assert set(selectors.visible_ballots(district_staff).values_list("receipt", flat=True)) == set(
        receipts
    )
