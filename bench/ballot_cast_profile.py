"""The CPU one casting request costs in the web process (issue 15 follow-up).

In-process, no HTTP server: ``django.test.Client`` posts to the real casting API
(``POST /api/v1/livelihood-votes/<id>/ballot/``) with each voter's own token, on the
database of ``BENCH_DATABASE_URL`` (PostgreSQL: dropped and created afresh), under the
production-like settings of ``bench.city.environment`` (DEBUG off). The first casts warm
the process and are not measured; then ``CASTS`` casts are timed (process CPU time per
cast) and ``PROFILED`` more are run under cProfile, whose top functions are printed.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/congress_ballot_followup \\
        .venv/bin/python -m bench.ballot_cast_profile
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import time

WARM, CASTS, PROFILED = 10, 200, 100


def main() -> None:
    from bench import city

    os.environ.update(city.environment())
    city.empty_database()
    from django.core.management import call_command
    from django.test import Client

    from bench.ballots import choices_of, fill

    call_command("migrate", verbosity=0)
    electorate = fill(WARM + CASTS + PROFILED, 23, 20, tag="p")
    url = f"/api/v1/livelihood-votes/{electorate.vote_id}/ballot/"

    def cast(index: int) -> None:
        body = json.dumps({"selected": choices_of(electorate, index)})
        client = Client(HTTP_AUTHORIZATION=f"Token {electorate.tokens[index]}")
        answer = client.post(url, body, content_type="application/json")
        assert answer.status_code == 201, answer.content

    for index in range(WARM):
        cast(index)
    cpu = []
    for index in range(WARM, WARM + CASTS):
        start = time.process_time()
        cast(index)
        cpu.append(time.process_time() - start)
    profile = cProfile.Profile(time.process_time)  # CPU time, as the budget is
    profile.enable()
    for index in range(WARM + CASTS, WARM + CASTS + PROFILED):
        cast(index)
    profile.disable()
    load = os.getloadavg()
    print(
        f"CPU per cast: median {statistics.median(cpu) * 1000:.1f} ms, "
        f"mean {statistics.mean(cpu) * 1000:.1f} ms over {CASTS} casts "
        f"(load {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f})"
    )
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(45)
        print(out.getvalue())


if __name__ == "__main__":
    main()
