"""The run-off (补充票决) after a tie at the cut. 海州区's vote: 12 candidates for 10
seats, 10 voters. All ten approve projects 1–8; projects 9, 10 and 11 get six approvals
each (all pass, 6 > 5), so three projects share the last two seats: the run-off is
those three for two seats, made once however often 陈静 clicks 发起补充票决."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test import Client

from congress.errors import RuleViolation
from congress.models import Department, User
from livelihood_votes import services
from livelihood_votes.errors import BallotBusy, RunoffExists
from livelihood_votes.models import Candidate, LivelihoodVote, VoteStatus
from tests.conftest import login
from tests.livelihood_votes.conftest import (
    Cast,
    approve,
    candidates_of,
    make_vote,
    opened,
    paper_ballots,
)


def tied_vote(cast: Cast, vote: LivelihoodVote, by: User) -> LivelihoodVote:
    options = candidates_of(vote)
    top8, (x, y, z) = options[:8], options[8:11]
    pairs = [(x, y)] * 3 + [(x, z)] * 3 + [(y, z)] * 3 + [()]
    paper_ballots(vote, cast.seated, [approve(*top8, *pair) for pair in pairs], by)
    return services.vote_close(vote=vote, by=by)


@pytest.fixture
def closed_tie(cast: Cast, open_vote: LivelihoodVote, district_staff: User) -> LivelihoodVote:
    return tied_vote(cast, open_vote, district_staff)


def test_the_runoff_holds_the_tied_projects_only_for_the_seats_left(
    closed_tie: LivelihoodVote, district_staff: User
) -> None:
    runoff = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    assert runoff.status == VoteStatus.DRAFT and runoff.runoff_of == closed_tie
    assert runoff.seats == 2
    assert [c.title for c in candidates_of(runoff)] == ["民生项目9", "民生项目10", "民生项目11"]


def test_a_second_click_makes_no_second_runoff(
    closed_tie: LivelihoodVote, district_staff: User, city_staff: User
) -> None:
    first = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    for who in (district_staff, city_staff):
        with pytest.raises(RunoffExists, match="不能重复发起"):
            services.vote_runoff_create(from_vote=closed_tie, by=who)
    assert list(closed_tie.runoffs.all()) == [first]


def test_the_database_refuses_a_second_runoff_of_the_same_vote(
    closed_tie: LivelihoodVote, district_staff: User
) -> None:
    first = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        LivelihoodVote.objects.create(
            congress=first.congress,
            year=2026,
            title="另一个补充票决",
            seats=1,
            runoff_of=closed_tie,
        )
    assert closed_tie.runoffs.count() == 1


def test_a_cancelled_runoff_frees_the_tie_for_a_new_one(
    closed_tie: LivelihoodVote, district_staff: User
) -> None:
    first = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    services.vote_cancel(vote=first, by=district_staff, reason="候选项目说明有误")
    second = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    assert second.pk != first.pk and closed_tie.runoffs.count() == 2


def test_no_project_is_added_to_or_taken_from_a_runoff(
    closed_tie: LivelihoodVote, district_staff: User
) -> None:
    runoff = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    with pytest.raises(RuleViolation, match="只能是原票决中得票相同的项目"):
        services.candidate_add(vote=runoff, title="民生项目1", by=district_staff)
    with pytest.raises(RuleViolation, match="只能是原票决中得票相同的项目"):
        services.candidate_remove(candidate=candidates_of(runoff)[0], by=district_staff)
    assert runoff.candidates.count() == 3
    # Renamed, a tied project would be another one: refused, as a new department is.
    first = candidates_of(runoff)[0]
    with pytest.raises(RuleViolation, match="不能改为其他项目"):
        services.candidate_edit(candidate=first, title="民生项目1", by=district_staff)
    other = (
        Department.objects.filter(region=runoff.congress.region)
        .exclude(pk=first.department_id or 0)
        .first()
    )
    assert other is not None
    with pytest.raises(RuleViolation, match="不能改为其他项目"):
        services.candidate_edit(candidate=first, department=other, by=district_staff)
    assert [c.title for c in candidates_of(runoff)] == ["民生项目9", "民生项目10", "民生项目11"]
    # What is there may still be worded better before it opens, and it opens: 3 for 2.
    services.candidate_edit(candidate=first, summary="新建社区卫生服务站", by=district_staff)
    assert services.vote_open(vote=runoff, by=district_staff).status == VoteStatus.OPEN


def test_a_runoff_whose_list_was_changed_elsewhere_does_not_open(
    closed_tie: LivelihoodVote, district_staff: User
) -> None:
    """Whatever route changed the list (the admin, a shell), opening reads the tie again
    from the published tally: projects 9, 10 and 11 for 2 seats, nothing else."""
    runoff = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    extra = Candidate.objects.create(vote=runoff, title="民生项目1", order=4)
    with pytest.raises(RuleViolation, match="得票相同的3个项目进行，应选2项"):
        services.vote_open(vote=runoff, by=district_staff)
    extra.delete()
    LivelihoodVote.objects.filter(pk=runoff.pk).update(seats=1)
    with pytest.raises(RuleViolation, match="得票相同的3个项目进行，应选2项"):
        services.vote_open(vote=runoff, by=district_staff)
    renamed = candidates_of(runoff)[2]
    LivelihoodVote.objects.filter(pk=runoff.pk).update(seats=2)
    Candidate.objects.filter(pk=renamed.pk).update(title="民生项目8")
    with pytest.raises(RuleViolation, match="得票相同的3个项目进行，应选2项"):
        services.vote_open(vote=runoff, by=district_staff)
    Candidate.objects.filter(pk=renamed.pk).update(title="民生项目11")
    assert services.vote_open(vote=runoff, by=district_staff).status == VoteStatus.OPEN


def test_the_runoff_page_and_the_admin_offer_no_other_project(
    closed_tie: LivelihoodVote, district_staff: User, administrator: User, client: Client
) -> None:
    runoff = services.vote_runoff_create(from_vote=closed_tie, by=district_staff)
    login(client, district_staff)
    page = client.get(runoff.get_absolute_url()).content.decode()
    assert 'data-testid="candidate-form"' not in page and 'data-testid="runoff-fixed"' in page
    assert f"/livelihood-votes/{runoff.pk}/candidates/" not in page  # no 删除 buttons
    login(client, administrator)
    admin_page = client.get(
        f"/admin/livelihood_votes/livelihoodvote/{runoff.pk}/change/"
    ).content.decode()
    assert "民生项目9" in admin_page
    assert 'name="candidates-0-title"' not in admin_page  # shown, not editable
    assert 'name="candidates-0-DELETE"' not in admin_page
    assert 'id="candidates-empty"' not in admin_page  # no row to add
    assert 'name="seats"' not in admin_page and 'name="runoff_of"' not in admin_page


def test_a_vote_without_a_tie_has_no_runoff(
    cast: Cast, open_vote: LivelihoodVote, district_staff: User
) -> None:
    paper_ballots(
        open_vote, cast.seated, [approve(*candidates_of(open_vote)[:10])] * 10, district_staff
    )
    services.vote_close(vote=open_vote, by=district_staff)
    with pytest.raises(RuleViolation, match="没有需要补充票决的并列项目"):
        services.vote_runoff_create(from_vote=open_vote, by=district_staff)
    assert not LivelihoodVote.objects.filter(runoff_of=open_vote).exists()


def test_an_open_vote_has_no_runoff(open_vote: LivelihoodVote, district_staff: User) -> None:
    with pytest.raises(RuleViolation, match="只有已结束的票决"):
        services.vote_runoff_create(from_vote=open_vote, by=district_staff)


def test_the_results_page_offers_the_runoff_once_then_links_to_it(
    closed_tie: LivelihoodVote, district_staff: User, client: Client
) -> None:
    login(client, district_staff)
    results = f"/livelihood-votes/{closed_tie.pk}/results/"
    assert 'data-testid="do-runoff"' in client.get(results).content.decode()
    made = client.post(f"/livelihood-votes/{closed_tie.pk}/runoff/")
    runoff = LivelihoodVote.objects.get(runoff_of=closed_tie)
    assert made["Location"] == runoff.get_absolute_url()
    again = client.post(f"/livelihood-votes/{closed_tie.pk}/runoff/", follow=True)
    page = again.content.decode()
    assert "已为本次票决的并列项目发起过补充票决，不能重复发起。" in page
    assert 'data-testid="do-runoff"' not in page
    assert f'href="{runoff.get_absolute_url()}" data-testid="the-runoff"' in page
    assert LivelihoodVote.objects.filter(runoff_of=closed_tie).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_instant_makes_one_runoff(
    cast: Cast, district_staff: User
) -> None:
    vote = tied_vote(
        cast, opened(make_vote(cast.world.district, district_staff), district_staff), district_staff
    )
    barrier = threading.Barrier(2)

    def click(_n: int) -> Any:
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            for _attempt in range(100):  # SQLite's busy writer: the click is simply repeated
                try:
                    return services.vote_runoff_create(from_vote=vote, by=district_staff)
                except BallotBusy:
                    continue
            raise AssertionError("the database stayed busy")
        except Exception as error:  # counted below, per outcome
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(click, range(2)))
    made = [o for o in outcomes if isinstance(o, LivelihoodVote)]
    refused = [o for o in outcomes if isinstance(o, RunoffExists)]
    assert (len(made), len(refused)) == (1, 1), outcomes
    assert LivelihoodVote.objects.filter(runoff_of=vote).count() == 1
    assert Candidate.objects.filter(vote=made[0]).count() == 3
