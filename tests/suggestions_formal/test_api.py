"""The API, scoped like the pages: the same services, errors as {"code", "message"}."""

import io

import pytest
from rest_framework.test import APIClient

from congress.models import Assignment, User
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import Suggestion, SuggestionStatus
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, assigned, registered

S = SuggestionStatus


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_representative_drafts_invites_and_submits(cast: Cast) -> None:
    me = api(cast.lead_user)
    created = me.post(
        "/api/v1/suggestions/",
        {
            "session": cast.session.pk,
            "title": "关于增设公共充电桩的建议",
            "content": "……",
            "category": "urban",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    invited = me.post(
        f"/api/v1/suggestions/{pk}/actions/invite/",
        {"representatives": [cast.cosigner.pk]},
        format="json",
    )
    assert invited.status_code == 200
    me.post(f"/api/v1/suggestions/{pk}/actions/start_cosigning/", {}, format="json")
    answered = api(cast.cosigner_user).post(
        f"/api/v1/suggestions/{pk}/actions/cosign/", {"answer": "confirm"}, format="json"
    )
    assert answered.status_code == 200
    submitted = me.post(f"/api/v1/suggestions/{pk}/actions/submit/", {}, format="json")
    assert submitted.json()["status"] == S.SUBMITTED

    detail = me.get(f"/api/v1/suggestions/{pk}/").json()
    assert [signer["status"] for signer in detail["signers"]] == ["confirmed", "confirmed"]
    timeline = me.get(f"/api/v1/suggestions/{pk}/timeline/").json()
    assert [e["action"] for e in timeline][:2] == ["create", "invite"]


def test_bad_input_is_a_clear_error_and_changes_nothing(cast: Cast) -> None:
    me = api(cast.lead_user)
    missing = me.post(
        "/api/v1/suggestions/",
        {"session": None, "title": "x", "content": "y", "category": "other"},
        format="json",
    )
    assert missing.status_code == 400
    assert missing.json()["code"] == "rule_violation" and "会议" in missing.json()["message"]
    assert not Suggestion.objects.exists()


def test_an_outsider_co_signer_is_refused(cast: Cast) -> None:
    me = api(cast.lead_user)
    pk = me.post(
        "/api/v1/suggestions/",
        {"session": cast.session.pk, "title": "x", "content": "y", "category": "other"},
        format="json",
    ).json()["id"]
    refused = me.post(
        f"/api/v1/suggestions/{pk}/actions/invite/",
        {"representatives": [cast.outsider.pk]},
        format="json",
    )
    assert refused.status_code == 400  # not among the candidates of this congress


def test_staff_assign_and_a_second_assign_is_a_conflict(
    cast: Cast, city_staff: User, world: World
) -> None:
    suggestion = registered(cast, city_staff)
    staff = api(city_staff)
    body = {"lead_department": world.department.pk, "version": suggestion.version}
    first = staff.post(f"/api/v1/suggestions/{suggestion.pk}/actions/assign/", body, format="json")
    assert first.status_code == 200 and first.json()["status"] == S.HANDLING
    second = staff.post(f"/api/v1/suggestions/{suggestion.pk}/actions/assign/", body, format="json")
    assert second.status_code == 409
    assert second.json()["code"] in ("stale_state", "invalid_transition")


def test_the_clerk_replies_with_a_pdf_and_signers_rate(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    desk = api(clerk)
    mine = desk.get("/api/v1/suggestion-assignments/?mine=1").json()
    assert [row["id"] for row in mine["results"]] == [lead.pk]
    desk.post(f"/api/v1/suggestion-assignments/{lead.pk}/actions/accept/", {}, format="json")

    no_category = desk.post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/reply/",
        {"text": "已办", "signing_official": "李局长"},
        format="multipart",
    )
    assert no_category.status_code == 400

    letter = io.BytesIO(b"%PDF-1.4\n% reply letter\n")
    letter.name = "答复函.pdf"
    replied = desk.post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/reply/",
        {
            "category": "A",
            "text": "已新开公交线路",
            "signing_official": "李局长",
            "attachments": [letter],
        },
        format="multipart",
    )
    assert replied.status_code == 200, replied.json()
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED
    assert suggestion.replies.get().event.attachments.get().original_name == "答复函.pdf"

    rated = api(cast.lead_user).post(
        f"/api/v1/suggestions/{suggestion.pk}/actions/rate/",
        {"attitude": "satisfied", "result": "satisfied"},
        format="json",
    )
    assert rated.json()["status"] == S.CLOSED


def test_a_fake_pdf_is_refused(cast: Cast, city_staff: User, world: World, clerk: User) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    desk = api(clerk)
    desk.post(f"/api/v1/suggestion-assignments/{lead.pk}/actions/accept/", {}, format="json")
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "reply.pdf"
    refused = desk.post(
        f"/api/v1/suggestion-assignments/{lead.pk}/actions/reply/",
        {"category": "A", "text": "x", "signing_official": "y", "attachments": [fake]},
        format="multipart",
    )
    assert refused.status_code == 400
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.HANDLING


@pytest.mark.parametrize("persona", ["other_district_staff", "other_clerk"])
def test_out_of_scope_is_a_404_in_the_api(
    persona: str, cast: Cast, city_staff: User, world: World, request: pytest.FixtureRequest
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = Assignment.objects.get(case_type=SUGGESTION_CASE, case_id=suggestion.pk)
    client = api(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/suggestion-assignments/{lead.pk}/actions/accept/", {}).status_code
        == 404
    )
    assert client.get("/api/v1/suggestions/").json()["results"] == []


def test_the_report_and_the_public_list(
    cast: Cast, city_staff: User, world: World, other_district_staff: User
) -> None:
    registered(cast, city_staff)
    report = api(city_staff).get(f"/api/v1/suggestion-reports/{cast.session.pk}/")
    assert report.status_code == 200 and report.json()["total"]["received"] == 1
    hidden = api(other_district_staff).get(f"/api/v1/suggestion-reports/{cast.session.pk}/")
    assert hidden.status_code == 404
    public = APIClient().get("/api/v1/public/suggestions/")
    assert public.status_code == 200 and public.json()["count"] == 0
