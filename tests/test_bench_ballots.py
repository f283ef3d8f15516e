"""The ballots benchmark (bench/ballots.py) at CI size: 30 voters cast over real HTTP from
separate load processes, the vote is closed, the figures come out, and every ballot is
counted once. No timed assertion: only that each figure exists and that the counts
agree with what the voters were answered.

The server is pytest-django's live server (it shares the test database, in-memory
SQLite included); the full run uses gunicorn. A voter answered 503 (SQLite busy)
submits again, as the benchmark's voters do.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from bench import ballots
from congress.models import Elector, PublishedBallot, SealedBallot
from livelihood_votes.models import LivelihoodVote

VOTERS, CANDIDATES, SEATS = 30, 12, 10


def _wait_for_requests_in_flight() -> None:
    """The live server answers in threads; let the last ones finish before the flush."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def test_thirty_voters_over_http_each_ballot_counted_once(
    transactional_db: None, live_server: Any, settings: Any
) -> None:
    settings.API_RATE_PER_USER = "1000000/h"
    settings.API_RATE_PER_CREDENTIAL = "1000000/h"
    electorate = ballots.fill(VOTERS, CANDIDATES, SEATS, tag="ci")
    assert len(electorate.tokens) == len(set(electorate.tokens)) == VOTERS
    # Two processes × two threads on PostgreSQL; one voter at a time on the in-memory
    # SQLite, whose one connection the live server's threads share.
    at_once = 2 if connection.vendor == "postgresql" else 1
    load = ballots.cast_all(live_server.url, electorate, processes=at_once, threads=at_once)
    _wait_for_requests_in_flight()

    # Every voter answered once, each answer a 201 with a receipt of its own.
    assert sorted(a.index for a in load.answers) == list(range(VOTERS))
    assert {a.status for a in load.answers} == {201}
    receipts = [a.receipt for a in load.answers]
    assert len(set(receipts)) == VOTERS and all(receipts)

    box = LivelihoodVote.objects.get(pk=electorate.vote_id).box_id
    check = ballots.check_open(electorate, load)
    assert check.problems == []
    assert check.voters_2xx == check.electors_voted == check.sealed == VOTERS
    assert SealedBallot.objects.filter(box=box).count() == VOTERS
    assert sorted(
        Elector.objects.filter(box=box, channel="online").values_list("voter", flat=True)
    ) == sorted(electorate.voters)

    close_s = ballots.close(electorate)
    check = ballots.check_closed(electorate, load, check)
    assert check.problems == []
    assert check.published == check.marks_match == VOTERS
    # Independently of the benchmark's own check: each receipt once, with its marks.
    published = dict(PublishedBallot.objects.filter(box=box).values_list("receipt", "marks"))
    assert len(published) == VOTERS
    for answer in load.answers:
        picks = ballots.choices_of(electorate, answer.index)
        assert 1 <= len(picks) <= SEATS
        assert published[answer.receipt] == {str(pk): "approve" for pk in picks}

    result = ballots.Result(
        "ci", VOTERS, CANDIDATES, SEATS, load, check, close_s, 0.0, "0 / 0 / 0", "0 / 0 / 0"
    )
    figures = dict(ballots.rows(result))
    assert load.seconds > 0 and close_s > 0
    assert 0 < load.median_ms <= load.percentile(0.99) <= load.percentile(1.0)
    assert figures["answers 2xx / other"] == f"{VOTERS} / 0"
    assert figures["lost or duplicated ballots"] == "none"
    assert figures["sealed ballots / electors voted / voters answered 2xx"] == (
        f"{VOTERS} / {VOTERS} / {VOTERS}"
    )


@pytest.mark.parametrize("voters", [1, 7])
def test_each_voter_ticks_between_one_and_the_seats(voters: int) -> None:
    electorate = ballots.Electorate(
        vote_id=5, staff_id=1, voters=list(range(voters)), tokens=[], candidates=list(range(30)),
        seats=25,
    )  # fmt: skip
    for index in range(voters):
        picks = ballots.choices_of(electorate, index)
        assert 1 <= len(picks) <= 25 and len(set(picks)) == len(picks)
        assert picks == ballots.choices_of(electorate, index)  # the same on every call
