"""Text messages to citizens: queued once per key in the same transaction, sent by a
task after commit, retried as every outbox is (congress/outbox.py).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from congress import outbox
from congress.queue import enqueue_on_commit
from suggestions.models.citizen import Appointment, CitizenIssue, CitizenMessage, MessageStatus

logger = logging.getLogger(__name__)


def _text_citizen(
    *,
    key: str,
    text: str,
    issue: CitizenIssue | None = None,
    appointment: Appointment | None = None,
    required: bool = False,
) -> CitizenMessage | None:
    """Queue one SMS, once per ``key``; it is sent by a task after commit.

    About an issue, only to a citizen who asked for text messages (``wants_sms``),
    unless the message is ``required`` (the confirmation code). Appointments
    always: the citizen left the number so that the meeting could be arranged.
    """
    target = issue or appointment
    if target is None or not target.mobile:
        return None
    if issue is not None and not (issue.wants_sms or required):
        return None
    message, created = CitizenMessage.objects.get_or_create(
        dedupe_key=key[:80],
        defaults={"issue": issue, "appointment": appointment, "text": text[:300]},
    )
    if created:
        from suggestions.tasks import send_citizen_message

        enqueue_on_commit(send_citizen_message, message.pk)
    return message


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def citizen_message_send(*, message_id: int) -> bool:
    """Send one queued SMS once (claimed, so two workers never both send it), retried
    as every outbox is (congress/outbox.py)."""
    from congress.sms import get_sms_backend

    now = timezone.now()
    claimed = CitizenMessage.objects.filter(
        outbox.unclaimed(now), pk=message_id, status=MessageStatus.PENDING
    ).update(claimed_until=outbox.claim_until(now), attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = CitizenMessage.objects.select_related("issue", "appointment").get(pk=message_id)
    target = message.issue or message.appointment
    mobile = target.mobile if target is not None else ""
    if not mobile:  # anonymised meanwhile: nothing to send to
        CitizenMessage.objects.filter(pk=message_id).update(status=MessageStatus.SKIPPED)
        return False
    try:
        get_sms_backend().send(mobile=mobile, text=message.text, reference=f"citizen-{message_id}")
    except outbox.SEND_ERRORS as exc:
        failed = outbox.gives_up(message.attempts)
        CitizenMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED if failed else MessageStatus.PENDING,
            claimed_until=timezone.now() + outbox.retry_after(message.attempts),
            last_error=str(exc)[:300],
        )
        logger.warning("citizen message %s failed (attempt %s)", message_id, message.attempts)
        return False
    CitizenMessage.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def pending_citizen_message_ids(limit: int = 200) -> list[int]:
    """Messages no task picked up (broker down) or due a retry."""
    now = timezone.now()
    return list(
        CitizenMessage.objects.filter(
            outbox.unclaimed(now),
            status=MessageStatus.PENDING,
            created_at__lt=outbox.sweep_cutoff(now),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
