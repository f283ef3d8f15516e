"""Persona × state for a report on the agenda, through the action table and the real
services: who may take which step in each state (written out by hand), each allowed step
taken, each other one refused (409), and the outsiders who never see the item (404)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from congress.errors import InvalidTransition, UnknownAction
from congress.models import Role, User
from supervision.meetings import actions, selectors, services
from supervision.models.meetings import AgendaItem, ItemKind
from tests.conftest import World
from tests.factories import UserFactory, grant

# state → persona → the steps they may take now (by hand, not read from the code).
EXPECTED: dict[str, dict[str, list[str]]] = {
    "awaited": {
        "district_staff": ["draft_submit", "report_submit"],
        "city_staff": ["draft_submit", "report_submit"],
        "clerk": ["draft_submit", "report_submit"],
        "member": [],
    },
    "draft_in": {
        "district_staff": ["draft_comment", "report_submit"],
        "city_staff": ["draft_comment", "report_submit"],
        "clerk": ["report_submit"],
        "member": [],
    },
    "received": {
        "district_staff": ["members_send"],
        "city_staff": ["members_send"],
        "clerk": [],
        "member": [],
    },
    "sent": {"district_staff": [], "city_staff": [], "clerk": [], "member": []},
    "held": {
        "district_staff": ["evaluation_open"],
        "city_staff": ["evaluation_open"],
        "clerk": [],
        "member": [],
    },
    "voting": {
        "district_staff": ["evaluation_close"],
        "city_staff": ["evaluation_close"],
        "clerk": [],
        "member": [],
    },
    "voted": {"district_staff": [], "city_staff": [], "clerk": [], "member": []},
}
DATA: dict[str, dict[str, Any]] = {
    "draft_submit": {"text": "征求意见稿"},
    "draft_comment": {"comments": "请补充数据"},
    "report_submit": {"text": "报告"},
    "members_send": {},
    "evaluation_open": {},
    "evaluation_close": {},
}


@pytest.fixture
def people(
    world: World, district_staff: User, city_staff: User, clerk: User, settings: Any, tmp_path: Any
) -> dict[str, User]:
    settings.BALLOT_KEY_DIR = tmp_path
    member = grant(UserFactory(username="hzmember"), Role.COMMITTEE, region=world.district)
    return {
        "district_staff": district_staff,
        "city_staff": city_staff,
        "clerk": clerk,
        "member": member,
    }


@pytest.fixture
def in_state(world: World, people: dict[str, User]) -> Callable[[str], AgendaItem]:
    staff, clerk = people["district_staff"], people["clerk"]

    def make(state: str) -> AgendaItem:
        meeting = services.meeting_schedule(
            congress=world.district.congress,
            number=1,
            held_on=timezone.localdate() + datetime.timedelta(days=30),
            by=staff,
        )
        item = services.agenda_add(
            meeting=meeting,
            kind=ItemKind.REPORT,
            title="报告",
            department=world.department,
            by=staff,
        )
        if state != "awaited":
            services.draft_submit(item=item, text="征求意见稿", by=clerk)
        if state not in ("awaited", "draft_in"):
            services.report_submit(item=item, text="报告", by=clerk)
        if state not in ("awaited", "draft_in", "received"):
            services.members_send(item=item, by=staff)
        if state in ("held", "voting", "voted"):
            services.meeting_hold(meeting=meeting, by=staff)
        if state in ("voting", "voted"):
            vote = services.evaluation_open(item=item, by=staff)
        if state == "voted":
            services.evaluation_close(vote=vote, by=staff)
        return AgendaItem.objects.get(pk=item.pk)

    return make


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("persona", ["district_staff", "city_staff", "clerk", "member"])
def test_who_may_take_which_step(
    in_state: Callable[[str], AgendaItem], people: dict[str, User], state: str, persona: str
) -> None:
    item = in_state(state)
    user = people[persona]
    assert selectors.visible_items(user).filter(pk=item.pk).exists()
    allowed = EXPECTED[state][persona]
    assert actions.item_allowed(user, item) == allowed
    for name in actions.ITEM_ACTIONS:
        fresh = AgendaItem.objects.get(pk=item.pk)
        if name in allowed:
            actions.take_item(name, fresh, DATA[name], user)
        else:
            with pytest.raises(InvalidTransition):
                actions.take_item(name, fresh, DATA[name], user)
        if name in allowed:
            break  # the state has moved on


def test_outsiders_never_see_the_item(
    in_state: Callable[[str], AgendaItem], other_district_staff: User, other_clerk: User
) -> None:
    item = in_state("awaited")
    for outsider in (other_district_staff, other_clerk):
        assert not selectors.visible_items(outsider).filter(pk=item.pk).exists()


def test_a_name_that_is_no_step(
    in_state: Callable[[str], AgendaItem], people: dict[str, User]
) -> None:
    with pytest.raises(UnknownAction):
        actions.take_item("approve", in_state("awaited"), {}, people["district_staff"])
