"""Notifications: an inbox row for every message, and an outbox row per channel.

How a copy goes out (at once, in the daily digest, not at all) is the user's own
choice in 通知设置; without one, the rule of the recipient's side (a feature app
registers it with ``register_default_modes``: representatives get SMS by their
congress's rule, docs/representatives-accounts.md), else at once.

``notify`` and ``notify_many`` only write rows; delivery by e-mail and SMS happens
in Celery after commit (``congress.tasks.deliver_notifications``, a batch of outbox
rows by id), and a periodic task retries what is still pending, so nothing
depends on the broker being up right now.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.bulk import db_value, insert_rows
from congress.models import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    User,
)
from congress.models.notifications import NotificationAttachment
from congress.outbox import (
    SEND_ERRORS,
    claim_until,
    gives_up,
    retry_after,
    sweep_cutoff,
    unclaimed,
)
from congress.queue import enqueue_on_commit
from congress.sms import get_sms_backend

logger = logging.getLogger(__name__)

# Pending deliveries one task sends. A task must end inside Celery's soft time limit
# (240 s) even with a gateway that takes a second per SMS. A sweep's batch (1,000
# reminders to two clerks each, e-mail and SMS: 3,300 rows) is still one publish: the
# worker that takes it splits it into messages of this size (``deliver_notifications``).
DELIVERY_BATCH = 200


# (user ids) -> {(user id, channel): mode} for the users the provider has a rule for.
DefaultModes = Callable[[set[int]], dict[tuple[int, str], str]]
_default_modes: list[DefaultModes] = []


def register_default_modes(provider: DefaultModes) -> None:
    """A feature app's rule for how its people's copies go out when they chose nothing.
    A provider answers for a batch of recipients at a time, in a fixed number of
    queries whatever the batch's size (the representatives' provider reads its rule
    per congress once per batch, docs/rules.md)."""
    if provider not in _default_modes:
        _default_modes.append(provider)


def default_modes(user_ids: set[int]) -> dict[tuple[int, str], str]:
    found: dict[tuple[int, str], str] = {}
    for provider in _default_modes:
        found.update(provider(user_ids))
    return found


def _mode(
    user: User,
    channel: str,
    preferences: dict[tuple[int, str], str],
    defaults: dict[tuple[int, str], str],
) -> str:
    mode = preferences.get((user.pk, channel))
    if mode is not None:
        return mode
    return defaults.get((user.pk, channel), DeliveryMode.IMMEDIATE)


def _address(user: User, channel: str) -> str:
    return user.email if channel == Channel.EMAIL else user.mobile


@dataclass(frozen=True)
class Attachment:
    """A stored file (its storage name, written by the sender) that the e-mail copies
    of a message carry, under ``filename``; SMS copies carry nothing."""

    path: str
    filename: str
    content_type: str


@dataclass(frozen=True)
class Message:
    """One message to several people: an inbox row each, and their e-mail/SMS copies."""

    recipients: Sequence[User]
    kind: str
    title: str
    body: str = ""
    url: str = ""
    case_type: str = ""
    case_id: int | None = None
    attachments: tuple[Attachment, ...] = ()


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case_type: str = "",
    case_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> list[int]:
    """Write an inbox message for each recipient and queue its e-mail/SMS copies
    (the e-mail ones carrying ``attachments``); returns the inbox rows' ids."""
    message = Message(
        list(recipients), kind, title, body, url, case_type, case_id, tuple(attachments)
    )
    return notify_many([message])


def notify_many(messages: Sequence[Message]) -> list[int]:
    """The bulk path of ``notify``: many messages (a sweep's batch of reminders) in a
    fixed number of statements, whatever their number: one read of the recipients'
    preferences, one INSERT of inbox rows, one of outbox rows (and one of
    attachments, if any message has some), and one broker publish of all the
    pending deliveries, after commit. Returns the inbox rows' ids."""
    rows = [
        (user, message)
        for message in messages
        for user in {user.pk: user for user in message.recipients if user.is_active}.values()
    ]
    if not rows:
        return []
    user_ids = {user.pk for user, _message in rows}
    preferences = {
        (user_id, channel): mode
        for user_id, channel, mode in NotificationPreference.objects.filter(
            user_id__in=user_ids
        ).values_list("user_id", "channel", "mode")
    }
    defaults = default_modes(user_ids)
    now = db_value(Notification, "created_at", timezone.now())
    with transaction.atomic(savepoint=False):  # a sweep's batch is one transaction
        ids = [
            pk
            for (pk,) in insert_rows(
                Notification,
                ("recipient", "kind", "title", "body", "url", "case_type", "case_id", "created_at"),
                [
                    (
                        user.pk,
                        message.kind,
                        message.title[:200],
                        message.body,
                        message.url,
                        message.case_type,
                        message.case_id,
                        now,
                    )
                    for user, message in rows
                ],
                returning=("id",),
            )
        ]
        attached = [
            NotificationAttachment(
                notification_id=notification_id,
                file=attachment.path,
                filename=attachment.filename,
                content_type=attachment.content_type,
            )
            for notification_id, (_user, message) in zip(ids, rows, strict=True)
            for attachment in message.attachments
        ]
        if attached:
            NotificationAttachment.objects.bulk_create(attached)
        channels = Channel.values  # built anew on each access: read once, not per row
        deliveries = [
            (notification_id, channel, _status(mode), 0, "", now)
            for notification_id, (user, _message) in zip(ids, rows, strict=True)
            for channel in channels
            if (mode := _mode(user, channel, preferences, defaults)) != DeliveryMode.OFF
            and _address(user, channel)
        ]
        created = insert_rows(
            Delivery,
            ("notification", "channel", "status", "attempts", "last_error", "created_at"),
            deliveries,
            returning=("id", "status"),
        )
        pending = [pk for pk, status in created if status == DeliveryStatus.PENDING]
        if pending:
            from congress.tasks import deliver_notifications

            enqueue_on_commit(deliver_notifications, pending)
    return ids


def _status(mode: str) -> str:
    return DeliveryStatus.DIGEST if mode == DeliveryMode.DIGEST else DeliveryStatus.PENDING


def delivery_chunks(delivery_ids: Sequence[int]) -> list[list[int]]:
    """``delivery_ids`` in lists of at most ``DELIVERY_BATCH``: one task's worth each."""
    return [
        list(delivery_ids[start : start + DELIVERY_BATCH])
        for start in range(0, len(delivery_ids), DELIVERY_BATCH)
    ]


def deliveries_send(*, delivery_ids: Iterable[int]) -> int:
    """Send a batch of deliveries (one broker message), each claimed on its own as
    ``delivery_send`` does: a retried batch sends only what is still pending."""
    return sum(delivery_send(delivery_id=delivery_id) for delivery_id in delivery_ids)


def _claim(delivery_id: int) -> Delivery | None:
    """Take a pending delivery for this worker, or None if it is sent or someone has it."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        unclaimed(now), pk=delivery_id, status=DeliveryStatus.PENDING
    ).update(claimed_until=claim_until(now), attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)


def _full_url(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _send(
    channel: str,
    user: User,
    subject: str,
    text: str,
    reference: str,
    attachments: Sequence[NotificationAttachment] = (),
) -> None:
    if channel == Channel.EMAIL:
        mail = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        for attachment in attachments:
            # A stored file gone missing raises OSError: the delivery is retried, then failed.
            with attachment.file.open("rb") as handle:
                mail.attach(attachment.filename, handle.read(), attachment.content_type)
        mail.send()
    else:
        get_sms_backend().send(
            mobile=user.mobile, text=f"{subject} {text}"[:300], reference=reference
        )


def delivery_send(*, delivery_id: int) -> bool:
    """Send one delivery once. Safe to call twice: the claim lets only one caller send."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return False
    notification = delivery.notification
    text = "\n".join(part for part in [notification.body, _full_url(notification.url)] if part)
    try:
        _send(
            delivery.channel,
            notification.recipient,
            notification.title,
            text,
            f"delivery-{delivery.pk}",
            _attachments(notification) if delivery.channel == Channel.EMAIL else (),
        )
    except SEND_ERRORS as exc:
        # Back off (congress/outbox.py): the retry sweep takes it again once the claim runs out.
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if gives_up(delivery.attempts) else DeliveryStatus.PENDING,
            claimed_until=timezone.now() + retry_after(delivery.attempts),
            last_error=str(exc)[:300],
        )
        logger.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def _attachments(notification: Notification) -> list[NotificationAttachment]:
    """The files an e-mail copy carries (one query; none for most notifications)."""
    return list(NotificationAttachment.objects.filter(notification=notification).order_by("pk"))


def pending_delivery_ids(limit: int = 500) -> list[int]:
    """Deliveries no worker is holding: never enqueued (broker down) or due a retry."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            unclaimed(now), status=DeliveryStatus.PENDING, created_at__lt=sweep_cutoff(now)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


@dataclass(frozen=True)
class DigestDue:
    """A user and a channel whose daily digest may be due."""

    user_id: int
    channel: str


# The local hour at which digests by rule (no preference row to claim the day on) go
# out: the hourly task finds them only then, and each row is claimed before sending.
RULE_DIGEST_HOUR = 8


def digest_send(*, user_id: int, channel: str, today: datetime.date) -> int:
    """Send one user's daily digest for one channel; at most once a day (claimed by date
    on their preference; a digest by rule, without one, claims its rows instead)."""
    preference = NotificationPreference.objects.filter(user_id=user_id, channel=channel).first()
    if preference is not None and preference.mode != DeliveryMode.DIGEST:
        return 0
    if preference is not None:
        claimed = NotificationPreference.objects.filter(
            Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today), pk=preference.pk
        ).update(last_digest_on=today)
        if not claimed:
            return 0
    rows = _digest_rows(user_id, channel, by_rule=preference is None)
    if not rows:
        return 0
    user = User.objects.get(pk=user_id)
    lines = [f"· {row.notification.title} {_full_url(row.notification.url)}" for row in rows]
    subject = _("代表履职系统每日汇总：%(count)s条消息") % {"count": len(rows)}
    try:
        _send(channel, user, subject, "\n".join(lines), f"digest-{user_id}-{channel}-{today}")
    except SEND_ERRORS as exc:
        if preference is not None:
            NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_on=None)
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(claimed_until=None)
        logger.warning("digest for user %s failed: %s", user_id, exc)
        return 0
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None
    )
    return len(rows)


def _digest_rows(user_id: int, channel: str, *, by_rule: bool) -> list[Delivery]:
    waiting = Delivery.objects.filter(
        notification__recipient_id=user_id, channel=channel, status=DeliveryStatus.DIGEST
    )
    if not by_rule:
        return list(waiting.select_related("notification")[:200])
    # No preference row holds the day's claim: claim the rows themselves, so that two
    # runs at once send each row once.
    now = timezone.now()
    ids = list(waiting.filter(unclaimed(now)).values_list("pk", flat=True)[:200])
    marker = claim_until(now)
    Delivery.objects.filter(unclaimed(now), pk__in=ids, status=DeliveryStatus.DIGEST).update(
        claimed_until=marker
    )
    return list(
        Delivery.objects.filter(pk__in=ids, claimed_until=marker).select_related("notification")
    )


def digest_candidates() -> list[DigestDue]:
    """Users with a digest preference and copies waiting; at RULE_DIGEST_HOUR also those
    whose copies wait in a digest by rule. Two queries, at most 2,000 of each."""
    due = [
        DigestDue(user_id, channel)
        for user_id, channel in NotificationPreference.objects.filter(
            mode=DeliveryMode.DIGEST,
            user__notifications__deliveries__status=DeliveryStatus.DIGEST,
        )
        .values_list("user_id", "channel")
        .distinct()[:2000]
    ]
    if timezone.localtime().hour != RULE_DIGEST_HOUR:
        return due
    chosen = {(item.user_id, item.channel) for item in due}
    waiting = (
        Delivery.objects.filter(status=DeliveryStatus.DIGEST)
        .values_list("notification__recipient_id", "channel")
        .distinct()[:2000]
    )
    return due + [
        DigestDue(user_id, channel)
        for user_id, channel in waiting
        if (user_id, channel) not in chosen
    ]


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
