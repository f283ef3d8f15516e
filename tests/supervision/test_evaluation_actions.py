"""The evaluation's moves and staff steps, stated by hand: the transition table, what
each persona may do in each state (derived from ``actions.EVALUATION_ACTIONS``), and
that every step of the table runs one service (the check the API's dispatchers get in
tests/security/test_api_writes_use_services.py)."""

from __future__ import annotations

import pytest

from congress.models import User
from supervision.evaluation import actions, services
from supervision.evaluation.workflow import EVALUATION_TRANSITIONS
from tests.conftest import World
from tests.security.test_api_writes_use_services import problems_of
from tests.supervision.evaluation_support import make_cast, make_evaluation

EXPECTED_TABLE = {
    "evaluation_open": ({"draft"}, "open"),
    "evaluation_close": ({"open"}, "closed"),
    "evaluation_publish": ({"closed"}, "published"),
    "evaluation_cancel": ({"draft", "open"}, "cancelled"),
}


def test_the_transition_table_as_written_by_hand() -> None:
    assert {
        name: ({str(s) for s in sources}, str(target))
        for name, (sources, target) in EVALUATION_TRANSITIONS.items()
    } == EXPECTED_TABLE
    assert list(actions.EVALUATION_ACTIONS) == list(EXPECTED_TABLE)


@pytest.mark.parametrize("name", sorted(actions.EVALUATION_ACTIONS))
def test_every_step_runs_a_service(name: str) -> None:
    assert problems_of(actions.EVALUATION_ACTIONS[name].run) == []


@pytest.mark.django_db
def test_who_may_take_which_step_in_each_state(
    world: World,
    representative_user: User,
    district_staff: User,
    city_staff: User,
    other_district_staff: User,
    administrator: User,
    clerk: User,
) -> None:
    cast = make_cast(world, representative_user)
    evaluation = make_evaluation(world.district, cast.departments, district_staff)
    managers = [district_staff, city_staff, administrator]
    others = [other_district_staff, clerk, representative_user]
    for state, step, allowed in [
        ("draft", "evaluation_open", ["evaluation_open", "evaluation_cancel"]),
        ("open", "evaluation_close", ["evaluation_close", "evaluation_cancel"]),
        ("closed", "evaluation_publish", ["evaluation_publish"]),
        ("published", None, []),
    ]:
        assert evaluation.status == state
        for user in managers:
            assert actions.allowed(user, evaluation) == allowed, (state, user)
        for user in others:
            assert actions.allowed(user, evaluation) == [], (state, user)
        if step:
            evaluation = actions.take(step, evaluation, district_staff)
            evaluation.refresh_from_db()
    assert services.ranks([]) == {}
