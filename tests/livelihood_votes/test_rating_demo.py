"""The demo's 2025 city cycle, fully rated: a closed vote, its projects completed, a
published rating in which 整治城市易涝点30处 (done worst) is 不满意, its rectification
handed to 水利局, and the project carried into 2026."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congress.demo import build_core
from congress.models import Assignment
from congress.models.ballots import Rating
from congress.registry import demo_builders
from livelihood_votes.models import Cycle, Project, ProjectStatus, VoteStatus
from livelihood_votes.models.ratings import RatingStatus, Rectification
from livelihood_votes.ratings.workflow import RECTIFY_CASE


@pytest.mark.django_db
def test_the_demo_rates_last_years_city_cycle() -> None:
    ctx = build_core(seed=2026, today=timezone.localdate(), scale=0.25)
    by_name = {builder.name: builder for builder in demo_builders}
    by_name["representatives"].build(ctx)
    by_name["livelihood ratings"].build(ctx)

    cycle = Cycle.objects.get(region=ctx.city, year=2025)
    assert cycle.vote is not None and cycle.vote.status == VoteStatus.CLOSED
    assert cycle.rating_round.status == RatingStatus.PUBLISHED
    projects = list(cycle.projects.all())
    assert len(projects) == 10
    flood = next(p for p in projects if p.title.startswith("整治城市易涝点"))
    assert (flood.rating, flood.status) == (Rating.DISSATISFIED, ProjectStatus.RECTIFYING)
    others = [p for p in projects if p != flood]
    assert {p.rating for p in others} <= {Rating.SATISFIED, Rating.BASIC}
    assert {p.status for p in others} == {ProjectStatus.CLOSED}
    rectification = Rectification.objects.get()
    assert rectification.department.short_name == "水利局"
    assert Assignment.objects.filter(case_type=RECTIFY_CASE, case_id=rectification.pk).exists()
    carried = Project.objects.get(carried_from=flood)
    assert carried.cycle.year == 2026 and carried.cycle.region == ctx.city
    # Every event it wrote has its words (their English comes with the translations'
    # merge: tests/test_timeline_labels.py checks both languages on the whole demo).
    from congress.models import CaseEvent
    from tests.test_timeline_labels import _unsaid

    problems: set[str] = set()
    written = CaseEvent.objects.values_list("case_type", "action", "to_status", "assignment_id")
    for case_type, action, to_status, assignment_id in written.distinct():
        own = assignment_id is not None
        problems.update(_unsaid(case_type, "action", action, of_assignment=own))
        if to_status:
            problems.update(_unsaid(case_type, "status", to_status, of_assignment=own))
    unsaid = sorted(p for p in problems if p.endswith("has no label"))
    assert not unsaid, "\n".join(unsaid)
    # Built again: nothing twice.
    by_name["livelihood ratings"].build(ctx)
    assert Cycle.objects.filter(region=ctx.city, year=2025).count() == 1
