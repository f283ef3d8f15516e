"""PostgreSQL restarted under a load of submissions: no half-saved case, and recovery by itself.

Not a pytest test: restarting the server would break every other test running
at the same time, so CI runs this script alone, at the very end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congress_pgrestart \\
        .venv/bin/python tests/reliability/pg_restart_check.py

It creates (and afterwards drops) that scratch database, starts a few threads
that submit cases the way a web process does (connections checked before and
closed after each request, as Django's request signals do), restarts the
server with ``PG_RESTART_COMMAND`` (default: ``pg_ctlcluster --skip-systemctl-redirect <version> main restart``)
in the middle, and checks:

- every submission the client was told succeeded is in the database, whole
  (the case, its "assign" event and its notification, or none of them);
- no case is half-saved, whatever the client was told;
- submissions succeed again after the restart without restarting the app.

Figures go to var/pg-restart-figures.json. Exit status 0 when all hold.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "pg-restart-check-only-not-a-real-secret-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("EMAIL_BACKEND", "locmem")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="pg-restart-"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress_pgrestart")

THREADS = 4
BEFORE_SECONDS = 3.0
AFTER_SECONDS = 10.0
# --skip-systemctl-redirect: these machines run no systemd; pg_ctlcluster would
# otherwise hand the restart to systemctl and fail.
_VERSION = (
    next(iter(sorted(os.listdir("/etc/postgresql"))), "15")
    if os.path.isdir("/etc/postgresql")
    else "15"
)
RESTART = shlex.split(
    os.environ.get(
        "PG_RESTART_COMMAND", f"pg_ctlcluster --skip-systemctl-redirect {_VERSION} main restart"
    )
)


def _admin_sql(statement: str) -> None:
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    conn.autocommit = True
    conn.cursor().execute(statement)
    conn.close()


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import close_old_connections, connection

    from congress import loop
    from congress.loop import CaseType, register_case_type
    from congress.models import (
        Assignment,
        CaseEvent,
        Department,
        Notification,
        Region,
        RegionLevel,
        Role,
        RoleGrant,
        User,
    )

    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or not name.endswith("pgrestart"):
        print("refusing: DATABASE_URL must name a scratch PostgreSQL database *_pgrestart")
        return 2
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    register_case_type(
        CaseType(
            key="check.case",
            label="检查事项",
            url=lambda pk: f"/c/{pk}/",
            can_view=lambda user, pk: True,
        )
    )
    district = Region.objects.create(name="海州区", level=RegionLevel.COUNTY)
    department = Department.objects.create(
        name="海州区交通运输局", kind="government", region=district
    )
    staff = User.objects.create(username="chenjing")
    clerk = User.objects.create(username="zhaolei", email="zhaolei@jt.example.cn")
    RoleGrant.objects.create(user=staff, role=Role.STAFF, region=district)
    RoleGrant.objects.create(user=clerk, role=Role.HANDLER, department=department)
    connection.close()

    outcomes: Counter[str] = Counter()
    succeeded: list[int] = []
    after_restart_ok = Counter[str]()
    restarted = threading.Event()
    stop = threading.Event()
    lock = threading.Lock()
    counter = iter(range(1, 10**9))

    def client() -> None:
        while not stop.is_set():
            with lock:
                case_id = next(counter)
            close_old_connections()  # what request_started does
            try:
                loop.assignment_create(
                    case_type="check.case",
                    case_id=case_id,
                    title=f"群众反映{case_id}",
                    region=district,
                    by=staff,
                    department=department,
                )
            except Exception as exc:  # the client sees an error page: allowed
                with lock:
                    outcomes[type(exc).__name__] += 1
                connection.close()
            else:
                with lock:
                    outcomes["ok"] += 1
                    succeeded.append(case_id)
                    if restarted.is_set():
                        after_restart_ok["ok"] += 1
            finally:
                close_old_connections()  # what request_finished does
            time.sleep(0.01)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE_SECONDS)
    started = time.monotonic()
    restart = subprocess.run(RESTART, capture_output=True, text=True, timeout=120)
    restart_seconds = time.monotonic() - started
    restarted.set()
    time.sleep(AFTER_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    connection.close()

    problems = []
    if restart.returncode != 0:
        problems.append(f"restart command failed: {restart.stderr.strip()}")
    stored = set(
        Assignment.objects.filter(case_type="check.case").values_list("case_id", flat=True)
    )
    lost = set(succeeded) - stored
    if lost:
        problems.append(
            f"{len(lost)} submissions reported as saved are missing: {sorted(lost)[:10]}"
        )
    events = Counter(
        CaseEvent.objects.filter(case_type="check.case", action="assign").values_list(
            "case_id", flat=True
        )
    )
    notes = Counter(
        Notification.objects.filter(case_type="check.case").values_list("case_id", flat=True)
    )
    half = [c for c in stored if events[c] != 1 or notes[c] != 1]
    if half:
        problems.append(f"{len(half)} half-saved cases: {sorted(half)[:10]}")
    if after_restart_ok["ok"] == 0:
        problems.append("no submission succeeded after the restart: the app did not recover")
    figures: dict[str, Any] = {
        "submissions": sum(outcomes.values()),
        "outcomes": dict(outcomes),
        "succeeded_after_restart": after_restart_ok["ok"],
        "restart_seconds": round(restart_seconds, 1),
        "stored": len(stored),
        "lost": len(lost),
        "half_saved": len(half),
        "problems": problems,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "pg-restart-figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    for _ in range(30):  # the server may still be warming up
        try:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            break
        except Exception:
            time.sleep(1)
    print("PostgreSQL restart check: " + ("FAILED" if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
