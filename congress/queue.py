"""Handing work to Celery without making the request depend on the broker."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Send ``task`` after the transaction commits; a broker outage loses nothing.

    The work is already a row in the database (an outbox delivery, an assignment
    with its next reminder time), and a periodic sweep finds rows that no task
    picked up. So if Redis is down we log and move on: the citizen's submission
    or the clerk's reply is saved either way.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except Exception as exc:  # kombu raises several connection error types
            logger.warning("broker unavailable, %s left for the sweep: %s", task.name, exc)

    transaction.on_commit(send)
