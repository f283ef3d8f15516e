"""One voter, 50 casts at the same instant, on PostgreSQL (issue 15; docs/security.md,
'The secret ballot': one ballot per voter, by the database).

Each cast runs in its own thread with its own database connection, all released by one
barrier, as 50 clicks from a phone on a bad network would arrive at gunicorn's workers.
Exactly one ballot goes in; the other 49 are refused as "already voted" (409), cleanly,
none with a server error and none told "busy". After the close the published ballot with
the one receipt given carries exactly the marks that were sent.

PostgreSQL only: the race is between concurrent transactions on separate connections,
decided by row locks (the box's share lock, the elector row's compare-and-set). SQLite
takes one writer at a time and answers the others "busy, submit again"; its variant,
with those retries, is tests/livelihood_votes/test_concurrent_ballots.py.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from congress.ballots import services as ballots
from congress.ballots.errors import AlreadyVoted
from congress.models import Elector, PublishedBallot, SealedBallot, User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from representatives.models import Representative
from tests.conftest import World
from tests.factories import UserFactory
from tests.livelihood_votes.conftest import candidates_of, make_vote, opened
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions on separate connections: PostgreSQL's row locks "
        "(SQLite's single-writer variant: tests/livelihood_votes/test_concurrent_ballots.py)",
    ),
]

CLICKS = 50
RECEIPT = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


def at_once(work: Callable[[int], Any], count: int = CLICKS) -> list[Any]:
    """``work(n)`` in ``count`` threads released together, each on its own connection;
    an exception is returned as the outcome."""
    barrier = threading.Barrier(count)
    backends: set[int] = set()
    lock = threading.Lock()

    def run(n: int) -> Any:
        close_old_connections()
        try:
            connection.ensure_connection()  # all 50 open at once, so their pids differ
            with lock:
                backends.add(connection.connection.get_backend_pid())
            barrier.wait(timeout=60)
            return work(n)
        except Exception as exc:  # the test counts each outcome
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        outcomes = list(pool.map(run, range(count)))
    assert len(backends) == count  # 50 separate database connections
    return outcomes


@pytest.fixture
def voter(world: World) -> Representative:
    rep = RepresentativeFactory(
        name="刘红",
        region=world.village,
        user=UserFactory(username="liuhong-pg", display_name="刘红"),
    )
    seat(rep, world.district)
    return rep


@pytest.fixture
def vote(world: World, voter: Representative, district_staff: User) -> LivelihoodVote:
    """海州区's vote, 12 projects for 10 seats, open; 刘红 and two more may vote."""
    for n in range(2):
        seat(RepresentativeFactory(name=f"海州代表{n}", region=world.village), world.district)
    return opened(make_vote(world.district, district_staff), district_staff)


def published_marks(vote: LivelihoodVote, district_staff: User, receipt: str) -> dict[str, str]:
    services.vote_close(vote=LivelihoodVote.objects.get(pk=vote.pk), by=district_staff)
    (ballot,) = PublishedBallot.objects.filter(box=vote.box_id, receipt=receipt)
    return dict(ballot.marks)


def test_50_concurrent_casts_through_the_core_service_make_one_ballot(
    vote: LivelihoodVote, voter: Representative, district_staff: User
) -> None:
    picked = candidates_of(vote)[:4]
    sent = {c.pk: "approve" for c in picked}

    def cast(n: int) -> str:
        box = copy.copy(vote.box)  # each request loads its own instance
        assert box is not None
        return ballots.ballot_cast(box=box, voter=voter.pk, choices=sent)

    outcomes = at_once(cast)
    receipts = [o for o in outcomes if isinstance(o, str)]
    refusals = Counter(type(o).__name__ for o in outcomes if not isinstance(o, str))
    assert len(receipts) == 1, outcomes
    assert refusals == {"AlreadyVoted": CLICKS - 1}, refusals
    assert all(o.code == "already_voted" for o in outcomes if isinstance(o, AlreadyVoted))
    assert Elector.objects.filter(box=vote.box_id, channel__isnull=False).count() == 1
    assert Elector.objects.get(box=vote.box_id, voter=voter.pk).channel == "online"
    assert SealedBallot.objects.filter(box=vote.box_id).count() == 1
    # After the close: one published ballot, the receipt's, with exactly these 4 marks.
    expected = {str(c.pk): "approve" for c in picked}
    assert published_marks(vote, district_staff, receipts[0]) == expected
    assert PublishedBallot.objects.filter(box=vote.box_id).count() == 1


def test_50_concurrent_confirms_of_the_ballot_page_make_one_ballot(
    vote: LivelihoodVote, voter: Representative, district_staff: User
) -> None:
    """The HTML ballot page, one signed-in session, its confirming POST sent 50 times at
    once: one receipt page (200), 49 "already voted" pages (409)."""
    picked = candidates_of(vote)[3:8]
    login = Client()
    login.force_login(voter.user)  # type: ignore[arg-type]
    cookies = login.cookies
    url = f"/livelihood-votes/{vote.pk}/ballot/"
    body = {"selected": [str(c.pk) for c in picked], "confirm": "1"}

    def confirm(n: int) -> tuple[int, str]:
        client = Client()
        client.cookies = copy.deepcopy(cookies)  # the same session, a separate request
        response = client.post(url, body)
        text = response.content.decode()
        if response.status_code == 200:
            found = RECEIPT.search(text)
            return 200, found.group(0) if found else text[:200]
        return response.status_code, "already" if "已投过票" in text else text[:200]

    outcomes = at_once(confirm)
    statuses = Counter(status for status, _text in outcomes)
    assert statuses == {200: 1, 409: CLICKS - 1}, outcomes
    assert all(text == "already" for status, text in outcomes if status == 409)
    (receipt,) = [text for status, text in outcomes if status == 200]
    assert Elector.objects.filter(box=vote.box_id, channel__isnull=False).count() == 1
    assert SealedBallot.objects.filter(box=vote.box_id).count() == 1
    expected = {str(c.pk): "approve" for c in picked}
    assert published_marks(vote, district_staff, receipt) == expected
