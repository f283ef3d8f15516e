"""开始实施 from a closed vote's page: staff who run the vote find the step there, and it
lists each elected project once (docs/livelihood-projects.md)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from congress.models import User
from livelihood_votes import services
from livelihood_votes.models import Candidate, Mark, Project
from tests.conftest import World, login
from tests.factories import DepartmentFactory
from tests.livelihood_votes.conftest import Cast, make_vote, opened, paper_ballots
from tests.livelihood_votes.conftest import cast as vote_cast  # noqa: F401 - fixture


def test_the_closed_votes_page_starts_the_implementation_once(
    client: Client,
    world: World,
    district_staff: User,
    vote_cast: Cast,  # noqa: F811
) -> None:
    vote = opened(make_vote(world.district, district_staff), district_staff)
    department = DepartmentFactory(region=world.district)
    Candidate.objects.filter(vote=vote).update(department=department)
    ten = {c.pk: Mark.APPROVE for c in vote.candidates.order_by("order")[:10]}
    # Six of the ten seated vote on paper for projects 1-10: each of the ten is elected.
    paper_ballots(vote, vote_cast.seated[:6], [ten] * 6, district_staff)
    services.vote_close(vote=vote, by=district_staff)

    login(client, district_staff)
    page = client.get(vote.get_absolute_url()).content.decode()
    assert 'data-testid="start-implementation"' in page
    start = reverse("livelihood_vote_start_implementation", args=[vote.pk])
    response = client.post(start)
    assert response.status_code == 302
    assert Project.objects.filter(cycle__vote=vote).count() == 10
    client.post(start)  # a second click lists nothing twice
    assert Project.objects.filter(cycle__vote=vote).count() == 10
    titles = set(Project.objects.filter(cycle__vote=vote).values_list("title", flat=True))
    assert titles == {f"民生项目{n}" for n in range(1, 11)}


def test_the_step_is_not_offered_before_the_close(
    client: Client, world: World, district_staff: User
) -> None:
    vote = make_vote(world.district, district_staff)
    login(client, district_staff)
    draft = client.get(vote.get_absolute_url()).content.decode()
    assert 'data-testid="start-implementation"' not in draft  # not before the close
