"""The monthly report's e-mail carries the report's PDF (issue 16; docs/dashboard.md,
"Subscriptions and the monthly mail").

The PDF of a region's month is built once, whoever and however many subscribe to it,
and stored (``ReportFile``): every subscriber's e-mail, a later run of the day and a
retried delivery attach the same bytes. The SMS copy carries nothing. The fixture is
tests/test_reports_monthly.py's: 陈静 (海州区) and 周文华 (江海市) subscribe to 海州区,
周文华 to 江海市 too, and the hand-counted November of 海州区.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from congress.models import Channel, Delivery, DeliveryStatus, Notification, Role, User
from congress.models.notifications import NotificationAttachment
from congress.models.reports import ReportFile
from congress.notifications import delivery_send
from congress.reports import monthly_reports_send, pdf_available, report_subscribe
from congress.sms import RecordingSmsBackend
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)
from tests.suggestions_citizen.test_dashboard import november  # noqa: F401 - fixture
from tests.test_reports_monthly import FIRST_OF_DECEMBER, leaders  # noqa: F401 - fixture

pytestmark = pytest.mark.skipif(
    not pdf_available(), reason="WeasyPrint's system libraries are missing"
)

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def stored(settings: Any, tmp_path: Path) -> Path:
    """Stored files (the reports' PDFs) in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def texts(settings: Any) -> list[Any]:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    return RecordingSmsBackend.outbox


def _pdfs(message: Any) -> list[tuple[str, bytes, str]]:
    return [(name, bytes(content), kind) for name, content, kind in message.attachments]


def test_each_subscribers_mail_carries_the_pdf_built_once_per_region(
    world: World,
    leaders: dict[str, User],  # noqa: F811 - fixture
    november: dict[str, Any],  # noqa: F811 - fixture
    stored: Path,
    texts: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    User.objects.filter(pk=leaders["district"].pk).update(mobile="13800000001")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 3
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        [(name, content, kind)] = _pdfs(message)
        assert content.startswith(b"%PDF")
        assert kind == "application/pdf"
        assert name.endswith("-2026-11.pdf") and name.startswith("report-")
        assert "邮件附件为本报告的 PDF" in message.body
    # 海州区's two subscribers get the same file; 江海市's is its own. Two regions, two files.
    district = [m for m in mail.outbox if m.subject == "海州区2026年11月月度报告"]
    city = [m for m in mail.outbox if m.subject == "江海市2026年11月月度报告"]
    assert len(district) == 2 and len(city) == 1
    assert _pdfs(district[0]) == _pdfs(district[1])
    assert _pdfs(district[0])[0][1] != _pdfs(city[0])[0][1]
    assert _pdfs(district[0])[0][0] == f"report-{world.district.code}-2026-11.pdf"
    files = ReportFile.objects.order_by("region_id")
    assert [(f.region_id, f.month) for f in files] == sorted(
        [(world.district.pk, NOVEMBER), (world.city.pk, NOVEMBER)]
    )
    on_disk = {f.region_id: (stored / f.file.name).read_bytes() for f in files}
    assert on_disk[world.district.pk] == _pdfs(district[0])[0][1]
    # The stored name holds the region's id and the month, no name of anyone.
    assert all("陈静" not in f.file.name and "chenjing" not in f.file.name for f in files)
    # The SMS copy (陈静 has a mobile) carries the text only.
    assert [sms.mobile for sms in texts] == ["13800000001"]
    assert Delivery.objects.filter(channel=Channel.SMS, status=DeliveryStatus.SENT).count() == 1

    # The beat fires again: nothing is sent, nothing is built.
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 0
    assert len(mail.outbox) == 3
    assert ReportFile.objects.count() == 2
    assert NotificationAttachment.objects.count() == 3


def test_a_later_subscriber_gets_the_same_file_and_nothing_is_rebuilt(
    world: World,
    leaders: dict[str, User],  # noqa: F811 - fixture
    november: dict[str, Any],  # noqa: F811 - fixture
    stored: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports_send(today=FIRST_OF_DECEMBER)
    first = next(m for m in mail.outbox if m.subject == "海州区2026年11月月度报告")
    built = ReportFile.objects.get(region=world.district).created_at
    # 李明 subscribes at 10:00 on the 1st; the next hourly run sends him the same file.
    newcomer = grant(
        UserFactory(username="liming", email="liming@rd.example.cn"),
        Role.STAFF,
        region=world.district,
    )
    report_subscribe(user=newcomer, region=world.district)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_send(today=FIRST_OF_DECEMBER) == 1
    [late] = mail.outbox
    assert late.to == ["liming@rd.example.cn"]
    assert _pdfs(late) == _pdfs(first)
    assert ReportFile.objects.get(region=world.district).created_at == built


def test_a_retried_delivery_sends_the_same_file(
    world: World,
    leaders: dict[str, User],  # noqa: F811 - fixture
    november: dict[str, Any],  # noqa: F811 - fixture
    stored: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The mail server refuses the first attempt (a real SMTP connection to a closed
    port); the retry, once the server is back, attaches the stored file."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports_send(today=FIRST_OF_DECEMBER)
    note = Notification.objects.get(recipient=leaders["district"], kind="report.monthly")
    delivery = Delivery.objects.get(notification=note, channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.last_error and "%PDF" not in delivery.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=timezone.now())  # claim ran out
    assert delivery_send(delivery_id=delivery.pk) is True
    [retried] = mail.outbox
    [(_name, content, _kind)] = _pdfs(retried)
    stored_file = ReportFile.objects.get(region=world.district)
    assert content == (stored / stored_file.file.name).read_bytes()
    assert ReportFile.objects.count() == 2
