"""A case's timeline shows its own events only (what a citizen's tracking page reads).

Found by this suite (and fixed): the events of an assignment's transitions were
filed under ``case_id=assignment.pk`` instead of the case's id, so "accepted",
"replied"… landed on the timeline of whichever case had the assignment's
number. A citizen's tracking page reads timelines: this must never come back.
"""

from __future__ import annotations

from congress import loop
from congress.models import User
from congress.workflow import timeline
from tests.conftest import World
from tests.loop_support import TEST_CASE


def test_a_transition_lands_on_its_own_cases_timeline(world: World, district_staff: User) -> None:
    cases = {}
    for case_id in (1, 2, 3):
        cases[case_id] = loop.assignment_create(
            case_type=TEST_CASE,
            case_id=case_id * 100,
            title=f"事项{case_id}",
            region=world.village,
            by=district_staff,
            department=world.department,
        )
    loop.assignment_accept(assignment=cases[2], by=district_staff)
    actions = list(timeline(TEST_CASE, 200).values_list("action", flat=True))
    assert actions == ["assign", "accept"]
    for other in (100, 300, cases[2].pk):
        if other != 200:
            assert "accept" not in timeline(TEST_CASE, other).values_list("action", flat=True)
