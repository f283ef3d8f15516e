"""The benchmark harness at a tiny size, so that it cannot rot between real runs.

Nothing is timed or compared with a target: each benchmark of a generated city
(bench/pages.py, bench/submission.py) must still find its personas and pages and
produce its figures. A few seconds on the test database.
"""

from __future__ import annotations

import shutil
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command

from bench import pages, submission
from suggestions.models.citizen import CitizenIssue

PAGES = {
    "home (city staff)",
    "home (district staff)",
    "problem list, first page",
    "problem list, two filters",
    "problem list, overdue",
    "problem list, page 100",
    "problem list (district staff)",
    "case detail",
    "home (department clerk)",
    "clerk's problem list",
    "clerk workspace (suggestions)",
    "API list of problems",
    "dashboard (city staff)",
    "dashboard (district staff)",
    "big screen figures (city staff)",
    "monthly report (city staff)",
    "big screen API (city staff)",
    "bulk logins preview (city staff)",
}


@pytest.fixture
def tiny_city(db: None) -> None:
    call_command("generate_city", scale="tiny", problems=200, seed=3, verbosity=0)


def test_every_staff_page_gives_its_figures(
    tiny_city: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "REQUESTS", 2)
    figures = pages.measure()
    assert {f.page for f in figures} == PAGES
    for figure in figures:
        assert figure.status == 200, figure
        assert figure.queries > 0
        assert figure.median_ms > 0 and figure.p99_ms >= figure.median_ms
    lists = [f for f in figures if f.page.startswith("problem list") and "page 100" not in f.page]
    assert all("suggestions_citizenissue" in f.plan for f in lists)
    text = pages.report(figures, problems=200, generated_s=1.0)
    for page in PAGES:
        assert f"| {page} |" in text


def test_wrk_output_is_read(tiny_city: None) -> None:
    sample = """Running 15s test @ http://127.0.0.1:8000/floor/
  2 threads and 16 connections
  Latency Distribution
     50%   12.50ms
     75%   20.00ms
     90%   31.00ms
     99%    1.20s
  4321 requests in 15.02s, 1.00MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    287.65
"""
    rate, p50, p99, total, errors = submission._parse(sample)
    assert (rate, p50, p99, total, errors) == (287.65, 12.5, 1200.0, 4321, 7)


def _wait_for_requests_in_flight() -> None:
    """wrk cuts its last requests off; the live server finishes them on threads of its own.

    Its in-memory SQLite connection is shared with the test's, so the teardown's flush
    must not start while one of them is still writing (a half-written problem made the
    flush fail on a foreign key in CI).
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_citizens_form_takes_wrks_load(
    transactional_db: None, live_server: object, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CITIZEN_RATE_PER_IP = "1000000/h"  # one address floods on purpose
    # One connection: the test database (SQLite) takes one writer at a time.
    monkeypatch.setattr(submission, "CONNECTIONS", 1)
    call_command("generate_city", scale="tiny", problems=20, seed=3, verbosity=0)
    before = CitizenIssue.objects.count()
    path, body, csrf = submission.citizen_form()
    url = f"{live_server.url}{path}"  # type: ignore[attr-defined]
    rate, p50, p99, total, errors = submission.load(url, body, csrf, seconds=1)
    assert total > 0 and errors == 0 and rate > 0 and 0 < p50 <= p99
    _wait_for_requests_in_flight()
    # Every answered request stored a problem (a request cut off at the end may have too).
    assert CitizenIssue.objects.count() - before >= total


def test_the_worker_memory_bench_reads_its_figures(
    transactional_db: None, live_server: object, settings: Any
) -> None:
    """bench/rss.py at a tiny size against the live server (this process, so the RSS
    read is this process's): every kind of request is answered, and a reading comes
    out before the first request and after every ``every`` requests."""
    import os

    from bench import rss

    settings.CITIZEN_RATE_PER_IP = "1000000/h"
    call_command("generate_city", scale="tiny", problems=20, seed=3, verbosity=0)
    requests = rss.mix()
    kinds = {request.kind for request in requests}
    assert kinds == {
        "staff home",
        "problem list",
        "problem list, filtered",
        "case detail",
        "API list",
        "station page",
        "submission",
    }
    url: str = live_server.url  # type: ignore[attr-defined]
    run = rss.measure(
        url,
        os.getpid,
        requests,
        count=2 * len(kinds),
        every=len(kinds),
    )
    _wait_for_requests_in_flight()
    assert [sent for sent, _kib in run.readings] == [0, len(kinds), 2 * len(kinds)]
    assert all(kib > 0 for _sent, kib in run.readings)
    assert {kind for kind, _status in run.statuses} == kinds
    assert all(200 <= status < 400 for _kind, status in run.statuses), run.statuses
    text = rss.report(run, problems=20, warm_up=len(kinds))
    assert "| worker RSS (MB) |" in text and "after warm-up (7)" in text


def test_the_submission_report_sets_the_form_against_both_floors(db: None) -> None:
    """The ratio to the bare floor and to the floor behind the product's middleware (the
    report's heading names the database's version, so it reads the database)."""
    loads = [
        submission.Load("citizen's form", 2, 100.0, 40.0, 90.0, 1500, 0, 1500),
        submission.Load(submission.STACK, 2, 250.0, 20.0, 50.0, 3750, 0, 3750),
        submission.Load("floor: one INSERT", 2, 400.0, 5.0, 10.0, 6000, 0, 6000),
    ]
    text = submission.report(loads, problems=10)
    assert "| of the floor | of the stack's floor |" in text
    assert "| citizen's form | 2 | 100 | 40 | 90 | 1,500 | 0 | 1,500 | 0.25 | 0.40 |" in text
    assert f"| {submission.STACK} | 2 | 250 | 20 | 50 | 3,750 | 0 | 3,750 | 0.62 | 1.00 |" in text
