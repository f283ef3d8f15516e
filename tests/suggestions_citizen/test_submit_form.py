"""The submission form on a citizen's phone: what they missed is said at the top,
nothing they chose disappears without a word, and a retry costs them nothing.

A citizen scans 桃园社区代表联络站's QR code (海州区, 江海市), fills in the form
and taps 提交. Browser-side validation is checked in Chromium
(tests/browser/test_citizen_form.py); here the server's answer, without JavaScript.
"""

from __future__ import annotations

import re
import uuid

from django.test import Client, override_settings

from representatives.models import Station
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.suggestions_citizen.conftest import form_data, photo

URL = "/q/new/"


def _summary(html: str) -> str:
    found = re.search(
        r'<div class="alert alert-danger"[^>]*data-testid="error-summary".*?</div>', html, re.S
    )
    assert found, "no error summary on the page"
    return found.group(0)


def test_a_missed_consent_box_is_named_at_the_top_with_a_link_to_it(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    data = form_data(station, categories["roads"], consent=None)

    response = client.post(URL, data)

    html = response.content.decode()
    summary = _summary(html)
    assert (
        '<a class="alert-link" href="#id_consent">请阅读并同意个人信息处理告知后再提交。</a>'
        in summary
    )
    # At the top of the form, before its first field, not 1,260 px further down.
    assert html.index('data-testid="error-summary"') < html.index('name="category"')
    assert 'id="id_consent"' in html
    assert not CitizenIssue.objects.exists()


def test_what_the_citizen_typed_is_kept_and_the_photos_are_said_to_be_lost(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    data = form_data(
        station, categories["roads"], consent=None, photos=[photo("a.jpg"), photo("b.jpg")]
    )

    html = client.post(URL, data).content.decode()

    summary = _summary(html)
    assert "您选择的2张照片没有保存，请重新选择。" in summary
    assert 'href="#id_photos"' in summary
    assert "小区门口路灯坏了一个多月，晚上很黑" in html  # the description is still there
    assert "桃园路18号门口" in html


def test_every_refused_field_is_listed_each_with_its_own_anchor(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    data = form_data(station, categories["roads"], category=None, mobile="1381234", consent=None)

    summary = _summary(client.post(URL, data).content.decode())

    anchors = re.findall(r'href="#([a-z_]+)"', summary)
    assert anchors == ["id_category", "id_mobile", "id_consent"]


def test_the_town_is_asked_for_at_the_top_when_there_is_no_qr_code(
    client: Client, categories: dict[str, IssueCategory], station: Station
) -> None:
    data = form_data(station, categories["roads"])
    del data["station"]

    html = client.post(URL, data).content.decode()

    assert 'href="#id_region"' in _summary(html)
    assert "请选择问题所在的乡镇（街道）。" in _summary(html)
    assert not CitizenIssue.objects.exists()


def test_the_browser_checks_the_required_fields_before_uploading(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    html = client.get(f"{URL}?station={station.public_token}").content.decode()

    form = re.search(r'<form method="post" enctype="multipart/form-data"[^>]*>', html)
    assert form and "novalidate" not in form.group(0)
    assert re.search(r'<input type="checkbox" name="consent"[^>]*required', html)
    assert re.search(r'<textarea name="description"[^>]*required', html)
    assert len(re.findall(r'<input type="radio"[^>]*name="category"[^>]*required', html)) == len(
        categories
    )
    # Our words in the browser's bubble, not its own.
    assert 'data-required-message="请阅读并同意个人信息处理告知后再提交。"' in html
    assert "data-error-summary" not in html  # nothing refused yet


@override_settings(CITIZEN_RATE_PER_PHONE="5/h")
def test_seven_retries_of_one_submission_all_get_its_tracking_link(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    data = form_data(station, categories["roads"])

    answers = [client.post(URL, data) for _ in range(7)]

    assert [answer.status_code for answer in answers] == [302] * 7
    issue = CitizenIssue.objects.get()
    assert {answer["Location"] for answer in answers} == {f"{issue.get_tracking_url()}?new=1"}


@override_settings(CITIZEN_RATE_PER_PHONE="5/h")
def test_retries_cost_nothing_against_the_phone_limit(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    retried = form_data(station, categories["roads"])
    for _ in range(7):
        client.post(URL, retried)

    # Four more different problems from the same phone still fit in the 5/h.
    fresh = [
        client.post(
            URL, form_data(station, categories["roads"], description=f"第{n}个问题，路灯不亮")
        )
        for n in range(4)
    ]
    assert [answer.status_code for answer in fresh] == [302, 302, 302, 302]
    sixth = client.post(URL, form_data(station, categories["roads"], description="第六个问题"))
    assert sixth.status_code == 429
    assert CitizenIssue.objects.count() == 5


@override_settings(CITIZEN_RATE_PER_PHONE="5/h")
def test_the_api_answers_a_retry_with_its_case_past_the_phone_limit(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    body = {
        "idempotency_key": str(uuid.uuid4()),
        "station": station.public_token,
        "category": categories["roads"].pk,
        "description": "桥下积水，行人过不去",
        "mobile": "13812345678",
        "consent": True,
    }

    answers = [
        client.post("/api/v1/citizen/issues/", body, content_type="application/json")
        for _ in range(7)
    ]

    assert [answer.status_code for answer in answers] == [201] + [200] * 6
    codes = {answer.json()["tracking_code"] for answer in answers}
    assert codes == {CitizenIssue.objects.get().tracking_code}


def test_the_page_carries_the_standing_committee_not_the_staff_system(
    client: Client, station: Station, categories: dict[str, IssueCategory]
) -> None:
    html = client.get(f"{URL}?station={station.public_token}").content.decode()

    header = re.search(r'data-testid="public-body">([^<]+)<', html)
    assert header and header.group(1) == "海州区人民代表大会常务委员会"
    assert "代表履职管理系统" not in html
