"""Account pages: changing one's password in the product, and a first sign-in with a
password that staff chose.

陈静 (district staff) changes her password from the user menu, in Chinese and in
English, and mistypes her old one once. 刘红 is a new representative: district staff
made her login, so she knows a password 陈静 has seen; at her first sign-in she must
choose her own before anything else opens. The demo's documented accounts keep
their documented password.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from congress.demo import DEMO_PASSWORD, build_core
from congress.models import AuditAction, AuditEvent, User
from representatives.services import representative_create, representative_create_login
from tests.conftest import World, login
from tests.factories import PASSWORD
from tests.representatives.factories import seat

PAGE = "/accounts/password/"
NEW_PASSWORD = "海州-路灯-Lantern-2026!"


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _sign_in(client: Client, username: str, password: str) -> None:
    """Through the login form, as a person does (a forced login skips the login hooks)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def _change(client: Client, old: str, new: str = NEW_PASSWORD, **extra: str) -> Any:
    data = {"old_password": old, "new_password1": new, "new_password2": new, **extra}
    return client.post(PAGE, data)


# --- changing one's password ---------------------------------------------------------


def test_staff_change_their_password_in_the_products_own_layout(
    client: Client, district_staff: User
) -> None:
    login(client, district_staff)
    home = client.get("/").content.decode()
    assert f'href="{PAGE}"' in home  # the user menu's 修改密码

    page = client.get(PAGE).content.decode()
    assert 'data-testid="password-title"' in page
    assert 'data-testid="user-menu"' in page  # the product's navigation, not the admin's
    assert "Django" not in page and "/admin/" not in page
    assert "旧密码" in page and "新密码确认" in page
    assert "至少" in page  # the product's validators explain themselves (10 characters)

    response = _change(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)
    after = client.get("/")
    assert after.status_code == 200 and "密码已修改" in after.content.decode()  # still signed in
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == district_staff and event.detail == {"initial": False}
    assert NEW_PASSWORD not in str(event.detail) and PASSWORD not in str(event.detail)


def test_a_wrong_old_password_is_refused_and_changes_nothing(
    client: Client, district_staff: User
) -> None:
    login(client, district_staff)
    response = _change(client, "not-my-password-1")
    assert response.status_code == 200
    assert "你的旧密码不正确" in response.content.decode()
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_a_missing_field_is_named_in_the_message(client: Client, district_staff: User) -> None:
    login(client, district_staff)
    response = client.post(PAGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD})
    assert "请填写“新密码确认”。" in response.content.decode()
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)


def test_the_page_in_english(client: Client, district_staff: User) -> None:
    _in_english(login(client, district_staff))
    page = client.get(PAGE).content.decode()
    assert "Old password" in page and "New password confirmation" in page
    assert "Change password" in page  # needs the English catalogue (locale/en)

    response = _change(client, "not-my-password-1")
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(PAGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD})
    assert "Please fill in “New password confirmation”." in response.content.decode()

    assert _change(client, PASSWORD).status_code == 302
    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)


# --- a password that staff chose -----------------------------------------------------


@pytest.fixture
def new_representative(world: World, district_staff: User) -> tuple[User, str]:
    """刘红, with the login district staff just made for her and its initial password."""
    rep = representative_create(
        by=district_staff, name="刘红", gender="female", region=world.village
    )
    seat(rep, world.district)
    return representative_create_login(representative=rep, username="liuhong", by=district_staff)


def test_a_login_made_by_staff_must_be_changed_before_anything_else(
    client: Client, new_representative: tuple[User, str]
) -> None:
    user, initial = new_representative
    _sign_in(client, "liuhong", initial)

    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?next=/"
    assert client.get("/contacts/new/")["Location"].startswith(PAGE)
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"

    page = client.get(f"{PAGE}?next=/").content.decode()
    assert 'data-testid="password-required"' in page and "工作人员设置" in page

    response = _change(client, initial, next="/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == user and event.detail == {"initial": True}


def test_the_initial_password_typed_again_is_not_a_change(
    client: Client, new_representative: tuple[User, str]
) -> None:
    user, initial = new_representative
    _sign_in(client, "liuhong", initial)

    response = _change(client, initial, new=initial, next="/")
    assert response.status_code == 200
    assert "新密码不能与旧密码相同。" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(initial)
    assert client.get("/")["Location"] == f"{PAGE}?next=/"  # still owed
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_signing_out_is_still_possible_before_the_change(
    client: Client, new_representative: tuple[User, str]
) -> None:
    _user, initial = new_representative
    _sign_in(client, "liuhong", initial)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_reset_by_an_administrator_must_be_changed(
    client: Client, administrator: User, district_staff: User
) -> None:
    login(client, administrator)
    response = client.post(
        f"/admin/congress/user/{district_staff.pk}/password/",
        {"password1": "Reset-by-admin-2026", "password2": "Reset-by-admin-2026"},
    )
    assert response.status_code == 302
    district_staff.refresh_from_db()
    assert district_staff.must_change_password
    assert district_staff.check_password("Reset-by-admin-2026")

    staff_client = Client()
    _sign_in(staff_client, district_staff.username, "Reset-by-admin-2026")
    assert staff_client.get("/regions/")["Location"] == f"{PAGE}?next=/regions/"


def test_an_account_added_in_the_admin_must_change_its_password(
    client: Client, administrator: User
) -> None:
    login(client, administrator)
    response = client.post(
        "/admin/congress/user/add/",
        {
            "username": "newclerk",
            "usable_password": "true",
            "password1": "Given-by-admin-2026",
            "password2": "Given-by-admin-2026",
            # the role-grant inline's empty formset
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert User.objects.get(username="newclerk").must_change_password


def test_the_demo_accounts_keep_their_documented_password(client: Client, db: None) -> None:
    # Every demo builder makes its logins with DemoContext.add_account, as the core does.
    ctx = build_core(today=datetime.date(2026, 3, 2), scale=0.1)
    documented = User.objects.filter(username__in=[name for name, _ in ctx.accounts])
    assert documented.count() == len(ctx.accounts) > 5
    assert not documented.filter(must_change_password=True).exists()
    _sign_in(client, "district_staff", DEMO_PASSWORD)
    assert client.get("/").status_code == 200
