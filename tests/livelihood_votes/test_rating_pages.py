"""The rating's pages as the cast uses them: the staff page's steps from the actions
table, a refusal shown beside the buttons, the representative's phone ballot (what was
marked kept on a refusal, the receipt once), an outsider's 404, the results and the
public results without voter data, and a fixed number of queries per page whatever the
number of projects."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import User
from congress.models.ballots import Rating
from livelihood_votes.models.ratings import RatingRound, RatingStatus
from livelihood_votes.ratings import services
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import cast_for, make_cycle, opened, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_open_close_and_publish_from_the_page(cast: Cast, district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    client = _client(district_staff)
    page = client.get(f"/livelihood/cycles/{cycle.pk}/rating/")
    assert page.status_code == 200
    assert 'data-testid="act-open"' in page.content.decode()
    assert 'data-testid="act-close"' not in page.content.decode()
    for step, status in (("open", "open"), ("close", "closed"), ("publish", "published")):
        answer = client.post(f"/livelihood/cycles/{cycle.pk}/rating/act/{step}/")
        assert answer.status_code == 302, step
        assert RatingRound.objects.get(cycle=cycle).status == status
    rating = RatingRound.objects.get(cycle=cycle)
    assert Client().get(f"/p/livelihood/ratings/{rating.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_refused_step_is_shown_beside_the_buttons(cast: Cast, district_staff: User) -> None:
    today = timezone.localdate()
    cycle = make_cycle(
        cast.world.district,
        cast.world.department,
        opens=today + datetime.timedelta(days=5),
        closes=today + datetime.timedelta(days=15),
    )
    answer = _client(district_staff).post(f"/livelihood/cycles/{cycle.pk}/rating/act/open/")
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'data-testid="rating-error"' in text
    assert (today + datetime.timedelta(days=5)).isoformat() in text
    unknown = _client(district_staff).post(f"/livelihood/cycles/{cycle.pk}/rating/act/nonsense/")
    assert unknown.status_code == 400
    assert not RatingRound.objects.exists()


@pytest.mark.django_db
def test_the_representatives_phone_ballot(cast: Cast, district_staff: User) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    liu = _client(cast.liu.user)
    url = f"/livelihood/ratings/{rating.pk}/ballot/"
    assert liu.get("/livelihood/ratings/mine/").content.decode().count(url) == 1
    form = liu.get(url)
    assert form.status_code == 200
    assert a.title in form.content.decode()
    # One project left out: refused in plain words, the two marks kept.
    partial = liu.post(url, {f"p{a.pk}": S, f"p{b.pk}": D})
    assert partial.status_code == 400
    text = partial.content.decode()
    assert "还有1项没有测评" in text
    assert f'name="p{a.pk}" id="id_p{a.pk}_0" value="satisfied" checked' in text
    done = liu.post(url, {f"p{a.pk}": S, f"p{b.pk}": D, f"p{c.pk}": B})
    assert done.status_code == 200
    assert 'data-testid="receipt"' in done.content.decode()
    again = liu.get(url)
    assert 'data-testid="voted"' in again.content.decode()
    assert liu.post(url, {f"p{a.pk}": S, f"p{b.pk}": S, f"p{c.pk}": S}).status_code == 409


@pytest.mark.django_db
def test_an_outsider_does_not_see_the_ballot(cast: Cast, district_staff: User) -> None:
    rating = opened(make_cycle(cast.world.district, cast.world.department), district_staff)
    url = f"/livelihood/ratings/{rating.pk}/ballot/"
    assert _client(cast.outsider.user).get(url).status_code == 404
    assert _client(district_staff).get(url).status_code == 404  # staff are no voters


@pytest.mark.django_db
def test_results_wait_for_the_close_and_the_public_page_names_no_voter(
    cast: Cast, district_staff: User
) -> None:
    cycle = make_cycle(cast.world.district, cast.world.department)
    a, b, c = projects_of(cycle)
    rating = opened(cycle, district_staff)
    services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: D}, by=cast.liu.user)
    liu = _client(cast.liu.user)
    assert liu.get(f"/livelihood/ratings/{rating.pk}/results/").status_code == 409
    services.rating_close(rating=rating, by=district_staff)
    assert Client().get(f"/p/livelihood/ratings/{rating.pk}/").status_code == 404  # not yet
    services.rating_publish(rating=rating, by=district_staff)
    shown = liu.get(f"/livelihood/ratings/{rating.pk}/results/").content.decode()
    public = Client().get(f"/p/livelihood/ratings/{rating.pk}/").content.decode()
    assert a.title in shown and a.title in public
    for rep in cast.seated:
        assert rep.name not in public
        if rep != cast.liu:  # her own name is in her page's menu, nobody else's is shown
            assert rep.name not in shown


def _sized(cast: Cast, staff: User, n: int, year: int) -> RatingRound:
    titles = tuple(f"民生项目{k}" for k in range(n))
    cycle = make_cycle(cast.world.district, cast.world.department, projects=titles, year=year)
    rating = opened(cycle, staff)
    projects = projects_of(cycle)
    for rep in cast.others[:3]:
        cast_for(rating, rep.pk, dict.fromkeys(projects, S))
    return rating


@pytest.mark.django_db
def test_pages_cost_the_same_for_3_and_12_projects(cast: Cast, district_staff: User) -> None:
    year = timezone.localdate().year
    counts: dict[tuple[str, int], int] = {}
    for n, y in ((3, year - 5), (12, year - 3)):
        rating = _sized(cast, district_staff, n, y)
        staff = _client(district_staff)
        liu = _client(cast.liu.user)
        pages = {
            "manage open": (staff, f"/livelihood/cycles/{rating.cycle_id}/rating/"),
            "ballot": (liu, f"/livelihood/ratings/{rating.pk}/ballot/"),
        }
        for name, (client, url) in pages.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            counts[(name, n)] = len(queries)
        services.rating_close(rating=rating, by=district_staff)
        services.rating_publish(rating=rating, by=district_staff)
        closed = {
            "manage closed": (staff, f"/livelihood/cycles/{rating.cycle_id}/rating/"),
            "results": (liu, f"/livelihood/ratings/{rating.pk}/results/"),
            "public": (Client(), f"/p/livelihood/ratings/{rating.pk}/"),
            "report": (staff, f"/livelihood/cycles/{rating.cycle_id}/report/"),
        }
        for name, (client, url) in closed.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            counts[(name, n)] = len(queries)
    for name in {name for name, _n in counts}:
        assert counts[(name, 3)] == counts[(name, 12)], name
    assert RatingRound.objects.filter(status=RatingStatus.PUBLISHED).count() == 2
