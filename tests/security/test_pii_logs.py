"""No personal data in logs (PIPL): run citizen-like flows and scan what the log handlers write.

Captured records are passed through the same filter that the configured root
handler applies (``congress.logging.RedactPersonalDataFilter``) and formatted;
no mobile number or resident ID number may survive. Feature apps add their
flows to ``FLOWS`` (the citizen app: submit a problem with a phone number,
track it, rate it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from congress import loop
from congress.logging import RedactPersonalDataFilter
from congress.models import Role, User
from congress.notifications import notify
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.loop_support import TEST_CASE

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
