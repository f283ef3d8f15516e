"""The database administrator reads the write-ahead log (docs/security.md, 'The secret
ballot'): 60 representatives of 海州区 vote one after another through the real ballot
page, the vote is closed, and the WAL of that whole span is decoded with pg_waldump.

What the WAL shows, and this test states: each ballot's transaction updates the
voter's elector row and inserts one sealed row (that link is the known limit while the
vote is open: the sealed row is unreadable, and its key is destroyed at the close). The
close is one transaction that inserts every published row, in shuffled order, and
deletes every sealed row; no transaction touches both a voter's elector row and a
published ballot. Pairing voters with published ballots by any order the WAL records
(the elector updates, the sealed inserts and deletes, the published inserts, their
positions on disk) finds no more than chance: 7 of 60 (``CHANCE``).

Needs what a database administrator has: pg_waldump of the server's major version and
read access to the server's pg_wal (here the tests run as root beside the server). A
temporary physical replication slot keeps the span's WAL from being recycled by a
checkpoint while the 60 votes are cast. What each voter cast is known here from the
receipt the page showed them, never from the database.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.db import DatabaseError, connection

from congress.models import User
from livelihood_votes import services
from tests.ballot.test_relinking_pg import (
    CHANCE,
    VOTERS,
    _pair_in_order,
    _rows,
    _score,
    _vote_sixty,
)
from tests.conftest import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the WAL is PostgreSQL's"),
]

HEAP = re.compile(
    r"rmgr: Heap2? .*?tx:\s+(?P<xid>\d+), lsn: (?P<lsn>[0-9A-F]+/[0-9A-F]+), .*?"
    r"desc: (?P<op>[A-Z_+]+(?:\+INIT)?) off (?P<off>\d+)(?P<rest>.*?)"
    r"blkref #0: rel \d+/\d+/(?P<rel>\d+) (?:fork \w+ )?blk (?P<blk>\d+)"
)
NEW_OFF = re.compile(r"; new off (\d+)")
COMMIT = re.compile(r"tx:\s+(\d+), .*?desc: COMMIT [^;]*(?:; subxacts:((?: \d+)+))?")


@dataclass(frozen=True)
class Record:
    xid: int  # the top-level transaction (a savepoint's sub-transaction folded into it)
    lsn: int
    op: str  # INSERT, UPDATE, HOT_UPDATE, DELETE
    ctid: tuple[int, int]  # the tuple it wrote (or deleted)


def _server(setting: str) -> str:
    return str(_rows(f"SHOW {setting}")[0][0])


def _waldump() -> Path:
    major = _server("server_version_num")[:2]
    return Path(f"/usr/lib/postgresql/{int(major)}/bin/pg_waldump")


def _wal_dir() -> Path:
    return Path(_server("data_directory")) / "pg_wal"


@pytest.fixture
def wal_kept() -> Iterator[None]:
    """A temporary physical replication slot on a connection of its own: the server keeps
    every WAL segment from now on until the slot goes (the connection's end)."""
    try:
        wal_dir, waldump = _wal_dir(), _waldump()
    except DatabaseError as error:  # not a superuser: the setting is hidden
        pytest.skip(f"the server's data directory is not readable here: {error}")
    if not (waldump.exists() and os.access(wal_dir, os.R_OK | os.X_OK)):
        pytest.skip(f"needs {waldump} and read access to {wal_dir}")
    db = connection.settings_dict
    keeper = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or "",
        dbname=db["NAME"],
    )
    keeper.autocommit = True
    with keeper.cursor() as cursor:
        cursor.execute(
            "SELECT pg_create_physical_replication_slot(%s, true, true)",
            [f"ballot_wal_test_{os.getpid()}"],
        )
    try:
        yield
    finally:
        keeper.close()


def _lsn() -> str:
    return str(_rows("SELECT pg_current_wal_lsn()")[0][0])


def _lsn_number(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def _dump(start: str, end: str, *args: str) -> str:
    command = [str(_waldump()), "-p", str(_wal_dir()), "-s", start, "-e", end, *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _records(start: str, end: str, table: str, top: dict[int, int]) -> list[Record]:
    """The heap records of ``table`` in the span, in WAL order."""
    space, db_oid, filenode = _rows(
        "SELECT dattablespace, oid, pg_relation_filenode(%s) FROM pg_database "
        "WHERE datname = current_database()",
        [table],
    )[0]
    text = _dump(start, end, "-R", f"{space}/{db_oid}/{filenode}")
    records = []
    for match in HEAP.finditer(text):
        op = match["op"].removesuffix("+INIT")
        offset = int(match["off"])
        if op in ("UPDATE", "HOT_UPDATE"):
            new = NEW_OFF.search(match["rest"])
            assert new is not None, match.group(0)
            offset = int(new.group(1))  # the new version, in blkref #0's block
        if op not in ("INSERT", "UPDATE", "HOT_UPDATE", "DELETE"):
            continue  # vacuum's PRUNE, VISIBLE, LOCK and the like name no new tuple
        xid = int(match["xid"])
        ctid = (int(match["blk"]), offset)
        records.append(Record(top.get(xid, xid), _lsn_number(match["lsn"]), op, ctid))
    return records


def _top_transactions(start: str, end: str) -> dict[int, int]:
    """sub-transaction → its top-level transaction, from the span's commit records."""
    top = {}
    for match in COMMIT.finditer(_dump(start, end, "-r", "Transaction")):
        for sub in (match[2] or "").split():
            top[int(sub)] = int(match[1])
    return top


def _ctid(text: str) -> tuple[int, int]:
    page, item = text.strip("()").split(",")
    return int(page), int(item)


def test_the_wal_of_sixty_ballots_and_the_close_pairs_no_voter_with_a_ballot(
    world: World, district_staff: User, wal_kept: None
) -> None:
    start = _lsn()
    vote, truth = _vote_sixty(world, district_staff)
    services.vote_close(vote=vote, by=district_staff)
    end = _lsn()
    vote.refresh_from_db()
    box = vote.box_id

    top = _top_transactions(start, end)
    # Where each row is now: the elector rows (voter) and the published list (receipt).
    voter_at = {
        _ctid(c): v
        for v, c in _rows("SELECT voter, ctid::text FROM congress_elector WHERE box_id = %s", [box])
    }
    receipt_at = {
        _ctid(c): r
        for r, c in _rows(
            "SELECT receipt, ctid::text FROM congress_publishedballot WHERE box_id = %s", [box]
        )
    }
    electors = [
        r
        for r in _records(start, end, "congress_elector", top)
        if r.op.endswith("UPDATE") and r.ctid in voter_at
    ]
    sealed = _records(start, end, "congress_sealedballot", top)
    sealed_in = [r for r in sealed if r.op == "INSERT"]
    sealed_out = [r for r in sealed if r.op == "DELETE"]
    published = [
        r
        for r in _records(start, end, "congress_publishedballot", top)
        if r.op == "INSERT" and r.ctid in receipt_at
    ]
    # The WAL holds what the votes wrote: the parse found every row (no vacuous pass).
    assert len(electors) == len(sealed_in) == len(sealed_out) == len(published) == VOTERS

    # While open, each ballot's transaction ties the voter to a sealed row (the known
    # limit: unreadable, and its key is destroyed at the close).
    cast_xid = {r.xid: voter_at[r.ctid] for r in electors}
    assert {r.xid for r in sealed_in} == set(cast_xid)
    # The close is one transaction for the whole published list and touches no elector.
    (close_xid,) = {r.xid for r in published}
    assert close_xid not in cast_xid
    assert {r.xid for r in sealed_out} == {close_xid}

    def in_wal_order(records: list[Record]) -> list[Record]:
        return sorted(records, key=lambda r: r.lsn)

    voter_of_sealed = {r.ctid: cast_xid[r.xid] for r in sealed_in}
    receipts_in_wal_order = [receipt_at[r.ctid] for r in in_wal_order(published)]
    receipts_on_disk = [receipt_at[c] for c in sorted(r.ctid for r in published)]
    attacks: dict[str, Callable[[], dict[int, str]]] = {
        "a transaction with both rows": lambda: {
            cast_xid[r.xid]: receipt_at[p.ctid]
            for r in electors
            for p in published
            if p.xid == r.xid
        },
        "the votes' order against the list's order in the WAL": lambda: _pair_in_order(
            [voter_at[r.ctid] for r in in_wal_order(electors)], receipts_in_wal_order
        ),
        "the sealed rows' deletion order against the list's": lambda: _pair_in_order(
            [voter_of_sealed[r.ctid] for r in in_wal_order(sealed_out)],
            receipts_in_wal_order,
        ),
        "the sealed rows' places on disk against the list's": lambda: _pair_in_order(
            [voter_of_sealed[c] for c in sorted(voter_of_sealed)], receipts_on_disk
        ),
        "the votes' order against the list's places on disk": lambda: _pair_in_order(
            [voter_at[r.ctid] for r in in_wal_order(electors)], receipts_on_disk
        ),
    }
    scores = {name: _score(truth, attack()) for name, attack in attacks.items()}
    assert scores["a transaction with both rows"] == 0
    assert all(score <= CHANCE for score in scores.values()), scores
