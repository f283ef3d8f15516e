"""The livelihood pages' POSTs, answered the one way (docs/architecture.md, "A page's
POST"): a page that shows its form answers bad input with a 400 and the field's error
beside it, a refusal with the refusal's status and what was typed kept; a small form
on a detail page goes back to the page with its field's error or the refusal as the
message. Nothing is written on any of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congress.models import User
from livelihood_votes.models import LivelihoodVote
from livelihood_votes.ratings import services
from livelihood_votes.ratings.forms import mark_field
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, make_vote
from tests.livelihood_votes.test_rating_support import make_cycle, opened, projects_of

pytestmark = pytest.mark.django_db


def _messages(answer: Any) -> list[str]:
    return [str(message) for message in answer.context["messages"]]


def test_a_new_vote_with_no_seats_comes_back_as_a_400_with_the_field_named(
    cast: Cast, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        "/livelihood-votes/new/",
        {
            "congress": cast.world.district.congress.pk,
            "year": 2026,
            "title": "海州区2026年度票决",
            "seats": 0,
            "ballot_form": "up_to_n",
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    (error,) = answer.context["form"].errors["seats"]
    assert error in text and "海州区2026年度票决" in text  # beside what was typed
    assert not LivelihoodVote.objects.exists()


def test_a_candidate_without_a_title_says_which_field_is_missing(
    cast: Cast, district_staff: User
) -> None:
    vote = make_vote(cast.world.district, district_staff, candidates=2)
    staff = login(Client(), district_staff)
    answer = staff.post(f"/livelihood-votes/{vote.pk}/candidates/", {"budget": "12"}, follow=True)
    assert answer.redirect_chain == [(f"/livelihood-votes/{vote.pk}/", 302)]
    assert _messages(answer) == ["请填写“项目名称”。"]
    assert vote.candidates.count() == 2


def test_a_candidate_added_to_an_open_vote_is_refused_with_the_reason(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        f"/livelihood-votes/{open_vote.pk}/candidates/", {"title": "新建幼儿园"}, follow=True
    )
    (message,) = _messages(answer)
    assert "已添加" not in message and message
    assert open_vote.candidates.count() == 12
    added = staff.post(
        f"/livelihood-votes/{make_vote(cast.world.district, district_staff, candidates=0).pk}"
        "/candidates/",
        {"title": "新建幼儿园"},
        follow=True,
    )
    assert _messages(added) == ["已添加候选项目。"]


def test_signing_in_no_one_in_the_hall_names_the_field_and_keeps_the_search(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    staff = login(Client(), district_staff)
    url = f"/livelihood-votes/{open_vote.pk}/sign-in/"
    answer = staff.post(url, {"representative": "x", "q": "海州代表"}, follow=True)
    assert answer.redirect_chain[-1][0].endswith("?q=%E6%B5%B7%E5%B7%9E%E4%BB%A3%E8%A1%A8")
    assert _messages(answer) == ["该代表不是本级人大的在任代表。"]
    signed = staff.post(url, {"representative": cast.zhang.pk}, follow=True)
    assert _messages(signed) == ["张伟已签到，请发给纸质选票。"]


def test_the_cycle_form_answers_a_refusal_with_a_400(cast: Cast, district_staff: User) -> None:
    staff = login(Client(), district_staff)
    answer = staff.post(
        reverse("livelihood_cycle_create"),
        {
            "congress": cast.world.district.congress.pk,
            "year": 2027,
            "title": "海州区2027年度民生实事项目",
            "electorate": "representatives",
            "call_opens_on": "2027-03-01",
            "call_closes_on": "2027-03-20",
        },
    )
    assert answer.status_code == 400
    assert "征集期至少30天" in answer.content.decode()


# --- the year-end rating's hall: sign-in and paper entry ---------------------------------


def test_the_rating_hall_signs_in_once_and_says_so_beside_the_form(
    cast: Cast, district_staff: User
) -> None:
    rating = opened(make_cycle(cast.world.district, cast.world.department), district_staff)
    staff = login(Client(), district_staff)
    url = f"/livelihood/ratings/{rating.pk}/sign-in/"
    empty = staff.post(url, {"voter": ""})
    assert empty.status_code == 400
    assert empty.context["sign_in_form"].errors["voter"]
    first = staff.post(url, {"voter": cast.zhang.pk}, follow=True)
    assert _messages(first) == ["已签到，请发给纸质测评表。"]
    again = staff.post(url, {"voter": cast.zhang.pk})
    assert again.status_code == 409  # the core's AlreadyVoted, as on the vote's desk
    assert "该测评人已签到领取纸质测评表。" in again.content.decode()


def test_a_rating_sheet_is_refused_beside_the_form_with_its_marks_kept(
    cast: Cast, district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    rating = opened(cycle, district_staff)
    first, second = projects_of(cycle)[:2]
    staff = login(Client(), district_staff)
    url = f"/livelihood/ratings/{rating.pk}/paper/"
    sheet = {"sheet": 1, mark_field(str(first.pk)): "satisfied"}
    sheet[mark_field(str(second.pk))] = "dissatisfied"
    assert staff.post(url, {mark_field(str(first.pk)): "satisfied"}).status_code == 400
    early = staff.post(url, sheet)  # no sheet handed out yet
    assert early.status_code == 400
    assert "已发出纸质选票0张" in early.context["paper_form"].non_field_errors()[0]
    services.rating_sign_in(rating=rating, voter=cast.others[0].pk, by=district_staff)
    entered = staff.post(url, sheet, follow=True)
    assert _messages(entered) == ["已录入，须由另一位工作人员再录入一次核对。"]
    again = staff.post(url, sheet)
    assert again.status_code == 409  # one teller may not confirm their own reading
    form = again.context["paper_form"]
    assert form.non_field_errors() and form.data[mark_field(str(second.pk))] == "dissatisfied"
