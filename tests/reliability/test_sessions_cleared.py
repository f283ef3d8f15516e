"""Expired logins are deleted by a periodic job, not kept for ever.

Story: 陈静 (district staff) signed in last week on a shared office PC and never
signed out; her session expired after 8 hours of inactivity. The daily job that
beat schedules deletes it; a colleague's live session stays.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

import congress.tasks  # noqa: F401 - registers the tasks, as a worker's start does
from congress.celery import app as celery_app
from congress.models import User
from tests.conftest import login


def test_the_daily_job_deletes_expired_sessions_only(
    district_staff: User, city_staff: User
) -> None:
    login(Client(), district_staff)
    live = login(Client(), city_staff).session.session_key
    Session.objects.exclude(session_key=live).update(
        expire_date=timezone.now() - datetime.timedelta(days=6)
    )
    assert Session.objects.count() == 2

    entry = settings.CELERY_BEAT_SCHEDULE["sessions-clear"]
    assert entry["schedule"] == 24 * 3600
    celery_app.tasks[str(entry["task"])].delay()  # as beat sends it (run in-process here)

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
