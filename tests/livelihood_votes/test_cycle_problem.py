"""A citizen's problem converted to 民生实事 becomes a proposal of channel ``problem`` in the
open call of its region, or waits for the next call of its region; the citizen is told
which (docs/livelihood-call.md, "A problem proposed from its case")."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from congress.models import CaseEvent, User
from livelihood_votes.cycles import services
from livelihood_votes.models import Cycle, Proposal, ProposalChannel, ProposalStatus
from suggestions.citizen import services as citizen
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueStatus
from tests.conftest import World
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_cycle_services import DAY, TODAY, open_cycle


@pytest.fixture(autouse=True)
def _rate_counters_start_empty() -> None:
    cache.clear()


def _handled_by_liu(cast: Cast, district_staff: User) -> CitizenIssue:
    """A citizen reports to 刘红 in her village; staff accept it and she handles it."""
    citizen.categories_ensure_defaults()
    issue, _created = citizen.citizen_issue_submit(
        submission=citizen.Submission(
            category=IssueCategory.objects.get(code="roads"),
            description="桃园社区到镇上没有公交，老人看病不方便",
            region=cast.world.village,
            station=None,
            representative=cast.liu,
            mobile="13812345678",
            citizen_name="张建国",
            consent=True,
        ),
        idempotency_key=uuid.uuid4(),
    )
    citizen.citizen_issue_accept(issue=issue, by=district_staff)
    issue.refresh_from_db()
    return issue


def _convert(issue: CitizenIssue, cast: Cast) -> str:
    assert cast.liu.user is not None
    citizen.citizen_issue_convert(issue=issue, by=cast.liu.user, to="livelihood")
    event = CaseEvent.objects.filter(case_id=issue.pk, action="convert").latest("pk")
    return event.public_note


def test_a_converted_problem_lands_in_the_open_call(cast: Cast, district_staff: User) -> None:
    cycle = open_cycle(cast.world, district_staff)
    issue = _handled_by_liu(cast, district_staff)
    told = _convert(issue, cast)
    proposal = Proposal.objects.get()
    assert (proposal.cycle_id, proposal.channel, proposal.problem_id, proposal.status) == (
        cycle.pk,
        ProposalChannel.PROBLEM,
        issue.pk,
        ProposalStatus.SUBMITTED,
    )
    assert proposal.region_id == cast.world.village.pk and proposal.area_id == cast.world.town.pk
    assert (
        proposal.mobile == "" and proposal.mobile_hash == ""
    )  # the citizen's number stays on the case
    assert cycle.call_closes_on is not None
    assert told == (
        f"代表已将您反映的问题作为民生实事项目建议，列入海州区民生实事项目的项目建议征集"
        f"（征集截止{cycle.call_closes_on.isoformat()}），筛选结果将在此公布。"
    )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CONVERTED


def test_with_no_call_open_it_waits_and_joins_the_next_call(
    cast: Cast, world: World, district_staff: User
) -> None:
    issue = _handled_by_liu(cast, district_staff)
    told = _convert(issue, cast)
    assert "目前没有正在进行的项目征集" in told and "下一次征集开始时自动列入" in told
    waiting = Proposal.objects.get()
    assert waiting.cycle_id is None and waiting.channel == ProposalChannel.PROBLEM
    # Staff see it waiting; another district's staff do not.
    from livelihood_votes.cycles.selectors import visible_proposals

    assert list(visible_proposals(district_staff)) == [waiting]
    # The district's next call adopts it.
    cycle = services.cycle_create(
        congress=world.district.congress,
        year=TODAY.year + 1,
        title="海州区下一年度民生实事项目",
        by=district_staff,
        call_opens_on=TODAY + 10 * DAY,
        call_closes_on=TODAY + 50 * DAY,
    )
    waiting.refresh_from_db()
    assert (waiting.cycle_id, waiting.area_id) == (cycle.pk, world.town.pk)
    assert Cycle.objects.count() == 1


def test_a_past_years_cycle_entered_afterwards_takes_no_waiting_problem(
    cast: Cast, world: World, district_staff: User
) -> None:
    issue = _handled_by_liu(cast, district_staff)
    _convert(issue, cast)
    services.cycle_create(
        congress=world.district.congress,
        year=TODAY.year - 1,
        title="海州区上一年度民生实事项目",
        by=district_staff,
        call_opens_on=TODAY - 400 * DAY,
        call_closes_on=TODAY - 300 * DAY,
    )
    assert Proposal.objects.get().cycle_id is None


def test_a_call_of_another_district_does_not_take_it(
    cast: Cast, world: World, district_staff: User, other_district_staff: User
) -> None:
    services.cycle_create(
        congress=world.other_district.congress,
        year=TODAY.year + 1,
        title="临江区民生实事项目",
        by=other_district_staff,
        call_opens_on=TODAY - DAY,
        call_closes_on=TODAY + 40 * DAY,
    )
    issue = _handled_by_liu(cast, district_staff)
    _convert(issue, cast)
    assert Proposal.objects.get().cycle_id is None
