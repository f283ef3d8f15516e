"""No personal data in logs (PIPL): run citizen-like flows and scan what the log handlers write.

Captured records are passed through the same filter that the configured root
handler applies (``congress.logging.RedactPersonalDataFilter``) and formatted;
no mobile number or resident ID number may survive. Feature apps add their
flows to ``FLOWS`` (the citizen app: submit a problem with a phone number,
track it, rate it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from congress import loop
from congress.logging import RedactPersonalDataFilter
from congress.models import Role, User
from congress.notifications import notify
from congress.sms import ConsoleSmsBackend
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import CitizenIssue, CitizenMessage, IssueCategory, MessageStatus
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE
from tests.security.pii_tasks import log_a_callers_number
from tests.worker_support import WorkerProcess, wait_for

PHONE = "13912345678"
ID_NUMBER = "320102199001011234"
# Not preceded by a digit or a decimal point: "succeeded in 0.0125471200001356s" is a time.
PHONE_PATTERN = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")
ID_PATTERN = re.compile(
    r"(?<![\d.])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)"
)


def _sms_and_mail_to_a_citizen_like_user(world: World, staff: User, client: Client) -> None:
    citizen = User.objects.create(username="citizen-like", mobile=PHONE, email="c@example.cn")
    notify(recipients=[citizen], kind="test", title=f"回电 {PHONE}", body=f"身份证 {ID_NUMBER}")
    logging.getLogger("congress.test").warning("caller %s left id %s", PHONE, ID_NUMBER)


def _case_with_a_phone_in_its_notes(world: World, staff: User, client: Client) -> None:
    clerk = UserFactory(username="clerk-with-phone", mobile="13700001111", email="z@jt.example.cn")
    grant(clerk, Role.HANDLER, department=world.department)
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=7,
        title=f"群众 {PHONE} 反映路灯不亮",
        region=world.village,
        department=world.department,
        by=staff,
        note=f"联系人电话 {PHONE}",
    )
    loop.assignment_accept(assignment=assignment, by=staff)


def _failed_logins_with_a_phone_as_username(world: World, staff: User, client: Client) -> None:
    for _ in range(6):
        client.post("/accounts/login/", {"username": PHONE, "password": "guess-1234567"})


FLOWS: dict[str, Callable[[World, User, Client], None]] = {
    "sms and e-mail": _sms_and_mail_to_a_citizen_like_user,
    "a case handed over": _case_with_a_phone_in_its_notes,
    "failed logins": _failed_logins_with_a_phone_as_username,
}


def test_the_root_handler_redacts_personal_data() -> None:
    handlers = settings.LOGGING["handlers"]
    for name in settings.LOGGING["root"]["handlers"]:
        assert "redact_pii" in handlers[name].get("filters", []), name


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_no_phone_or_id_number_reaches_a_log_line(
    flow: str,
    world: World,
    district_staff: User,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SMS_BACKEND = "congress.sms.ConsoleSmsBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):  # deliveries run after commit
        FLOWS[flow](world, district_staff, client)
    assert caplog.records, "the flow logged nothing: the scan proves nothing"
    redact = RedactPersonalDataFilter()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    leaks = []
    for record in caplog.records:
        redact.filter(record)
        line = formatter.format(record)
        if PHONE_PATTERN.search(line) or ID_PATTERN.search(line):
            leaks.append(line)
    assert not leaks, "\n".join(leaks)


# --- every process the product runs -------------------------------------------------
#
# The filter above is on Django's root handler. Celery used to replace that handler in
# its worker and beat processes, and the masking went with it; gunicorn writes its
# access log through handlers of its own. These tests run the real processes and read
# what they wrote.

ROOT = Path(__file__).resolve().parents[2]


def _submitted_with_sms(world: World) -> CitizenIssue:
    citizen_services.categories_ensure_defaults()
    submission = citizen_services.Submission(
        category=IssueCategory.objects.first(),  # type: ignore[arg-type]
        description="幸福路路口有个大坑，电动车经过很危险",
        region=world.village,
        citizen_name="张建国",
        mobile=PHONE,
        wants_sms=True,
        consent=True,
    )
    issue, _created = citizen_services.citizen_issue_submit(
        submission=submission, idempotency_key=uuid.uuid4()
    )
    return issue


def _leaks(text: str, *secrets: str) -> list[str]:
    return [line for line in text.splitlines() if any(secret in line for secret in secrets)]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_no_phone_number_nor_tracking_link(
    world: World, celery_worker_process: WorkerProcess, tmp_path: Path
) -> None:
    """A citizen asks for text messages; the worker sends the receipt with the console
    backend (the one that writes each SMS to the log), and a task logs the caller's
    number as careless code would. Neither the number nor the link's token is in the
    worker's output; their masked forms are, so the lines were written."""
    celery_worker_process.stop()
    worker = WorkerProcess(
        celery_worker_process.queue, tmp_path, extra_env={"SMS_BACKEND": "console"}
    )
    worker.start(include="tests.security.pii_tasks")
    try:
        issue = _submitted_with_sms(world)
        log_a_callers_number.delay(PHONE)
        sent = CitizenMessage.objects.filter(issue=issue, status=MessageStatus.SENT)
        wait_for(lambda: sent.exists() and "citizen called back" in worker.log(), timeout=60)
    finally:
        worker.stop()
    log = worker.log()
    assert not _leaks(log, PHONE, issue.tracking_token), _leaks(log, PHONE, issue.tracking_token)
    assert "citizen called back from 139****5678" in log
    assert f"/q/t/{issue.tracking_token[:4]}****/" in log  # the SMS line, link masked


def _run(code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args, code] if args else [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "congress.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout + result.stderr


def test_beat_logs_through_the_masking_handler() -> None:
    """Beat sets up its logging as below (celery.apps.beat.Beat.setup_logging) before
    it runs; a line logged afterwards goes through the masking handler."""
    output = _run(
        "import django; django.setup(); import logging\n"
        "from celery.apps.beat import Beat\n"
        "from congress.celery import app\n"
        "Beat(app=app, loglevel='INFO').setup_logging()\n"
        f"logging.getLogger('celery.beat').info('caller %s', '{PHONE}')\n"
    )
    assert "caller 139****5678" in output
    assert PHONE not in output


def test_a_management_command_logs_through_the_masking_handler() -> None:
    output = _run(
        f"import logging; logging.getLogger('congress').warning('caller {PHONE}')",
        "manage.py",
        "shell",
        "-c",
    )
    assert "caller 139****5678" in output
    assert PHONE not in output


def test_the_sms_console_backend_masks_the_number_and_the_link(
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    with caplog.at_level(logging.INFO, logger="congress.sms"):
        ConsoleSmsBackend().send(
            mobile=PHONE,
            text=f"您反映的问题已提交，查看进展：https://rd.example.cn/q/t/{token}/",
            reference="citizen-7",
        )
    [line] = [record.getMessage() for record in caplog.records]
    assert line == (
        "SMS citizen-7 to 139****5678: 您反映的问题已提交，查看进展："
        "https://rd.example.cn/q/t/AbCd****/"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("debug", ["0", "1"])
def test_the_web_access_log_has_no_query_string_nor_tracking_token(
    tmp_path: Path, debug: str
) -> None:
    """gunicorn as the web container runs it (congress/gunicorn_conf.py): a staff search
    for a phone number and a citizen's tracking link leave neither in the access log,
    nor in Django's error log (the scratch database has no tables: the tracking page
    fails, and its error line names the path), in production or the demo."""
    port = _free_port()
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DEBUG": debug,
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "WEB_CONCURRENCY": "1",
    }
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:congress.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "congress.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: b"Booting worker" in log_path.read_bytes(), timeout=60)
            for path in (f"/q/t/{token}/", f"/suggestions/citizen/?q={PHONE}"):
                # A 404 or an error page: the access line is what counts.
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30)
            wait_for(lambda: log_path.read_text().count('"GET ') >= 2, timeout=30)
        finally:
            server.terminate()
            server.wait(timeout=30)
    access = [line for line in log_path.read_text().splitlines() if '"GET ' in line]
    assert any('"GET /q/t/AbCd****/" ' in line for line in access), access
    assert any('"GET /suggestions/citizen/" ' in line for line in access), access
    assert not _leaks(log_path.read_text(), PHONE, token)
