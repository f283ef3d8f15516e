"""The phone's queue sends a contact log: once, with its photos, and never dropped.

刘红's phone sends each queued log to /offline/contact-logs/ with the idempotency key
it was given when she recorded it. A resend (the signal dropped before the answer
came back; the page and the worker both sent it) finds the first log. A log she
recorded in the village before her seat ended, sent after, is kept and flagged
待核实 for 海州区's staff, who confirm it; 临江区's staff never see it.
"""

from __future__ import annotations

import datetime
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from congress.errors import RuleViolation
from congress.models import AuditEvent, CaseEvent, EventAttachment, User
from representatives import services
from representatives.models import ContactLog, Representative
from representatives.services import CONTACT_LOG_CASE
from tests.conftest import login


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _jpeg(size: tuple[int, int] = (1600, 1200), name: str = "lamp.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _queued(key: uuid.UUID, **extra: Any) -> dict[str, Any]:
    return {
        "idempotency_key": str(key),
        "kind": "visit",
        "contacted_on": timezone.localdate().isoformat(),
        "place": "桃园村",
        "people_count": "4",
        "summary": "村口路灯坏了三盏",
        "problems": "路灯维修",
        **extra,
    }


def test_a_queued_log_with_photos_is_recorded_once_however_often_it_is_sent(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    key = uuid.uuid4()
    first = client.post(
        "/offline/contact-logs/", _queued(key, photos=[_jpeg(), _jpeg(name="b.jpg")])
    )
    assert first.status_code == 201
    log = ContactLog.objects.get()
    assert first.json() == {"id": log.pk, "url": f"/contacts/{log.pk}/", "created": True}

    again = client.post("/offline/contact-logs/", _queued(key, photos=[_jpeg()]))
    assert again.status_code == 200
    assert again.json() == {"id": log.pk, "url": f"/contacts/{log.pk}/", "created": False}

    assert ContactLog.objects.count() == 1
    assert [p.text for p in log.problems.all()] == ["路灯维修"]
    photos = EventAttachment.objects.filter(
        event__case_type=CONTACT_LOG_CASE, event__case_id=log.pk
    )
    assert photos.count() == 2  # the resend's photo was not added
    assert {p.content_type for p in photos} == {"image/jpeg"}
    # Nothing is flagged: she holds her seats.
    assert not CaseEvent.objects.filter(case_type=CONTACT_LOG_CASE, action="flag_unverified")


def test_the_page_form_takes_photos_too(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    response = client.post("/contacts/new/", _queued(uuid.uuid4(), photos=[_jpeg()]))
    assert response.status_code == 302
    log = ContactLog.objects.get()
    photo = EventAttachment.objects.get(event__case_type=CONTACT_LOG_CASE, event__case_id=log.pk)
    # Her photo is shown to whoever sees the log, from the log's own address.
    shown = client.get(f"/contacts/{log.pk}/photos/{photo.token}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert client.get(f"/contacts/{log.pk + 1}/photos/{photo.token}/").status_code == 404


def test_a_log_the_server_will_not_take_is_answered_with_the_messages(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/offline/contact-logs/",
        _queued(uuid.uuid4(), contacted_on=tomorrow, photos=[SimpleUploadedFile("x.jpg", b"no")]),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["contacted_on"] == ["联系日期不能晚于今天。"]
    assert errors["photos"] == ["无法识别为图片，请上传 JPG、PNG 或 WebP 格式的照片。"]
    assert ContactLog.objects.count() == 0


def test_seven_photos_are_refused(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    photos = [_jpeg((20, 20), f"{n}.jpg") for n in range(7)]
    response = client.post("/offline/contact-logs/", _queued(uuid.uuid4(), photos=photos))
    assert response.status_code == 400
    assert response.json()["errors"]["photos"] == ["最多上传6张照片。"]


def test_only_a_representative_sends_logs(client: Client, district_staff: User) -> None:
    login(client, district_staff)
    response = client.post("/offline/contact-logs/", _queued(uuid.uuid4()))
    assert response.status_code == 404
    assert ContactLog.objects.count() == 0


def test_a_log_sent_after_the_mandate_ended_is_kept_and_flagged_for_staff(
    client: Client,
    representative: Representative,
    representative_user: User,
    district_staff: User,
    other_district_staff: User,
) -> None:
    # Recorded in the village on Monday; her seats ended on Tuesday; sent on Wednesday.
    for mandate in representative.mandates.all():
        services.mandate_end(
            mandate=mandate, ends_on=timezone.localdate(), reason="调离本行政区域", by=None
        )
    login(client, representative_user)
    response = client.post("/offline/contact-logs/", _queued(uuid.uuid4()))
    assert response.status_code == 201
    log = ContactLog.objects.get()
    flag = CaseEvent.objects.get(case_type=CONTACT_LOG_CASE, case_id=log.pk)
    assert flag.action == "flag_unverified"
    assert flag.note == "提交时该代表已无有效的代表职务，请核实。"

    # 海州区's staff see it 待核实; 临江区's do not.
    staff = Client()
    login(staff, district_staff)
    page = staff.get("/contacts/unverified/")
    assert page.status_code == 200
    assert [row.pk for row in page.context["page"]] == [log.pk]
    other = Client()
    login(other, other_district_staff)
    assert list(other.get("/contacts/unverified/").context["page"]) == []
    assert other.post(f"/contacts/{log.pk}/actions/verify/").status_code == 404

    # Confirmed: it stays, with an event and an audit row, and leaves the list.
    assert staff.post(f"/contacts/{log.pk}/actions/verify/").status_code == 302
    assert ContactLog.objects.filter(pk=log.pk).exists()
    assert (
        CaseEvent.objects.filter(case_type=CONTACT_LOG_CASE, case_id=log.pk, action="verify")
        .get()
        .actor
        == district_staff
    )
    assert AuditEvent.objects.filter(actor=district_staff, detail__action="verify").count() == 1
    assert list(staff.get("/contacts/unverified/").context["page"]) == []
    # A second confirmation is refused: the log is no longer in the list (404).
    assert staff.post(f"/contacts/{log.pk}/actions/verify/").status_code == 404


def test_a_step_not_declared_on_a_flagged_log_is_refused_with_the_names_that_are(
    client: Client, representative: Representative, district_staff: User
) -> None:
    for mandate in representative.mandates.all():
        services.mandate_end(mandate=mandate, ends_on=timezone.localdate(), reason="", by=None)
    log, _ = services.contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="走访",
        by=representative.user,
    )
    login(client, district_staff)
    response = client.post(f"/contacts/{log.pk}/actions/delete/", follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "delete" in message and "verify" in message
    assert not CaseEvent.objects.filter(case_id=log.pk, action="verify").exists()
    assert ContactLog.objects.filter(pk=log.pk).exists()
    # The list offers what the table declares: 核实无误.
    listed = client.get("/contacts/unverified/").content.decode()
    assert f'action="/contacts/{log.pk}/actions/verify/"' in listed


def test_verifying_a_log_that_was_never_flagged_is_refused(
    representative: Representative, district_staff: User
) -> None:
    log, _ = services.contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="走访",
        by=representative.user,
    )
    with pytest.raises(RuleViolation, match="这条记录不需要核实。"):
        services.contact_log_verify(log=log, by=district_staff)


def test_the_unverified_list_costs_the_same_for_3_and_30_flagged_logs(
    client: Client,
    representative: Representative,
    district_staff: User,
    django_assert_max_num_queries: Any,
) -> None:
    for mandate in representative.mandates.all():
        services.mandate_end(mandate=mandate, ends_on=timezone.localdate(), reason="", by=None)
    login(client, district_staff)

    def flag(n: int) -> None:
        for _ in range(n):
            services.contact_log_record(
                representative=representative,
                kind="visit",
                contacted_on=timezone.localdate(),
                summary="走访",
                by=representative.user,
            )

    flag(3)
    with django_assert_max_num_queries(8) as small:
        assert client.get("/contacts/unverified/").status_code == 200
    flag(27)
    with django_assert_max_num_queries(8) as large:
        assert client.get("/contacts/unverified/").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_form_s_own_upload_is_greeted_on_the_log_s_page(
    client: Client, representative: Representative, representative_user: User
) -> None:
    """Sent from the form itself (?shown=1), the page moves to the log and says so there;
    a background upload leaves no message behind."""
    login(client, representative_user)
    key = uuid.uuid4()
    assert client.post("/offline/contact-logs/", _queued(uuid.uuid4())).status_code == 201
    sent = client.post("/offline/contact-logs/?shown=1", _queued(key))
    assert sent.status_code == 201
    page = client.get(sent.json()["url"])
    assert [str(m) for m in page.context["messages"]] == ["已记录。"]
    again = client.post("/offline/contact-logs/?shown=1", _queued(key))
    assert again.status_code == 200
    page = client.get(again.json()["url"])
    assert [str(m) for m in page.context["messages"]] == ["这条记录此前已保存，未重复记录。"]
