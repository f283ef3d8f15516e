"""The demo's votes: the city's closed in-hall vote, every paper sheet entered by two
staff (one misread and settled by a third reading), and the county's open vote with its
paper desk half-way (a sheet counted, one waiting, one read two ways)."""

import time

import pytest
from django.utils import timezone

from congress.demo import build_core
from congress.models import AuditEvent, Elector, PaperReading, PublishedBallot, User
from congress.registry import demo_builders
from livelihood_votes import selectors
from livelihood_votes.models import BallotSource, LivelihoodVote


@pytest.mark.django_db
def test_the_demo_counts_paper_ballots_by_double_entry() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=0.25)
    by_name = {builder.name: builder for builder in demo_builders}
    by_name["representatives"].build(ctx)
    started = time.monotonic()
    by_name["livelihood votes"].build(ctx)
    elapsed = time.monotonic() - started

    city = LivelihoodVote.objects.get(congress__region=ctx.city)
    handed_out = Elector.objects.filter(box=city.box_id, channel=BallotSource.PAPER).count()
    paper = PublishedBallot.objects.filter(box=city.box_id, source=BallotSource.PAPER)
    assert city.status == "closed" and handed_out > 20
    assert paper.count() == handed_out
    assert sorted(s or 0 for s in paper.values_list("sheet", flat=True)) == list(
        range(1, handed_out + 1)
    )
    entries = PaperReading.objects.filter(box=city.box_id)
    assert entries.count() == 2 * handed_out + 1  # sheet 1 was read three times
    assert set(entries.values_list("entered_by__username", flat=True)) == {
        "city_staff",
        "city_teller",
        "admin",
    }
    trail = AuditEvent.objects.filter(
        object_id=str(city.pk), detail__action="paper_sheet_enter", detail__sheet=1
    )
    assert [e.detail["outcome"] for e in trail.order_by("pk")] == [
        "waiting",
        "differs",
        "counted",
    ]

    county = LivelihoodVote.objects.get(status="open")
    progress = selectors.paper_progress(county, User.objects.get(username="city_staff"))
    assert (progress.counted, progress.waiting) == ([1], [2])
    assert [sheet for sheet, _readings in progress.differing] == [3]
    assert elapsed < 30  # double entry keeps the seed quick
