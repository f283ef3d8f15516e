"""A representative logs a visit on a phone, on a weak network, in under a minute."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from congress.errors import RuleViolation
from congress.models import User
from representatives import services
from representatives.models import ContactLog, Representative, Station
from tests.conftest import login


def _form(key: uuid.UUID, **values: str) -> dict[str, str]:
    data = {
        "idempotency_key": str(key),
        "kind": "visit",
        "contacted_on": timezone.localdate().isoformat(),
        "place": "桃园社区",
        "people_count": "3",
        "summary": "走访独居老人，了解助餐需求",
        "problems": "小区路灯不亮\n菜市场门口积水",
    }
    data.update(values)
    return data


def test_a_representative_logs_a_visit_with_problems(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    assert client.get("/contacts/new/").status_code == 200
    response = client.post("/contacts/new/", _form(uuid.uuid4()))
    assert response.status_code == 302
    log = ContactLog.objects.get()
    assert log.representative == representative and log.people_count == 3
    assert list(log.problems.values_list("text", flat=True)) == ["小区路灯不亮", "菜市场门口积水"]


def test_a_resend_with_the_same_key_creates_no_duplicate(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    key = uuid.uuid4()
    first = client.post("/contacts/new/", _form(key))
    second = client.post("/contacts/new/", _form(key))  # the phone retried after a timeout
    assert ContactLog.objects.count() == 1
    assert first["Location"] == second["Location"]
    client.post("/contacts/new/", _form(uuid.uuid4()))  # a new form is a new log
    assert ContactLog.objects.count() == 2


def test_the_api_is_idempotent_too(
    client: Client, representative: Representative, representative_user: User
) -> None:
    login(client, representative_user)
    body = {
        "idempotency_key": str(uuid.uuid4()),
        "kind": "phone",
        "contacted_on": timezone.localdate().isoformat(),
        "summary": "电话回复",
        "problems": ["路灯"],
    }
    first = client.post("/api/v1/contact-logs/", body, content_type="application/json")
    again = client.post("/api/v1/contact-logs/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ContactLog.objects.count() == 1


def test_a_contact_in_the_future_is_refused(
    client: Client, representative: Representative, representative_user: User
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(RuleViolation):
        services.contact_log_record(
            representative=representative,
            kind="visit",
            contacted_on=tomorrow,
            summary="x",
            by=representative_user,
        )
    login(client, representative_user)
    response = client.post("/contacts/new/", _form(uuid.uuid4(), contacted_on=tomorrow.isoformat()))
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    api = client.post(
        "/api/v1/contact-logs/",
        {"kind": "visit", "contacted_on": tomorrow.isoformat(), "summary": "x"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert not ContactLog.objects.exists()


def test_a_representative_cannot_edit_another_ones_log(
    client: Client,
    representative: Representative,
    other_representative: Representative,
    representative_user: User,
) -> None:
    theirs, _created = services.contact_log_record(
        representative=other_representative,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="张伟的记录",
        by=other_representative.user,
    )
    mine, _created = services.contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="刘红的记录",
        by=representative_user,
    )
    login(client, representative_user)
    assert client.get(f"/contacts/{mine.pk}/edit/").status_code == 200
    assert client.get(f"/contacts/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/contacts/{theirs.pk}/edit/", _form(uuid.uuid4())).status_code == 404
    assert client.get(f"/contacts/{theirs.pk}/").status_code == 404
    api = client.patch(
        f"/api/v1/contact-logs/{theirs.pk}/", {"summary": "改"}, content_type="application/json"
    )
    assert api.status_code == 404
    theirs.refresh_from_db()
    assert theirs.summary == "张伟的记录"


def test_staff_see_logs_of_their_district_only(
    client: Client,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
    other_district_staff: User,
    station: Station,
) -> None:
    log, _created = services.contact_log_record(
        representative=representative,
        kind="reception",
        contacted_on=timezone.localdate(),
        summary="接待",
        station=station,
        by=representative.user,
    )
    login(client, district_staff)
    assert client.get(f"/contacts/{log.pk}/").status_code == 200
    login(client, other_district_staff)
    assert client.get(f"/contacts/{log.pk}/").status_code == 404
    assert client.get("/api/v1/contact-logs/").json()["count"] == 0


def test_editing_keeps_problems_already_handed_on(
    representative: Representative, representative_user: User
) -> None:
    log, _created = services.contact_log_record(
        representative=representative,
        kind="visit",
        contacted_on=timezone.localdate(),
        summary="走访",
        problems=["路灯", "积水"],
        by=representative_user,
    )
    handed = log.problems.get(text="路灯")
    services.contact_problem_mark_converted(
        problem=handed, case_type="suggestions.citizenissue", case_id=7, by=representative_user
    )
    services.contact_log_update(log=log, by=representative_user, problems=["噪音"])
    assert set(log.problems.values_list("text", flat=True)) == {"路灯", "噪音"}
