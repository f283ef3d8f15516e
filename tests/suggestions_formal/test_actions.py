"""What each person is offered on a suggestion at each stage, and the API's one route per
object taking the same actions by name (suggestions/formal/actions.py).

The expected lists are the product's rules written out, not read from the tables: the
lead files and withdraws, co-signers answer, staff review, hand out, decide requests and
supervise, the department signs for it and answers.
"""

import datetime

from django.test import Client
from rest_framework.test import APIClient

from congress.models import Assignment, AssignmentStatus, User
from suggestions.formal import services
from suggestions.formal.actions import assignment_actions, suggestion_actions, viewer_of
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import RatingChannel, Suggestion, SuggestionStatus
from tests.conftest import World, login
from tests.suggestions_formal.conftest import Cast, assigned, draft, registered

S = SuggestionStatus


def offered(user: User, suggestion: Suggestion) -> list[str]:
    suggestion.refresh_from_db()
    return suggestion_actions(viewer_of(user, suggestion))


def offered_on(user: User, suggestion: Suggestion, assignment: Assignment) -> list[str]:
    suggestion.refresh_from_db()
    assignment.refresh_from_db()
    return assignment_actions(viewer_of(user, suggestion), assignment)


def lead_assignment(suggestion: Suggestion) -> Assignment:
    return Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=suggestion.pk)


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_lead_files_and_the_invited_co_signer_answers(cast: Cast) -> None:
    suggestion = draft(cast)
    assert offered(cast.lead_user, suggestion) == [
        "invite",
        "uninvite",
        "start_cosigning",
        "submit",
        "withdraw",
    ]
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner], by=cast.lead_user
    )
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.lead_user)
    # Collecting signatures: no second call for them; the invited one answers.
    assert offered(cast.lead_user, suggestion) == ["invite", "uninvite", "submit", "withdraw"]
    assert offered(cast.cosigner_user, suggestion) == ["cosign"]
    assert offered(cast.third_user, suggestion) == []
    services.signer_respond(
        signer=suggestion.signers.get(representative=cast.cosigner),
        confirm=True,
        by=cast.cosigner_user,
    )
    assert offered(cast.cosigner_user, suggestion) == []
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    # Submitted: the lead may still withdraw it and decide on publishing the reply.
    assert offered(cast.lead_user, suggestion) == ["withdraw", "publish"]


def test_staff_review_hand_out_and_supervise(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = draft(cast)
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    assert offered(city_staff, suggestion) == ["review"]
    services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)
    assert offered(city_staff, suggestion) == ["assign", "key"]
    assert offered(cast.lead_user, suggestion) == ["publish"]
    services.suggestion_assign(
        suggestion=suggestion, lead_department=world.department, by=city_staff
    )
    assert offered(city_staff, suggestion) == ["key", "contact"]
    assert offered(clerk, suggestion) == ["contact"]
    assert offered(cast.lead_user, suggestion) == ["publish"]


def test_the_department_signs_answers_and_staff_decide_its_requests(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_assignment(suggestion)
    # Not yet signed for: sign, or ask to return it; progress may be reported.
    assert offered_on(clerk, suggestion, lead) == ["accept", "progress", "request_return"]
    assert offered_on(city_staff, suggestion, lead) == []
    services.handling_accept(assignment=lead, by=clerk)
    assert offered_on(clerk, suggestion, lead) == [
        "reply",
        "progress",
        "request_extension",
        "request_return",
    ]
    services.handling_request_extension(
        assignment=lead,
        until=lead.due_on + datetime.timedelta(days=20),
        reason="需区财政资金",
        by=clerk,
    )
    assert offered_on(clerk, suggestion, lead) == ["progress"]
    assert offered_on(city_staff, suggestion, lead) == ["decide_extension"]
    # Another department's clerk has nothing to do with it.
    assert offered_on(cast.city_clerk, suggestion, lead) == []


def test_after_the_reply_the_signers_rate_and_staff_follow_it(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    services.handling_accept(assignment=lead_assignment(suggestion), by=clerk)
    services.suggestion_reply(
        suggestion=suggestion,
        category="B",
        text="列入明年计划",
        signing_official="李局长",
        by=clerk,
    )
    assert offered(cast.lead_user, suggestion) == ["rate", "publish"]
    assert offered(city_staff, suggestion) == [
        "paper_rating",
        "close_rating",
        "key",
        "group_evaluation",
        "contact",
    ]
    assert offered_on(clerk, suggestion, lead_assignment(suggestion)) == []


def test_the_page_shows_the_forms_it_offers_and_no_other(
    client: Client, cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    services.handling_accept(assignment=lead_assignment(suggestion), by=clerk)
    page = login(client, clerk).get(f"/suggestions/{suggestion.pk}/").content.decode()
    for shown in ("reply", "progress", "request-extension", "request-return", "contact"):
        assert f'data-testid="step-{shown}"' in page
    for hidden in ("opinion", "follow-up", "review", "assign", "key"):
        assert f'data-testid="step-{hidden}"' not in page


def test_an_unknown_action_is_refused_with_the_names_and_changes_nothing(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = registered(cast, city_staff)
    answer = api(city_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/actions/approve/", {}, format="json"
    )
    assert answer.status_code == 400
    assert "approve" in answer.json()["message"] and "assign" in answer.json()["message"]
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.REGISTERED

    suggestion = assigned(cast, city_staff, world)
    lead = lead_assignment(suggestion)
    answer = api(clerk).post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/start/", {}, format="json"
    )
    assert answer.status_code == 400 and "accept" in answer.json()["message"]
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.ASSIGNED


def test_a_body_that_is_not_an_object_is_a_clear_400(cast: Cast, city_staff: User) -> None:
    suggestion = registered(cast, city_staff)
    answer = api(city_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/actions/key/", [1, 2], format="json"
    )
    assert answer.status_code == 400 and answer.json()["message"]


def test_staff_enter_a_paper_rating_through_the_api_by_its_own_name(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    services.handling_accept(assignment=lead_assignment(suggestion), by=clerk)
    services.suggestion_reply(
        suggestion=suggestion, category="A", text="已新开线路", signing_official="李局长", by=clerk
    )
    answer = api(city_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/actions/paper_rating/",
        {"representative": cast.lead.pk, "attitude": "satisfied", "result": "satisfied"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    rating = suggestion.replies.get().ratings.get()
    assert rating.representative == cast.lead and rating.channel == RatingChannel.PAPER
    assert answer.json()["status"] == S.CLOSED


def test_a_decision_takes_a_json_boolean_or_the_pages_1(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_assignment(suggestion)
    services.handling_accept(assignment=lead, by=clerk)
    until = lead.due_on + datetime.timedelta(days=20)
    services.handling_request_extension(assignment=lead, until=until, reason="需资金", by=clerk)
    approved = api(city_staff).post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/decide_extension/",
        {"approve": True, "until": until.isoformat()},
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["due_on"] == until.isoformat()
    lead.refresh_from_db()
    services.handling_request_return(assignment=lead, reason="不属于本单位职责", by=clerk)
    refused = api(city_staff).post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/decide_return/",
        {"approve": "0", "note": "属于交通部门职责"},
        format="json",
    )
    assert refused.status_code == 200 and refused.json()["status"] == AssignmentStatus.ACCEPTED
