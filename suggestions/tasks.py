"""Celery tasks of the suggestions app. Thin: take ids, call a service, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


# --- citizen channel (issue 5) -------------------------------------------------------------


@shared_task(name="suggestions.tasks.send_citizen_message")
def send_citizen_message(message_id: int) -> bool:
    from suggestions.citizen.services import citizen_message_send

    return citizen_message_send(message_id=message_id)


@shared_task(name="suggestions.tasks.route_citizen_issue")
def route_citizen_issue(issue_id: int) -> bool:
    """A public submission's 受理 step, after commit (the sweep catches up a lost one)."""
    from suggestions.citizen.services import citizen_issue_route

    return citizen_issue_route(issue_id=issue_id)


@shared_task(name="suggestions.tasks.citizen_sweep")
def citizen_sweep() -> dict[str, int]:
    """Every few minutes: the citizen channel's periodic work, each part bounded.

    - make the 受理 steps of public submissions that no task made (one query on the
      submitted problems, at most 500 steps);
    - close answered problems whose rating period ran out (one indexed query, at
      most 500 transitions);
    - remind of tomorrow's appointments (one indexed query, at most 500 claims);
    - send citizens' SMS that no task picked up (broker down) or that failed
      (one indexed query, at most 200 claims).
    Every part claims its rows with a conditional UPDATE: running twice is harmless.
    """
    from suggestions.citizen import services

    routed = services.citizen_issues_route_pending(limit=500)
    closed = services.citizen_issues_close_unrated(limit=500)
    reminded = services.appointments_remind_due(limit=500)
    sent = sum(
        services.citizen_message_send(message_id=message_id)
        for message_id in services.pending_citizen_message_ids(limit=200)
    )
    if routed or closed or reminded or sent:
        logger.info(
            "citizen sweep: %s routed, %s closed unrated, %s reminded, %s sms",
            routed,
            closed,
            reminded,
            sent,
        )
    return {
        "routed": routed,
        "closed_unrated": closed,
        "appointments_reminded": reminded,
        "messages_sent": sent,
    }


# --- formal channel: representatives' suggestions (issue 6) ------------------------------------


@shared_task(name="suggestions.tasks.remind_unassigned_suggestions")
def remind_unassigned_suggestions() -> int:
    """Hourly, acting once a day: tell congress staff which registered suggestions are due
    (or late) for 交办, 7 working days after the session closes. One message per congress.

    Cost: one indexed query (status, assign_by) for at most 2,000 rows and one claiming
    UPDATE per row; every row is claimed by date, so running twice sends nothing twice.
    """
    from django.utils import timezone

    from suggestions.formal.services import suggestions_remind_unassigned

    if timezone.localtime().hour < 8:
        return 0  # office hours: the hourly beat waits for the morning
    chased = suggestions_remind_unassigned(limit=2000)
    if chased:
        logger.info("suggestions awaiting 交办: %s chased", chased)
    return chased


# --- end of formal channel -------------------------------------------------------------------
