"""The secret ballot: nothing links a ballot to its voter, and nobody, staff and
administrators included, sees a count per project while the vote is open."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from congress.models import BallotBox, Elector, PublishedBallot, SealedBallot, User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, approve, candidates_of, sealed_ballots


def test_no_field_links_a_ballot_to_its_voter() -> None:
    assert {f.name for f in SealedBallot._meta.get_fields()} == {
        "id",
        "box",
        "sealed",
        "source",
        "sheet",  # a paper ballot's number, from the counting desk: anonymous paper
    }
    assert {f.name for f in PublishedBallot._meta.get_fields()} == {
        "id",
        "box",
        "receipt",
        "source",
        "sheet",
        "marks",
        "void",
        "void_reason",
    }
    assert {f.name for f in Elector._meta.get_fields()} == {"id", "box", "voter", "channel"}
    for model in (SealedBallot, PublishedBallot, Elector):
        for field in model._meta.get_fields():
            # No time of its own, and no relation but to the box.
            assert not isinstance(field, models.DateField | models.DateTimeField), field
            related = getattr(field, "related_model", None)
            assert related is None or related is BallotBox, field
    assert PublishedBallot._meta.ordering == ["box", "receipt"]


def test_ids_are_random_and_nothing_is_in_the_clear(cast: Cast, open_vote: LivelihoodVote) -> None:
    picks = candidates_of(open_vote)[:3]
    receipts = [
        services.ballot_cast(
            vote=open_vote, representative=rep, choices=approve(*picks), by=rep.user
        )  # type: ignore[arg-type]
        for rep in (cast.liu, cast.zhang)
    ]
    for model in (SealedBallot, PublishedBallot, Elector):
        assert isinstance(model._meta.pk, models.UUIDField), model
    rows = list(SealedBallot.objects.all())
    assert all(isinstance(r.id, uuid.UUID) and r.id.version == 4 for r in rows)
    sealed = [bytes(r.sealed) for r in rows]
    # One length for every ballot of the box, two equal ballots unlike each other, and
    # neither the receipt nor a candidate's id readable in them.
    assert len({len(b) for b in sealed}) == 1 and sealed[0] != sealed[1]
    for blob in sealed:
        assert all(r.encode() not in blob for r in receipts)
    assert len(set(receipts)) == 2 and all(len(r) == 14 for r in receipts)


@pytest.mark.parametrize(
    "persona", ["district_staff", "city_staff", "administrator", "representative_user"]
)
def test_no_counts_while_open_for_anyone(
    persona: str,
    request: pytest.FixtureRequest,
    cast: Cast,
    open_vote: LivelihoodVote,
    client: Client,
) -> None:
    services.ballot_cast(
        vote=open_vote,
        representative=cast.zhang,
        choices=approve(*candidates_of(open_vote)[:3]),
        by=cast.zhang.user,  # type: ignore[arg-type]
    )
    login(client, request.getfixturevalue(persona))
    page = client.get(f"/livelihood-votes/{open_vote.pk}/results/")
    assert page.status_code == 409
    assert "投票结束前不公布计票结果" in page.content.decode()
    assert client.get(f"/livelihood-votes/{open_vote.pk}/ballots/").status_code == 409
    api = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/results/")
    assert api.status_code == 409 and api.json()["code"] == "results_not_published"
    assert client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/ballots/").status_code == 409
    detail = client.get(f"/livelihood-votes/{open_vote.pk}/").content.decode()
    assert "/results/" not in detail
    api_detail = client.get(f"/api/v1/livelihood-votes/{open_vote.pk}/").json()
    assert not {"approvals", "tally", "results", "rows"} & set(api_detail)


def test_the_roll_call_shows_names_and_no_times(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    services.ballot_cast(vote=open_vote, representative=cast.zhang, choices={}, by=cast.zhang.user)  # type: ignore[arg-type]
    services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=cast.liu.user)  # type: ignore[arg-type]
    login(client, district_staff)
    page = client.get(f"/livelihood-votes/{open_vote.pk}/participants/").content.decode()
    assert page.index("刘红") < page.index("张伟")  # by name, not by the order they voted
    body = page.split('data-testid="participants"')[1].split("</ul>")[0]
    assert ":" not in body  # no time of day anywhere in the list


def test_the_receipt_is_kept_nowhere_that_names_the_voter(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    picks = [str(c.pk) for c in candidates_of(open_vote)[:3]]
    response = client.post(
        f"/livelihood-votes/{open_vote.pk}/ballot/", {"selected": picks, "confirm": "1"}
    )
    (receipt,) = [b.receipt for b in sealed_ballots()]
    assert receipt in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert receipt not in str(dict(client.session))
    assert all(receipt not in str(s.get_decoded()) for s in Session.objects.all())
