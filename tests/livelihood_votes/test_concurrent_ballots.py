"""50 concurrent ballots from one representative (issue 7): exactly one participation,
one ballot, 49 clean "already voted" answers, no server error.

Each thread has its own database connection. On PostgreSQL the unique (vote,
representative) constraint decides; SQLite lets one writer in at a time, and a writer
that cannot get in is told ``BallotBusy`` (nothing written, safe to retry): the threads
here retry it, as the voter's phone would, and still only one ballot exists.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction
from django.test import Client
from knox.models import AuthToken

from congress.models import PublishedBallot, User
from livelihood_votes import services
from livelihood_votes.errors import AlreadyVoted, BallotBusy
from livelihood_votes.models import LivelihoodVote
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    marks_cast,
    sealed_ballots,
    voted,
)

pytestmark = pytest.mark.django_db(transaction=True)
CLICKS = 50


def in_threads(work: Callable[[int], Any], count: int = CLICKS) -> list[Any]:
    barrier = threading.Barrier(count)

    def run(n: int) -> Any:
        close_old_connections()
        try:
            barrier.wait(timeout=30)  # all 50 at the same instant
            return work(n)
        except Exception as exc:  # counted by the test, per outcome
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def until_not_busy(attempt: Callable[[], Any], busy: Callable[[Any], bool]) -> Any:
    """Retry while the database was busy (each retry is a fresh, harmless attempt)."""
    for _ in range(200):
        try:
            result = attempt()
        except BallotBusy:
            time.sleep(0.005)  # the voter submits again a moment later
            continue
        if not busy(result):
            return result
    raise AssertionError("the database stayed busy")


def test_50_concurrent_ballots_make_one(cast: Cast, open_vote: LivelihoodVote) -> None:
    choices = approve(*candidates_of(open_vote)[:10])

    def click(n: int) -> str:
        vote = copy.copy(open_vote)  # each request has its own instance
        try:
            until_not_busy(
                lambda: services.ballot_cast(
                    vote=vote,
                    representative=cast.liu,
                    choices=choices,
                    by=cast.liu.user,  # type: ignore[arg-type]
                ),
                lambda result: False,
            )
        except AlreadyVoted:
            return "already voted"
        return "receipt"

    outcomes = Counter(
        type(r).__name__ if isinstance(r, Exception) else r for r in in_threads(click)
    )
    assert outcomes == {"receipt": 1, "already voted": CLICKS - 1}, outcomes
    assert voted(open_vote).count() == 1
    assert len(sealed_ballots(open_vote)) == 1
    assert marks_cast() == 10


def test_50_concurrent_api_posts_make_one(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User
) -> None:
    url = f"/api/v1/livelihood-votes/{open_vote.pk}/ballot/"
    body = json.dumps({"selected": [c.pk for c in candidates_of(open_vote)[:10]]})
    # A token, as the mobile app sends: 50 requests of one login, no session rows to write.
    _row, token = AuthToken.objects.create(user=representative_user)

    def click(n: int) -> tuple[int, str]:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")

        def post() -> Any:
            return client.post(url, body, content_type="application/json")

        response = until_not_busy(post, lambda r: r.status_code == 503)
        return response.status_code, response.json().get("code", "")

    outcomes = Counter(in_threads(click))
    assert outcomes == {(201, ""): 1, (409, "already_voted"): CLICKS - 1}, outcomes
    assert voted(open_vote).count() == 1
    assert len(sealed_ballots(open_vote)) == 1


def test_closing_while_ballots_arrive_counts_each_ballot_once(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    """Ballots racing the close either land before it (and are counted) or are told the
    vote is not open: afterwards, ballots and participations agree."""
    voters = [cast.liu, cast.zhang]
    for rep in cast.others:
        rep.user = User.objects.create(username=f"v{rep.pk}")
        rep.save(update_fields=["user"])
        voters.append(rep)
    work = [*voters, None]  # None: the staff member closing

    def act(n: int) -> str:
        rep = work[n]
        vote = copy.copy(open_vote)
        if rep is None:
            for _ in range(200):  # the staff member clicks again if SQLite was busy
                try:
                    services.vote_close(vote=vote, by=district_staff)
                except OperationalError as error:
                    assert "locked" in str(error)
                    vote.refresh_from_db()
                    continue
                return "closed"
            return "never closed"
        try:
            until_not_busy(
                lambda: services.ballot_cast(
                    vote=vote, representative=rep, choices={}, by=rep.user
                ),
                lambda r: False,
            )
        except Exception as refusal:
            return type(refusal).__name__
        return "voted"

    results = Counter(in_threads(act, len(work)))
    assert results["closed"] == 1, results
    assert set(results) <= {"closed", "voted", "VoteNotOpen"}, results
    open_vote.refresh_from_db()
    assert open_vote.status == "closed"
    # The close opened the sealed ballots and published them: none is left sealed, and
    # the published list holds exactly the ballots that beat the close.
    assert sealed_ballots() == []
    published = PublishedBallot.objects.filter(box=open_vote.box_id).count()
    assert published == voted(open_vote).count() == results["voted"]


def test_a_busy_sqlite_is_a_clean_retryable_refusal(cast: Cast, open_vote: LivelihoodVote) -> None:
    """Another writer holds SQLite's lock: the ballot is refused as ``BallotBusy`` (503 in
    the API), nothing is written, and the same ballot goes in once the lock is gone."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    holding, release = threading.Event(), threading.Event()

    class Rollback(Exception):
        pass

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                LivelihoodVote.objects.filter(pk=open_vote.pk).update(title="另一个写入者")
                holding.set()
                release.wait(timeout=30)
                raise Rollback
        except Rollback:
            pass
        finally:
            connection.close()

    writer = threading.Thread(target=hold_the_lock)
    writer.start()
    assert holding.wait(timeout=30)
    try:
        with pytest.raises(BallotBusy) as refusal:
            services.ballot_cast(
                vote=open_vote,
                representative=cast.liu,
                choices={},
                by=cast.liu.user,  # type: ignore[arg-type]
            )
        assert refusal.value.status == 503 and refusal.value.code == "busy"
    finally:
        release.set()
        writer.join()
    assert not voted().exists() and not sealed_ballots()
    services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=cast.liu.user)  # type: ignore[arg-type]
    assert voted().count() == len(sealed_ballots()) == 1
