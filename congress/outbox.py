"""The one retry policy of the product's outboxes.

Two tables hold messages waiting to be sent: ``Delivery`` (a user's e-mail or SMS,
congress/notifications.py) and ``CitizenMessage`` (a citizen's SMS, suggestions).
They stay apart (a citizen has no account and no inbox, and their number is read
from the case when sending), but they are sent the same way, with these numbers:

* a worker claims a row before sending (a conditional UPDATE that also counts the
  attempt), so two workers never both send it; a worker killed mid-send frees the
  row when its claim runs out;
* a failed send is tried again after 2, 4, 8, 16 minutes (the claim is pushed out,
  and the retry sweep takes the row once it has run out), and the row is marked
  failed after the fifth attempt: about half an hour of a gateway's outage is
  ridden out without a flood of retries;
* the retry sweep leaves rows younger than ``NOTIFICATION_RETRY_AFTER_SECONDS``
  alone: their own task is still on its way (docs/architecture.md, "Outboxes").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from congress.sms import SmsError

MAX_ATTEMPTS = 5
CLAIM_SECONDS = 300  # a worker killed mid-send frees the row after this long
# What a failed send raises: the SMS backends' own error, and a mail server's (OSError).
SEND_ERRORS: tuple[type[Exception], ...] = (SmsError, OSError)


def unclaimed(now: datetime.datetime) -> Q:
    """Rows no worker holds now: never claimed, or their claim has run out."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_until(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=CLAIM_SECONDS)


def retry_after(attempts: int) -> datetime.timedelta:
    """How long a row waits after its ``attempts``-th failed send: 2, 4, 8, 16 minutes."""
    return datetime.timedelta(minutes=2**attempts)


def gives_up(attempts: int) -> bool:
    """After this many failed attempts the row is marked failed and not tried again."""
    return attempts >= MAX_ATTEMPTS


def sweep_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Rows created before this are the sweep's; younger ones have their task on the way."""
    return now - datetime.timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS)
