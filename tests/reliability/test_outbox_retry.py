"""Both outboxes ride out a gateway outage the same way.

Story: the SMS gateway is down (nothing listens on its port). The transport bureau's
clerk 赵磊 is told of a new case by SMS, and a citizen asked for an SMS receipt of
the problem she reported. The two messages live in different tables (a clerk's
``Delivery``, a citizen's ``CitizenMessage``), but they are retried by one policy:
after each failed attempt the row waits 2, 4, 8, then 16 minutes, and the fifth
failure gives up and marks it failed. The retry sweep picks a row up only once its
wait has run out, and leaves a row alone while its own task may still be on the way.
"""

from __future__ import annotations

import datetime
import socket
import uuid
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from congress.models import Delivery, DeliveryStatus, Role
from congress.notifications import delivery_send, notify, pending_delivery_ids
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import CitizenMessage, IssueCategory, MessageStatus
from tests.conftest import World
from tests.factories import UserFactory, grant

# The policy as it is promised (docs/reliability.md): minutes to wait after failure n.
WAITS_AFTER_FAILURE = {1: 2, 2: 4, 3: 8, 4: 16}
ATTEMPTS_BEFORE_GIVING_UP = 5


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.fixture
def gateway_down(settings: Any) -> None:
    settings.SMS_BACKEND = "congress.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{_closed_port()}/sms"
    settings.SMS_GATEWAY_TOKEN = "gateway-token"


def _clerks_sms(world: World) -> Delivery:
    clerk = grant(
        UserFactory(username="zhaolei", mobile="13700001111", email=""),
        Role.HANDLER,
        department=world.department,
    )
    notify(recipients=[clerk], kind="test", title="您有新的交办件")
    return Delivery.objects.get(channel="sms")


def _citizens_sms(world: World) -> CitizenMessage:
    citizen_services.categories_ensure_defaults()
    issue, _created = citizen_services.citizen_issue_submit(
        submission=citizen_services.Submission(
            category=IssueCategory.objects.first(),  # type: ignore[arg-type]
            description="小区门口路灯坏了一个多月",
            region=world.village,
            mobile="13912345678",
            wants_sms=True,
            consent=True,
        ),
        idempotency_key=uuid.uuid4(),
    )
    return CitizenMessage.objects.get(issue=issue)


def _wait_runs_out(row: Model) -> None:
    """As if the row's wait had passed (the clock is not moved; the claim is)."""
    type(row)._default_manager.filter(pk=row.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )


def _history(row: Delivery | CitizenMessage, send: Any) -> list[tuple[int, str, int]]:
    """Each failed attempt as (attempts counted, status after it, minutes it must wait)."""
    history = []
    for _ in range(ATTEMPTS_BEFORE_GIVING_UP):
        started = timezone.now()
        assert send(row.pk) is False
        row.refresh_from_db()
        assert row.last_error.startswith("gateway unreachable")
        assert row.claimed_until is not None
        waited = (row.claimed_until - started).total_seconds() / 60
        history.append((row.attempts, str(row.status), round(waited)))
        # Tried again before the wait is over: nothing is sent, nothing is counted.
        assert send(row.pk) is False
        assert type(row)._default_manager.get(pk=row.pk).attempts == row.attempts
        _wait_runs_out(row)
    return history


def test_a_clerks_and_a_citizens_sms_are_retried_alike_and_given_up_alike(
    world: World, gateway_down: None
) -> None:
    delivery = _clerks_sms(world)
    message = _citizens_sms(world)

    clerks = _history(delivery, lambda pk: delivery_send(delivery_id=pk))
    citizens = _history(message, lambda pk: citizen_services.citizen_message_send(message_id=pk))

    expected = [(n, "pending", WAITS_AFTER_FAILURE[n]) for n in (1, 2, 3, 4)]
    assert clerks[:4] == expected
    assert citizens[:4] == expected
    assert clerks[4][:2] == (5, DeliveryStatus.FAILED)
    assert citizens[4][:2] == (5, MessageStatus.FAILED)
    # Given up: the sweep no longer offers either, and a late call sends nothing.
    assert delivery.pk not in pending_delivery_ids()
    assert message.pk not in citizen_services.pending_citizen_message_ids()
    assert delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.attempts == 5


def test_the_sweep_takes_a_row_once_its_task_had_its_chance_and_its_wait_ran_out(
    world: World, gateway_down: None, settings: Any
) -> None:
    delivery = _clerks_sms(world)
    message = _citizens_sms(world)

    # Just written: their own tasks are on the way, the sweep leaves them alone.
    settings.NOTIFICATION_RETRY_AFTER_SECONDS = 3600
    assert delivery.pk not in pending_delivery_ids()
    assert message.pk not in citizen_services.pending_citizen_message_ids()

    settings.NOTIFICATION_RETRY_AFTER_SECONDS = 0
    assert delivery.pk in pending_delivery_ids()
    assert message.pk in citizen_services.pending_citizen_message_ids()

    # One failed attempt each: both wait, and the sweep skips them meanwhile.
    assert delivery_send(delivery_id=delivery.pk) is False
    assert citizen_services.citizen_message_send(message_id=message.pk) is False
    assert delivery.pk not in pending_delivery_ids()
    assert message.pk not in citizen_services.pending_citizen_message_ids()

    _wait_runs_out(delivery)
    _wait_runs_out(message)
    assert delivery.pk in pending_delivery_ids()
    assert message.pk in citizen_services.pending_citizen_message_ids()
