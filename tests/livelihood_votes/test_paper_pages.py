"""The hall's pages, persona by persona: 陈静 (district staff) signs representatives in
and, with 周文华 (city staff), enters the paper sheets twice; a sheet read two ways shows
both readings; everyone outside the vote's region gets a 404."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote
from tests.conftest import login
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    sealed_ballots,
    second_teller,
    the_ballot,
    voted,
)


def paper_url(vote: LivelihoodVote) -> str:
    return f"/livelihood-votes/{vote.pk}/paper/"


def sign_in_url(vote: LivelihoodVote) -> str:
    return f"/livelihood-votes/{vote.pk}/sign-in/"


def test_the_vote_page_leads_staff_to_the_hall(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    page = client.get(f"/livelihood-votes/{open_vote.pk}/").content.decode()
    assert sign_in_url(open_vote) in page and "现场签到" in page
    assert paper_url(open_vote) in page and "纸质选票录入" in page
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    page = client.get(f"/livelihood-votes/{open_vote.pk}/").content.decode()
    assert "纸质选票：发出 1 张，已计入 0 张，未计入 1 张。" in page


def test_staff_find_a_representative_and_sign_them_in(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    found = client.get(sign_in_url(open_vote), {"q": "海州代表"}).content.decode()
    assert found.count('data-testid="sign-in-') >= 8 and "吴明" not in found
    rep = cast.others[3]
    response = client.post(sign_in_url(open_vote), {"representative": rep.pk, "q": "海州代表3"})
    assert response.status_code == 302
    assert response["Location"].endswith("?" + urlencode({"q": "海州代表3"}))
    page = client.get(response["Location"]).content.decode()
    assert "海州代表3已签到，请发给纸质选票。" in page and "已签到领票 1 人" in page
    assert voted().get().channel == "paper"
    # 刘红 voted on her phone: she gets no paper ballot, and staff are told why.
    services.ballot_cast(vote=open_vote, representative=cast.liu, choices={}, by=cast.liu.user)  # type: ignore[arg-type]
    refused = client.post(
        sign_in_url(open_vote), {"representative": cast.liu.pk, "q": "刘红"}, follow=True
    ).content.decode()
    assert "该代表已在网上投票，不能再领取纸质选票。" in refused and "已网上投票" in refused
    # 吴明 sits for 临江区: not in this electorate.
    outsider = client.post(
        sign_in_url(open_vote), {"representative": cast.outsider.pk}, follow=True
    )
    assert "该代表不是本级人大的在任代表。" in outsider.content.decode()
    assert voted().count() == 2


def test_two_staff_enter_a_sheet_and_it_is_counted(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, city_staff: User, client: Client
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    picks = [c.pk for c in candidates_of(open_vote)[:3]]
    login(client, district_staff)
    form = client.get(paper_url(open_vote)).content.decode()
    assert 'name="sheet"' in form and 'value="1"' in form  # the first sheet, filled in
    first = client.post(paper_url(open_vote), {"sheet": 1, "selected": picks}, follow=True)
    page = first.content.decode()
    assert "第1张选票已录入，等待另一位工作人员核对录入。" in page
    assert 'data-testid="sheet-1" data-state="waiting"' in page
    again = client.post(paper_url(open_vote), {"sheet": 1, "selected": picks})
    assert again.status_code == 409 and "您已录入过第1张选票" in again.content.decode()
    assert again.content.decode().count(" checked") == 3  # the ticks come back
    login(client, city_staff)
    second = client.post(paper_url(open_vote), {"sheet": 1, "selected": picks}, follow=True)
    page = second.content.decode()
    assert "第1张选票两次录入一致，已计入。" in page
    assert 'data-testid="sheet-1" data-state="counted"' in page
    assert "发出纸质选票 1 张 · 已计入 1 张 · 未计入 0 张" in page
    assert the_ballot().sheet == 1
    counted = client.post(paper_url(open_vote), {"sheet": 1, "selected": picks})
    assert counted.status_code == 409


def test_a_sheet_read_two_ways_shows_who_read_it_not_what_until_a_third_settles_it(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    city_staff: User,
    administrator: User,
    client: Client,
) -> None:
    """While the vote is open no page shows what a reading said (the readings of the
    disputed sheets would be a partial count): the desk says which sheet differs and who
    read it; a third person reads the paper again and their reading decides."""
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    a, b, c = candidates_of(open_vote)[:3]
    services.paper_sheet_enter(vote=open_vote, sheet=1, choices=approve(a, b), by=district_staff)
    login(client, district_staff)
    alone = client.get(paper_url(open_vote)).content.decode()
    assert "赞成 1、2" not in alone  # a single reading is not shown to anyone
    login(client, city_staff)
    page = client.post(
        paper_url(open_vote), {"sheet": 1, "selected": [a.pk, c.pk]}, follow=True
    ).content.decode()
    assert "已标记为有差异" in page and 'data-state="differs"' in page
    disputed = page.split('data-testid="sheet-1"')[1].split("</div>")[0]
    assert "第1张" in disputed and "陈静" in disputed and "周文华" in disputed
    for reading in ("赞成 1、2", "赞成 1、3", "共2项", a.title, b.title, c.title):
        assert reading not in disputed, reading
    for staff in (district_staff, city_staff, administrator):  # nobody sees the readings
        login(client, staff)
        desk = client.get(paper_url(open_vote)).content.decode()
        assert "赞成 1、2" not in desk and "赞成 1、3" not in desk
    # The administrator reads the paper: it says 1 and 3, as the second reading did.
    settled = client.post(
        paper_url(open_vote), {"sheet": 1, "selected": [a.pk, c.pk]}, follow=True
    ).content.decode()
    assert "两次录入一致，已计入" in settled and 'data-state="differs"' not in settled
    ballot = next(b for b in sealed_ballots(open_vote) if b.sheet == 1)
    assert ballot.picked() == {a.pk, c.pk}


def test_bad_input_is_refused_with_the_reason(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    assert client.post(paper_url(open_vote), {"selected": []}).status_code == 400  # no number
    over = client.post(paper_url(open_vote), {"sheet": 1, "selected": []})
    assert over.status_code == 400 and "已发出纸质选票0张" in over.content.decode()
    assert client.post(sign_in_url(open_vote), {"representative": "x"}).status_code == 302


def test_closing_over_unsettled_sheets_is_refused_on_the_page(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    services.paper_sheet_enter(vote=open_vote, sheet=1, choices={}, by=district_staff)
    login(client, district_staff)
    page = client.post(f"/livelihood-votes/{open_vote.pk}/act/close/", follow=True)
    assert "还有1张纸质选票未完成双人录入（第1张）" in page.content.decode()
    open_vote.refresh_from_db()
    assert open_vote.status == "open"


def test_after_the_close_the_pages_only_show(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    services.vote_close(vote=open_vote, by=district_staff)
    login(client, district_staff)
    paper = client.get(paper_url(open_vote)).content.decode()
    assert "不能录入纸质选票" in paper and 'data-testid="paper-form"' not in paper
    hall = client.get(sign_in_url(open_vote), {"q": "海州"}).content.decode()
    assert "不能签到领票" in hall and "sign-in-" not in hall.split("sign-in-results")[1]


def test_the_entry_page_costs_the_same_with_more_sheets(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User, client: Client
) -> None:
    other = second_teller(open_vote)
    a, b = candidates_of(open_vote)[:2]
    for rep in cast.others:
        services.participation_sign_in(vote=open_vote, representative=rep, by=district_staff)
    login(client, district_staff)

    def state(first: int, last: int) -> None:
        """Sheets first..last: a counted one, one entered once, one read two ways."""
        for sheet in range(first, last + 1, 3):
            for n, by, picks in ((0, district_staff, (a,)), (0, other, (a,))):
                services.paper_sheet_enter(
                    vote=open_vote, sheet=sheet + n, choices=approve(*picks), by=by
                )
            services.paper_sheet_enter(
                vote=open_vote, sheet=sheet + 1, choices=approve(a), by=district_staff
            )
            services.paper_sheet_enter(
                vote=open_vote, sheet=sheet + 2, choices=approve(a), by=district_staff
            )
            services.paper_sheet_enter(
                vote=open_vote, sheet=sheet + 2, choices=approve(b), by=other
            )

    counts = []
    for first, last in ((1, 3), (4, 6)):
        state(first, last)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(paper_url(open_vote)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "persona", ["other_district_staff", "clerk", "committee_member", "representative_user"]
)
def test_outside_the_scope_the_hall_is_a_404(
    persona: str,
    request: pytest.FixtureRequest,
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    client: Client,
) -> None:
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    login(client, request.getfixturevalue(persona))
    for url in (sign_in_url(open_vote), paper_url(open_vote)):
        assert client.get(url).status_code == 404, url
    assert client.post(sign_in_url(open_vote), {"representative": cast.zhang.pk}).status_code == 404
    assert client.post(paper_url(open_vote), {"sheet": 1}).status_code == 404
    assert voted().count() == 1 and not sealed_ballots()


def test_the_admin_has_no_page_of_readings_or_ballots(
    cast: Cast,
    open_vote: LivelihoodVote,
    district_staff: User,
    administrator: User,
    client: Client,
) -> None:
    """Readings and ballots are the core's ballot box, and no admin page shows them, to
    an administrator neither: while open they are sealed, once closed they are published
    on the vote's pages."""
    services.participation_sign_in(vote=open_vote, representative=cast.others[0], by=district_staff)
    services.paper_sheet_enter(vote=open_vote, sheet=1, choices={}, by=district_staff)
    services.paper_sheet_enter(vote=open_vote, sheet=1, choices={}, by=second_teller(open_vote))
    login(client, administrator)
    urls = [
        f"/admin/{app}/{model}/"
        for app in ("livelihood_votes", "congress")
        for model in ("paperballotentry", "ballot", "paperreading", "sealedballot", "elector")
    ]
    assert all(client.get(url).status_code == 404 for url in urls)
    services.vote_close(vote=open_vote, by=district_staff)
    assert all(client.get(url).status_code == 404 for url in urls)
