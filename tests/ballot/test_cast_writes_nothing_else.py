"""The casting request writes the ballot and nothing else (issue 15; docs/security.md,
'The secret ballot': "Casting writes nothing else").

A voter casts through the API with their token, and through the ballot page with their
session. Around the casting request only, the tests record every SQL statement that
writes, every log record, every task sent, and the voter's ``django_session`` row.
Expected, whatever the code says about itself: the only writes are the elector's row
(its ``channel``) and one sealed ballot; the session row is exactly as before (here
every request is due to move the session's end forward, ``SESSION_REFRESH_SECONDS``
= 0, so the cast's exemption is what keeps it); no audit or
timeline row, no task, no log record naming the voter. After the close, the published
ballot with the receipt the voter was given carries exactly the marks they chose.

Both databases: none of this is PostgreSQL's alone.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from celery import signals
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from congress.models import AuditEvent, CaseEvent, PublishedBallot, User
from livelihood_votes import services
from livelihood_votes.models import BallotForm, LivelihoodVote
from representatives.models import Representative
from tests.conftest import World
from tests.factories import UserFactory
from tests.livelihood_votes.conftest import candidates_of, make_vote, opened
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.django_db(transaction=True)

RECEIPT = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")
# A date no save could write: any save of the row sets now + SESSION_COOKIE_AGE.
PINNED_EXPIRY = datetime.datetime(2031, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b[^\"]*?\"?(\w+)\"?", re.I)


@pytest.fixture(autouse=True)
def session_refresh_always_due(settings: Any) -> None:
    """Every request would save its session (congress.middleware.SessionRefreshMiddleware)."""
    settings.SESSION_REFRESH_SECONDS = 0


@dataclass
class Seen:
    """What happened during one request."""

    writes: list[tuple[str, str]] = field(default_factory=list)  # (verb, table)
    logs: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(f"{record.name}: {record.getMessage()} {record.__dict__}")


@contextmanager
def watching() -> Iterator[Seen]:
    seen = Seen()

    def record_sql(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        match = WRITE.match(sql)
        if match:
            verb = match.group(1).upper()
            table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql, re.I)
            seen.writes.append((verb, table.group(1) if table else sql[:60]))
        return execute(sql, params, many, ctx)

    def published(sender: Any = None, **kwargs: Any) -> None:
        seen.tasks.append(str(sender))

    def ran(sender: Any = None, **kwargs: Any) -> None:
        seen.tasks.append(str(getattr(sender, "name", sender)))

    root = logging.getLogger()
    handler = _Collect(seen.logs)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    signals.before_task_publish.connect(published, weak=False)
    signals.task_prerun.connect(ran, weak=False)
    try:
        with connection.execute_wrapper(record_sql):
            yield seen
    finally:
        signals.before_task_publish.disconnect(published)
        signals.task_prerun.disconnect(ran)
        root.removeHandler(handler)
        root.setLevel(level)


@dataclass
class Voter:
    rep: Representative
    user: User
    client: Client  # signed in on the web: a session row exists
    session_key: str

    def session_row(self) -> tuple[datetime.datetime, str]:
        row = Session.objects.get(session_key=self.session_key)
        return row.expire_date, row.session_data

    def names(self) -> list[str]:
        return [self.user.username, self.user.display_name, self.rep.name]


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


def check_nothing_else(seen: Seen, voter: Voter, before: tuple[Any, str], receipt: str) -> None:
    # Two writes: the elector row's channel, and the sealed ballot. Nothing else.
    assert sorted(seen.writes) == [
        ("INSERT", "congress_sealedballot"),
        ("UPDATE", "congress_elector"),
    ], seen.writes
    assert voter.session_row() == before
    assert voter.session_row()[0] == PINNED_EXPIRY
    assert seen.tasks == []
    told = "\n".join(seen.logs)
    for name in [*voter.names(), receipt]:
        assert name not in told, told
    # No audit or timeline row (the login before it has one; the cast adds none).
    assert AuditEvent.objects.filter(actor=voter.user).count() == 1
    assert AuditEvent.objects.filter(actor=voter.user).get().action == "login"
    assert not CaseEvent.objects.filter(actor=voter.user).exists()


def close_and_read(vote: LivelihoodVote, by: User, receipt: str) -> dict[str, str]:
    services.vote_close(vote=LivelihoodVote.objects.get(pk=vote.pk), by=by)
    (ballot,) = PublishedBallot.objects.filter(box=vote.box_id, receipt=receipt)
    return dict(ballot.marks)


def test_a_cast_through_the_api_with_a_token_writes_only_the_ballot(
    world: World, voter: Voter, district_staff: User
) -> None:
    """Approve-oppose-abstain on each of 12 projects, sent with a token by a client that
    also holds the voter's web session cookie (an app's web view)."""
    vote = opened(
        make_vote(world.district, district_staff, ballot_form=BallotForm.PER_CANDIDATE),
        district_staff,
    )
    projects = candidates_of(vote)
    chosen = ["approve"] * 6 + ["oppose"] * 3 + ["abstain"] * 3
    choices = {str(c.pk): mark for c, mark in zip(projects, chosen, strict=True)}
    _row, token = AuthToken.objects.create(user=voter.user)
    api = voter.client  # the session cookie goes along
    before = voter.session_row()
    with watching() as seen:
        answer = api.post(
            f"/api/v1/livelihood-votes/{vote.pk}/ballot/",
            json.dumps({"choices": choices}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    assert answer.status_code == 201, answer.content
    receipt = answer.json()["receipt"]
    assert RECEIPT.fullmatch(receipt)
    assert answer["Cache-Control"] == "no-store"
    check_nothing_else(seen, voter, before, receipt)
    # The stored choices, read after the close from the published list by the receipt.
    expected = {
        str(projects[n].pk): mark
        for n, mark in enumerate(["approve"] * 6 + ["oppose"] * 3 + ["abstain"] * 3)
    }
    assert close_and_read(vote, district_staff, receipt) == expected


def test_a_cast_through_the_api_with_only_a_token_writes_only_the_ballot(
    world: World, voter: Voter, district_staff: User
) -> None:
    """The mobile app: a token, no cookie at all. Up to 10 of 12 projects, 3 ticked."""
    vote = opened(make_vote(world.district, district_staff), district_staff)
    picked = candidates_of(vote)[2:5]
    _row, token = AuthToken.objects.create(user=voter.user)
    before = voter.session_row()
    with watching() as seen:
        answer = Client(HTTP_AUTHORIZATION=f"Token {token}").post(
            f"/api/v1/livelihood-votes/{vote.pk}/ballot/",
            json.dumps({"selected": [c.pk for c in picked]}),
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.content
    receipt = answer.json()["receipt"]
    check_nothing_else(seen, voter, before, receipt)
    expected = {str(c.pk): "approve" for c in picked}
    assert close_and_read(vote, district_staff, receipt) == expected


def test_a_cast_through_the_ballot_page_writes_only_the_ballot(
    world: World, voter: Voter, district_staff: User
) -> None:
    """The page with the web session: review (核对), then the confirming POST, which is
    the casting request watched here."""
    vote = opened(make_vote(world.district, district_staff), district_staff)
    picked = [str(c.pk) for c in candidates_of(vote)[:7]]
    url = f"/livelihood-votes/{vote.pk}/ballot/"
    assert voter.client.post(url, {"selected": picked}).status_code == 200  # 核对
    Session.objects.filter(session_key=voter.session_key).update(expire_date=PINNED_EXPIRY)
    before = voter.session_row()
    with watching() as seen:
        answer = voter.client.post(url, {"selected": picked, "confirm": "1"})
    assert answer.status_code == 200
    found = RECEIPT.search(answer.content.decode())
    assert found is not None
    receipt = found.group(0)
    check_nothing_else(seen, voter, before, receipt)
    # The same session goes on (no new key, no row created); only the voter's own browser
    # holds the cookie that the middleware sends again.
    sent = answer.cookies.get(settings.SESSION_COOKIE_NAME)
    assert sent is None or sent.value == voter.session_key
    assert Session.objects.filter(session_key=voter.session_key).count() == 1
    # The voter's next page saves the session as usual (the inactivity expiry goes on).
    voter.client.get("/")
    assert voter.session_row()[0] != PINNED_EXPIRY
    assert timezone.now() < voter.session_row()[0]
    assert close_and_read(vote, district_staff, receipt) == dict.fromkeys(picked, "approve")
