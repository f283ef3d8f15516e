"""The pages, persona by persona: staff prepare, open and close a vote; a representative
votes on the phone and checks the receipt; everyone else gets a 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote, VoteStatus
from tests.conftest import login
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    make_vote,
    opened,
    the_ballot,
)


def test_staff_prepare_a_vote_and_see_the_differential_refusal(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    assert client.get("/livelihood-votes/new/").status_code == 200
    response = client.post(
        "/livelihood-votes/new/",
        {
            "congress": cast.world.district.congress.pk,
            "year": 2026,
            "title": "海州区2026年度民生实事项目代表票决",
            "seats": 2,
            "ballot_form": "up_to_n",
        },
    )
    vote = LivelihoodVote.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/livelihood-votes/{vote.pk}/"
    for title in ("新建幼儿园", "改造老旧小区"):
        client.post(f"/livelihood-votes/{vote.pk}/candidates/", {"title": title, "budget": "120.5"})
    page = client.post(f"/livelihood-votes/{vote.pk}/act/open/", follow=True).content.decode()
    assert "候选项目数须比应选项目数多10%至30%" in page  # 2 for 2: refused, and said so
    client.post(f"/livelihood-votes/{vote.pk}/candidates/", {"title": "建设口袋公园"})
    # 3 for 2 is 50 %: still refused; remove one seat's worth by removing and re-adding.
    assert vote.candidates.count() == 3
    extra = vote.candidates.last()
    assert extra is not None
    client.post(f"/livelihood-votes/{vote.pk}/candidates/{extra.pk}/remove/")
    assert vote.candidates.count() == 2
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT


def test_the_turnout_is_shown_while_open_and_results_after_close(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    services.ballot_cast(
        vote=open_vote,
        representative=cast.liu,
        choices=approve(*candidates_of(open_vote)[:2]),
        by=cast.liu.user,
    )  # type: ignore[arg-type]
    login(client, district_staff)
    page = client.get(f"/livelihood-votes/{open_vote.pk}/").content.decode()
    assert "已投票：1 / 10 人" in page
    client.post(f"/livelihood-votes/{open_vote.pk}/act/close/")
    results = client.get(f"/livelihood-votes/{open_vote.pk}/results/").content.decode()
    assert "投票人数未过半数" in results  # 1 of 10 voted
    assert client.get(f"/livelihood-votes/{open_vote.pk}/results/print/").status_code == 200


def test_a_representative_votes_once_and_checks_the_receipt(
    cast: Cast,
    open_vote: LivelihoodVote,
    representative_user: User,
    district_staff: User,
    client: Client,
) -> None:
    login(client, representative_user)
    mine = client.get("/livelihood-votes/mine/").content.decode()
    assert open_vote.title in mine and "待投票" in mine
    form = client.get(f"/livelihood-votes/{open_vote.pk}/ballot/")
    assert form.status_code == 200 and "最多 <strong>10</strong> 个" in form.content.decode()
    picks = [str(c.pk) for c in candidates_of(open_vote)]
    too_many = client.post(f"/livelihood-votes/{open_vote.pk}/ballot/", {"selected": picks[:11]})
    assert too_many.status_code == 400
    assert "您选了11项，最多可选10项，请取消1项" in too_many.content.decode()
    assert too_many.content.decode().count(" checked") == 11  # the ticks come back
    done = client.post(
        f"/livelihood-votes/{open_vote.pk}/ballot/", {"selected": picks[:10], "confirm": "1"}
    )
    receipt = re.search(r'data-testid="receipt">([A-Z0-9-]+)<', done.content.decode())
    assert receipt and the_ballot().receipt == receipt.group(1)
    again = client.post(
        f"/livelihood-votes/{open_vote.pk}/ballot/", {"selected": picks[:1], "confirm": "1"}
    )
    assert again.status_code == 409 and "您已投过票" in again.content.decode()
    assert "已投票" in client.get("/livelihood-votes/mine/").content.decode()
    services.vote_close(vote=open_vote, by=district_staff)
    check = client.get(
        f"/livelihood-votes/{open_vote.pk}/ballots/",
        {"receipt": receipt.group(1).lower().replace("-", " ")},
    )
    assert 'data-testid="receipt-found"' in check.content.decode()
    missing = client.get(
        f"/livelihood-votes/{open_vote.pk}/ballots/", {"receipt": "AAAA-BBBB-CCCC"}
    )
    assert 'data-testid="receipt-missing"' in missing.content.decode()


def test_the_home_card_calls_the_representative_to_vote(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    assert 'data-testid="card-go-vote"' in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["other_district_staff", "clerk", "committee_member"])
def test_outside_the_scope_every_page_is_a_404(
    persona: str,
    request: pytest.FixtureRequest,
    cast: Cast,
    open_vote: LivelihoodVote,
    client: Client,
) -> None:
    login(client, request.getfixturevalue(persona))
    for suffix in ("", "results/", "ballots/", "participants/", "ballot/"):
        assert client.get(f"/livelihood-votes/{open_vote.pk}/{suffix}").status_code == 404, suffix
    assert client.post(f"/livelihood-votes/{open_vote.pk}/act/close/").status_code == 404


def test_a_representative_of_another_congress_gets_a_404(
    cast: Cast, other_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    assert client.get(f"/livelihood-votes/{other_vote.pk}/").status_code == 404
    assert client.post(f"/livelihood-votes/{other_vote.pk}/ballot/", {}).status_code == 404
    assert other_vote.title not in client.get("/livelihood-votes/mine/").content.decode()


def test_representatives_do_not_see_drafts_nor_run_votes(
    cast: Cast, district_staff: User, representative_user: User, client: Client
) -> None:
    draft = make_vote(cast.world.district, district_staff)
    login(client, representative_user)
    assert client.get(f"/livelihood-votes/{draft.pk}/").status_code == 404
    vote = opened(draft, district_staff)
    assert client.get(f"/livelihood-votes/{vote.pk}/").status_code == 200
    assert client.post(f"/livelihood-votes/{vote.pk}/act/close/").status_code == 404
    assert client.get(f"/livelihood-votes/{vote.pk}/participants/").status_code == 404


def test_the_list_pages_cost_the_same_with_more_votes(
    cast: Cast,
    district_staff: User,
    representative_user: User,
    client: Client,
    django_assert_max_num_queries: object,
) -> None:
    def make(n: int) -> None:
        for _ in range(n):
            vote = opened(make_vote(cast.world.district, district_staff), district_staff)
            for rep in cast.seated[:3]:
                if rep.user is not None:
                    services.ballot_cast(vote=vote, representative=rep, choices={}, by=rep.user)
                else:
                    services.participation_sign_in(vote=vote, representative=rep, by=district_staff)

    counts = {}
    for label, more in (("few", 1), ("many", 5)):
        make(more)
        for persona, url in (
            (district_staff, "/livelihood-votes/"),
            (representative_user, "/livelihood-votes/mine/"),
        ):
            login(client, persona)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[(label, url)] = len(queries)
    assert counts[("few", "/livelihood-votes/")] == counts[("many", "/livelihood-votes/")]
    assert counts[("few", "/livelihood-votes/mine/")] == counts[("many", "/livelihood-votes/mine/")]
    vote = LivelihoodVote.objects.first()
    assert vote is not None
    login(client, district_staff)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        client.get(f"/livelihood-votes/{vote.pk}/participants/")
