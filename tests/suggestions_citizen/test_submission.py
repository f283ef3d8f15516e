"""A citizen submits from a station's QR code on their phone: the form, its bad
inputs and faults (each with a clear message, no case lost or duplicated)."""

from __future__ import annotations

import io
import uuid
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from congress.models import Assignment, User
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.citizen.privacy import mobile_hash
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    BannedPhone,
    CitizenIssue,
    IssueCategory,
    IssueStatus,
)
from tests.suggestions_citizen.conftest import form_data, jpeg_bytes, photo, submit

URL = "/q/new/"


def _post(client: Client, data: dict[str, object]) -> object:
    return client.post(URL, data, REMOTE_ADDR="203.0.113.7")


def test_the_qr_link_opens_the_form_for_that_station(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    response = client.get(f"{URL}?station={station.public_token}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "桃园社区代表联络站" in body
    assert 'name="idempotency_key"' in body
    assert "个人信息处理告知" in body
    assert response["Cache-Control"] == "no-store"


def test_a_representatives_card_link_works_with_either_parameter_name(
    client: Client, representative: Representative, categories: dict[str, IssueCategory]
) -> None:
    for name in ("rep", "representative"):
        body = client.get(f"{URL}?{name}={representative.public_token}").content.decode()
        assert "向刘红代表反映" in body


def test_submitting_creates_the_case_and_shows_the_tracking_page(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # The 受理 step is made after commit (test_submission_routing.py): run those hooks.
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, form_data(station, categories["utilities"], photos=photo()))
    assert response.status_code == 302
    issue = CitizenIssue.objects.get()
    assert response["Location"] == f"/q/t/{issue.tracking_token}/?new=1"
    assert "13812345678" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert issue.tracking_code in page
    assert "138****5678" in page and "13812345678" not in page
    assert issue.photos.count() == 1
    assert issue.region == station.region and issue.station == station
    assert Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == 1


def test_a_photo_keeps_no_gps_or_camera_metadata(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # GPS is really there
    upload = SimpleUploadedFile("IMG_0001.JPG", original, content_type="image/jpeg")
    _post(client, form_data(station, categories["roads"], photos=upload))
    stored = CitizenIssue.objects.get().photos.get()
    assert "IMG_0001" not in stored.file.name  # never the client's name
    with stored.file.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert b"PhoneMaker" not in data and b"Exif" not in data


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024)), "不能超过"),
        (SimpleUploadedFile("notes.jpg", b"this is not an image at all"), "无法识别为图片"),
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 100), "无法识别为图片"),
    ],
    ids=["30MB", "not-an-image", "exe-named-jpg"],
)
def test_bad_photos_are_refused_with_a_clear_message(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    upload: SimpleUploadedFile,
    message: str,
) -> None:
    response = _post(client, form_data(station, categories["roads"], photos=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CitizenIssue.objects.exists()


def test_an_image_bomb_is_refused(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # tiny file, 144 megapixels
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    assert len(out.getvalue()) < 1024 * 1024
    response = _post(client, form_data(station, categories["roads"], photos=bomb))
    assert "图片尺寸异常" in response.content.decode()
    assert not CitizenIssue.objects.exists()


def test_more_than_six_photos_are_refused(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    photos = [photo(f"p{i}.jpg") for i in range(7)]
    response = _post(client, form_data(station, categories["roads"], photos=photos))
    assert "最多上传6张照片" in response.content.decode()
    assert not CitizenIssue.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": "很" * 2001}, "2000"),
        ({"mobile": "1381234"}, "请填写正确的11位手机号码"),
        ({"mobile": "23812345678"}, "请填写正确的11位手机号码"),
        ({"consent": None}, "请阅读并同意个人信息处理告知"),
        ({"description": ""}, "请填写“问题描述”。"),
        ({"category": None}, "请选择“问题类别”。"),
    ],
    ids=["long-description", "short-mobile", "bad-mobile", "no-consent", "empty", "no-category"],
)
def test_bad_input_gets_a_translated_message_and_saves_nothing(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    overrides: dict[str, object],
    message: str,
) -> None:
    response = _post(client, form_data(station, categories["roads"], **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CitizenIssue.objects.exists()


def test_a_double_tap_or_a_retry_returns_the_same_case(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    data = form_data(station, categories["roads"])
    first = _post(client, data)
    second = _post(client, data)  # the same hidden key: a retry after a network timeout
    assert CitizenIssue.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_honeypot_catches_robots_without_telling_them(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    response = _post(client, form_data(station, categories["roads"], website="http://spam.example"))
    assert response.status_code == 200
    assert "已收到" in response.content.decode()
    assert not CitizenIssue.objects.exists()


def test_a_banned_phone_cannot_submit(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    BannedPhone.objects.create(mobile_hash=mobile_hash("13812345678"), reason="恶意骚扰")
    response = _post(client, form_data(station, categories["roads"]))
    assert "该手机号暂不能通过本渠道提交" in response.content.decode()
    assert not CitizenIssue.objects.exists()
    assert not BannedPhone.objects.filter(mobile_hash__contains="1381234").exists()


def test_staff_ban_a_phone_from_the_case_and_only_its_hash_is_kept(
    district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    issue = submit(station=station, category=categories["roads"])
    ban = services.citizen_issue_ban_phone(issue=issue, by=district_staff, reason="反复辱骂")
    assert ban.mobile_hash == issue.mobile_hash and "13812345678" not in ban.mobile_hash
    with pytest.raises(Exception, match="暂不能"):
        submit(station=station, category=categories["roads"])


def test_spam_waits_in_the_moderation_queue(
    client: Client, station: Station, categories: dict[str, IssueCategory], district_staff: User
) -> None:
    _post(client, form_data(station, categories["other"], description="代开发票，加微信领取优惠"))
    issue = CitizenIssue.objects.get()
    assert issue.status == IssueStatus.PENDING_REVIEW
    assert not Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).exists()
    assert district_staff.notifications.filter(kind="citizen_issue.review").exists()
    services.citizen_issue_moderate(issue=issue, by=district_staff, approve=False, note="广告")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REJECTED


@override_settings(CITIZEN_SMS_CONFIRMATION=True)
def test_with_sms_confirmation_on_a_case_is_routed_only_after_the_code(
    client: Client,
    station: Station,
    categories: dict[str, IssueCategory],
    django_capture_on_commit_callbacks: object,
) -> None:
    sent: list[str] = []

    class Recorder:
        def send(self, *, mobile: str, text: str, reference: str) -> None:
            sent.append(text)

    after_commit = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with mock.patch("congress.sms.get_sms_backend", return_value=Recorder()), after_commit:
        response = _post(client, form_data(station, categories["roads"]))
    issue = CitizenIssue.objects.get()
    assert issue.status == IssueStatus.PENDING_CONFIRMATION
    assert not Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).exists()
    code = next(text for text in sent if "验证码" in text)[3:9]
    wrong = client.post(f"/q/t/{issue.tracking_token}/confirm/", {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    client.post(f"/q/t/{issue.tracking_token}/confirm/", {"code": code})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SUBMITTED
    assert Assignment.objects.filter(case_type=ISSUE_CASE, case_id=issue.pk).count() == 1
    assert response.status_code == 302


def test_similar_open_problems_nearby_are_offered_and_can_be_joined(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    first = submit(station=station, category=categories["roads"], description="桃园路口有大坑")
    hint = client.get(
        "/q/similar/",
        {"station": station.public_token, "category": categories["roads"].pk, "description": "坑"},
    ).content.decode()
    assert "桃园路口有大坑" in hint and first.tracking_code not in hint
    join = hint.split('name="join" value="')[1].split('"')[0]
    _post(client, form_data(station, categories["roads"], join=join, mobile="13900001111"))
    joined = CitizenIssue.objects.exclude(pk=first.pk).get()
    assert joined.merged_into == first and joined.status == IssueStatus.MERGED
    first.refresh_from_db()
    assert first.supporters == 2


def test_a_tampered_join_value_submits_the_problem_on_its_own(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    submit(station=station, category=categories["roads"])
    _post(client, form_data(station, categories["roads"], join="1:forged", mobile="13900001111"))
    assert CitizenIssue.objects.filter(merged_into__isnull=True).count() == 2


def test_the_general_page_asks_for_the_township(
    client: Client, world: object, categories: dict[str, IssueCategory]
) -> None:
    body = client.get(URL).content.decode()
    assert 'name="region"' in body
    payload = {
        "idempotency_key": str(uuid.uuid4()),
        "category": str(categories["roads"].pk),
        "description": "路面塌陷",
        "consent": "on",
    }
    response = client.post(URL, payload)
    assert "请选择问题所在的乡镇（街道）" in response.content.decode()
    payload["region"] = str(world.town.pk)  # type: ignore[attr-defined]
    assert client.post(URL, payload).status_code == 302
    assert CitizenIssue.objects.get().region == world.town  # type: ignore[attr-defined]


def test_finding_a_problem_by_code_and_phone_never_puts_the_phone_in_a_url(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    issue = submit(station=station, category=categories["roads"])
    wrong = client.post("/q/find/", {"tracking_code": issue.tracking_code, "mobile": "13900000000"})
    assert "没有找到" in wrong.content.decode()
    found = client.post(
        "/q/find/", {"tracking_code": issue.tracking_code.lower(), "mobile": "13812345678"}
    )
    assert found["Location"] == issue.get_tracking_url()
