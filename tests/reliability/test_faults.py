"""Faults on the real stack (PostgreSQL, Redis, Celery worker processes).

Story: citizens keep reporting problems to 海州区 while Redis is down, while a
worker is killed in the middle of sending an SMS, and while two beat schedulers
run by mistake. Nothing is lost, nothing is sent twice.

Redis is stopped as a *private* redis-server of the test (``private_redis``),
not the shared one: the rest of the suite runs in parallel on the shared one.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.test import Client
from django.utils import timezone

from congress import loop
from congress.models import (
    Assignment,
    CaseEvent,
    Delivery,
    DeliveryStatus,
    Notification,
    Reminder,
    Role,
    User,
)
from congress.notifications import notify
from congress.tasks import deliver_pending_notifications, sweep_due_reminders
from congress.workdays import add_workdays
from representatives.models import Representative, Station, StationKind, StationMember
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import CitizenIssue, CitizenMessage, IssueCategory, MessageStatus
from suggestions.tasks import citizen_sweep
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE
from tests.reliability.conftest import FakeGateway
from tests.worker_support import PrivateRedis, WorkerProcess, use_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def submit(world: World, by: User, n: int) -> Assignment:
    """A citizen's problem handed to the transport bureau (the citizen app's intake
    builds on this same engine call)."""
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=1000 + n,
        title=f"群众反映第{n}号问题",
        region=world.village,
        by=by,
        department=world.department,
    )


@pytest.fixture
def bureau(world: World) -> dict[str, User]:
    clerk = grant(
        UserFactory(username="zhaolei", email="zhaolei@jt.example.cn", mobile="13700001111"),
        Role.HANDLER,
        department=world.department,
    )
    staff = grant(UserFactory(username="chenjing"), Role.STAFF, region=world.district)
    return {"clerk": clerk, "staff": staff}


def switch_broker(url: str) -> None:
    """Point this process at another broker, dropping every pooled connection.

    kombu keeps producer pools in a process-wide registry keyed by connection;
    without a reset the next publish finds the old, closed pool instead of
    trying (and failing, or succeeding) to reach the broker.
    """
    use_broker(url)
    kombu.pools.reset()


def _as_if_minutes_passed(minutes: int) -> None:
    # The retry sweep takes only deliveries older than a grace period whose claim
    # has run out; moving the clock of the rows is quicker than waiting for it.
    past = timezone.now() - datetime.timedelta(minutes=minutes)
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(
        created_at=past, claimed_until=past
    )


def test_submissions_while_redis_is_down_are_saved_and_delivered_after(
    world: World,
    bureau: dict[str, User],
    private_redis: PrivateRedis,
    celery_worker_process: WorkerProcess,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    celery_worker_process.stop()  # this test's worker uses its own Redis
    from django.conf import settings

    switch_broker(private_redis.url)
    try:
        private_redis.stop()
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="congress.queue"):
            cases = [submit(world, bureau["staff"], n) for n in range(10)]
        elapsed = time.monotonic() - started
        assert elapsed < 30, f"submitting with the broker down took {elapsed:.1f}s"
        refusals = [
            r.getMessage() for r in caplog.records if "broker unavailable" in r.getMessage()
        ]
        # One publish per problem (its e-mail and SMS go in one message), each refused.
        assert len(refusals) == 10 and "closed pool" not in refusals[0]  # really unreachable
        assert Assignment.objects.filter(pk__in=[c.pk for c in cases]).count() == 10
        pending = Delivery.objects.filter(status=DeliveryStatus.PENDING)
        assert pending.count() == 20  # an e-mail and an SMS to the clerk for each
        private_redis.start()
        switch_broker(private_redis.url)  # fresh pools, as in a web process that has restarted
        _as_if_minutes_passed(1)
        worker = WorkerProcess(
            celery_worker_process.queue,
            tmp_path,
            broker_url=private_redis.url,
            extra_env={"SMS_BACKEND": "console"},
        )
        worker.start()
        try:
            deliver_pending_notifications.delay()
            wait_for(lambda: not pending.exists(), timeout=60)
        finally:
            worker.stop()
    finally:
        switch_broker(settings.CELERY_BROKER_URL)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 20
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_citizens_problem_sent_while_redis_is_down_is_saved_and_its_sms_sent_after(
    world: World,
    bureau: dict[str, User],
    private_redis: PrivateRedis,
    celery_worker_process: WorkerProcess,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The public form itself (the QR code's page), not only the engine: the citizen gets
    the tracking page, her problem (its own outbox for the 受理 step and the staff's
    notice) and her SMS receipt wait in the database, nothing of her number reaches the
    log, and once a worker is back the citizens' sweep makes the step, notifies the
    staff and sends the SMS."""
    celery_worker_process.stop()
    from django.conf import settings

    citizen_services.categories_ensure_defaults()
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    representative = Representative.objects.create(
        name="李芳", gender="female", region=world.village
    )
    StationMember.objects.create(station=station, representative=representative, role="head")
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "station": station.public_token,
        "category": str(IssueCategory.objects.get(code="roads").pk),
        "description": "小区门口路灯坏了一个多月，晚上很黑",
        "citizen_name": "张建国",
        "mobile": "13812345678",
        "wants_sms": "on",
        "consent": "on",
    }
    switch_broker(private_redis.url)
    try:
        private_redis.stop()
        with caplog.at_level(logging.WARNING):
            response = Client().post("/q/new/", form, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302 and "/q/t/" in response["Location"]
        issue = CitizenIssue.objects.get()
        # Its 受理 step and the staff's notice come after commit, from a task that could
        # not be sent: the problem waits, still 待受理, for the sweep.
        assert issue.status == "submitted" and issue.next_due_on is None
        assert not Notification.objects.filter(case_id=issue.pk).exists()
        message = CitizenMessage.objects.get(issue=issue)
        assert message.status == MessageStatus.PENDING
        refusals = [
            r.getMessage() for r in caplog.records if "broker unavailable" in r.getMessage()
        ]
        assert refusals and "closed pool" not in refusals[0]  # really unreachable
        assert "13812345678" not in caplog.text and "张建国" not in caplog.text

        private_redis.start()
        switch_broker(private_redis.url)
        # Older than the grace period in which its own task was expected.
        CitizenMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        CitizenIssue.objects.filter(pk=issue.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        worker = WorkerProcess(
            celery_worker_process.queue,
            tmp_path,
            broker_url=private_redis.url,
            extra_env={"SMS_BACKEND": "console"},
        )
        worker.start()
        try:
            citizen_sweep.delay()
            wait_for(
                lambda: CitizenMessage.objects.get(pk=message.pk).status == MessageStatus.SENT,
                timeout=60,
            )
            wait_for(
                lambda: Notification.objects.filter(
                    recipient=bureau["staff"], case_id=issue.pk
                ).exists(),
                timeout=60,
            )
        finally:
            worker.stop()
    finally:
        switch_broker(settings.CELERY_BROKER_URL)
    assert CitizenMessage.objects.get(pk=message.pk).attempts == 1


def test_a_worker_killed_mid_delivery_sends_once_after_restart(
    world: World,
    bureau: dict[str, User],
    sms_gateway: FakeGateway,
    celery_worker_process: WorkerProcess,
    tmp_path: Path,
) -> None:
    celery_worker_process.stop()
    sms_gateway.stall_first = 30  # the first request hangs until the worker is gone
    env = {"SMS_BACKEND": "http", "SMS_GATEWAY_URL": sms_gateway.url, "SMS_GATEWAY_TOKEN": "t"}
    citizen_contact = UserFactory(username="reporter", mobile="13912345678", email="")
    first = WorkerProcess(celery_worker_process.queue, tmp_path / "a", extra_env=env)
    (tmp_path / "a").mkdir()
    first.start()
    try:
        notify(recipients=[citizen_contact], kind="test", title="您反映的问题已受理")
        wait_for(lambda: len(sms_gateway.requests) == 1, timeout=30)
    finally:
        first.kill()  # SIGKILL while the gateway call is in flight
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == DeliveryStatus.PENDING  # not lost, not marked sent
    _as_if_minutes_passed(10)  # the claim of the dead worker has run out
    second = WorkerProcess(celery_worker_process.queue, tmp_path / "b", extra_env=env)
    (tmp_path / "b").mkdir()
    second.start()
    try:
        deliver_pending_notifications.delay()
        deliver_pending_notifications.delay()  # a duplicated periodic run changes nothing
        wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT, 60)
    finally:
        second.stop()
    assert sms_gateway.delivered == [f"delivery-{delivery.pk}"]  # the phone got it once
    assert all(key == f"delivery-{delivery.pk}" for key in sms_gateway.requests)
    assert Notification.objects.filter(recipient=citizen_contact).count() == 1


def test_two_schedulers_by_mistake_still_send_one_reminder_per_stage(
    world: World,
    bureau: dict[str, User],
    celery_worker_process: WorkerProcess,
    tmp_path: Path,
) -> None:
    cases = [submit(world, bureau["staff"], n) for n in range(5)]
    Assignment.objects.filter(pk__in=[c.pk for c in cases]).update(
        due_on=add_workdays(timezone.localdate(), -4),
        next_reminder_at=timezone.now() - datetime.timedelta(minutes=1),
        # Last reminded long ago (whatever weekday the test runs on, stages are due):
        # after such a gap the sweep sends every escalation and the latest reminder.
        reminded_until=timezone.now() - datetime.timedelta(days=10),
    )
    other = WorkerProcess(celery_worker_process.queue, tmp_path / "other")
    (tmp_path / "other").mkdir()
    other.start()  # two workers on one queue, each fed by its "own" scheduler
    try:
        for _ in range(6):
            sweep_due_reminders.delay()
        loop.reminders_sweep()  # and one in this process at the same moment
        wait_for(lambda: Reminder.objects.count() >= 10, timeout=60)
        time.sleep(2)  # let any late duplicate finish before counting
    finally:
        other.stop()
    for case in cases:
        stages = [s.split("@")[0] for s in case.reminders.values_list("stage", flat=True)]
        assert sorted(stages) == ["escalate:1", "overdue"], (case.pk, stages)
    reminders = Notification.objects.filter(kind="assignment.reminder", recipient=bureau["clerk"])
    assert reminders.count() == 5
    # Every notification belongs to exactly one stage row: nothing was sent twice.
    sent = Notification.objects.filter(kind__in=["assignment.reminder", "assignment.escalation"])
    assert sent.count() == sum(Reminder.objects.values_list("recipients", flat=True))
    assert CaseEvent.objects.filter(action__in=["reminder", "escalation"]).count() == 10
