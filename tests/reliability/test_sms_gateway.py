"""The SMS gateway contract: at least once, with a key to drop the duplicate.

Story: the transport bureau's clerk is told of a new case by SMS, and a citizen gets
the receipt of their problem. A worker killed after the gateway accepted a message,
before the outbox row was marked sent, sends it again (docs/reliability.md); the
gateway drops the second copy because both carry the outbox row's stable key, in the
``Idempotency-Key`` header and as ``client_msg_id``. The gateway here is a real HTTP
server on 127.0.0.1 that deduplicates as the production one must.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from congress.models import Delivery, DeliveryStatus, Role
from congress.notifications import delivery_send, notify
from congress.sms import HttpGatewaySmsBackend
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import CitizenMessage, IssueCategory
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.reliability.conftest import FakeGateway


@pytest.fixture
def gateway_settings(settings: Any, sms_gateway: FakeGateway) -> FakeGateway:
    settings.SMS_BACKEND = "congress.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = sms_gateway.url
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    return sms_gateway


def test_a_clerks_sms_carries_the_outbox_rows_key(
    world: World, gateway_settings: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = grant(
        UserFactory(username="zhaolei", mobile="13700001111", email=""),
        Role.HANDLER,
        department=world.department,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[clerk], kind="test", title="您有新的交办件")
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == DeliveryStatus.SENT
    key = f"delivery-{delivery.pk}"
    assert gateway_settings.requests == [key]  # the Idempotency-Key header
    [body] = gateway_settings.bodies
    assert (body["client_msg_id"], body["reference"], body["mobile"]) == (key, key, "13700001111")
    assert gateway_settings.authorizations == ["Bearer gateway-token"]


def test_a_resend_after_a_lost_answer_reaches_the_phone_once(
    world: World, gateway_settings: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    """The worker died before it could mark the row sent: the retry sends the same key."""
    citizen_services.categories_ensure_defaults()
    with django_capture_on_commit_callbacks(execute=True):
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
    message = CitizenMessage.objects.get(issue=issue)
    key = f"citizen-{message.pk}"
    assert gateway_settings.requests == [key]
    # As if the first answer had been lost: the same message goes out again.
    HttpGatewaySmsBackend().send(mobile="13912345678", text=message.text, reference=key)
    assert gateway_settings.requests == [key, key]
    assert gateway_settings.delivered == [key]  # the gateway dropped the duplicate
    assert [body["client_msg_id"] for body in gateway_settings.bodies] == [key, key]


def test_a_retry_of_the_same_row_sends_the_same_key(
    world: World, gateway_settings: FakeGateway, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = grant(
        UserFactory(username="zhaolei", mobile="13700001111", email=""),
        Role.HANDLER,
        department=world.department,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[clerk], kind="test", title="您有新的交办件")
    delivery = Delivery.objects.get(channel="sms")
    # The row went back to pending (its worker was killed before marking it sent).
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, claimed_until=None
    )
    delivery_send(delivery_id=delivery.pk)
    assert gateway_settings.requests == [f"delivery-{delivery.pk}"] * 2
    assert gateway_settings.delivered == [f"delivery-{delivery.pk}"]
