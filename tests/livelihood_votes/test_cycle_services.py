"""The cycle, the call for proposals, screening and the shortlist through their services
(docs/livelihood-call.md): the phases' dates, each bad input of the call, duplicates by
phone, screening with reasons, what the proposer is told, and the vote made from the
shortlist.

海州区's congress runs the year; 刘红 and 张伟 sit in it (tests/livelihood_votes/conftest.py),
吴明 sits for 临江区. Dates are worked out by hand from "today".
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from congress.errors import InvalidTransition, RuleViolation
from congress.models import AuditEvent, CaseEvent, Notification, User
from livelihood_votes.cycles import selectors, services
from livelihood_votes.cycles.workflow import PROPOSAL_CASE, Phase, phase
from livelihood_votes.models import (
    Cycle,
    Proposal,
    ProposalChannel,
    ProposalStatus,
    ScreeningReason,
)
from livelihood_votes.models.cycles import ShortlistEntry
from tests.conftest import World
from tests.livelihood_votes.conftest import Cast

P = ProposalStatus
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def open_cycle(world: World, by: User, *, days_open: int = 5, **dates: Any) -> Cycle:
    """海州区's year with its call open since ``days_open`` days and for 30 more."""
    values = {
        "call_opens_on": TODAY - days_open * DAY,
        "call_closes_on": TODAY + 30 * DAY,
        **dates,
    }
    return services.cycle_create(
        congress=world.district.congress,
        year=TODAY.year + 1,
        title="海州区民生实事项目",
        by=by,
        **values,
    )


def propose(cycle: Cycle, world: World, **overrides: Any) -> services.Submitted:
    fields: dict[str, Any] = {
        "cycle": cycle,
        "channel": ProposalChannel.CITIZEN,
        "region": world.town,
        "title": "新浦街道建设老年食堂",
        "description": "社区老人吃饭不方便，希望建一个老年食堂。",
        "place": "新浦街道桃园社区",
        "theme": "elderly",
        "estimated_cost": Decimal("120"),
        "mobile": "13912345678",
        **overrides,
    }
    return services.proposal_submit(**fields)


def move_to_screening(cycle: Cycle, by: User) -> None:
    """The call closed yesterday after 30 days; screening runs for ten more days."""
    services.cycle_edit(
        cycle=cycle,
        by=by,
        call_opens_on=TODAY - 30 * DAY,
        call_closes_on=TODAY - DAY,
        screening_closes_on=TODAY + 10 * DAY,
    )


# --- the cycle's dates and phases ------------------------------------------------------------


def test_the_call_is_open_at_least_thirty_days_both_ends_counted(
    world: World, district_staff: User
) -> None:
    # 2027-03-01 .. 2027-03-30 is 30 days; .. 03-29 is 29.
    with pytest.raises(RuleViolation, match=r"至少30天.*现为29天"):
        services.cycle_create(
            congress=world.district.congress,
            year=2027,
            title="海州区2027年度民生实事项目",
            by=district_staff,
            call_opens_on=datetime.date(2027, 3, 1),
            call_closes_on=datetime.date(2027, 3, 29),
        )
    assert not Cycle.objects.exists()
    cycle = services.cycle_create(
        congress=world.district.congress,
        year=2027,
        title="海州区2027年度民生实事项目",
        by=district_staff,
        call_opens_on=datetime.date(2027, 3, 1),
        call_closes_on=datetime.date(2027, 3, 30),
    )
    assert cycle.call_closes_on == datetime.date(2027, 3, 30)


@override_settings(LIVELIHOOD_CALL_MIN_DAYS=45)
def test_the_shortest_call_is_a_setting(world: World, district_staff: User) -> None:
    with pytest.raises(RuleViolation, match="至少45天"):
        services.cycle_create(
            congress=world.district.congress,
            year=2027,
            title="海州区",
            by=district_staff,
            call_opens_on=datetime.date(2027, 3, 1),
            call_closes_on=datetime.date(2027, 4, 13),  # 44 days
        )


def test_dates_out_of_order_are_refused_naming_both(world: World, district_staff: User) -> None:
    with pytest.raises(
        RuleViolation, match="筛选截止日期（2027-03-31）早于征集截止日期（2027-04-30）"
    ):
        services.cycle_create(
            congress=world.district.congress,
            year=2027,
            title="海州区",
            by=district_staff,
            call_opens_on=datetime.date(2027, 3, 1),
            call_closes_on=datetime.date(2027, 4, 30),
            screening_closes_on=datetime.date(2027, 3, 31),
        )


def test_another_districts_staff_cannot_create_its_cycle(
    world: World, other_district_staff: User
) -> None:
    with pytest.raises(Http404):
        open_cycle(world, other_district_staff)


def test_the_phase_of_each_day() -> None:
    cycle = Cycle(
        call_opens_on=datetime.date(2026, 9, 1),
        call_closes_on=datetime.date(2026, 10, 10),
        screening_closes_on=datetime.date(2026, 11, 10),
        shortlist_closes_on=datetime.date(2026, 12, 20),
        vote_on=datetime.date(2027, 1, 15),
        implementation_starts_on=datetime.date(2027, 2, 1),
        midyear_on=datetime.date(2027, 7, 1),
        evaluation_opens_on=datetime.date(2027, 12, 1),
        evaluation_closes_on=datetime.date(2027, 12, 31),
    )
    expected = {
        datetime.date(2026, 8, 31): Phase.PREPARING,
        datetime.date(2026, 9, 1): Phase.CALL,
        datetime.date(2026, 10, 10): Phase.CALL,
        datetime.date(2026, 10, 11): Phase.SCREENING,
        datetime.date(2026, 11, 11): Phase.SHORTLIST,
        datetime.date(2026, 12, 21): Phase.VOTE,
        datetime.date(2027, 1, 15): Phase.VOTE,
        datetime.date(2027, 1, 16): Phase.RESULTS,
        datetime.date(2027, 2, 1): Phase.IMPLEMENTATION,
        datetime.date(2027, 7, 1): Phase.MIDYEAR,
        datetime.date(2027, 12, 1): Phase.EVALUATION,
        datetime.date(2027, 12, 31): Phase.EVALUATION,
        datetime.date(2028, 1, 1): Phase.FINISHED,
    }
    assert {day: phase(cycle, day) for day in expected} == expected


def test_a_date_not_set_keeps_the_cycle_in_the_phase_before_it() -> None:
    cycle = Cycle(
        call_opens_on=datetime.date(2026, 9, 1), call_closes_on=datetime.date(2026, 10, 10)
    )
    assert phase(cycle, datetime.date(2027, 6, 1)) == Phase.SCREENING


# --- the call: bad input ---------------------------------------------------------------------


def test_a_proposal_after_the_close_is_refused_with_the_date_it_closed(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    closes = cycle.call_closes_on
    assert closes is not None
    with pytest.raises(RuleViolation, match=f"已于{(closes).isoformat()}截止"):
        propose(cycle, world, day=closes + DAY)
    assert not Proposal.objects.exists()


def test_a_proposal_without_a_place_is_refused(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    with pytest.raises(RuleViolation, match="请填写项目实施地点"):
        propose(cycle, world, place="  ")
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("cost", [Decimal("-1"), Decimal("1000000.01")])
def test_an_absurd_cost_is_refused(world: World, district_staff: User, cost: Decimal) -> None:
    cycle = open_cycle(world, district_staff)
    with pytest.raises(RuleViolation, match="估算投资须在0至1,000,000万元之间"):
        propose(cycle, world, estimated_cost=cost)
    assert not Proposal.objects.exists()


def test_the_largest_plausible_cost_and_none_are_taken(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    propose(cycle, world, estimated_cost=Decimal("1000000"))
    propose(cycle, world, estimated_cost=None, title="桃园社区建设口袋公园")
    assert Proposal.objects.count() == 2


def test_a_citizen_needs_a_mobile_number(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    with pytest.raises(RuleViolation, match="11位手机号码"):
        propose(cycle, world, mobile="12345")


def test_the_same_phone_and_title_twice_is_merged_into_the_first_and_told(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    first = propose(cycle, world).proposal
    # The same title with other spacing, from the same number written another way.
    second = propose(cycle, world, title="新浦街道 建设老年食堂", mobile="+86 139 1234 5678")
    assert second.duplicate_of == first
    again = Proposal.objects.get(pk=second.proposal.pk)
    assert (again.status, again.merged_into_id, again.screening_reason) == (
        P.MERGED,
        first.pk,
        ScreeningReason.MERGED,
    )
    first.refresh_from_db()
    assert (first.status, first.merged_count) == (P.SUBMITTED, 1)
    notes = [e.public_note for e in selectors.public_events(again)]
    assert any("已合并到第一次提交的建议" in note for note in notes)
    # Another number with the same title is a proposal of its own.
    third = propose(cycle, world, mobile="13700000001")
    assert third.duplicate_of is None and third.proposal.status == P.SUBMITTED


def test_a_retried_form_finds_the_first_submission(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    key = uuid.uuid4()
    first = propose(cycle, world, idempotency_key=key)
    again = propose(cycle, world, idempotency_key=key)
    assert again.proposal.pk == first.proposal.pk and again.replayed
    assert Proposal.objects.count() == 1


def test_the_area_counted_in_is_the_district_under_the_citys_call(
    world: World, city_staff: User
) -> None:
    cycle = services.cycle_create(
        congress=world.city.congress,
        year=TODAY.year + 1,
        title="江海市民生实事项目",
        by=city_staff,
        call_opens_on=TODAY - DAY,
        call_closes_on=TODAY + 40 * DAY,
    )
    proposal = propose(cycle, world, region=world.village).proposal
    assert proposal.area_id == world.district.pk
    counts = selectors.call_counts(cycle)
    assert (counts.total, counts.by_area, counts.by_theme) == (
        1,
        [("海州区", 1)],
        [("养老托育", 1)],
    )


# --- representatives and departments ---------------------------------------------------------


def test_a_representative_proposes_to_their_congress_only(cast: Cast, district_staff: User) -> None:
    cycle = open_cycle(cast.world, district_staff)
    liu = cast.liu
    assert liu.user is not None
    made = propose(
        cycle,
        cast.world,
        channel=ProposalChannel.REPRESENTATIVE,
        representative=liu,
        by=liu.user,
        mobile="",
    ).proposal
    assert (made.channel, made.representative_id, made.submitted_by_id) == (
        ProposalChannel.REPRESENTATIVE,
        liu.pk,
        liu.user.pk,
    )
    outsider = cast.outsider
    assert outsider.user is not None
    with pytest.raises(RuleViolation, match=r"不是.*的在任代表"):
        propose(
            cycle,
            cast.world,
            channel=ProposalChannel.REPRESENTATIVE,
            representative=outsider,
            by=outsider.user,
            mobile="",
        )
    # Nobody proposes in another representative's name.
    with pytest.raises(Http404):
        propose(
            cycle,
            cast.world,
            channel=ProposalChannel.REPRESENTATIVE,
            representative=liu,
            by=outsider.user,
            mobile="",
        )


def test_a_clerk_proposes_for_their_own_department(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    cycle = open_cycle(world, district_staff)
    made = propose(
        cycle,
        world,
        channel=ProposalChannel.DEPARTMENT,
        department=world.department,
        by=clerk,
        mobile="",
    ).proposal
    assert made.department_id == world.department.pk
    with pytest.raises(Http404):
        propose(
            cycle,
            world,
            channel=ProposalChannel.DEPARTMENT,
            department=world.department,
            by=other_clerk,
            mobile="",
        )


# --- screening --------------------------------------------------------------------------------


def test_screening_out_records_the_reason_and_the_citizen_sees_it(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    move_to_screening(cycle, district_staff)
    services.proposal_screen_out(
        proposal=proposal,
        reason=ScreeningReason.ALREADY_FUNDED,
        note="已列入2026年区级养老服务计划",
        by=district_staff,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.screening_reason) == (
        P.SCREENED_OUT,
        ScreeningReason.ALREADY_FUNDED,
    )
    tracked = selectors.tracked_proposal(proposal.tracking_token)
    assert tracked is not None and tracked.status == P.SCREENED_OUT
    notes = [e.public_note for e in selectors.public_events(proposal)]
    assert (
        "您的建议经筛选暂不列入：已列入其他计划或已安排资金。已列入2026年区级养老服务计划" in notes
    )
    event = CaseEvent.objects.get(
        case_type=PROPOSAL_CASE, case_id=proposal.pk, action="proposal_screen_out"
    )
    assert (event.from_status, event.to_status, event.actor_id) == (
        P.SUBMITTED,
        P.SCREENED_OUT,
        district_staff.pk,
    )
    assert AuditEvent.objects.filter(object_id=str(proposal.pk), actor=district_staff).exists()


def test_screening_needs_a_reason_and_other_needs_a_note(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    with pytest.raises(RuleViolation, match="请选择不予采纳的原因"):
        services.proposal_screen_out(proposal=proposal, reason="", by=district_staff)
    with pytest.raises(RuleViolation, match="请写明筛选意见"):
        services.proposal_screen_out(
            proposal=proposal, reason=ScreeningReason.OTHER, note=" ", by=district_staff
        )
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED


def test_merges_end_on_one_proposal_with_the_count(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    a = propose(cycle, world, mobile="13900000001").proposal
    b = propose(cycle, world, mobile="13900000002").proposal
    c = propose(cycle, world, mobile="13900000003").proposal
    services.proposal_merge(proposal=b, into=a, by=district_staff)
    # a, with b in it, goes into c: b follows, and c counts both.
    a.refresh_from_db()
    services.proposal_merge(proposal=a, into=c, by=district_staff)
    rows = {p.pk: (p.status, p.merged_into_id) for p in Proposal.objects.all()}
    assert rows == {a.pk: (P.MERGED, c.pk), b.pk: (P.MERGED, c.pk), c.pk: (P.SUBMITTED, None)}
    assert Proposal.objects.get(pk=c.pk).merged_count == 2
    with pytest.raises(RuleViolation, match="不能合并到已合并"):
        services.proposal_merge(proposal=c, into=a, by=district_staff)


def test_another_districts_staff_cannot_screen(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    with pytest.raises(Http404):
        services.proposal_accept(proposal=proposal, by=other_district_staff)
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED


def test_screening_is_closed_once_the_vote_phase_comes(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    services.cycle_edit(
        cycle=cycle,
        by=district_staff,
        call_opens_on=TODAY - 60 * DAY,
        call_closes_on=TODAY - 20 * DAY,
        screening_closes_on=TODAY - 10 * DAY,
        shortlist_closes_on=TODAY - 5 * DAY,
        vote_on=TODAY + 5 * DAY,
    )
    with pytest.raises(RuleViolation, match="代表票决"):
        services.proposal_accept(proposal=proposal, by=district_staff)


def test_a_representative_hears_the_outcome_in_their_inbox(
    cast: Cast, district_staff: User
) -> None:
    cycle = open_cycle(cast.world, district_staff)
    liu = cast.liu
    assert liu.user is not None
    made = propose(
        cycle,
        cast.world,
        channel=ProposalChannel.REPRESENTATIVE,
        representative=liu,
        by=liu.user,
        mobile="",
    ).proposal
    services.proposal_screen_out(
        proposal=made, reason=ScreeningReason.NOT_LIVELIHOOD, by=district_staff
    )
    inbox = Notification.objects.get(recipient=liu.user)
    assert "暂不列入：不属于民生实事范围" in inbox.title


# --- the shortlist and the vote ----------------------------------------------------------------


def test_the_vote_is_made_from_the_shortlist_and_the_proposals_record_their_candidate(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    proposals = [
        propose(cycle, world, mobile=f"1390000000{n}", title=f"项目{n}").proposal for n in range(4)
    ]
    move_to_screening(cycle, district_staff)
    for proposal in proposals:
        services.proposal_accept(proposal=proposal, by=district_staff)
    with pytest.raises(RuleViolation, match="只能把本次征集中已采纳的建议"):
        services.shortlist_add(
            cycle=cycle,
            proposals=[Proposal(cycle=cycle, status=P.SUBMITTED)],
            title="x",
            description="x",
            department=world.department,
            budget=Decimal("1"),
            deadline=TODAY,
            place="x",
            by=district_staff,
        )
    first = services.shortlist_add(
        cycle=cycle,
        proposals=proposals[:2],
        title="建设社区老年食堂10个",
        description="由两条建议汇总",
        department=world.department,
        budget=Decimal("600"),
        deadline=datetime.date(TODAY.year + 1, 12, 31),
        place="海州区各街道",
        by=district_staff,
    )
    second = services.shortlist_add(
        cycle=cycle,
        proposals=proposals[2:3],
        title="改造背街小巷5条",
        description="—",
        department=world.department,
        budget=Decimal("300"),
        deadline=datetime.date(TODAY.year + 1, 10, 31),
        place="新浦街道",
        by=district_staff,
    )
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(RuleViolation, match="“筛选建议”阶段"):
        services.cycle_vote_create(cycle=cycle, seats=1, by=district_staff)
    # Screening closed yesterday: the candidate list is being settled.
    services.cycle_edit(cycle=cycle, by=district_staff, screening_closes_on=TODAY - DAY)
    # The congress reviews the list before the vote is made from it.
    with pytest.raises(RuleViolation, match="须先经人大常委会审议"):
        services.cycle_vote_create(cycle=cycle, seats=1, by=district_staff)
    with pytest.raises(RuleViolation, match="请写明审议情况"):
        services.shortlist_review(cycle=cycle, note="  ", by=district_staff)
    services.shortlist_review(cycle=cycle, note="经主任会议审议，同意。", by=district_staff)
    cycle.refresh_from_db()
    assert cycle.shortlist_review == "经主任会议审议，同意。" and cycle.shortlist_reviewed_at
    vote = services.cycle_vote_create(cycle=cycle, seats=1, by=district_staff)
    candidates = list(vote.candidates.order_by("order"))
    assert [(c.title, c.budget, c.deadline) for c in candidates] == [
        ("建设社区老年食堂10个", Decimal("600.00"), f"{TODAY.year + 1}-12-31"),
        ("改造背街小巷5条", Decimal("300.00"), f"{TODAY.year + 1}-10-31"),
    ]
    cycle.refresh_from_db()
    assert cycle.vote_id == vote.pk
    by_proposal = {p.pk: (p.status, p.candidate_id) for p in Proposal.objects.all()}
    assert by_proposal == {
        proposals[0].pk: (P.SHORTLISTED, candidates[0].pk),
        proposals[1].pk: (P.SHORTLISTED, candidates[0].pk),
        proposals[2].pk: (P.SHORTLISTED, candidates[1].pk),
        proposals[3].pk: (P.ACCEPTED, None),
    }
    with pytest.raises(RuleViolation, match="票决已经创建"):
        services.cycle_vote_create(cycle=cycle, seats=1, by=district_staff)


def test_a_proposal_cannot_be_shortlisted_twice(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    move_to_screening(cycle, district_staff)
    services.proposal_accept(proposal=proposal, by=district_staff)
    with pytest.raises(InvalidTransition):
        services.proposal_accept(proposal=proposal, by=district_staff)


def test_a_change_of_the_reviewed_list_asks_for_a_new_review(
    world: World, district_staff: User
) -> None:
    """The vote is made from the list the congress reviewed: adding or removing a project
    afterwards clears the review, and the vote waits for a new one."""
    cycle = open_cycle(world, district_staff)
    proposals = [
        propose(cycle, world, mobile=f"1390000001{n}", title=f"项目{n}").proposal for n in range(2)
    ]
    move_to_screening(cycle, district_staff)
    for proposal in proposals:
        services.proposal_accept(proposal=proposal, by=district_staff)

    def add(proposal: Proposal, title: str) -> ShortlistEntry:
        return services.shortlist_add(
            cycle=cycle,
            proposals=[proposal],
            title=title,
            description="—",
            department=world.department,
            budget=Decimal("100"),
            deadline=datetime.date(TODAY.year + 1, 12, 31),
            place="海州区",
            by=district_staff,
        )

    first = add(proposals[0], "建设口袋公园5个")
    services.cycle_edit(cycle=cycle, by=district_staff, screening_closes_on=TODAY - DAY)
    services.shortlist_review(cycle=cycle, note="经主任会议审议，同意。", by=district_staff)
    add(proposals[1], "改造背街小巷5条")
    cycle.refresh_from_db()
    assert cycle.shortlist_reviewed_at is None and cycle.shortlist_review == ""
    with pytest.raises(RuleViolation, match="须先经人大常委会审议"):
        services.cycle_vote_create(cycle=cycle, seats=1, by=district_staff)
    services.shortlist_review(cycle=cycle, note="再次审议，同意。", by=district_staff)
    services.shortlist_remove(entry=first, by=district_staff)
    cycle.refresh_from_db()
    assert cycle.shortlist_reviewed_at is None
