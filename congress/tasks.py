"""Celery tasks of the core. Thin: take ids, call a service, safe to run twice.

All tasks run with acks_late and reject_on_worker_lost (settings), so a worker
killed mid-task leaves the message on the broker for another worker; the
services' claims make the second run a no-op when the first one finished.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from congress import loop, notifications

logger = logging.getLogger(__name__)


@shared_task(name="congress.tasks.deliver_notification")
def deliver_notification(delivery_id: int) -> bool:
    # Kept for messages published before the batch task came: they may still wait
    # on the broker when a new worker starts.
    return notifications.delivery_send(delivery_id=delivery_id)


@shared_task(name="congress.tasks.deliver_notifications")
def deliver_notifications(delivery_ids: list[int]) -> int:
    """A batch of outbox rows, one broker message. More than
    ``notifications.DELIVERY_BATCH`` (a sweep's batch: one publish from the sweep) are
    split here into messages of that size, so that the workers share them and each
    ends inside the soft time limit; the claims make a split sent twice harmless, and
    what a failed split leaves pending the periodic retry sends."""
    chunks = notifications.delivery_chunks(delivery_ids)
    if len(chunks) > 1:
        for chunk in chunks:
            deliver_notifications.delay(chunk)
        return 0
    return notifications.deliveries_send(delivery_ids=delivery_ids)


@shared_task(name="congress.tasks.deliver_pending_notifications")
def deliver_pending_notifications() -> int:
    """Every few minutes: send what no task picked up (broker was down) or what failed.

    Cost: one indexed query for at most 500 pending rows, then one claim each.
    """
    sent = 0
    for delivery_id in notifications.pending_delivery_ids(limit=500):
        sent += notifications.delivery_send(delivery_id=delivery_id)
    return sent


@shared_task(name="congress.tasks.sweep_due_reminders")
def sweep_due_reminders() -> int:
    """Every few minutes: turn due reminder stages into notifications.

    Cost: nothing due, one query on the partial index of next_reminder_at (untouched
    open assignments cost nothing); otherwise about a dozen statements, one commit
    and one broker publish per batch of 1,000 due assignments, at most 20,000 a run:
    10,000 took 20–40 s on a 2-core machine at load averages of 7–21
    (docs/benchmarks.md), inside the two-minute beat interval.
    """
    result = loop.reminders_sweep(limit=20_000)
    if result.reminders:
        logger.info("sweep sent %s reminder stages", len(result.reminders))
    return len(result.reminders)


@shared_task(name="congress.tasks.recalculate_deadlines")
def recalculate_deadlines() -> int:
    """After a change of the holiday overrides (sent on commit), and every ten minutes:
    count open deadlines again if the calendar changed, including a calendar package
    upgraded to know a new year.

    Cost when nothing changed: one primary-key read. Otherwise see
    ``loop.deadlines_recalculate``.
    """
    result = loop.deadlines_settle_calendar()
    if result is None:
        return 0
    logger.info(
        "calendar changed: %s open deadlines examined, %s moved",
        result.examined,
        len(result.changed),
    )
    return len(result.changed)


@shared_task(name="congress.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Hourly: each user with digest mode gets one message a day, after 8 o'clock."""
    now = timezone.localtime()
    if now.hour < 8:
        return 0
    sent = 0
    for preference in notifications.digest_candidates()[:2000]:
        sent += notifications.digest_send(
            user_id=preference.user_id, channel=preference.channel, today=now.date()
        )
    return sent


@shared_task(name="congress.tasks.anonymise_expired_personal_data")
def anonymise_expired_personal_data() -> int:
    """Daily: scrub personal data on cases closed longer ago than the retention period.

    Cost: per registered anonymiser, one indexed query for expired rows and one
    UPDATE per batch of 500, at most 10,000 rows a day; safe to run twice.
    """
    from congress.retention import personal_data_anonymise_expired

    return personal_data_anonymise_expired(limit=10_000).total


@shared_task(name="congress.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Daily: delete expired logins, as ``manage.py clearsessions`` does.

    Cost: one DELETE on django_session's indexed expire_date.
    """
    call_command("clearsessions")
