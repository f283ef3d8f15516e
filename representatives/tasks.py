"""Celery tasks: thin, take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from congress.queue import enqueue_on_commit
from representatives import services


@shared_task(name="representatives.tasks.remind_duty_shift")
def remind_duty_shift(shift_id: int) -> bool:
    """One reminder; the (shift, stage) row makes a second run send nothing."""
    return services.duty_shift_remind(shift_id=shift_id)


@shared_task(name="representatives.tasks.daily_duty_run")
def daily_duty_run() -> int:
    """Beat, hourly: publish shifts that reach the publication horizon (default 3 days
    ahead) and queue tomorrow's reminders.

    Cost: one read of the lead times congresses set, one UPDATE per lead time in force
    (each over its date window, default 4 days), one indexed query for tomorrow's
    unreminded shifts (at most 5,000); running it every hour only re-finds the
    shifts whose reminder failed, since sent ones have their row.
    """
    services.duty_shifts_publish_due()
    shift_ids = services.shifts_due_reminder()
    for shift_id in shift_ids:
        enqueue_on_commit(remind_duty_shift, shift_id)
    return len(shift_ids)


@shared_task(name="representatives.tasks.purge_signin_codes")
def purge_signin_codes() -> int:
    """Beat, daily: the sign-in codes' rows whose code expired more than a day ago go
    (``signin.signin_codes_purge``: one DELETE on a table of a day's numbers)."""
    from representatives.signin import signin_codes_purge

    return signin_codes_purge()


@shared_task(name="representatives.tasks.build_card_pdf")
def build_card_pdf(token: str) -> str:
    """A 连心卡 PDF asked for on the list (``card_jobs``): rendered into private storage."""
    from representatives import card_jobs

    return card_jobs.card_pdf_build(token)
