"""congress/bulk.py: rows written in bulk read back exactly as given.

On PostgreSQL the rows go in by COPY (text format, its own escaping), elsewhere by a
multi-row INSERT; either way a title with a tab, a line break or a backslash, an
empty text, a missing value and a JSON document come back unchanged, and the ids
returned are the rows' own.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.bulk import db_value, insert_rows
from congress.models import CaseEvent, Notification, User

AWKWARD = [
    "今日到期：“桃园路路灯不亮”",
    "tab\there",
    "two\nlines\r\nand a carriage return",
    "back\\slash and \\N and \\t as text",
    "",
    "\\",
]


@pytest.fixture
def user(db: None) -> User:
    return User.objects.create_user(username="zhaolei")


def test_inbox_rows_come_back_as_given(user: User) -> None:
    at = timezone.make_aware(datetime.datetime(2026, 12, 4, 9, 30, 15, 123456))
    rows = [
        (
            user.pk,
            "assignment.reminder",
            title,
            f"body {n}",
            "",
            "test.case",
            None if n % 2 else n,
            db_value(Notification, "created_at", at),
        )
        for n, title in enumerate(AWKWARD)
    ]
    with CaptureQueriesContext(connection) as queries:
        found = insert_rows(
            Notification,
            ("recipient", "kind", "title", "body", "url", "case_type", "case_id", "created_at"),
            rows,
            returning=("id", "title"),
        )
    assert [title for _pk, title in found] == AWKWARD
    stored = Notification.objects.in_bulk([pk for pk, _title in found])
    assert [stored[pk].title for pk, _title in found] == AWKWARD
    assert [stored[pk].case_id for pk, _title in found] == [0, None, 2, None, 4, None]
    assert all(stored[pk].created_at == at for pk, _title in found)
    assert all(stored[pk].recipient_id == user.pk for pk, _title in found)
    if connection.vendor == "postgresql":  # ids from the sequence, then one COPY
        assert [q["sql"].split()[0] for q in queries] == ["SELECT", "COPY"]


def test_timeline_rows_keep_their_json(user: User) -> None:
    data = {"stage": "escalate:1@2026-12-04", "note": "a\tb\nc\\d", "recipients": 2}
    values = {
        "case_type": "test.case",
        "case_id": 7,
        "at": db_value(CaseEvent, "at", timezone.now()),
        "actor_label": "系统",
        "action": "reminder",
        "note": "line\none",
        "public_note": "",
        "from_status": "",
        "to_status": "",
        "data": db_value(CaseEvent, "data", data),
    }
    insert_rows(CaseEvent, list(values), [list(values.values())])
    event = CaseEvent.objects.get(case_id=7)
    assert event.data == data
    assert event.note == "line\none"
    assert event.actor_label == "系统"
