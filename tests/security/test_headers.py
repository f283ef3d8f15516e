"""Security headers, asserted on real responses, and `check --deploy` with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import Client

from congress.health import heartbeat_write
from congress.models import User
from suggestions.citizen import services as citizen_services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World, login
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/regions/", "/api/v1/me/", "/nowhere/"])
def test_every_response_forbids_inline_scripts_and_framing(
    client: Client, district_staff: User, path: str
) -> None:
    response = login(client, district_staff).get(path, follow=False)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client: Client, district_staff: User) -> None:
    for path in ["/accounts/login/", "/", "/regions/", "/audit/", "/accounts/otp/setup/"]:
        body = login(client, district_staff).get(path).content.decode()
        for chunk in body.split("<script")[1:]:
            assert chunk.split(">", 1)[0].strip().startswith("src="), (path, chunk[:80])
        assert " onclick=" not in body and " onload=" not in body, path


def test_https_responses_carry_hsts(client: Client, db: None) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_and_session_is_http_only(
    client: Client, district_staff: User
) -> None:
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": "chenjing", "password": PASSWORD}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]


def test_plain_http_is_redirected_to_https_in_production(
    client: Client, db: None, settings: object
) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_health_check_stays_reachable_over_http_with_production_settings(
    client: Client, db: None, settings: object
) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    heartbeat_write("beat")  # as beat and a worker do while they run
    heartbeat_write("worker:celery@worker-1")
    assert client.get("/healthz", HTTP_HOST="10.0.0.9").status_code == 200


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "SESSION_"))
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
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- nothing personal stays in a browser's or a proxy's cache ------------------------


def _a_citizens_problem(world: World) -> CitizenIssue:
    citizen_services.categories_ensure_defaults()
    issue, _created = citizen_services.citizen_issue_submit(
        submission=citizen_services.Submission(
            category=IssueCategory.objects.first(),  # type: ignore[arg-type]
            description="小区门口路灯坏了一个多月",
            region=world.village,
            citizen_name="张建国",
            mobile="13912345678",
            consent=True,
        ),
        idempotency_key=uuid.uuid4(),
    )
    return issue


def test_every_answer_to_a_signed_in_user_is_no_store(
    client: Client, world: World, district_staff: User
) -> None:
    issue = _a_citizens_problem(world)
    login(client, district_staff)
    for path in [
        "/",
        "/issues/",
        f"/issues/{issue.pk}/",  # a case with the citizen's (masked) contact
        "/issues/export/",
        "/api/v1/me/",
        "/nowhere/",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response["Cache-Control"] == "no-store", path


def test_a_citizens_tracking_page_is_no_store(client: Client, world: World) -> None:
    issue = _a_citizens_problem(world)
    response = client.get(issue.get_tracking_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


# --- the secret key -------------------------------------------------------------------


def _start_with_secret_key(key: str) -> subprocess.CompletedProcess[str]:
    env = {key_: value for key_, value in os.environ.items() if key_ != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="0", SECRET_KEY=key, DJANGO_SETTINGS_MODULE="congress.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("change-me-to-a-long-random-string", "is still the placeholder from .env.example"),
        ("x" * 20 + "change-me" + "y" * 30, "is still the placeholder"),
        ("short-but-random-Q7v9Zp", "is 23 characters long; it needs at least 50"),
        ("ab" * 30, "is not random enough"),
        (
            "django-insecure-" + "Q7v9Zp3kLm2XwR8tYb4NcD6fGh1JsA5eUo0iVq9Wz7Tn",
            "is not random enough",
        ),
    ],
)
def test_a_weak_secret_key_stops_production_start_up(key: str, message: str) -> None:
    result = _start_with_secret_key(key)
    assert result.returncode != 0
    assert f"SECRET_KEY {message}" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # says how to make a good one


def test_a_random_secret_key_starts() -> None:
    result = _start_with_secret_key(secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr
