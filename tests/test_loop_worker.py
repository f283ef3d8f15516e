"""The closed loop on the real stack: PostgreSQL, Redis, a Celery worker process.

Story: a case handed to 海州区交通运输局 is overdue; the worker's sweep reminds
clerk 赵磊 and escalates to his supervisor 郑主任, once, however often it runs;
and if Redis was down when the case was handed over, nothing is lost.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from congress import loop, notifications
from congress.models import Assignment, Delivery, DeliveryStatus, Reminder, Role, User
from congress.tasks import sweep_due_reminders
from congress.workdays import add_workdays
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE
from tests.worker_support import (
    PrivateRedis,
    WorkerProcess,
    use_broker,
    wait_for,
)

pytestmark = pytest.mark.worker
RECEIVED = re.compile(r"deliver_notifications\[[-0-9a-f]+\] received")


def _overdue_case(world: World, by: User, workdays_overdue: int) -> Assignment:
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=11,
        title="供水管网漏水",
        region=world.village,
        by=by,
        department=world.department,
    )
    # Make it as if it had been handed over weeks ago.
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=add_workdays(timezone.localdate(), -workdays_overdue),
        next_reminder_at=timezone.now() - datetime.timedelta(minutes=1),
        reminded_until=None,  # every stage since it was handed over is still to do
    )
    return assignment


@pytest.fixture
def people(world: World) -> dict[str, User]:
    clerk = grant(
        UserFactory(username="zhaolei", email="zhaolei@jt.example.cn"),
        Role.HANDLER,
        department=world.department,
    )
    supervisor = grant(
        UserFactory(username="zheng", email="zheng@zf.example.cn"),
        Role.HANDLER,
        department=world.department.parent,
    )
    staff = grant(UserFactory(username="chenjing"), Role.STAFF, region=world.district)
    return {"clerk": clerk, "supervisor": supervisor, "staff": staff}


def test_worker_sweep_reminds_and_escalates_once(
    world: World, people: dict[str, User], celery_worker_process: WorkerProcess
) -> None:
    assignment = _overdue_case(world, people["staff"], workdays_overdue=4)
    for _ in range(3):  # a duplicated or retried periodic task
        sweep_due_reminders.delay()
    loop.reminders_sweep()  # and one more at the same time, from another process
    wait_for(lambda: Reminder.objects.filter(assignment=assignment).count() >= 2)
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), timeout=30
    )
    stages = sorted(
        s.split("@")[0]
        for s in Reminder.objects.filter(assignment=assignment).values_list("stage", flat=True)
    )
    assert stages == ["escalate:1", "overdue"]
    assert people["supervisor"].notifications.filter(kind="assignment.escalation").count() == 1
    assert people["clerk"].notifications.filter(kind="assignment.reminder").count() == 1
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT, channel="email")
    assert sent.count() == 3  # new-assignment mail, reminder, escalation
    mails = list(Path(celery_worker_process.log_path.parent / "mail").glob("*.log"))
    written = "".join(path.read_text() for path in mails)
    assert "To: zheng@zf.example.cn" in written  # the supervisor got the escalation by mail
    assert "承办：海州区交通运输局" in written


def test_a_morning_of_overdue_cases_goes_out_in_one_broker_message(
    world: World, people: dict[str, User], celery_worker_process: WorkerProcess
) -> None:
    """Thirty cases overdue at once: 赵磊 gets thirty reminders and 郑主任 thirty
    escalations, by mail, once each, from one broker message (60 outbox rows)."""
    cases = [_overdue_case(world, people["staff"], workdays_overdue=4) for _ in range(30)]
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), timeout=60
    )  # the thirty new-assignment mails
    received_before = len(RECEIVED.findall(celery_worker_process.log()))
    result = loop.reminders_sweep()
    assert len(result.reminders) == 60
    wait_for(
        lambda: not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists(), timeout=60
    )
    assert len(RECEIVED.findall(celery_worker_process.log())) - received_before == 1
    escalations = Delivery.objects.filter(notification__kind="assignment.escalation")
    assert escalations.filter(status=DeliveryStatus.SENT).count() == 30
    mails = Path(celery_worker_process.log_path.parent / "mail").glob("*.log")
    written = "".join(path.read_text() for path in mails)
    assert written.count("To: zheng@zf.example.cn") == 30
    assert written.count("To: zhaolei@jt.example.cn") == 30 + 30  # new case, reminder
    # The batch delivered again (a redelivered message): nothing is sent twice.
    ids = list(escalations.values_list("pk", flat=True))
    assert notifications.deliveries_send(delivery_ids=ids) == 0
    assert all(case.reminders.count() == 2 for case in cases)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_while_the_broker_is_down(
    world: World,
    people: dict[str, User],
    private_redis: PrivateRedis,
    tmp_path: Path,
    celery_worker_process: WorkerProcess,
) -> None:
    celery_worker_process.stop()  # this test runs its own worker on its own Redis
    use_broker(private_redis.url)
    try:
        private_redis.stop()
        assignment = loop.assignment_create(
            case_type=TEST_CASE,
            case_id=12,
            title="小区路面塌陷",
            region=world.village,
            by=people["staff"],
            department=world.department,
        )
        delivery = Delivery.objects.get(notification__recipient=people["clerk"])
        assert delivery.status == DeliveryStatus.PENDING  # saved, waiting for the broker
        assert Assignment.objects.filter(pk=assignment.pk).exists()
        # Weeks pass with the broker still down: the sweep writes its reminders anyway.
        overdue = _overdue_case(world, people["staff"], workdays_overdue=4)
        assert len(loop.reminders_sweep().reminders) == 2
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 4
        private_redis.start()
        worker = WorkerProcess(
            celery_worker_process.queue,
            tmp_path,
            broker_url=private_redis.url,
            extra_env={
                "LOOP_SWEEP_SECONDS": "10",
                "NOTIFICATION_RETRY_SECONDS": "10",
                "NOTIFICATION_RETRY_AFTER_SECONDS": "0",
            },
        )
        worker.start(beat=True)
        try:
            wait_for(
                lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
                timeout=60,
            )
            assert people["supervisor"].notifications.get(case_id=overdue.case_id)
            assert Reminder.objects.filter(assignment=overdue).count() == 2
        finally:
            worker.stop()
    finally:
        from django.conf import settings

        use_broker(settings.CELERY_BROKER_URL)
