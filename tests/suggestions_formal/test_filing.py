"""Filing: a draft, co-signers who each confirm, submission, pre-submission review, review.

刘红 drafts a suggestion on bus routes and asks 张伟 and 王军 to co-sign; 孙悦 (a 临江区
representative only) cannot. City staff review what is submitted.
"""

import datetime

import pytest

from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation, StaleState
from congress.models import CaseEvent, Session, SessionKind, User
from suggestions.formal import services
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import SignerStatus, Suggestion, SuggestionStatus
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, Clock, draft, registered

S = SuggestionStatus


def events(suggestion: Suggestion) -> list[str]:
    return list(
        CaseEvent.objects.filter(case_type=SUGGESTION_CASE, case_id=suggestion.pk).values_list(
            "action", flat=True
        )
    )


def test_a_draft_has_its_lead_as_confirmed_signer(cast: Cast) -> None:
    suggestion = draft(cast)

    assert suggestion.status == S.DRAFT
    assert suggestion.congress == cast.session.term.congress
    lead = suggestion.signers.get()
    assert lead.representative == cast.lead and lead.status == SignerStatus.CONFIRMED
    assert events(suggestion) == ["create"]


def test_a_suggestion_without_a_session_is_refused(cast: Cast) -> None:
    with pytest.raises(RuleViolation, match="会议"):
        services.suggestion_create(
            lead=cast.lead,
            session=None,
            title="x",
            content="y",
            category="other",
            by=cast.lead_user,
        )
    assert not Suggestion.objects.exists()


def test_a_standing_committee_meeting_is_not_a_session_for_suggestions(cast: Cast) -> None:
    meeting = Session.objects.create(
        term=cast.session.term,
        kind=SessionKind.STANDING_COMMITTEE,
        number=30,
        opens_on=datetime.date(2026, 2, 25),
        closes_on=datetime.date(2026, 2, 25),
    )
    with pytest.raises(RuleViolation, match="人民代表大会会议"):
        services.suggestion_create(
            lead=cast.lead,
            session=meeting,
            title="x",
            content="y",
            category="other",
            by=cast.lead_user,
        )


def test_someone_else_cannot_file_in_a_representatives_name(cast: Cast) -> None:
    # A co-signer is no staff: the lead is outside their jurisdiction, so not found.
    with pytest.raises(OutOfJurisdiction):
        services.suggestion_create(
            lead=cast.lead,
            session=cast.session,
            title="x",
            content="y",
            category="other",
            by=cast.cosigner_user,
        )


def test_a_representative_of_another_congress_cannot_lead(cast: Cast) -> None:
    with pytest.raises(RuleViolation, match="在任代表"):
        services.suggestion_create(
            lead=cast.outsider,
            session=cast.session,
            title="x",
            content="y",
            category="other",
            by=cast.outsider_user,
        )


def test_staff_enter_a_paper_suggestion_for_a_representative(cast: Cast, city_staff: User) -> None:
    suggestion = services.suggestion_create(
        lead=cast.third,
        session=cast.session,
        title="关于增设老年助餐点的建议",
        content="……",
        category="social",
        by=city_staff,
    )
    services.suggestion_submit(suggestion=suggestion, by=city_staff)
    assert suggestion.status == S.SUBMITTED


def test_co_signers_confirm_before_the_lead_submits(cast: Cast) -> None:
    suggestion = draft(cast)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner, cast.third], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.lead_user)
    assert cast.cosigner_user.notifications.filter(kind="suggestion.cosign_invite").exists()

    with pytest.raises(RuleViolation, match="未确认附议"):
        services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)

    services.signer_respond(
        signer=suggestion.signers.get(representative=cast.cosigner),
        confirm=True,
        by=cast.cosigner_user,
    )
    services.signer_respond(
        signer=suggestion.signers.get(representative=cast.third),
        confirm=False,
        by=cast.third_user,
    )
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)

    assert suggestion.status == S.SUBMITTED
    confirmed = suggestion.signers.filter(status=SignerStatus.CONFIRMED)
    assert {s.representative for s in confirmed} == {cast.lead, cast.cosigner}
    assert cast.lead_user.notifications.filter(kind="suggestion.cosign_answer").count() == 2


def test_a_co_signer_must_be_a_representative_of_the_same_congress(cast: Cast) -> None:
    suggestion = draft(cast)
    with pytest.raises(RuleViolation, match="不能附议"):
        services.suggestion_invite_cosigners(
            suggestion=suggestion,
            representatives=[cast.cosigner, cast.outsider],
            by=cast.lead_user,
        )
    assert suggestion.signers.count() == 1  # nothing changed, not even 张伟's invitation


def test_only_the_invited_answer_for_themselves(cast: Cast) -> None:
    suggestion = draft(cast)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.lead_user)
    with pytest.raises(services.NotPermitted):
        services.signer_respond(
            signer=suggestion.signers.get(representative=cast.cosigner),
            confirm=True,
            by=cast.third_user,
        )


def test_a_motion_needs_ten_signers_at_city_level(cast: Cast, world: World) -> None:
    from tests.suggestions_formal.conftest import rep

    motion = draft(cast, title="关于制定江海市养犬管理条例的议案", kind="motion")
    services.suggestion_invite_cosigners(
        suggestion=motion, representatives=[cast.cosigner, cast.third], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=motion, by=cast.lead_user)
    for person, user in [(cast.cosigner, cast.cosigner_user), (cast.third, cast.third_user)]:
        services.signer_respond(
            signer=motion.signers.get(representative=person), confirm=True, by=user
        )

    with pytest.raises(RuleViolation, match="10名以上代表联名"):
        services.suggestion_submit(suggestion=motion, by=cast.lead_user)
    assert Suggestion.objects.get(pk=motion.pk).status == S.CO_SIGNING

    others = [rep(f"代表{i}", world) for i in range(7)]
    services.suggestion_invite_cosigners(
        suggestion=motion, representatives=others, by=cast.lead_user
    )
    motion.signers.filter(status=SignerStatus.INVITED).update(status=SignerStatus.CONFIRMED)
    services.suggestion_submit(suggestion=motion, by=cast.lead_user)
    assert motion.status == S.SUBMITTED


def test_a_motion_can_be_converted_to_a_suggestion(cast: Cast, city_staff: User) -> None:
    with pytest.raises(RuleViolation):
        registered(cast, city_staff, kind="motion")  # two signers are not enough
    motion = Suggestion.objects.get()
    motion.signers.all()  # the lead alone
    from django.test import override_settings

    with override_settings(SUGGESTION_MOTION_MIN_SIGNERS={"city": 1}):
        services.suggestion_submit(suggestion=motion, by=cast.lead_user)
    services.suggestion_review(
        suggestion=motion,
        decision="convert_to_suggestion",
        by=city_staff,
        note="内容属于工作建议，转为建议办理",
    )
    assert motion.status == S.REGISTERED
    assert motion.kind == "suggestion" and motion.converted_from_motion


def test_pre_submission_is_returned_with_comments_before_the_session(
    cast: Cast, town_staff: User, clock: Clock
) -> None:
    clock.set(datetime.date(2025, 12, 20))  # before the January session
    suggestion = draft(cast)
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    assert suggestion.pre_submitted

    # 新浦街道人大工委 pre-reviews the drafts of the representatives it serves.
    services.suggestion_pre_return(
        suggestion=suggestion, by=town_staff, comment="请补充线路走向和客流数据。"
    )
    assert suggestion.status == S.PRE_RETURNED
    assert cast.lead_user.notifications.filter(kind="suggestion.pre_returned").exists()

    services.suggestion_update(suggestion=suggestion, by=cast.lead_user, content="补充后的内容")
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    assert suggestion.status == S.SUBMITTED

    clock.set(datetime.date(2026, 1, 9))
    with pytest.raises(RuleViolation, match="会议已开幕"):
        services.suggestion_pre_return(suggestion=suggestion, by=town_staff, comment="再改")


def test_review_outcomes_reach_the_representative(cast: Cast, city_staff: User) -> None:
    kept = registered(cast, city_staff)
    assert kept.number == 1 and kept.assign_by is not None

    duplicate = draft(cast, title="关于增开公交线路的建议")
    services.suggestion_submit(suggestion=duplicate, by=cast.lead_user)
    services.suggestion_review(
        suggestion=duplicate,
        decision="merge",
        merge_into=kept,
        by=city_staff,
        note="与第1号建议内容相同，并案办理",
    )
    assert duplicate.status == S.MERGED and duplicate.merged_into == kept

    letter = draft(cast, title="关于某小区物业纠纷的意见")
    services.suggestion_submit(suggestion=letter, by=cast.lead_user)
    with pytest.raises(RuleViolation, match="理由"):
        services.suggestion_review(suggestion=letter, decision="refuse", by=city_staff)
    services.suggestion_review(
        suggestion=letter,
        decision="convert_to_letter",
        by=city_staff,
        note="属个案诉求，转来信办理",
    )
    assert letter.status == S.CONVERTED
    titles = list(
        cast.lead_user.notifications.filter(kind="suggestion.reviewed").values_list(
            "title", flat=True
        )
    )
    assert len(titles) == 3 and any("并案" in t for t in titles)


def test_only_staff_of_the_congress_review(cast: Cast, district_staff: User) -> None:
    suggestion = draft(cast)
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    with pytest.raises(services.NotPermitted):
        services.suggestion_review(suggestion=suggestion, decision="register", by=district_staff)


def test_a_submitted_suggestion_can_no_longer_be_edited(cast: Cast) -> None:
    suggestion = draft(cast)
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    with pytest.raises(InvalidTransition):
        services.suggestion_update(suggestion=suggestion, by=cast.lead_user, title="新标题")


def test_an_edit_on_a_stale_page_loses(cast: Cast) -> None:
    suggestion = draft(cast)
    stale = Suggestion.objects.get(pk=suggestion.pk)
    services.suggestion_update(suggestion=suggestion, by=cast.lead_user, title="第一次修改")
    with pytest.raises(StaleState):
        services.suggestion_update(suggestion=stale, by=cast.lead_user, title="第二次修改")
    assert Suggestion.objects.get(pk=suggestion.pk).title == "第一次修改"


def test_a_paper_suggestion_carries_its_co_signers_signatures(cast: Cast, city_staff: User) -> None:
    suggestion = services.suggestion_create(
        lead=cast.third,
        session=cast.session,
        title="关于完善农村污水处理设施的建议",
        content="……",
        category="environment",
        by=city_staff,
    )
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner], by=city_staff
    )
    signer = suggestion.signers.get(representative=cast.cosigner)
    assert signer.status == SignerStatus.CONFIRMED  # signed on paper, entered by staff
    services.suggestion_submit(suggestion=suggestion, by=city_staff)
    assert suggestion.status == S.SUBMITTED


def test_suggestions_taken_up_earn_points_for_every_signer(cast: Cast, city_staff: User) -> None:
    from representatives.points import points_for

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
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert points_for(cast.lead, *year).count_of("suggestion") == 0  # not yet taken up
    services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)

    for person in (cast.lead, cast.cosigner):
        total = points_for(person, *year)
        assert total.count_of("suggestion") == 1
        assert total.total == 3
