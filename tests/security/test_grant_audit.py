"""Who gave whom a role: the administrator 李强 makes 赵磊 a handler of 海州区交通运输局
and later takes the role away. The audit rows name 李强 as the actor, with the address
he worked from, and 赵磊 as the user whose role changed, whichever interface did it; and
海州区's staff find the change under 赵磊's name."""

from __future__ import annotations

from django.test import Client, RequestFactory

from congress.audit import current_request
from congress.models import AuditAction, AuditEvent, Role, RoleGrant, User
from tests.conftest import World, login
from tests.factories import UserFactory

ADMIN_ADDRESS = "203.0.113.7"


def test_a_role_given_in_the_admin_names_the_administrator_and_the_user(
    client: Client, administrator: User, world: World
) -> None:
    login(client, administrator)
    response = client.post(
        "/admin/congress/user/add/",
        {
            "username": "zhaolei2",
            "usable_password": "true",
            "password1": "Given-by-admin-2026",
            "password2": "Given-by-admin-2026",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": Role.HANDLER,
            "role_grants-0-department": world.department.pk,
        },
        REMOTE_ADDR=ADMIN_ADDRESS,
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    handler = User.objects.get(username="zhaolei2")
    grant = RoleGrant.objects.get(user=handler)
    row = AuditEvent.objects.get(action=AuditAction.GRANT_ADDED, detail__grant=grant.pk)
    assert row.actor == administrator and row.username == administrator.username
    assert row.ip == ADMIN_ADDRESS
    assert (row.object_type, row.object_id) == ("congress.User", str(handler.pk))
    assert row.detail["user"] == "zhaolei2" and row.detail["role"] == Role.HANDLER
    assert row.detail["department"] == world.department.pk


def test_a_role_taken_away_during_any_request_names_whoever_is_signed_in(
    administrator: User, world: World
) -> None:
    """The admin, a page and the API all answer a request the middleware keeps for the
    audit (the API's token user is set on it by DRF): the row takes its actor and address
    from there."""
    handler = UserFactory(username="zhaolei2", display_name="赵磊")
    grant = RoleGrant.objects.create(user=handler, role=Role.HANDLER, department=world.department)
    request = RequestFactory().post("/anything/", REMOTE_ADDR=ADMIN_ADDRESS)
    request.user = administrator
    token = current_request.set(request)
    try:
        grant.delete()
    finally:
        current_request.reset(token)
    row = AuditEvent.objects.get(action=AuditAction.GRANT_REMOVED)
    assert (row.actor, row.ip) == (administrator, ADMIN_ADDRESS)
    assert row.object_id == str(handler.pk) and row.object_repr == str(handler)
    assert row.detail["user"] == "zhaolei2"


def test_district_staff_see_roles_given_to_their_people_only(
    client: Client, administrator: User, district_staff: User, world: World
) -> None:
    request = RequestFactory().post("/admin/", REMOTE_ADDR=ADMIN_ADDRESS)
    request.user = administrator
    token = current_request.set(request)
    try:
        ours = UserFactory(username="zhaolei2", display_name="赵磊")
        RoleGrant.objects.create(user=ours, role=Role.HANDLER, department=world.department)
        theirs = UserFactory(username="sunli2", display_name="孙丽")
        RoleGrant.objects.create(user=theirs, role=Role.HANDLER, department=world.other_department)
    finally:
        current_request.reset(token)
    page = login(client, district_staff).get("/audit/", {"action": AuditAction.GRANT_ADDED})
    targets = {row.object_id for row in page.context["page"] if row.actor == administrator}
    assert targets == {str(ours.pk)}
