"""Backup and restore: scripts/backup.sh then scripts/restore.sh into a fresh database
find the same cases, the same timelines and the same files (PostgreSQL only)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from congress import loop
from congress.models import Assignment, CaseEvent, EventAttachment, User
from tests.conftest import World
from tests.loop_support import TEST_CASE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _rows(url: str, query: str) -> list[Any]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    conn.close()
    return rows


def _drop(name: str) -> None:
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True  # DROP DATABASE cannot run in a transaction
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def test_a_restored_backup_has_the_same_cases_and_files(
    world: World, district_staff: User, tmp_path: Path, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("backup.sh and restore.sh work on PostgreSQL")
    settings.MEDIA_ROOT = tmp_path / "media"
    cases = [
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=n,
            title=f"备份测试事项{n}",
            region=world.village,
            by=district_staff,
            department=world.department,
        )
        for n in range(1, 6)
    ]
    loop.assignment_accept(assignment=cases[0], by=district_staff)
    event = CaseEvent.objects.filter(assignment=cases[0]).first()
    attachment = EventAttachment(
        event=event,
        token="backuptoken0001",
        original_name="现场.jpg",
        extension=".jpg",
        content_type="image/jpeg",
        size=11,
    )
    attachment.file.save("backuptoken0001.jpg", ContentFile(b"JPEG-BYTES!"), save=False)
    attachment.save()

    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"[:60]
    _drop(target)
    try:
        backup = _run(
            "backup.sh",
            str(tmp_path / "backups"),
            env={"DATABASE_URL": _url(source), "MEDIA_ROOT": str(tmp_path / "media")},
        )
        assert backup.returncode == 0, backup.stderr
        dump = Path(backup.stdout.split()[0])
        assert dump.exists() and dump.with_suffix(".sha256").exists()

        restored_media = tmp_path / "restored-media"
        env = {"DATABASE_URL": _url(target), "MEDIA_ROOT": str(restored_media)}
        restore = _run("restore.sh", str(dump), env=env)
        assert restore.returncode == 0, restore.stderr
        assert "5 assignments" in restore.stdout

        query = "SELECT id, title, status FROM congress_assignment ORDER BY id"
        assert _rows(_url(target), query) == [
            (a.pk, a.title, a.status) for a in Assignment.objects.order_by("pk")
        ]
        events = "SELECT count(*) FROM congress_caseevent"
        assert _rows(_url(target), events) == [(CaseEvent.objects.count(),)]
        stored = restored_media / attachment.file.name
        assert stored.read_bytes() == b"JPEG-BYTES!"

        again = _run("restore.sh", str(dump), env=env)  # never over live data
        assert again.returncode == 3 and "fresh" in again.stderr
    finally:
        _drop(target)


def test_backup_refuses_sqlite(tmp_path: Path) -> None:
    result = _run("backup.sh", str(tmp_path), env={"DATABASE_URL": "sqlite:///var/x.sqlite3"})
    assert result.returncode == 2
    assert "not PostgreSQL" in result.stderr
