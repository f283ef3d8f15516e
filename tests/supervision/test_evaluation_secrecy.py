"""Nobody can link a representative to their scores (docs/security.md, 'The secret
ballot'; the pattern of tests/ballot/test_cast_writes_nothing_else.py).

The scoring request, through the page with a session and through the API with a token,
writes the elector's row (its channel) and one sealed ballot, and nothing else: no
timeline or audit row, no task, no log line naming the voter or carrying the receipt,
and the session row untouched. No table of the evaluation app holds a voter: after the
close the scores are only in the core's published list, by receipt, shuffled; the
evaluation's own rows hold the figures per subject.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from knox.models import AuthToken

from congress.models import PublishedBallot, User
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation
from tests.ballot.test_cast_writes_nothing_else import (
    PINNED_EXPIRY,
    RECEIPT,
    Voter,
    check_nothing_else,
    watching,
)
from tests.conftest import World
from tests.factories import DepartmentFactory, UserFactory
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def session_refresh_always_due(settings: Any) -> None:
    """Every request would save its session (congress.middleware.SessionRefreshMiddleware)."""
    settings.SESSION_REFRESH_SECONDS = 0


@pytest.fixture
def voter(world: World) -> Voter:
    user = UserFactory(username="castonly", display_name="孙静怡")
    rep = RepresentativeFactory(name="孙静怡", region=world.village, user=user)
    seat(rep, world.district)
    for n in range(2):
        seat(RepresentativeFactory(name=f"海州代表{n}", region=world.village), world.district)
    client = Client()
    client.force_login(user)
    key = client.session.session_key
    assert key is not None
    Session.objects.filter(session_key=key).update(expire_date=PINNED_EXPIRY)
    return Voter(rep=rep, user=user, client=client, session_key=key)


def _open(world: World, by: User) -> Evaluation:
    from tests.supervision.evaluation_support import make_evaluation

    departments = [
        world.department,
        DepartmentFactory(name="海州区水务局", region=world.district),
    ]
    return services.evaluation_open(
        evaluation=make_evaluation(world.district, departments, by), by=by
    )


def _voter_columns_hold(voter: Voter, receipt: str) -> list[str]:
    """Every text or integer column of every row of the supervision app's tables that
    holds the voter's user id, representative id, name or receipt."""
    found = []
    needles = {voter.rep.name, voter.user.username, receipt}
    for model in apps.get_app_config("supervision").get_models():
        for row in model.objects.all().values():
            for column, value in row.items():
                if isinstance(value, str) and any(n in value for n in needles):
                    found.append(f"{model.__name__}.{column}")
        ids = {User: voter.user.pk, type(voter.rep): voter.rep.pk}
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if (
                isinstance(field, models.ForeignKey)
                and target in ids
                and model.objects.filter(**{field.name: ids[target]}).exists()
            ):
                found.append(f"{model.__name__}.{field.name}")
    return found


def test_scoring_on_the_page_writes_only_the_ballot(
    world: World, voter: Voter, district_staff: User
) -> None:
    evaluation = _open(world, district_staff)
    data = {f"s{s}-c{c}": 70 + n for n, (s, c) in enumerate(services.cells_of(evaluation))}
    before = voter.session_row()
    with watching() as seen:
        answer = voter.client.post(f"/evaluations/{evaluation.pk}/score/", data)
    assert answer.status_code == 200
    receipt = RECEIPT.search(answer.content.decode())
    assert receipt is not None
    check_nothing_else(seen, voter, before, receipt.group(0))
    assert _voter_columns_hold(voter, receipt.group(0)) == []

    services.evaluation_close(evaluation=evaluation, by=district_staff)
    (ballot,) = PublishedBallot.objects.filter(box=evaluation.box_id, receipt=receipt.group(0))
    # Cells 1–4: 交通 (工作作风, 服务质量), 水务 (工作作风, 服务质量), as typed.
    assert ballot.marks == {"1": 70, "2": 71, "3": 72, "4": 73}
    assert _voter_columns_hold(voter, receipt.group(0)) == []


def test_scoring_through_the_api_writes_only_the_ballot(
    world: World, voter: Voter, district_staff: User
) -> None:
    evaluation = _open(world, district_staff)
    scores = [
        {"subject": s, "criterion": c, "score": 88} for (s, c) in services.cells_of(evaluation)
    ]
    _row, token = AuthToken.objects.create(user=voter.user)
    before = voter.session_row()
    with watching() as seen:
        answer = voter.client.post(
            f"/api/v1/evaluations/{evaluation.pk}/ballot/",
            json.dumps({"scores": scores}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    assert answer.status_code == 201, answer.content
    assert answer["Cache-Control"] == "no-store"
    receipt = answer.json()["receipt"]
    check_nothing_else(seen, voter, before, receipt)
    assert _voter_columns_hold(voter, receipt) == []
