"""Handling: 交办 to a lead and a co-handler, 签收, return, extension, the co-handler's
opinion, the reply, the signers' rating, re-handling, carry-over and closing.

刘红's suggestion (co-signed by 张伟) goes to 海州区交通运输局 (赵磊) as lead and
江海市交通运输局 (钱进) as co-handler.
"""

import datetime

import pytest

from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation, StaleState
from congress.models import Assignment, AssignmentRole, AssignmentStatus, User
from congress.workdays import add_deadline, add_workdays
from suggestions.formal import conf, services
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import (
    SignerStatus,
    Suggestion,
    SuggestionRating,
    SuggestionReply,
    SuggestionStatus,
)
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, Clock, draft, registered

S = SuggestionStatus


@pytest.fixture
def signed(cast: Cast, city_staff: User) -> Suggestion:
    """Co-signed by 张伟, submitted and registered."""
    suggestion = draft(cast)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.lead_user)
    services.signer_respond(
        signer=suggestion.signers.get(representative=cast.cosigner),
        confirm=True,
        by=cast.cosigner_user,
    )
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)
    return suggestion


def handed_out(suggestion: Suggestion, world: World, city_staff: User) -> Assignment:
    return services.suggestion_assign(
        suggestion=suggestion,
        lead_department=world.department,
        co_handlers=[world.city_department],
        by=city_staff,
    )


def assignments(suggestion: Suggestion) -> dict[str, Assignment]:
    rows = Assignment.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    return {a.role: a for a in rows.order_by("pk")}


def test_assigning_hands_out_a_lead_and_a_co_handler_with_their_deadlines(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = handed_out(signed, world, city_staff)

    assert signed.status == S.HANDLING and signed.lead_assignment == lead
    rows = assignments(signed)
    assert rows[AssignmentRole.LEAD].due_on == add_deadline(clock.today, conf.reply_deadline())
    assert rows[AssignmentRole.CO_HANDLER].due_on == add_deadline(
        clock.today, conf.co_handler_deadline()
    )
    assert rows[AssignmentRole.LEAD].latest_due_on == datetime.date(2026, 7, 15)
    assert clerk.notifications.filter(kind="assignment.new").count() == 1
    assert cast.city_clerk.notifications.filter(kind="assignment.new").count() == 1


def test_two_staff_assigning_at_once_one_succeeds_the_other_sees_it_moved(
    signed: Suggestion, world: World, city_staff: User
) -> None:
    first = Suggestion.objects.get(pk=signed.pk)
    second = Suggestion.objects.get(pk=signed.pk)
    services.suggestion_assign(suggestion=first, lead_department=world.department, by=city_staff)

    with pytest.raises(StaleState) as raised:
        services.suggestion_assign(
            suggestion=second, lead_department=world.city_department, by=city_staff
        )

    assert "已被他人处理" in str(raised.value.message)
    rows = Assignment.objects.filter(case_type=SUGGESTION_CASE, case_id=signed.pk)
    assert [a.department for a in rows] == [world.department]


def test_a_form_shown_before_someone_else_assigned_is_refused(
    signed: Suggestion, world: World, city_staff: User
) -> None:
    version_on_the_page = signed.version
    services.suggestion_mark_key(
        suggestion=signed,
        is_key=True,
        leading_official="副市长 张某",
        supervisor="副主任 李某",
        by=city_staff,
    )
    services.suggestion_assign(
        suggestion=signed,
        lead_department=world.department,
        by=city_staff,
        expected_version=version_on_the_page,
    )  # marking key is not a move: the version is unchanged, the page is not stale
    stale = Suggestion.objects.get(pk=signed.pk)
    with pytest.raises(InvalidTransition):
        services.suggestion_assign(
            suggestion=stale,
            lead_department=world.department,
            by=city_staff,
            expected_version=version_on_the_page,
        )


def test_a_department_outside_the_congress_region_cannot_be_assigned(
    signed: Suggestion, world: World, city_staff: User
) -> None:
    from tests.factories import DepartmentFactory, RegionFactory

    # Another city's bureau is outside the staff's scope: not found, like any such object.
    elsewhere = DepartmentFactory(name="外市交通局", region=RegionFactory(name="外市"))
    with pytest.raises(OutOfJurisdiction):
        services.suggestion_assign(suggestion=signed, lead_department=elsewhere, by=city_staff)
    # The province's department is one they can see, but not the city congress's to assign.
    above = DepartmentFactory(name="东海省交通运输厅", region=world.city.parent)
    with pytest.raises(RuleViolation, match="不是本级人大可以交办"):
        services.suggestion_assign(suggestion=signed, lead_department=above, by=city_staff)
    assert Suggestion.objects.get(pk=signed.pk).status == S.REGISTERED


def test_return_within_seven_working_days_and_reassignment(
    signed: Suggestion, world: World, city_staff: User, clerk: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = services.suggestion_assign(
        suggestion=signed, lead_department=world.department, by=city_staff
    )
    clock.set(add_workdays(datetime.date(2026, 1, 15), 7))
    services.handling_request_return(assignment=lead, by=clerk, reason="属市级事权，非本单位职责")
    assert city_staff.notifications.filter(kind="suggestion.return_requested").exists()

    services.handling_decide_return(assignment=lead, approve=True, by=city_staff)
    new_lead = services.suggestion_reassign(
        suggestion=signed, department=world.city_department, by=city_staff
    )
    assert signed.lead_assignment == new_lead and signed.status == S.HANDLING
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.RETURNED


def test_no_return_after_seven_working_days(
    signed: Suggestion, world: World, city_staff: User, clerk: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = services.suggestion_assign(
        suggestion=signed, lead_department=world.department, by=city_staff
    )
    clock.set(add_workdays(datetime.date(2026, 1, 15), 8))
    with pytest.raises(RuleViolation, match="7个工作日"):
        services.handling_request_return(assignment=lead, by=clerk, reason="非本单位职责")
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.ASSIGNED


def test_an_extension_cannot_pass_six_months_from_assignment(
    signed: Suggestion, world: World, city_staff: User, clerk: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = services.suggestion_assign(
        suggestion=signed, lead_department=world.department, by=city_staff
    )
    services.handling_accept(assignment=lead, by=clerk)
    with pytest.raises(RuleViolation, match="最长办理期限 2026-07-15"):
        services.handling_request_extension(
            assignment=lead, until=datetime.date(2026, 7, 16), reason="需财政预算", by=clerk
        )
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED and lead.due_on == datetime.date(2026, 4, 15)

    services.handling_request_extension(
        assignment=lead, until=datetime.date(2026, 7, 15), reason="需财政预算", by=clerk
    )
    services.handling_decide_extension(assignment=lead, approve=True, by=city_staff)
    lead.refresh_from_db()
    assert lead.due_on == datetime.date(2026, 7, 15)
    assert clerk.notifications.filter(kind="suggestion.extension_decided").exists()


def test_a_reply_without_a_category_changes_nothing(
    signed: Suggestion, world: World, city_staff: User, clerk: User
) -> None:
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    with pytest.raises(RuleViolation, match="答复类别"):
        services.suggestion_reply(
            suggestion=signed, category="", text="已研究", signing_official="李局长", by=clerk
        )
    assert Suggestion.objects.get(pk=signed.pk).status == S.HANDLING
    assert not SuggestionReply.objects.exists()
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.ACCEPTED


def test_another_departments_clerk_cannot_reply(
    signed: Suggestion, world: World, city_staff: User, clerk: User, other_clerk: User
) -> None:
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    with pytest.raises(services.NotPermitted):
        services.suggestion_reply(
            suggestion=signed, category="A", text="x", signing_official="x", by=other_clerk
        )


def reply(suggestion: Suggestion, clerk: User, category: str = "A") -> SuggestionReply:
    return services.suggestion_reply(
        suggestion=suggestion,
        category=category,
        text="经研究，已于3月新开通128路公交，覆盖桃园社区。",
        signing_official="李明（局长）",
        by=clerk,
    )


def test_every_signer_receives_the_reply_and_rates_it(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast
) -> None:
    lead = handed_out(signed, world, city_staff)
    co = assignments(signed)[AssignmentRole.CO_HANDLER]
    services.handling_accept(assignment=co, by=cast.city_clerk)
    services.handling_opinion(
        assignment=co, text="同意新增线路，市级补贴可予支持。", by=cast.city_clerk
    )
    assert clerk.notifications.filter(kind="suggestion.co_handler_opinion").exists()
    services.handling_accept(assignment=lead, by=clerk)

    reply(signed, clerk)

    assert signed.status == S.REPLIED and signed.reply_category == "A"
    assert signed.replied_on_time is True
    for user in (cast.lead_user, cast.cosigner_user):
        assert user.notifications.filter(kind="suggestion.reply").count() == 1
    services.suggestion_rate(
        suggestion=signed,
        representative=cast.lead,
        attitude="satisfied",
        result="satisfied",
        by=cast.lead_user,
    )
    assert Suggestion.objects.get(pk=signed.pk).status == S.REPLIED  # 张伟 has not rated yet
    services.suggestion_rate(
        suggestion=signed,
        representative=cast.cosigner,
        attitude="satisfied",
        result="basically",
        by=cast.cosigner_user,
    )
    signed.refresh_from_db()
    assert signed.status == S.CLOSED and signed.result_rating == "satisfied"
    assert {a.status for a in assignments(signed).values()} == {AssignmentStatus.CLOSED}


def test_a_rating_by_someone_who_did_not_sign_is_refused(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast
) -> None:
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    reply(signed, clerk)
    with pytest.raises(RuleViolation, match="只有领衔或附议"):
        services.suggestion_rate(
            suggestion=signed,
            representative=cast.third,
            attitude="satisfied",
            result="satisfied",
            by=cast.third_user,
        )
    with pytest.raises(services.NotPermitted):
        services.suggestion_rate(
            suggestion=signed,
            representative=cast.lead,
            attitude="satisfied",
            result="satisfied",
            by=cast.cosigner_user,
        )
    assert not SuggestionRating.objects.exists()


def test_unsatisfied_sends_it_back_for_a_month_then_a_better_reply_closes_it(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    clock.set(datetime.date(2026, 3, 2))
    reply(signed, clerk, "B")
    with pytest.raises(RuleViolation, match="写明意见"):
        services.suggestion_rate(
            suggestion=signed,
            representative=cast.cosigner,
            attitude="basically",
            result="unsatisfied",
            by=cast.cosigner_user,
        )

    services.suggestion_rate(
        suggestion=signed,
        representative=cast.cosigner,
        attitude="basically",
        result="unsatisfied",
        comment="线路调整方案未征求居民意见",
        by=cast.cosigner_user,
    )

    signed.refresh_from_db()
    lead.refresh_from_db()
    assert signed.status == S.REHANDLING
    assert lead.status == AssignmentStatus.IN_PROGRESS
    assert lead.due_on == datetime.date(2026, 4, 2)  # one month, a working day
    assert clerk.notifications.filter(kind="suggestion.rehandling").exists()

    clock.set(datetime.date(2026, 3, 20))
    second = reply(signed, clerk, "A")
    assert second.round == 2
    for person, user in [(cast.lead, cast.lead_user), (cast.cosigner, cast.cosigner_user)]:
        services.suggestion_rate(
            suggestion=signed,
            representative=person,
            attitude="satisfied",
            result="satisfied",
            by=user,
        )
    signed.refresh_from_db()
    assert signed.status == S.CLOSED and signed.reply_category == "A"


def test_b_and_c_replies_are_carried_over_until_resolved(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    clock.set(datetime.date(2026, 4, 1))
    reply(signed, clerk, "C")
    services.suggestion_rate(
        suggestion=signed,
        representative=cast.lead,
        attitude="satisfied",
        result="basically",
        by=cast.lead_user,
    )
    services.suggestion_rate(
        suggestion=cast.lead.led_suggestions.get(),
        representative=cast.cosigner,
        attitude="satisfied",
        result="satisfied",
        by=cast.cosigner_user,
        channel="online",
    )

    signed.refresh_from_db()
    assert signed.status == S.CARRIED_OVER
    follow_up = signed.lead_assignment
    assert follow_up is not None and follow_up.department == world.department
    assert follow_up.due_on == datetime.date(2026, 10, 8)  # 6 months on; 1–7 Oct is 国庆
    assert follow_up.title.startswith("跨年度跟踪")

    clock.set(datetime.date(2026, 9, 1))
    services.handling_accept(assignment=follow_up, by=clerk)
    services.suggestion_follow_up(
        suggestion=signed, category="B", text="已列入明年计划", signing_official="李明", by=clerk
    )
    signed.refresh_from_db()
    assert signed.status == S.CARRIED_OVER and signed.lead_assignment != follow_up

    clock.set(datetime.date(2026, 12, 1))
    services.handling_accept(assignment=signed.lead_assignment, by=clerk)
    services.suggestion_follow_up(
        suggestion=signed, category="A", text="线路已开通", signing_official="李明", by=clerk
    )
    signed.refresh_from_db()
    assert signed.status == S.CLOSED and signed.follow_up_category == "A"
    assert signed.reply_category == "C"  # the session's report keeps the first answer


def test_staff_close_the_rating_when_a_signer_never_answers(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast
) -> None:
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    reply(signed, clerk, "D")
    services.suggestion_rate(
        suggestion=signed,
        representative=cast.cosigner,
        attitude="satisfied",
        result="satisfied",
        by=city_staff,
        channel="paper",
    )
    services.suggestion_close_rating(suggestion=signed, by=city_staff)
    signed.refresh_from_db()
    assert signed.status == S.CLOSED and signed.result_rating == "satisfied"


def test_a_representative_group_second_evaluation_can_hand_it_back(
    signed: Suggestion, world: World, city_staff: User, clerk: User, cast: Cast
) -> None:
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    reply(signed, clerk, "A")
    services.suggestion_close_rating(suggestion=signed, by=city_staff)
    assert Suggestion.objects.get(pk=signed.pk).status == S.CLOSED

    services.group_evaluation_record(
        suggestion=signed,
        group=cast.group,
        held_on=datetime.date(2026, 1, 1),
        participants=12,
        result="unsatisfied",
        comment="晚高峰班次仍不足",
        by=city_staff,
    )
    signed.refresh_from_db()
    assert signed.status == S.REHANDLING
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.IN_PROGRESS


def test_key_supervision_and_progress_reports(
    signed: Suggestion, world: World, city_staff: User, clerk: User
) -> None:
    with pytest.raises(RuleViolation, match="领衔办理"):
        services.suggestion_mark_key(suggestion=signed, is_key=True, by=city_staff)
    services.suggestion_mark_key(
        suggestion=signed,
        is_key=True,
        leading_official="副市长 张某某",
        supervisor="常委会副主任 李某某",
        committee="城建环资工委",
        by=city_staff,
    )
    lead = handed_out(signed, world, city_staff)
    services.handling_accept(assignment=lead, by=clerk)
    services.handling_report_progress(assignment=lead, note="已完成线路踏勘", by=clerk)

    from suggestions.formal.selectors import key_suggestions

    row = key_suggestions(city_staff).get()
    assert row.key_leading_official == "副市长 张某某" and row.progress_reports == 1


def test_only_the_lead_agrees_to_publish(signed: Suggestion, cast: Cast) -> None:
    with pytest.raises(services.NotPermitted):
        services.suggestion_set_publish_consent(
            suggestion=signed, consent=True, by=cast.cosigner_user
        )
    services.suggestion_set_publish_consent(suggestion=signed, consent=True, by=cast.lead_user)
    assert signed.publish_consent


def test_unassigned_suggestions_are_chased_once_a_day(
    cast: Cast, city_staff: User, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 12))
    suggestion = registered(cast, city_staff)
    assert suggestion.assign_by == add_workdays(datetime.date(2026, 1, 12), 7)

    assert services.suggestions_remind_unassigned(today=datetime.date(2026, 1, 13)) == 0
    day = add_workdays(suggestion.assign_by, -1)
    assert services.suggestions_remind_unassigned(today=day) == 1
    assert services.suggestions_remind_unassigned(today=day) == 0  # a retried task: no one twice
    late = add_workdays(suggestion.assign_by, 1)
    assert services.suggestions_remind_unassigned(today=late) == 1
    titles = list(city_staff.notifications.values_list("title", flat=True))
    assert len(titles) == 2 and "1件已超过交办期限" in titles[0]


def test_signers_are_confirmed_before_anyone_rates(signed: Suggestion, cast: Cast) -> None:
    confirmed = signed.signers.filter(status=SignerStatus.CONFIRMED).count()
    assert confirmed == 2
