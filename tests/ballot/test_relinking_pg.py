"""The database administrator's attacks on the secret ballot (docs/security.md, 'The
secret ballot'), on PostgreSQL: 60 representatives of 海州区 vote one after another
through the real ballot page, as they do online over a day; then the administrator,
with full read access to the tables and a plain dump, tries to re-link voters and
ballots. Each method may hit by chance (a random pairing of 60 finds one on average);
none may do better than 3 of 60.

What each voter cast is known here from the receipt the page showed them (the truth the
attacker is scored against), never from the database.
"""

from __future__ import annotations

import random
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from tests.conftest import World
from tests.factories import UserFactory
from tests.livelihood_votes.conftest import candidates_of, make_vote, opened
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="xmin, ctid and pg_dump are PostgreSQL's"
    ),
]

VOTERS = 60
# A random pairing of 60 hits 1 on average (a random permutation's fixed points are about
# Poisson(1)): P(more than 3) is 1.9 % per attack, so five attacks at 3 failed up to one run in
# eleven by chance. P(more than 7) is 1e-5; a real leak pairs most of the 60.
CHANCE = 7


def _rows(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _session_xmin(key: str) -> int:
    return int(
        _rows("SELECT xmin::text::bigint FROM django_session WHERE session_key = %s", [key])[0][0]
    )


def _dump(*tables: str) -> str:
    db = connection.settings_dict
    command = ["pg_dump", "--data-only", "--no-owner", "-h", db["HOST"] or "127.0.0.1"]
    command += ["-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]
    for table in tables:
        command += ["-t", table]
    command.append(db["NAME"])
    env = {"PGPASSWORD": str(db["PASSWORD"] or "")}
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def _copy_lines(dump: str, table: str) -> list[list[str]]:
    """The data lines of ``table``'s COPY block, in dump order, split into columns."""
    block = re.search(rf"COPY public\.{table} \(.*?\) FROM stdin;\n(.*?)\n\\\.", dump, re.S)
    return [line.split("\t") for line in block.group(1).splitlines()] if block else []


def _vote_sixty(world: World, district_staff: User) -> tuple[LivelihoodVote, dict[int, str]]:
    """60 seated representatives with logins cast, one after another, each through the
    ballot page (review, then confirm). Returns the vote and voter id → receipt, and
    checks that no casting request wrote the voter's session row."""
    reps = []
    for n in range(VOTERS):
        user = UserFactory(username=f"voter{n}", display_name=f"代表{n}")
        rep = RepresentativeFactory(name=f"海州代表{n:02d}", region=world.village, user=user)
        seat(rep, world.district)
        reps.append(rep)
    vote = opened(make_vote(world.district, district_staff), district_staff)
    options = candidates_of(vote)
    picker = random.Random(15)
    truth: dict[int, str] = {}
    for rep in reps:
        client = Client()
        client.force_login(rep.user)
        key = client.session.session_key
        assert key is not None
        picks = [str(c.pk) for c in picker.sample(options, picker.randint(1, vote.seats))]
        url = f"/livelihood-votes/{vote.pk}/ballot/"
        assert client.post(url, {"selected": picks}).status_code == 200  # 核对
        before = _session_xmin(key)
        answer = client.post(url, {"selected": picks, "confirm": "1"})
        assert answer.status_code == 200
        receipt = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", answer.content.decode())
        assert receipt is not None
        truth[rep.pk] = receipt.group(0)
        # The casting request did not write the voter's session row.
        assert _session_xmin(key) == before
    return vote, truth


def _score(truth: dict[int, str], guess: dict[int, str]) -> int:
    return sum(1 for voter, receipt in guess.items() if truth.get(voter) == receipt)


def _pair_in_order(voters: list[int], receipts: list[str]) -> dict[int, str]:
    return dict(zip(voters, receipts, strict=False))


def test_sixty_voters_one_after_another_cannot_be_relinked(
    world: World, district_staff: User
) -> None:
    vote, truth = _vote_sixty(world, district_staff)
    services.vote_close(vote=vote, by=district_staff)
    vote.refresh_from_db()
    box = vote.box_id
    electors = _rows(
        "SELECT voter, xmin::text::bigint, ctid::text FROM congress_elector "
        "WHERE box_id = %s AND channel IS NOT NULL",
        [box],
    )
    ballots = _rows(
        "SELECT receipt, xmin::text::bigint, ctid::text FROM congress_publishedballot "
        "WHERE box_id = %s",
        [box],
    )
    assert len(electors) == len(ballots) == VOTERS

    def ctid(text: str) -> tuple[int, int]:
        page, item = text.strip("()").split(",")
        return int(page), int(item)

    attacks: dict[str, Callable[[], dict[int, str]]] = {
        "xmin equality": lambda: {
            v: next(r for r, x, _c in ballots if x == vx)
            for v, vx, _c in electors
            if any(x == vx for _r, x, _c in ballots)
        },
        "next xmin": lambda: {
            v: min(((x, r) for r, x, _c in ballots if x > vx), default=(0, ""))[1]
            for v, vx, _c in electors
        },
        "rank by xmin": lambda: _pair_in_order(
            [v for v, _x, _c in sorted(electors, key=lambda e: (e[1], ctid(e[2])))],
            [r for r, _x, _c in sorted(ballots, key=lambda b: (b[1], ctid(b[2])))],
        ),
        "rank by ctid": lambda: _pair_in_order(
            [v for v, _x, c in sorted(electors, key=lambda e: ctid(e[2]))],
            [r for r, _x, c in sorted(ballots, key=lambda b: ctid(b[2]))],
        ),
    }
    dump = _dump("congress_elector", "congress_publishedballot", "congress_sealedballot")
    elector_lines = [cols for cols in _copy_lines(dump, "congress_elector") if cols[-1] != "\\N"]
    ballot_lines = _copy_lines(dump, "congress_publishedballot")
    assert len(elector_lines) == len(ballot_lines) == VOTERS
    columns = re.search(r"COPY public\.congress_elector \((.*?)\)", dump)
    assert columns is not None
    voter_at = [c.strip() for c in columns.group(1).split(",")].index("voter")
    receipt_cols = re.search(r"COPY public\.congress_publishedballot \((.*?)\)", dump)
    assert receipt_cols is not None
    receipt_at = [c.strip() for c in receipt_cols.group(1).split(",")].index("receipt")
    attacks["pg_dump line order"] = lambda: _pair_in_order(
        [int(cols[voter_at]) for cols in elector_lines],
        [cols[receipt_at] for cols in ballot_lines],
    )
    scores = {name: _score(truth, attack()) for name, attack in attacks.items()}
    assert all(score <= CHANCE for score in scores.values()), scores
    # The sealed ballots are gone: nothing left to pair with the electors' rows.
    assert _copy_lines(dump, "congress_sealedballot") == []


def test_while_open_no_table_holds_a_choice_in_the_clear(
    world: World, district_staff: User
) -> None:
    """A dump of the whole database during the vote: no receipt, no candidate's mark."""
    vote, truth = _vote_sixty(world, district_staff)
    dump = _dump()
    assert not any(receipt in dump for receipt in truth.values())
    assert not re.search(r'"\d+"\s*:\s*"(approve|oppose|abstain)"', dump)
    assert '"m":' not in dump and "approve" not in _copy_lines_text(dump)
    # Nor a count per candidate on any page, for the superuser either (the tally answers
    # 409 until the close: tests/livelihood_votes/test_secrecy.py).
    assert vote.box is not None and vote.box.counts is None


def _copy_lines_text(dump: str) -> str:
    """Every data line of the dump that belongs to a ballot table."""
    return "\n".join(
        "\t".join(cols)
        for table in ("congress_elector", "congress_sealedballot", "congress_ballotbox")
        for cols in _copy_lines(dump, table)
    )
