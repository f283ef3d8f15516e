"""The managing staff's steps on a vote (开始投票, 结束投票并计票, 取消票决): which the
page offers in each state, stated by hand, and a step that names nothing is a 404.

A draft is opened or cancelled; an open vote is closed (counted and published) or
cancelled; a closed or cancelled vote takes no more steps."""

from __future__ import annotations

from django.test import Client

from congress.models import CaseEvent, User
from livelihood_votes import services
from livelihood_votes.models import LivelihoodVote, VoteStatus
from livelihood_votes.workflow import VOTE_CASE
from tests.conftest import login
from tests.livelihood_votes.conftest import Cast, make_vote, opened

STEPS = ('data-testid="do-open"', 'data-testid="do-close"', 'data-testid="do-cancel"')


def _offered(client: Client, vote: LivelihoodVote) -> list[str]:
    page = client.get(f"/livelihood-votes/{vote.pk}/").content.decode()
    return [step.split('"')[1] for step in STEPS if step in page]


def test_the_page_offers_each_step_in_its_states(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    draft = make_vote(cast.world.district, district_staff)
    assert _offered(client, draft) == ["do-open", "do-cancel"]
    open_vote = opened(make_vote(cast.world.district, district_staff), district_staff)
    assert _offered(client, open_vote) == ["do-close", "do-cancel"]
    closed = services.vote_close(
        vote=opened(make_vote(cast.world.district, district_staff), district_staff),
        by=district_staff,
    )
    assert closed.status == VoteStatus.CLOSED
    assert _offered(client, closed) == []
    cancelled = services.vote_cancel(vote=draft, by=district_staff, reason="议程调整")
    assert cancelled.status == VoteStatus.CANCELLED
    assert _offered(client, cancelled) == []


def test_cancel_keeps_its_reason_and_an_unknown_step_is_a_404(
    cast: Cast, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    vote = make_vote(cast.world.district, district_staff)
    assert client.post(f"/livelihood-votes/{vote.pk}/act/explode/").status_code == 404
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT
    client.post(f"/livelihood-votes/{vote.pk}/act/cancel/", {"reason": "议程调整"})
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CANCELLED
    cancelled = CaseEvent.objects.filter(case_type=VOTE_CASE, case_id=vote.pk, action="vote_cancel")
    assert list(cancelled.values_list("note", flat=True)) == ["议程调整"]
