"""The pages, persona by persona: who sees what (404 outside the scope), the steps on a
suggestion's page, the department workspace, the public disclosure page."""

import datetime
import re

import pytest
from django.test import Client

from congress.models import Assignment, AssignmentRole, User
from suggestions.formal import services
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import Suggestion, SuggestionStatus
from tests.conftest import World, login
from tests.suggestions_formal.conftest import Cast, Clock, assigned, draft, registered

S = SuggestionStatus


def url(suggestion: Suggestion, step: str = "") -> str:
    return f"/suggestions/{suggestion.pk}/" + (f"act/{step}/" if step else "")


def lead_of(suggestion: Suggestion) -> Assignment:
    suggestion.refresh_from_db()
    assert suggestion.lead_assignment is not None
    return suggestion.lead_assignment


# --- scope -----------------------------------------------------------------------------


def test_a_representative_files_a_suggestion_from_the_page(cast: Cast, client: Client) -> None:
    login(client, cast.lead_user)
    form = client.get("/suggestions/new/")
    assert form.status_code == 200 and str(cast.session) in form.content.decode()

    response = client.post(
        "/suggestions/new/",
        {
            "kind": "suggestion",
            "session": cast.session.pk,
            "title": "关于加强校园周边交通安全的建议",
            "category": "transport",
            "content": "上下学高峰拥堵。",
            "research_basis": "",
        },
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == url(suggestion)
    assert suggestion.lead == cast.lead and suggestion.status == S.DRAFT


def test_drafts_are_the_representatives_own(cast: Cast, city_staff: User, client: Client) -> None:
    suggestion = draft(cast)
    assert login(client, cast.lead_user).get(url(suggestion)).status_code == 200
    assert login(Client(), city_staff).get(url(suggestion)).status_code == 404
    assert login(Client(), cast.cosigner_user).get(url(suggestion)).status_code == 404


def test_an_invited_co_signer_sees_it_once_co_signing_starts(cast: Cast, client: Client) -> None:
    suggestion = draft(cast)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, representatives=[cast.cosigner], by=cast.lead_user
    )
    login(client, cast.cosigner_user)
    assert client.get(url(suggestion)).status_code == 404
    services.suggestion_start_cosigning(suggestion=suggestion, by=cast.lead_user)
    page = client.get(url(suggestion))
    assert page.status_code == 200 and 'data-testid="do-cosign-confirm"' in page.content.decode()

    client.post(url(suggestion, "cosign"), {"answer": "confirm"})
    assert suggestion.signers.get(representative=cast.cosigner).status == "confirmed"


@pytest.mark.parametrize(
    "persona", ["other_district_staff", "district_staff", "other_clerk", "committee_member"]
)
def test_out_of_scope_is_a_404(
    persona: str,
    cast: Cast,
    city_staff: User,
    world: World,
    client: Client,
    request: pytest.FixtureRequest,
) -> None:
    suggestion = assigned(cast, city_staff, world)
    user = request.getfixturevalue(persona)
    login(client, user)
    expected = 200 if persona == "committee_member" else 404  # city committee: its congress
    assert client.get(url(suggestion)).status_code == expected
    assert client.post(url(suggestion, "rate"), {}).status_code in (expected, 400, 404)


def test_another_departments_clerk_cannot_touch_the_assignment(
    cast: Cast, city_staff: User, world: World, other_clerk: User, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_of(suggestion)
    login(client, other_clerk)
    assert client.post(f"/suggestions/assignments/{lead.pk}/accept/", {}).status_code == 404
    assert client.get(url(suggestion)).status_code == 404
    lead.refresh_from_db()
    assert lead.status == "assigned"


def test_a_representative_outside_the_suggestion_gets_a_404(
    cast: Cast, city_staff: User, client: Client
) -> None:
    suggestion = registered(cast, city_staff)
    assert login(client, cast.third_user).get(url(suggestion)).status_code == 404


# --- the steps on a suggestion page -----------------------------------------------------


def test_the_clerk_signs_for_and_replies_from_the_page(
    cast: Cast, city_staff: User, world: World, clerk: User, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_of(suggestion)
    login(client, clerk)
    assert client.post(f"/suggestions/assignments/{lead.pk}/accept/", {}).status_code == 302

    page = client.get(url(suggestion)).content.decode()
    assert 'data-testid="step-reply"' in page

    missing = client.post(
        f"/suggestions/assignments/{lead.pk}/reply/",
        {"text": "已研究", "signing_official": "李局长", "version": suggestion.version},
    )
    assert missing.status_code == 400
    assert "答复类别" in missing.content.decode()
    assert "已研究" in missing.content.decode()  # what was typed is still there

    done = client.post(
        f"/suggestions/assignments/{lead.pk}/reply/",
        {
            "category": "A",
            "text": "已研究办理",
            "signing_official": "李局长",
            "version": Suggestion.objects.get(pk=suggestion.pk).version,
        },
    )
    assert done.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.REPLIED


def test_a_stale_assign_form_shows_that_it_moved(
    cast: Cast, city_staff: User, world: World, client: Client
) -> None:
    suggestion = registered(cast, city_staff)
    login(client, city_staff)
    shown_version = suggestion.version
    first = client.post(
        url(suggestion, "assign"),
        {"lead_department": world.department.pk, "version": shown_version},
    )
    assert first.status_code == 302
    second = client.post(
        url(suggestion, "assign"),
        {"lead_department": world.city_department.pk, "version": shown_version},
    )
    assert second.status_code == 409
    assert "已被他人处理" in second.content.decode() or "当前状态" in second.content.decode()
    assert Assignment.objects.filter(case_type=SUGGESTION_CASE).count() == 1


def test_a_signer_rates_from_the_page(
    cast: Cast, city_staff: User, world: World, clerk: User, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    services.handling_accept(assignment=lead_of(suggestion), by=clerk)
    services.suggestion_reply(
        suggestion=suggestion,
        category="B",
        text="列入明年计划",
        signing_official="李局长",
        by=clerk,
    )
    login(client, cast.lead_user)
    page = client.get(url(suggestion)).content.decode()
    assert 'data-testid="step-rate"' in page
    client.post(url(suggestion, "rate"), {"attitude": "satisfied", "result": "basically"})
    suggestion.refresh_from_db()
    assert suggestion.status == S.CARRIED_OVER


# --- lists ------------------------------------------------------------------------------------


def test_the_list_costs_the_same_whatever_its_length(
    cast: Cast,
    city_staff: User,
    world: World,
    client: Client,
    django_assert_max_num_queries: object,
) -> None:
    for n in range(12):
        assigned(cast, city_staff, world) if n % 2 else registered(cast, city_staff)
    login(client, city_staff)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = client.get("/suggestions/")
    assert page.content.decode().count("list-group-item-action") == 12
    login(client, cast.lead_user)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        client.get("/suggestions/?session=" + str(cast.session.pk))


def test_staff_of_another_district_see_an_empty_list(
    cast: Cast, city_staff: User, other_district_staff: User, client: Client
) -> None:
    registered(cast, city_staff)
    page = login(client, other_district_staff).get("/suggestions/").content.decode()
    assert "没有符合条件的建议" in page


def test_the_workspace_puts_the_overdue_first(
    cast: Cast,
    city_staff: User,
    world: World,
    clerk: User,
    client: Client,
    clock: Clock,
    django_assert_max_num_queries: object,
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    late = assigned(cast, city_staff, world)
    clock.set(datetime.date(2026, 3, 1))
    fresh = assigned(cast, city_staff, world)
    clock.set(datetime.date(2026, 4, 20))  # the first is past its 3 months, the second not
    for _ in range(5):
        assigned(cast, city_staff, world)

    login(client, clerk)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = client.get("/suggestions/workspace/").content.decode()
    rows = re.findall(
        r'class="([^"]*)" href="/suggestions/(\d+)/" data-testid="workspace-row"', page
    )
    assert len(rows) == 7
    assert rows[0] == (
        "list-group-item list-group-item-action list-group-item-danger",
        str(late.pk),
    )
    assert all("danger" not in css for css, _pk in rows[1:])
    assert str(fresh.pk) == rows[1][1]  # then by due date


def test_only_clerks_have_a_workspace(city_staff: User, client: Client) -> None:
    assert login(client, city_staff).get("/suggestions/workspace/").status_code == 404


def test_the_co_handler_sends_an_opinion_from_the_page(
    cast: Cast, city_staff: User, world: World, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world, co_handler=world.city_department)
    co = Assignment.objects.get(case_id=suggestion.pk, role=AssignmentRole.CO_HANDLER)
    login(client, cast.city_clerk)
    client.post(f"/suggestions/assignments/{co.pk}/accept/", {})
    response = client.post(
        f"/suggestions/assignments/{co.pk}/opinion/", {"text": "同意，市级资金予以支持。"}
    )
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.status == "replied"


# --- the public page ------------------------------------------------------------------------


def test_only_replies_the_representative_agreed_to_publish_are_public(
    cast: Cast, city_staff: User, world: World, clerk: User, client: Client
) -> None:
    shown = assigned(cast, city_staff, world)
    hidden = assigned(cast, city_staff, world)
    for suggestion in (shown, hidden):
        services.handling_accept(assignment=lead_of(suggestion), by=clerk)
        services.suggestion_reply(
            suggestion=suggestion,
            category="A",
            text=f"答复{suggestion.pk}",
            signing_official="李局长",
            by=clerk,
        )
    services.suggestion_set_publish_consent(suggestion=shown, consent=True, by=cast.lead_user)

    listing = client.get("/public/suggestions/").content.decode()
    assert shown.title in listing and f"/public/suggestions/{hidden.pk}/" not in listing
    detail = client.get(f"/public/suggestions/{shown.pk}/")
    assert detail.status_code == 200 and f"答复{shown.pk}" in detail.content.decode()
    assert client.get(f"/public/suggestions/{hidden.pk}/").status_code == 404


def test_home_cards_for_each_persona(
    cast: Cast,
    city_staff: User,
    world: World,
    clerk: User,
    committee_member: User,
    client: Client,
) -> None:
    suggestion = assigned(cast, city_staff, world)
    services.suggestion_mark_key(
        suggestion=suggestion,
        is_key=True,
        leading_official="副市长 张某某",
        supervisor="常委会副主任 李某某",
        by=city_staff,
    )
    cards = {
        cast.lead_user: "card-my-suggestions",
        city_staff: "card-suggestions-staff",
        clerk: "card-suggestions-clerk",
        committee_member: "card-key-suggestions",
    }
    for user, testid in cards.items():
        page = login(Client(), user).get("/")
        assert page.status_code == 200
        assert f'data-testid="{testid}"' in page.content.decode(), user
    # The key card names each suggestion, its leading official, its stage and its reports.
    card = login(Client(), committee_member).get("/").content.decode()
    card = card.split('data-testid="card-key-suggestions"', 1)[1]
    assert suggestion.title in card and "副市长 张某某" in card
    assert "办理中" in card and "进展报告0次" in card


def test_the_key_list_and_detail_pages_render_for_staff(
    cast: Cast, city_staff: User, world: World, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    login(client, city_staff)
    client.post(
        url(suggestion, "key"),
        {"is_key": "on", "leading_official": "副市长 张某某", "supervisor": "副主任 李某某"},
    )
    assert "副市长 张某某" in client.get("/suggestions/key/").content.decode()
    assert 'data-testid="key-badge"' in client.get(url(suggestion)).content.decode()


def test_a_timeline_shows_only_its_own_departments_steps(
    cast: Cast, city_staff: User, world: World, clerk: User
) -> None:
    from suggestions.formal.selectors import suggestion_timeline

    first = assigned(cast, city_staff, world)
    second = assigned(cast, city_staff, world)
    for suggestion in (first, second):
        services.handling_accept(assignment=lead_of(suggestion), by=clerk)
    events = list(suggestion_timeline(second))
    assert [e.action for e in events if e.assignment] == ["assign", "accept"]
    assert all(e.assignment is None or e.assignment.case_id == second.pk for e in events)


def test_the_reply_letter_is_served_only_within_the_scope(
    cast: Cast, city_staff: User, world: World, clerk: User, other_clerk: User, client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congress.uploads import clean_attachment

    suggestion = assigned(cast, city_staff, world)
    services.handling_accept(assignment=lead_of(suggestion), by=clerk)
    letter = clean_attachment(SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%reply\n"))
    reply = services.suggestion_reply(
        suggestion=suggestion,
        category="A",
        text="已办",
        signing_official="李局长",
        by=clerk,
        uploads=[letter],
    )
    token = reply.event.attachments.get().token
    path = f"/suggestions/{suggestion.pk}/files/{token}/"

    got = login(client, cast.lead_user).get(path)
    assert got.status_code == 200 and "no-store" in got["Cache-Control"]
    assert b"".join(got.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert login(Client(), other_clerk).get(path).status_code == 404
    page = login(Client(), clerk).get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert path in page


def test_staff_decide_an_extension_on_the_page(
    cast: Cast, city_staff: User, world: World, clerk: User, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_of(suggestion)
    login(client, clerk)
    client.post(f"/suggestions/assignments/{lead.pk}/accept/", {})
    until = (lead.due_on + datetime.timedelta(days=30)).isoformat()
    asked = client.post(
        f"/suggestions/assignments/{lead.pk}/request_extension/",
        {"until": until, "reason": "需市级财政资金"},
    )
    assert asked.status_code == 302

    login(client, city_staff)
    page = client.get(url(suggestion)).content.decode()
    assert f'data-testid="decide-decide_extension-{lead.pk}"' in page
    decided = client.post(
        f"/suggestions/assignments/{lead.pk}/decide_extension/", {"approve": "1", "note": ""}
    )
    assert decided.status_code == 302
    lead.refresh_from_db()
    assert lead.due_on.isoformat() == until and lead.status == "accepted"


def test_the_clerk_cannot_decide_his_own_extension(
    cast: Cast, city_staff: User, world: World, clerk: User, client: Client
) -> None:
    suggestion = assigned(cast, city_staff, world)
    lead = lead_of(suggestion)
    services.handling_accept(assignment=lead, by=clerk)
    services.handling_request_extension(
        assignment=lead, until=lead.due_on + datetime.timedelta(days=20), reason="x", by=clerk
    )
    login(client, clerk)
    refused = client.post(f"/suggestions/assignments/{lead.pk}/decide_extension/", {"approve": "1"})
    assert refused.status_code == 403
    lead.refresh_from_db()
    assert lead.status == "extension_requested"
