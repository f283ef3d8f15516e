from django.test import Client

from congress.models import AuditAction, AuditEvent, User
from tests.conftest import World, login
from tests.factories import PASSWORD


def test_anonymous_user_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese_by_default(client: Client, db: None) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in body
    assert "工作人员与代表登录" in body


def test_english_works_too(client: Client, db: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body
    assert "Staff and representative sign-in" in body


def test_login_and_home_show_role_aware_navigation(
    client: Client, world: World, district_staff: User
) -> None:
    response = client.post("/accounts/login/", {"username": "chenjing", "password": PASSWORD})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "陈静" in body
    assert "行政区划" in body  # staff navigation
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, username="chenjing").exists()


def test_clerk_has_no_region_navigation(client: Client, world: World, clerk: User) -> None:
    body = login(client, clerk).get("/").content.decode()
    assert 'href="/regions/"' not in body
    assert 'href="/departments/"' in body


def test_failed_login_is_audited_without_the_password(client: Client, db: None) -> None:
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong-guess-123"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.username == "nobody"
    assert "wrong-guess-123" not in str(event.detail)


def test_security_headers_are_set(client: Client, db: None) -> None:
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_health_check_answers_without_host_or_https(client: Client, db: None) -> None:
    # A load balancer asks by address, over plain HTTP: the check must answer, not
    # refuse the host or redirect. No worker or beat runs beside this test, so the
    # answer is 503 naming them; the database part is what this request can prove.
    response = client.get("/healthz", HTTP_HOST="10.0.0.9:8000")
    assert response.status_code in (200, 503)
    assert response.json()["database"] == "ok"


def test_an_oversized_body_is_refused_before_it_is_read(client: Client, db: None) -> None:
    response = client.post(
        "/accounts/login/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "太大" in response.content.decode()
