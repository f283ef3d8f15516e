"""Representatives' logins in bulk over the API (representatives/accounts_api.py), and
the demo's SMS code shown on the code page (representatives/signin_views.py).

陈静 (district_staff) gives 海州区's representatives their logins from a script: 刘红
already has one, 周平 has no number, 钱多 and 吴芳 can have one. 孙悦 sits for 临江区,
outside her jurisdiction.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from congress.sms import RecordingSmsBackend
from representatives.accounts import accounts_create
from representatives.models import Representative
from representatives.signin_setup import demo_code_off
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, seat

URL = "/api/v1/representative-accounts/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(world: World, representative: Representative) -> dict[str, Representative]:
    def rep(name: str, mobile: str) -> Representative:
        person = RepresentativeFactory(name=name, region=world.village, mobile=mobile)
        seat(person, world.district)
        return person

    return {
        "刘红": representative,
        "周平": rep("周平", ""),
        "钱多": rep("钱多", "13700000004"),
        "吴芳": rep("吴芳", "13700000005"),
    }


def _post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(data), content_type="application/json")


def _logins() -> int:
    return Representative.objects.filter(user__isnull=False).count()


# --- preview ---------------------------------------------------------------------------


def test_the_preview_counts_everyone_and_shows_one_page(
    client: Client, world: World, district_staff: User, people: dict[str, Representative]
) -> None:
    login(client, district_staff)
    users_before = User.objects.count()

    first = client.get(URL, {"region": world.district.pk, "page_size": 3})
    second = client.get(URL, {"region": world.district.pk, "page_size": 3, "page": 2})

    assert first.status_code == 200 and second.status_code == 200
    body = first.json()
    assert (body["total"], body["creatable"], body["pages"], body["page"]) == (4, 2, 2, 1)
    assert {item["outcome"]: item["count"] for item in body["counts"]} == {
        "created": 2,
        "has_login": 1,
        "no_mobile": 1,
    }
    assert {item["label"] for item in body["counts"]} == {
        "开通登录账号",
        "已有登录账号",
        "未登记手机号",
    }
    rows = body["results"] + second.json()["results"]
    assert sorted(row["name"] for row in rows) == ["刘红", "吴芳", "周平", "钱多"]
    assert len(body["results"]) == 3 and second.json()["page"] == 2
    assert "13700000004" not in first.content.decode() + second.content.decode()
    assert {row["masked_mobile"] for row in rows} >= {"137****0004", "139****0001"}
    assert User.objects.count() == users_before


def test_the_preview_takes_ids_in_the_query_string(
    client: Client, district_staff: User, people: dict[str, Representative]
) -> None:
    login(client, district_staff)
    ids = f"{people['钱多'].pk},{people['周平'].pk}"

    body = client.get(URL, {"ids": ids}).json()

    assert {row["name"]: row["outcome"] for row in body["results"]} == {
        "钱多": "created",
        "周平": "no_mobile",
    }


def test_the_preview_costs_the_same_for_3_and_30_people(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    counts = []
    for total in (3, 30):
        Representative.objects.all().delete()
        for n in range(total):
            seat(
                RepresentativeFactory(region=world.village, mobile=f"1380000{n:04d}"),
                world.district,
            )
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(URL, {"region": world.district.pk})
        assert answer.status_code == 200 and answer.json()["total"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- create ----------------------------------------------------------------------------


def test_creating_answers_the_per_row_report(
    client: Client, world: World, district_staff: User, people: dict[str, Representative]
) -> None:
    login(client, district_staff)

    done = _post(client, {"congress": world.district.congress.pk})

    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["total"], body["created"]) == (4, 2)
    report = {row["name"]: (row["outcome"], row["username"]) for row in body["results"]}
    assert report == {
        "刘红": ("has_login", ""),
        "周平": ("no_mobile", ""),
        "钱多": ("created", "13700000004"),
        "吴芳": ("created", "13700000005"),
    }
    assert _logins() == 3


def test_running_it_again_finishes_an_interrupted_run_without_duplicates(
    client: Client, world: World, district_staff: User, people: dict[str, Representative]
) -> None:
    """The first run stopped after 钱多's login: the same request again makes 吴芳's,
    and a third changes nothing."""
    accounts_create(
        representatives=Representative.objects.filter(pk=people["钱多"].pk), by=district_staff
    )
    login(client, district_staff)

    again = _post(client, {"region": world.district.pk}).json()
    third = _post(client, {"region": world.district.pk}).json()

    outcomes = {row["name"]: row["outcome"] for row in again["results"]}
    assert outcomes["钱多"] == "has_login" and outcomes["吴芳"] == "created"
    assert again["created"] == 1 and third["created"] == 0
    assert {row["outcome"] for row in third["results"]} == {"has_login", "no_mobile"}
    assert _logins() == 3
    assert not User.objects.values("username").annotate(n=Count("pk")).filter(n__gt=1).exists()


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "data", "field"),
    [
        ("GET", {"level": "galactic"}, "level"),
        ("GET", {"ids": "1,abc"}, "ids"),
        ("GET", {"region": "x"}, "region"),
        ("GET", {"region": "1", "page_size": "0"}, "page_size"),
        ("POST", {"ids": ["abc"]}, "ids"),
        ("POST", {"congress": "first"}, "congress"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(
    client: Client,
    district_staff: User,
    people: dict[str, Representative],
    method: str,
    data: dict[str, Any],
    field: str,
) -> None:
    login(client, district_staff)

    answer = client.get(URL, data) if method == "GET" else _post(client, data)

    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert answer.json()["message"].startswith(f"{field}: ")
    assert _logins() == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_nothing_chosen_is_refused_with_what_to_choose(
    client: Client, district_staff: User, people: dict[str, Representative], method: str
) -> None:
    login(client, district_staff)

    answer = client.get(URL) if method == "GET" else _post(client, {})

    assert answer.status_code == 400
    assert answer.json()["message"] == "请至少选择人大、层级或地区之一。"
    assert _logins() == 1


@pytest.mark.parametrize("named", ["congress", "region", "ids"])
def test_a_place_or_person_outside_the_jurisdiction_is_a_404_and_nothing_is_made(
    client: Client,
    world: World,
    district_staff: User,
    people: dict[str, Representative],
    far_representative: Representative,
    named: str,
) -> None:
    """Also when the ids mix her own representatives with one from 临江区."""
    login(client, district_staff)
    far_representative.mobile = "13700000009"
    far_representative.save()
    data: dict[str, Any] = {
        "congress": {"congress": world.other_district.congress.pk},
        "region": {"region": world.other_district.pk},
        "ids": {"ids": [people["钱多"].pk, far_representative.pk]},
    }[named]

    preview = client.get(
        URL, {key: ",".join(map(str, v)) if key == "ids" else v for key, v in data.items()}
    )
    created = _post(client, data)

    assert preview.status_code == 404 and created.status_code == 404
    assert _logins() == 1


@pytest.mark.parametrize("persona", ["representative_user", "clerk", "committee_member"])
def test_a_role_that_may_not_give_logins_gets_a_403(
    client: Client,
    world: World,
    persona: str,
    request: pytest.FixtureRequest,
    people: dict[str, Representative],
) -> None:
    login(client, request.getfixturevalue(persona))

    preview = client.get(URL, {"region": world.district.pk})
    created = _post(client, {"region": world.district.pk})

    assert preview.status_code == 403 and created.status_code == 403
    assert created.json()["message"] == "只有人大常委会工作人员可以开通代表登录账号。"
    assert _logins() == 1


def test_anonymous_is_asked_to_sign_in(client: Client, world: World, db: None) -> None:
    assert client.get(URL, {"region": world.district.pk}).status_code == 401
    assert _post(client, {"region": world.district.pk}).status_code == 401


# --- the demo's code on the page --------------------------------------------------------


@pytest.fixture
def recording(settings: Any) -> None:
    settings.SMS_BACKEND = "congress.sms.RecordingSmsBackend"
    RecordingSmsBackend.outbox.clear()
    cache.clear()  # the rate limits' counters


def _ask(client: Client, mobile: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/accounts/sms/", {"mobile": mobile}, follow=True)


def test_the_demo_shows_the_code_that_was_texted_and_it_signs_in(
    client: Client,
    representative: Representative,
    recording: None,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DEBUG = True
    settings.SMS_SIGNIN_DEMO_CODE = True

    with caplog.at_level("DEBUG"):
        page = _ask(client, "13900000001", django_capture_on_commit_callbacks)

    texted = re.search(r"验证码为(\d+)", RecordingSmsBackend.outbox[-1].text)
    assert texted
    code = texted.group(1)
    shown = re.search(
        r'data-testid="sms-demo-code">演示环境：验证码 <strong[^>]*>(\d+)<', page.content.decode()
    )
    assert shown and shown.group(1) == code
    assert not [record for record in caplog.records if code in record.getMessage()]
    signed_in = client.post("/accounts/sms/code/", {"code": code})
    assert signed_in.status_code == 302
    assert client.get("/").wsgi_request.user == representative.user
    assert "sms_signin_demo_code" not in client.session


def test_the_demo_shows_no_code_for_a_number_no_phone_would_get_one_for(
    client: Client,
    representative: Representative,
    recording: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DEBUG = True
    settings.SMS_SIGNIN_DEMO_CODE = True

    page = _ask(client, "13911112222", django_capture_on_commit_callbacks)

    assert page.redirect_chain == [("/accounts/sms/code/", 302)]
    assert "演示环境" not in page.content.decode()
    assert RecordingSmsBackend.outbox == []


def test_with_debug_off_no_code_is_shown_even_if_the_setting_says_so(
    client: Client,
    representative: Representative,
    recording: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DEBUG = False
    settings.SMS_SIGNIN_DEMO_CODE = True  # a settings module that set it by hand

    page = _ask(client, "13900000001", django_capture_on_commit_callbacks)

    assert len(RecordingSmsBackend.outbox) == 1
    assert "演示环境" not in page.content.decode()
    assert "sms_signin_demo_code" not in client.session


def test_the_deploy_check_refuses_the_demo_code(settings: Any) -> None:
    settings.SMS_SIGNIN_DEMO_CODE = True
    assert [message.id for message in demo_code_off()] == ["representatives.E001"]
    settings.SMS_SIGNIN_DEMO_CODE = False
    assert demo_code_off() == []


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SESSION_", "SMS_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rd.example.cn",
        CSRF_TRUSTED_ORIGINS="https://rd.example.cn",
        TRUSTED_PROXY_COUNT="1",
        SITE_URL="https://rd.example.cn",
        DATABASE_URL="postgres://congress:not-a-real-password@127.0.0.1:5432/congress",
        REDIS_URL="redis://127.0.0.1:6379/1",
        STATIC_MANIFEST="1",
        **extra,
    )
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_cannot_turn_the_demo_code_on() -> None:
    """Asked for in the environment with DEBUG off, it stays off and ``check --deploy``
    is clean; with DEBUG on, ``check --deploy`` names it."""
    production = _production_env(SMS_SIGNIN_DEMO_CODE="1")
    shown = _run(
        "shell",
        "-c",
        "from django.conf import settings; print('demo code', settings.SMS_SIGNIN_DEMO_CODE)",
        env=production,
    )
    assert "demo code False" in shown.stdout, shown.stdout + shown.stderr
    clean = _run("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    demo = _run("check", "--deploy", env={**production, "DEBUG": "1"})
    assert demo.returncode != 0
    assert "representatives.E001" in demo.stdout + demo.stderr
