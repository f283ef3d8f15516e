"""One secret ballot for every vote (issues 7 and 15): casting over real HTTP, then the close.

Two runs, each in a fresh database, each through the real casting API
(``POST /api/v1/livelihood-votes/<id>/ballot/``, every voter with their own API token)
served by gunicorn (``congress.gunicorn_conf``, sync workers) on the database of
``BENCH_DATABASE_URL``:

* the hall: the seeds' 542 representatives, 23 candidates for 20 seats, all casting at
  once (budget: every ballot saved within 5 s);
* the city: 10,000 voters, 30 candidates for 25 seats, from several load processes
  (``BENCH_BALLOT_PROCESSES`` × ``BENCH_BALLOT_THREADS``) at once.

Then each vote is closed (``livelihood_votes.services.vote_close``: the sealed ballots
opened, shuffled, published and counted; budget for 10,000: 10 s). The run checks that
no ballot is lost or duplicated: the sealed ballots, the electors marked as voted and
the published ballots each equal the voters who got a 2xx answer, each of them once,
and every published ballot carries exactly the marks its voter sent (matched by the
receipt the voter was given). A voter answered 503 (a busy SQLite) submits again.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/congress_bench \\
        .venv/bin/python -m bench.ballots
"""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPRESENTATIVES = 542
CANDIDATES, SEATS = 23, 20
CITY_VOTERS = int(os.environ.get("BENCH_BALLOT_VOTERS", "10000"))
CITY_CANDIDATES, CITY_SEATS = 30, 25
PROCESSES = int(os.environ.get("BENCH_BALLOT_PROCESSES", "4"))
THREADS = int(os.environ.get("BENCH_BALLOT_THREADS", "8"))
WORKERS = int(os.environ.get("BENCH_BALLOT_WORKERS", "3"))
HALL_BUDGET_S, CLOSE_BUDGET_S = 5.0, 10.0
ROOT = Path(__file__).resolve().parent.parent


# --- the electorate ------------------------------------------------------------------------


@dataclass
class Electorate:
    """An open vote and its voters: representative id and API token, same order."""

    vote_id: int
    staff_id: int
    voters: list[int]
    tokens: list[str]
    candidates: list[int]
    seats: int


def fill(voters: int, candidates: int, seats: int, *, tag: str = "") -> Electorate:
    """A city, its congress, ``voters`` seated representatives with logins and an API
    token each, and an open vote of ``candidates`` projects for ``seats``."""
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS

    from congress.models import Congress, CongressLevel, Region, Term, User
    from livelihood_votes import services
    from representatives.models import Gender, Mandate, Representative

    code = f"99{random.randrange(10**10):010d}"
    region = Region.objects.create(name=f"江海市{tag}", level="city", code=code)
    congress = Congress.objects.create(region=region, name="江海市人民代表大会", level="city")
    term = Term.objects.create(congress=congress, number=17, starts_on=datetime.date(2022, 1, 1))
    staff = User.objects.create(username=f"bench-staff{tag}{code}", is_superuser=True)
    users = User.objects.bulk_create(
        [User(username=f"bench{tag}{code}-{n}") for n in range(voters)], batch_size=2000
    )
    reps = Representative.objects.bulk_create(
        [
            Representative(name=f"代表{n}", gender=Gender.MALE, region=region, user=user)
            for n, user in enumerate(users)
        ],
        batch_size=2000,
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
        ],
        batch_size=2000,
    )
    # One token per voter, as the mobile app holds after its login (knox's own format).
    tokens, rows = [], []
    expiry = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    for user in users:
        digest, token = get_digest_token()
        tokens.append(token)
        rows.append(
            AuthToken(
                digest=digest,
                token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH],
                user=user,
                expiry=expiry,
            )
        )
    AuthToken.objects.bulk_create(rows, batch_size=2000)
    vote = services.vote_create(
        congress=congress, title="2026年度民生实事项目代表票决", year=2026, seats=seats, by=staff
    )
    for n in range(candidates):
        services.candidate_add(vote=vote, title=f"民生实事项目{n + 1}", by=staff)
    vote = services.vote_open(vote=vote, by=staff)
    return Electorate(
        vote_id=vote.pk,
        staff_id=staff.pk,
        voters=[rep.pk for rep in reps],
        tokens=tokens,
        candidates=list(vote.candidates.order_by("order").values_list("pk", flat=True)),
        seats=seats,
    )


def choices_of(electorate: Electorate, index: int) -> list[int]:
    """What voter ``index`` ticks: between 1 and ``seats`` projects, fixed per voter."""
    picker = random.Random(index * 7919 + electorate.vote_id)
    return picker.sample(electorate.candidates, picker.randint(1, electorate.seats))


# --- the load: voters in separate processes -----------------------------------------------


@dataclass
class Answer:
    index: int
    status: int
    seconds: float  # from the first try to the final answer
    retries: int  # 503s (SQLite busy), submitted again
    receipt: str


def _voter_thread_work(
    base_url: str, vote_id: int, jobs: list[tuple[int, str, list[int]]]
) -> list[Answer]:
    import requests

    url = f"{base_url}/api/v1/livelihood-votes/{vote_id}/ballot/"
    session = requests.Session()
    answers = []
    for index, token, picks in jobs:
        started = time.perf_counter()
        retries = 0
        while True:
            try:
                response = session.post(
                    url,
                    json={"selected": picks},
                    headers={"Authorization": f"Token {token}"},
                    timeout=60,
                )
            except requests.ConnectionError:
                status, receipt = 0, ""  # counted as an error, never retried
                break
            status = response.status_code
            if status == 503 and retries < 200:
                retries += 1
                time.sleep(0.01)
                continue
            receipt = response.json().get("receipt", "") if status == 201 else ""
            break
        answers.append(Answer(index, status, time.perf_counter() - started, retries, receipt))
    return answers


def _load_process(
    base_url: str, vote_id: int, jobs: list[tuple[int, str, list[int]]], threads: int, go: Any
) -> list[Answer]:
    """One load process: ``threads`` voters at a time, each thread one connection."""
    go.wait()  # every process starts at the same instant
    shares = [jobs[n::threads] for n in range(threads)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = pool.map(lambda share: _voter_thread_work(base_url, vote_id, share), shares)
        return [answer for part in parts for answer in part]


def _process_entry(args: tuple[Any, ...]) -> list[Answer]:
    return _load_process(*args)


@dataclass
class Load:
    seconds: float
    answers: list[Answer] = field(default_factory=list)

    @property
    def ok(self) -> list[Answer]:
        return [a for a in self.answers if 200 <= a.status < 300]

    def percentile(self, share: float) -> float:
        ordered = sorted(a.seconds for a in self.answers)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(a.seconds for a in self.answers) * 1000


def cast_all(
    base_url: str, electorate: Electorate, *, processes: int = PROCESSES, threads: int = THREADS
) -> Load:
    """Every voter casts once, over HTTP, from ``processes`` processes × ``threads``."""
    jobs = [(n, token, choices_of(electorate, n)) for n, token in enumerate(electorate.tokens)]
    context = multiprocessing.get_context("spawn")  # no Django state, no inherited sockets
    with context.Manager() as manager:
        go = manager.Event()
        with context.Pool(processes) as pool:
            pending = pool.map_async(
                _process_entry,
                [
                    (base_url, electorate.vote_id, jobs[p::processes], threads, go)
                    for p in range(processes)
                ],
            )
            time.sleep(0.5)  # the processes import requests and wait
            started = time.perf_counter()
            go.set()
            parts = pending.get()
            seconds = time.perf_counter() - started
    return Load(seconds, [answer for part in parts for answer in part])


# --- counting every ballot once ------------------------------------------------------------


@dataclass
class Check:
    voters_2xx: int
    electors_voted: int
    sealed: int
    published: int = 0
    marks_match: int = 0
    problems: list[str] = field(default_factory=list)


def check_open(electorate: Electorate, load: Load) -> Check:
    """While the vote is open: sealed ballots = electors who voted = voters answered 2xx,
    and those electors are exactly the voters answered 2xx."""
    from congress.models import Elector, SealedBallot
    from livelihood_votes.models import LivelihoodVote

    box = LivelihoodVote.objects.get(pk=electorate.vote_id).box_id
    ok = load.ok
    ok_voters = [electorate.voters[a.index] for a in ok]
    voted = list(
        Elector.objects.filter(box=box, channel__isnull=False).values_list("voter", flat=True)
    )
    check = Check(
        voters_2xx=len(set(ok_voters)),
        electors_voted=len(voted),
        sealed=SealedBallot.objects.filter(box=box).count(),
    )
    if len(ok_voters) != len(set(ok_voters)):
        check.problems.append("a voter got two 2xx answers")
    if sorted(voted) != sorted(ok_voters):
        check.problems.append("the electors who voted are not the voters answered 2xx")
    if check.sealed != check.voters_2xx:
        check.problems.append(f"{check.sealed} sealed ballots for {check.voters_2xx} voters")
    errors = Counter(a.status for a in load.answers if not 200 <= a.status < 300)
    if errors:
        check.problems.append(f"answers other than 2xx: {dict(errors)}")
    return check


def close(electorate: Electorate) -> float:
    """The close (open, shuffle, publish, count) of the vote; its seconds."""
    from congress.models import User
    from livelihood_votes import services
    from livelihood_votes.models import LivelihoodVote

    vote = LivelihoodVote.objects.get(pk=electorate.vote_id)
    staff = User.objects.get(pk=electorate.staff_id)
    started = time.perf_counter()
    services.vote_close(vote=vote, by=staff)
    return time.perf_counter() - started


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def workers_of(master: int) -> list[int]:
    """gunicorn's worker processes: the master's children."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def check_closed(electorate: Electorate, load: Load, check: Check) -> Check:
    """After the close: one published ballot per receipt given, each with exactly the
    marks its voter sent, and nothing else published."""
    from congress.models import PublishedBallot, SealedBallot
    from livelihood_votes.models import LivelihoodVote

    box = LivelihoodVote.objects.get(pk=electorate.vote_id).box_id
    published = dict(
        PublishedBallot.objects.filter(box=box).values_list("receipt", "marks").iterator()
    )
    check.published = PublishedBallot.objects.filter(box=box).count()
    sent = {a.receipt: choices_of(electorate, a.index) for a in load.ok}
    check.marks_match = sum(
        1
        for receipt, picks in sent.items()
        if published.get(receipt) == {str(pk): "approve" for pk in picks}
    )
    if check.published != check.voters_2xx or len(published) != check.published:
        check.problems.append(f"{check.published} published for {check.voters_2xx} voters")
    if check.marks_match != len(sent) or len(sent) != check.voters_2xx:
        check.problems.append(f"{check.marks_match} of {len(sent)} receipts carry their marks")
    if SealedBallot.objects.filter(box=box).exists():
        check.problems.append("sealed ballots left after the close")
    return check


# --- gunicorn ----------------------------------------------------------------------------------


def serve(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with the project's settings on this process's database; its URL."""
    from bench import city
    from bench.submission import _free_port

    port = _free_port()
    env = city.environment()
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:congress.gunicorn_conf",
        "-b", f"127.0.0.1:{port}", "-w", str(workers), "--access-logfile", "/dev/null",
        "congress.wsgi",
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _n in range(150):  # up to 30 s for the workers to boot
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            time.sleep(0.2)
    url = f"http://127.0.0.1:{port}"
    # Warm every worker (imports, URL resolver, first connection) before any timing: an
    # API call with a made-up token goes through the whole stack and is refused.
    for _n in range(4 * workers):
        request = urllib.request.Request(
            f"{url}/api/v1/livelihood-votes/", headers={"Authorization": "Token warm-up"}
        )
        with contextlib.suppress(OSError):  # the 401 (an HTTPError), or a worker booting
            urllib.request.urlopen(request, timeout=30)
    return server, url


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# --- the runs ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    voters: int
    candidates: int
    seats: int
    load: Load
    check: Check
    close_s: float
    tally_ms: float
    uptime_before: str
    uptime_after: str
    web_cpu_s: float | None = None  # the web workers' CPU over the casting
    close_cpu_s: float | None = None  # this process's CPU over the close


def uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def one_vote(
    name: str,
    base_url: str,
    voters: int,
    candidates: int,
    seats: int,
    *,
    processes: int = PROCESSES,
    threads: int = THREADS,
    server_pid: int | None = None,
) -> Result:
    """Fill, cast over HTTP, check, close, check again, read the tally. With the web
    server's pid, its workers' CPU time over the casting is measured too."""
    from livelihood_votes import selectors
    from livelihood_votes.models import LivelihoodVote

    electorate = fill(voters, candidates, seats, tag=name)
    workers = workers_of(server_pid) if server_pid else []
    before, web_cpu = uptime(), cpu_seconds(workers)
    load = cast_all(base_url, electorate, processes=processes, threads=threads)
    after, web_cpu = uptime(), cpu_seconds(workers) - web_cpu
    check = check_open(electorate, load)
    cpu = time.process_time()
    close_s = close(electorate)
    close_cpu = time.process_time() - cpu
    check = check_closed(electorate, load, check)
    started = time.perf_counter()
    selectors.vote_tally(LivelihoodVote.objects.get(pk=electorate.vote_id))
    tally_ms = (time.perf_counter() - started) * 1000
    return Result(
        name, voters, candidates, seats, load, check, close_s, tally_ms, before, after,
        web_cpu if workers else None, close_cpu,
    )  # fmt: skip


def rows(result: Result, *, budget_s: float | None = None) -> list[tuple[str, str]]:
    load, check = result.load, result.check
    ok = len(load.ok)
    within = "" if budget_s is None else f" (budget {budget_s:.0f} s)"
    close_budget = f" (budget {CLOSE_BUDGET_S:.0f} s)" if result.voters >= 10_000 else ""
    return [
        ("voters / candidates / seats", f"{result.voters:,} / {result.candidates} / {result.seats}"),
        ("every ballot cast and answered in", f"{load.seconds:.1f} s{within}"),
        ("throughput", f"{ok / load.seconds:.0f} ballots/s"),
        ("answer time p50 / p99 / longest",
         f"{load.median_ms:.0f} / {load.percentile(0.99):.0f} / {load.percentile(1.0):.0f} ms"),
        ("answers 2xx / other", f"{ok:,} / {len(load.answers) - ok}"),
        ("'busy, submit again' (503) retries", str(sum(a.retries for a in load.answers))),
        ("sealed ballots / electors voted / voters answered 2xx",
         f"{check.sealed:,} / {check.electors_voted:,} / {check.voters_2xx:,}"),
        ("the close: open, shuffle, publish, count", f"{result.close_s:.2f} s{close_budget}"),
        ("… of it CPU time of the closing process (load-independent)",
         "-" if result.close_cpu_s is None else f"{result.close_cpu_s:.2f} s"),
        ("web workers' CPU per ballot (load-independent; PostgreSQL's not included)",
         "-" if result.web_cpu_s is None else f"{result.web_cpu_s / max(ok, 1) * 1000:.0f} ms"),
        ("published ballots / receipts carrying exactly their voter's marks",
         f"{check.published:,} / {check.marks_match:,}"),
        ("tally after the close", f"{result.tally_ms:.1f} ms"),
        ("lost or duplicated ballots", "none" if not check.problems else "; ".join(check.problems)),
        ("load average during casting (before / after)",
         f"{result.uptime_before} → {result.uptime_after}"),
    ]  # fmt: skip


def run(*, representatives: int = REPRESENTATIVES, voters: int = CITY_VOTERS) -> None:
    os.environ.setdefault(
        "DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", "sqlite:///var/bench.sqlite3")
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("DEBUG", "1")
    from bench.city import empty_database, versions, write_section

    empty_database()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    random.seed(20261204)
    server, url = serve(WORKERS)
    try:
        hall = one_vote("hall", url, representatives, CANDIDATES, SEATS, server_pid=server.pid)
        city = one_vote("city", url, voters, CITY_CANDIDATES, CITY_SEATS, server_pid=server.pid)
    finally:
        stop(server)
    report = "\n".join(
        [
            f"### Ballots over HTTP — {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d} — {connection.vendor}",
            "",
            f"Machine: {versions(load=False, packages=('gunicorn', 'PyNaCl'))}, shared with "
            "other work (load averages 1 / 5 / 15 min beside each run). gunicorn "
            f"{WORKERS} sync workers; load from {PROCESSES} processes × {THREADS} threads "
            "(Python requests), each voter with their own API token.",
            "",
            f"**The hall: the seeds' {representatives} representatives**",
            "",
            "| measure | value |",
            "| --- | --- |",
            *(f"| {label} | {value} |" for label, value in rows(hall, budget_s=HALL_BUDGET_S)),
            "",
            f"**The city: {voters:,} voters**",
            "",
            "| measure | value |",
            "| --- | --- |",
            *(f"| {label} | {value} |" for label, value in rows(city)),
        ]
    )
    print(report)
    write_section(f"ballots:{connection.vendor}", report)


if __name__ == "__main__":
    run(
        representatives=int(os.environ.get("BENCH_REPRESENTATIVES", str(REPRESENTATIVES))),
        voters=CITY_VOTERS,
    )
