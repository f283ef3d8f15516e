"""A task for the worker-log test only (``celery worker --include``): it logs a
citizen's number the way careless code would, so that the test can see whether the
worker's own log handler masks it."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger("suggestions.citizen")


@shared_task(name="tests.security.pii_tasks.log_a_callers_number")
def log_a_callers_number(mobile: str) -> None:
    logger.warning("citizen called back from %s", mobile)
