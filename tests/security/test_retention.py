"""Retention: personal data on closed cases is anonymised after the configured period.

A feature app registers an anonymiser for each kind of row with citizens' data
(the citizen app does for its problems). Here a stand-in anonymiser scrubs
inbox messages that carry a citizen's phone number, so that the engine, the
command and the task are proven on their own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.utils import timezone

from congress import registry
from congress.models import AuditEvent, Notification, User
from congress.retention import ANONYMISED, personal_data_anonymise_expired
from congress.tasks import anonymise_expired_personal_data

PHONE = "13812345678"


def _expired(cutoff: datetime.datetime) -> QuerySet[Any]:
    return Notification.objects.filter(created_at__lt=cutoff).exclude(body="")


def _anonymise(rows: QuerySet[Any]) -> int:
    return rows.update(body="", title="（已匿名化）")


@pytest.fixture
def anonymiser() -> Iterator[registry.Anonymiser]:
    entry = registry.Anonymiser("tests.notification_body", _expired, _anonymise)
    registry.register_anonymiser(entry)
    yield entry
    registry.anonymisers.remove(entry)


@pytest.fixture
def messages(district_staff: User) -> dict[str, Notification]:
    def message(days_ago: int) -> Notification:
        note = Notification.objects.create(
            recipient=district_staff, kind="test", title="群众来电", body=f"联系电话 {PHONE}"
        )
        Notification.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return note

    return {"old": message(4 * 365), "older": message(5 * 365), "recent": message(30)}


def test_the_default_period_is_three_years(settings: Any) -> None:
    assert settings.PERSONAL_DATA_RETENTION_DAYS == 3 * 365


def test_old_personal_data_is_scrubbed_and_recent_kept(
    anonymiser: registry.Anonymiser, messages: dict[str, Notification]
) -> None:
    result = personal_data_anonymise_expired()
    assert result.counts["tests.notification_body"] == 2  # (feature apps' anonymisers run too)
    assert PHONE not in "".join(
        Notification.objects.filter(pk__in=[messages["old"].pk, messages["older"].pk]).values_list(
            "body", flat=True
        )
    )
    assert PHONE in Notification.objects.get(pk=messages["recent"].pk).body
    event = AuditEvent.objects.get(action=ANONYMISED)
    assert event.detail["count"] == 2 and event.username == "system"


def test_a_second_run_finds_nothing(
    anonymiser: registry.Anonymiser, messages: dict[str, Notification]
) -> None:
    personal_data_anonymise_expired()
    assert personal_data_anonymise_expired().total == 0
    assert AuditEvent.objects.filter(action=ANONYMISED).count() == 1


def test_batches_are_bounded(
    anonymiser: registry.Anonymiser, messages: dict[str, Notification]
) -> None:
    assert personal_data_anonymise_expired(limit=1).total == 1
    assert personal_data_anonymise_expired(limit=1).total == 1
    assert personal_data_anonymise_expired(limit=1).total == 0


def test_the_command_can_count_first(
    anonymiser: registry.Anonymiser, messages: dict[str, Notification]
) -> None:
    out = StringIO()
    call_command("anonymise_expired", "--dry-run", stdout=out)
    assert "tests.notification_body: would anonymise 2" in out.getvalue()
    assert Notification.objects.filter(body__contains=PHONE).count() == 3
    call_command("anonymise_expired", "--days", "20", stdout=out)
    assert "tests.notification_body: anonymised 3" in out.getvalue()
    assert not Notification.objects.filter(body__contains=PHONE).exists()


def test_the_periodic_task_does_the_same(
    anonymiser: registry.Anonymiser, messages: dict[str, Notification], settings: Any
) -> None:
    assert "personal-data-retention" in settings.CELERY_BEAT_SCHEDULE
    assert anonymise_expired_personal_data.delay().get() == 2


def test_with_nothing_registered_the_command_says_so(db: None) -> None:
    out = StringIO()
    before = list(registry.anonymisers)
    registry.anonymisers.clear()
    try:
        call_command("anonymise_expired", stdout=out)
    finally:
        registry.anonymisers.extend(before)
    assert "no anonymisers are registered" in out.getvalue()
