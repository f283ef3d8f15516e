"""The livelihood-project vote in the hall: 542 representatives press 确认投票 at once.

Target (issue 7, the seeds' 23 candidates for 20 seats voted by 542
representatives): every ballot of a full congress is saved within a minute on a
2-core machine with 20 voters submitting at the same instant, no voter waits
more than 2 s, each representative has exactly one ballot, and the tally after
the close (one SQL aggregate) takes well under a second.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import resource
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import django

REPRESENTATIVES = 542
CANDIDATES, SEATS = 23, 20
CONCURRENT = 20


def _fill(count: int) -> tuple[Any, list[Any], Any]:
    from congress.models import Congress, CongressLevel, Region, Term, User
    from livelihood_votes import services
    from representatives.models import Gender, Mandate, Representative

    region = Region.objects.create(name="江海市", level="city", code="990100000000")
    congress = Congress.objects.create(region=region, name="江海市人民代表大会", level="city")
    term = Term.objects.create(congress=congress, number=17, starts_on=datetime.date(2022, 1, 1))
    staff = User.objects.create(username="staff", is_superuser=True)
    users = User.objects.bulk_create([User(username=f"rep{n}") for n in range(count)])
    reps = Representative.objects.bulk_create(
        [
            Representative(name=f"代表{n}", gender=Gender.MALE, region=region, user=user)
            for n, user in enumerate(users)
        ]
    )
    Mandate.objects.bulk_create(
        [
            Mandate(
                representative=rep,
                level=CongressLevel.CITY,
                term=term,
                starts_on=datetime.date(2022, 1, 1),
            )
            for rep in reps
        ]
    )
    vote = services.vote_create(
        congress=congress, title="2026年度民生实事项目代表票决", year=2026, seats=SEATS, by=staff
    )
    for n in range(CANDIDATES):
        services.candidate_add(vote=vote, title=f"民生实事项目{n + 1}", by=staff)
    return services.vote_open(vote=vote, by=staff), reps, staff


def _cast_all(vote: Any, reps: list[Any]) -> tuple[float, list[float], int]:
    from django.db import close_old_connections

    from livelihood_votes import services
    from livelihood_votes.errors import BallotBusy

    candidates = list(vote.candidates.values_list("pk", flat=True))
    latencies: list[float] = []
    retries = 0
    lock = threading.Lock()

    def cast(rep: Any) -> None:
        nonlocal retries
        chosen = random.sample(candidates, random.randint(SEATS - 5, SEATS))
        started = time.perf_counter()
        try:
            while True:
                try:
                    services.ballot_cast(
                        vote=vote,
                        representative=rep,
                        choices=dict.fromkeys(chosen, "approve"),
                        by=rep.user,
                    )
                    break
                except BallotBusy:  # SQLite: the voter's page says "submit again"
                    with lock:
                        retries += 1
        finally:
            close_old_connections()
        with lock:
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        list(pool.map(cast, reps))
    return time.perf_counter() - started, latencies, retries


def run(*, representatives: int = REPRESENTATIVES) -> None:
    django.setup()
    from bench.sweep import _prepare_database

    _prepare_database()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from congress.models import Elector, PublishedBallot
    from livelihood_votes import selectors, services

    random.seed(20261122)
    vote, reps, staff = _fill(representatives)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    elapsed, latencies, retries = _cast_all(vote, reps)
    started = time.perf_counter()
    services.vote_close(vote=vote, by=staff)  # open the sealed ballots, shuffle, publish
    close_s = time.perf_counter() - started
    vote.refresh_from_db()
    started = time.perf_counter()
    tally = selectors.vote_tally(vote)
    tally_ms = (time.perf_counter() - started) * 1000
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ordered = sorted(latencies)
    vendor = connection.vendor
    rows = [
        ("representatives voting", f"{representatives:,}"),
        ("candidates / seats", f"{CANDIDATES} / {SEATS}"),
        ("voters submitting at the same instant", str(CONCURRENT)),
        ("all ballots saved in", f"{elapsed:.1f} s ({representatives / elapsed:.0f} ballots/s)"),
        ("time a voter waits: median", f"{statistics.median(ordered) * 1000:.0f} ms"),
        ("… 95th percentile", f"{ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms"),
        ("… longest", f"{ordered[-1] * 1000:.0f} ms"),
        ("'database busy, submit again' answers (SQLite)", str(retries)),
        (
            "ballots published / voters recorded",
            f"{PublishedBallot.objects.filter(box=vote.box_id).count()} / "
            f"{Elector.objects.filter(box=vote.box_id, channel__isnull=False).count()}",
        ),
        ("the close: open the sealed ballots, shuffle, publish, count", f"{close_s:.2f} s"),
        ("tally after the close (the counts on the box)", f"{tally_ms:.1f} ms"),
        ("elected / tied at the cut", f"{len(tally.elected)} / {len(tally.tied)}"),
        ("peak memory growth", f"{(rss_after - rss_before) / 1024:.1f} MiB"),
    ]
    report = "\n".join(
        [
            f"### Ballots in the hall — {datetime.date.today()} — {vendor}",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.",
            "",
            "| measure | value |",
            "| --- | --- |",
            *(f"| {label} | {value} |" for label, value in rows),
        ]
    )
    print(report)
    _write(report, vendor)


def _write(report: str, vendor: str) -> None:
    path = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    marker = f"<!-- ballots:{vendor} -->"
    text = path.read_text(encoding="utf-8")
    block = f"{marker}\n{report}\n{marker}"
    if marker in text:
        start = text.index(marker)
        end = text.index(marker, start + len(marker)) + len(marker)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
