"""刘红 reviews her ballot before it is cast, as she would on a phone without
JavaScript: the first submit answers with the review (核对选票), only 确认投票 casts, and
返回修改 brings the ballot back as she had filled it in. A ballot that breaks the form
is refused in plain words, before and at the confirmation."""

from __future__ import annotations

import re

from django.test import Client

from congress.models import User
from livelihood_votes.models import BallotForm, LivelihoodVote
from tests.conftest import login
from tests.livelihood_votes.conftest import (
    Cast,
    candidates_of,
    make_vote,
    opened,
    sealed_ballots,
    the_ballot,
    voted,
)


def _url(vote: LivelihoodVote) -> str:
    return f"/livelihood-votes/{vote.pk}/ballot/"


def _review_rows(html: str) -> list[str]:
    listing = html.split('data-testid="review-list"')[1].split("</ul>")[0]
    return re.findall(r"<span>(\d+\. [^<]+)</span>", listing)


def test_the_first_submit_shows_the_choices_and_casts_nothing(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    options = candidates_of(open_vote)
    picks = [str(options[n].pk) for n in (0, 2, 4)]
    review = client.post(_url(open_vote), {"selected": picks})
    html = review.content.decode()
    assert review.status_code == 200
    assert _review_rows(html) == ["1. 民生项目1", "3. 民生项目3", "5. 民生项目5"]
    assert 'data-testid="cast-ballot"' in html and 'data-testid="review-back"' in html
    assert voted().count() == len(sealed_ballots()) == 0
    # The review carries the choices to 确认投票 and to 返回修改, and nothing more.
    assert html.count('<input type="hidden" name="selected"') == 6

    back = client.post(_url(open_vote), {"selected": picks, "edit": "1"}).content.decode()
    assert 'data-testid="review-list"' in back  # the in-page review, empty until scripted
    assert back.count(" checked") == 3 and 'data-testid="ballot-error"' not in back
    assert len(sealed_ballots()) == 0

    done = client.post(_url(open_vote), {"selected": picks, "confirm": "1"})
    assert 'data-testid="receipt"' in done.content.decode()
    ballot = the_ballot()
    assert ballot.titles() == {
        "民生项目1",
        "民生项目3",
        "民生项目5",
    }


def test_an_empty_ballot_is_reviewed_as_approving_nothing(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    html = client.post(_url(open_vote), {}).content.decode()
    assert 'data-testid="review-empty"' in html and "对所有候选项目都不赞成" in html
    assert len(sealed_ballots()) == 0


def test_too_many_ticks_are_refused_in_plain_words_even_when_confirmed(
    cast: Cast, open_vote: LivelihoodVote, representative_user: User, client: Client
) -> None:
    login(client, representative_user)
    picks = [str(c.pk) for c in candidates_of(open_vote)]  # 12 of at most 10
    for extra in ({}, {"confirm": "1"}):
        refused = client.post(_url(open_vote), {"selected": picks, **extra})
        html = refused.content.decode()
        assert refused.status_code == 400
        assert "您选了12项，最多可选10项，请取消2项。" in html
        assert 'data-testid="ballot-review"' in html and html.count(" checked") == 12
    assert voted().count() == len(sealed_ballots()) == 0


def test_the_page_carries_the_sentence_for_every_number_of_ticks(
    cast: Cast, district_staff: User, representative_user: User, client: Client
) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.EXACTLY_N),
        district_staff,
    )
    login(client, representative_user)
    html = client.get(_url(vote)).content.decode()
    problems = html.split('id="ballot-problems"')[1].split("</script>")[0]
    assert '"9": "\\u60a8\\u9009\\u4e869\\u9879' in problems  # 您选了9项 (JSON-escaped)
    assert '"10": ""' in problems  # exactly ten: nothing to say
    assert len(sealed_ballots()) == 0


def test_an_approve_oppose_abstain_ballot_lists_every_mark(
    cast: Cast, district_staff: User, representative_user: User, client: Client
) -> None:
    vote = opened(
        make_vote(cast.world.district, district_staff, ballot_form=BallotForm.PER_CANDIDATE),
        district_staff,
    )
    login(client, representative_user)
    options = candidates_of(vote)
    marks = {f"c{c.pk}": ["approve", "oppose", "abstain"][n % 3] for n, c in enumerate(options)}
    partial = dict(list(marks.items())[:9])
    refused = client.post(_url(vote), partial).content.decode()
    assert "还有3个项目没有表态，请对每个项目选择赞成、反对或弃权。" in refused
    review = client.post(_url(vote), marks).content.decode()
    assert len(_review_rows(review)) == 12
    assert review.count(">赞成</span>") == 4 and review.count(">反对</span>") == 4
    assert len(sealed_ballots()) == 0
    client.post(_url(vote), {**marks, "confirm": "1"})
    assert the_ballot().count("oppose") == 4
