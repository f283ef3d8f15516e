"""The cycles' and proposals' API (docs/livelihood-call.md): scoped lists and steps
through the action tables, keyset pages of a fixed cost, and the public counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from congress.models import User
from livelihood_votes.cycles import services
from livelihood_votes.models import Proposal, ProposalStatus, ScreeningReason
from tests.conftest import World
from tests.livelihood_votes.test_cycle_services import open_cycle, propose


@pytest.fixture(autouse=True)
def _rate_counters_start_empty() -> None:
    cache.clear()


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_screening_steps_through_the_api(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    kept = propose(cycle, world, mobile="13900000001").proposal
    twin = propose(cycle, world, mobile="13900000002").proposal
    off = propose(cycle, world, mobile="13900000003", title="修建高尔夫球场").proposal
    base = "/api/v1/livelihood-proposals"

    merged = api(district_staff).post(
        f"{base}/{twin.pk}/actions/merge/", {"into": kept.pk, "note": "同一地块"}, format="json"
    )
    assert merged.status_code == 200, merged.content
    assert (merged.json()["status"], merged.json()["merged_into"]) == (
        ProposalStatus.MERGED,
        kept.pk,
    )
    refused = api(district_staff).post(
        f"{base}/{off.pk}/actions/screen_out/", {"reason": "", "note": ""}, format="json"
    )
    assert refused.status_code == 400
    out = api(district_staff).post(
        f"{base}/{off.pk}/actions/screen_out/",
        {"reason": ScreeningReason.NOT_LIVELIHOOD, "note": "不属于民生实事"},
        format="json",
    )
    assert out.json()["screening_reason"] == ScreeningReason.NOT_LIVELIHOOD
    unknown = api(district_staff).post(f"{base}/{kept.pk}/actions/approve/", {}, format="json")
    assert unknown.status_code == 400  # UnknownAction, a RuleViolation naming the steps
    assert "accept、screen_out、merge" in unknown.json()["message"]
    # Another district's staff do not see it: 404, and it stays as it was.
    other = api(other_district_staff).post(f"{base}/{kept.pk}/actions/accept/", {}, format="json")
    assert other.status_code == 404
    assert Proposal.objects.get(pk=kept.pk).status == ProposalStatus.SUBMITTED
    # Twice the same step: the second is refused (409).
    assert (
        api(district_staff).post(f"{base}/{kept.pk}/actions/accept/", {}, format="json").status_code
        == 200
    )
    again = api(district_staff).post(f"{base}/{kept.pk}/actions/accept/", {}, format="json")
    assert again.status_code == 409


def test_the_proposals_api_hides_the_proposer(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    propose(cycle, world, mobile="13912345678")
    rows = api(district_staff).get("/api/v1/livelihood-proposals/", {"cycle": cycle.pk}).json()
    assert len(rows["results"]) == 1
    body = str(rows)
    assert "13912345678" not in body and "mobile" not in body and "tracking_token" not in body


def test_the_proposals_list_costs_the_same_for_three_and_thirty(
    world: World, district_staff: User
) -> None:
    cycle = open_cycle(world, district_staff)
    client = api(district_staff)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(
                "/api/v1/livelihood-proposals/", {"cycle": cycle.pk, "theme": "elderly"}
            )
            assert answer.status_code == 200
        return len(captured)

    for n in range(3):
        propose(cycle, world, mobile=f"1390000{n:04d}", title=f"建议{n}")
    few = cost()
    for n in range(3, 30):
        propose(cycle, world, mobile=f"1390000{n:04d}", title=f"建议{n}")
    assert cost() == few


def test_the_vote_is_made_from_the_shortlist_through_the_api(
    world: World, district_staff: User
) -> None:
    from decimal import Decimal

    from tests.livelihood_votes.test_cycle_services import DAY, TODAY, move_to_screening

    cycle = open_cycle(world, district_staff)
    proposal = propose(cycle, world).proposal
    move_to_screening(cycle, district_staff)
    services.proposal_accept(proposal=proposal, by=district_staff)
    client = api(district_staff)
    added = client.post(
        f"/api/v1/livelihood-cycles/{cycle.pk}/actions/shortlist_add/",
        {
            "proposals": [proposal.pk],
            "title": "建设社区老年食堂10个",
            "description": "汇总形成",
            "department": world.department.pk,
            "budget": "600",
            "deadline": (TODAY + 300 * DAY).isoformat(),
            "place": "海州区各街道",
        },
        format="json",
    )
    assert added.status_code == 200, added.content
    listed = client.get(f"/api/v1/livelihood-cycles/{cycle.pk}/shortlist/").json()
    assert [(row["title"], row["proposal_count"]) for row in listed] == [
        ("建设社区老年食堂10个", 1)
    ]
    early = client.post(
        f"/api/v1/livelihood-cycles/{cycle.pk}/actions/create_vote/", {"seats": 1}, format="json"
    )
    assert early.status_code == 409  # still screening: the list is settled after it
    services.cycle_edit(cycle=cycle, by=district_staff, screening_closes_on=TODAY - DAY)
    unreviewed = client.post(
        f"/api/v1/livelihood-cycles/{cycle.pk}/actions/create_vote/", {"seats": 1}, format="json"
    )
    assert unreviewed.status_code == 409  # the congress has not reviewed the list yet
    reviewed = client.post(
        f"/api/v1/livelihood-cycles/{cycle.pk}/actions/review_shortlist/",
        {"note": "经主任会议审议，同意提交代表票决。"},
        format="json",
    )
    assert reviewed.status_code == 200, reviewed.content
    made = client.post(
        f"/api/v1/livelihood-cycles/{cycle.pk}/actions/create_vote/",
        {"seats": 1, "ballot_form": "up_to_n"},
        format="json",
    )
    assert made.status_code == 200, made.content
    assert made.json()["vote"] is not None and made.json()["phase"] == "shortlist"
    assert Decimal(listed[0]["budget"]) == Decimal("600")


def test_the_public_counts(world: World, district_staff: User) -> None:
    cycle = open_cycle(world, district_staff)
    propose(cycle, world)
    calls = api().get("/api/v1/livelihood-calls/").json()
    assert [(row["id"], row["total"]) for row in calls] == [(cycle.pk, 1)]
    one = api().get(f"/api/v1/livelihood-calls/{cycle.pk}/").json()
    assert one["by_theme"] == [{"name": "养老托育", "count": 1}]
    assert api().get("/api/v1/livelihood-calls/987654/").status_code == 404
