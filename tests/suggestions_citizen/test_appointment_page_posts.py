"""The appointment forms' answers (docs/architecture.md, "A page's POST"): a refusal is
shown beside the form with what was typed and nothing is stored. The citizen's form
answers 200 as the citizen-problem form does (a phone's browser shows the page either
way); the representative's request to meet a department head, the refusal's status."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.test import Client
from django.utils import timezone

from congress.models import User
from representatives.models import Representative, Station
from suggestions.citizen.privacy import mobile_hash
from suggestions.models.citizen import Appointment, BannedPhone
from tests.conftest import World, login


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _citizen(representative: Representative, **fields: Any) -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "representative": representative.pk,
        "topic": "反映小区停车难",
        "preferred_date": _day(2),
        "citizen_name": "王秀英",
        "mobile": "13812345678",
        "consent": "on",
        **fields,
    }


def test_a_citizens_request_from_a_banned_phone_comes_back_with_the_reason(
    client: Client, station: Station, representative: Representative
) -> None:
    BannedPhone.objects.create(mobile_hash=mobile_hash("13812345678"), reason="恶意骚扰")
    url = f"/q/appointment/?station={station.public_token}"
    answer = client.post(url, _citizen(representative))
    assert answer.status_code == 200
    (reason,) = answer.context["form"].non_field_errors()
    assert reason.startswith("该手机号暂不能通过本渠道提交")
    assert "反映小区停车难" in answer.content.decode()  # what was typed is kept
    assert answer["Cache-Control"] == "no-store"
    yesterday = client.post(url, _citizen(representative, preferred_date=_day(-1)))
    assert yesterday.status_code == 200
    assert yesterday.context["form"].errors["preferred_date"] == ["希望日期不能早于今天。"]
    assert not Appointment.objects.exists()


def _department(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "department": world.department.pk,
        "topic": "村道硬化资金落实情况",
        "preferred_date": _day(5),
        **fields,
    }


def test_a_representatives_request_is_refused_beside_the_form_then_sent(
    client: Client, world: World, representative: Representative, district_staff: User
) -> None:
    assert representative.user is not None
    login(client, representative.user)
    url = "/appointments/department/new/"
    late = client.post(url, _department(world, preferred_date=_day(-1)))
    assert late.status_code == 400
    assert late.context["form"].non_field_errors() == ["希望日期不能早于今天。"]
    assert "村道硬化资金落实情况" in late.content.decode()
    assert client.post(url, _department(world, department="")).status_code == 400
    assert not Appointment.objects.exists()
    sent = client.post(url, _department(world), follow=True)
    appointment = Appointment.objects.get()
    assert sent.redirect_chain == [(appointment.get_absolute_url(), 302)]
    assert [str(m) for m in sent.context["messages"]] == [
        "约见申请已提交，人大工作人员将与有关单位联系。"
    ]
