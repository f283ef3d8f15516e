"""The managing staff's steps through the API, ``POST /api/v1/livelihood-votes/{id}/
actions/<name>/`` (开始, 结束, 取消): the same declaration as the page's buttons.

The rules, stated here by hand: a draft may be opened or cancelled, an open vote
closed or cancelled, a closed or cancelled vote takes no step; only the staff of the
vote's region (or above) take them. A name that is no step is 400 (``UnknownAction``), a
step not allowed now (or not the caller's) 409, a vote outside the caller's scope 404;
a refused step changes nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from congress.models import CaseEvent, User
from livelihood_votes.models import LivelihoodVote, VoteStatus
from livelihood_votes.workflow import VOTE_CASE
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, make_vote, opened


def act(client: Client, vote: LivelihoodVote, name: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(
        f"/api/v1/livelihood-votes/{vote.pk}/actions/{name}/",
        data or {},
        content_type="application/json",
    )


def status_of(vote: LivelihoodVote) -> str:
    return LivelihoodVote.objects.get(pk=vote.pk).status  # type: ignore[no-any-return]


def moves(vote: LivelihoodVote) -> list[str]:
    rows = CaseEvent.objects.filter(case_type=VOTE_CASE, case_id=vote.pk).order_by("pk")
    return list(rows.values_list("action", flat=True))


def test_open_close_and_cancel_through_the_api(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    vote = make_vote(cast.world.district, district_staff)
    answer = act(client, vote, "open")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "open"
    assert answer.json()["electorate"] == 10  # 刘红, 张伟 and 8 others sit for 海州区
    answer = act(client, vote, "close")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "closed"
    assert status_of(vote) == VoteStatus.CLOSED

    draft = make_vote(cast.world.district, district_staff)
    answer = act(client, draft, "cancel", {"reason": "议程调整"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "cancelled"
    notes = CaseEvent.objects.filter(case_type=VOTE_CASE, case_id=draft.pk, action="vote_cancel")
    assert list(notes.values_list("note", flat=True)) == ["议程调整"]


def test_a_step_the_state_does_not_allow_is_409_and_changes_nothing(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    draft = make_vote(cast.world.district, district_staff)
    before = moves(draft)
    answer = act(client, draft, "close")
    assert answer.status_code == 409
    assert answer.json()["code"] == "invalid_transition"
    assert status_of(draft) == VoteStatus.DRAFT and moves(draft) == before
    open_vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    assert act(client, open_vote, "open").status_code == 409
    assert status_of(open_vote) == VoteStatus.OPEN


def test_an_unknown_name_is_400_with_the_names_there_are(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    draft = make_vote(cast.world.district, district_staff)
    answer = act(client, draft, "publish")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "rule_violation"  # UnknownAction is a RuleViolation
    for name in ("open", "close", "cancel"):
        assert name in body["message"]
    assert status_of(draft) == VoteStatus.DRAFT


def test_a_reason_too_long_is_400_and_changes_nothing(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    draft = make_vote(cast.world.district, district_staff)
    assert act(client, draft, "cancel", {"reason": "长" * 201}).status_code == 400
    assert status_of(draft) == VoteStatus.DRAFT


def test_out_of_scope_is_404_and_a_representative_is_refused(
    cast: Cast,
    district_staff: User,
    other_district_staff: User,
    representative_user: User,
    client: Client,
) -> None:
    open_vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    login(client, other_district_staff)
    assert act(client, open_vote, "close").status_code == 404
    assert act(client, open_vote, "publish").status_code == 404  # scope before the name
    login(client, representative_user)  # 刘红 sees 海州区's open vote, but does not run it
    assert act(client, open_vote, "close").status_code == 409
    assert status_of(open_vote) == VoteStatus.OPEN


def test_the_schema_lists_the_route_and_its_names(client: Client, district_staff: User) -> None:
    login(client, district_staff)
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/livelihood-votes/{id}/actions/{action_name}/"]["post"]
    names = next(p for p in operation["parameters"] if p["name"] == "action_name")
    assert sorted(names["schema"]["enum"]) == ["cancel", "close", "open"]


def test_a_body_that_is_not_an_object_is_a_clear_400_and_nothing_moves(
    cast: Cast, district_staff: User, client: Client
) -> None:
    """The core's action route (congress/api/actions.py) reads the fields of an object
    only: a JSON list is refused in words, in the caller's language."""
    login(client, district_staff)
    vote = make_vote(cast.world.district, district_staff)
    answer = client.post(
        f"/api/v1/livelihood-votes/{vote.pk}/actions/cancel/",
        ["议程调整"],
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 400, answer.content
    assert "请求内容应为对象" in answer.content.decode()
    assert status_of(vote) == VoteStatus.DRAFT


def test_a_reason_too_long_names_the_field_and_nothing_moves(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    vote = make_vote(cast.world.district, district_staff)
    answer = client.post(
        f"/api/v1/livelihood-votes/{vote.pk}/actions/cancel/",
        {"reason": "长" * 201},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 400, answer.content
    assert "取消原因" in answer.json()["message"]
    assert status_of(vote) == VoteStatus.DRAFT
