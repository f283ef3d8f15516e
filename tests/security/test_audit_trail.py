"""The audit trail: append-only everywhere, and searchable by staff within their region.

District staff 陈静 looks into who did what in 海州区: she sees her own logins,
the transport clerk's, and a failed login typed with his name; she never sees
what happened in 临江区. Administrators see everything.
"""

from __future__ import annotations

import pytest
from django.test import Client

from congress import loop
from congress.audit import audit_record
from congress.models import AssignmentStatus, AuditAction, AuditEvent, User
from congress.workflow import apply_transition
from tests.conftest import World, login
from tests.loop_support import TEST_CASE


@pytest.fixture
def trail(
    district_staff: User, clerk: User, other_clerk: User, other_district_staff: User
) -> dict[str, AuditEvent]:
    return {
        "own": audit_record(action=AuditAction.LOGIN, actor=district_staff),
        "clerk": audit_record(action=AuditAction.EXPORT, actor=clerk),
        "clerk_failed": audit_record(action=AuditAction.LOGIN_FAILED, username="zhaolei"),
        "other_clerk": audit_record(action=AuditAction.REVEAL, actor=other_clerk),
        "other_staff": audit_record(action=AuditAction.LOGIN, actor=other_district_staff),
        "stranger": audit_record(action=AuditAction.LOGIN_FAILED, username="root"),
    }


def _rows(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return [row.username for row in response.context["page"]]


def _ids(client: Client, query: str = "") -> set[int]:
    return {row.pk for row in client.get(f"/audit/{query}").context["page"]}


def test_district_staff_see_their_regions_users_only(
    client: Client, district_staff: User, trail: dict[str, AuditEvent]
) -> None:
    seen = _ids(login(client, district_staff))
    assert {trail["own"].pk, trail["clerk"].pk, trail["clerk_failed"].pk} <= seen
    assert not {trail["other_clerk"].pk, trail["other_staff"].pk, trail["stranger"].pk} & seen
    # (Role grants given to 海州区 people are in her view too; only they, and her own.
    # The fixtures' grants were made outside any request: no actor, so no name.)
    assert {name for name in _rows(client) if name} == {"chenjing", "zhaolei"}


def test_city_staff_see_both_districts_but_not_unknown_names(
    client: Client, city_staff: User, trail: dict[str, AuditEvent]
) -> None:
    names = _rows(login(client, city_staff))
    assert "root" not in names
    assert {"chenjing", "zhaolei", "sunli", "liqiang"} <= set(names)


def test_administrators_see_everything(
    client: Client, administrator: User, trail: dict[str, AuditEvent]
) -> None:
    assert len(_rows(login(client, administrator))) == AuditEvent.objects.count()


@pytest.mark.parametrize("persona", ["clerk", "committee_member", "representative_user"])
def test_others_get_a_404(
    client: Client, persona: str, request: pytest.FixtureRequest, trail: dict[str, AuditEvent]
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get("/audit/").status_code == 404


def test_filters_narrow_the_search(
    client: Client, administrator: User, trail: dict[str, AuditEvent]
) -> None:
    login(client, administrator)
    assert _rows(client, "?action=login_failed") == ["root", "zhaolei"]
    assert set(_rows(client, "?username=ZHAOLEI")) == {"zhaolei"}
    assert _rows(client, "?username=zhaolei&action=export") == ["zhaolei"]
    assert _rows(client, "?since=2000-01-01&until=2000-01-02") == []
    assert client.get("/audit/?since=not-a-date").status_code == 200  # told, not crashed


def test_the_list_costs_the_same_few_queries_however_long(
    client: Client,
    district_staff: User,
    clerk: User,
    django_assert_max_num_queries: object,
) -> None:
    login(client, district_staff)
    for _ in range(3):
        audit_record(action=AuditAction.EXPORT, actor=clerk)
    # Twelve: two of them read the user's permissions once (the 修改记录 tab is for
    # holders of the audit permission); none grows with the list.
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get("/audit/")
    for _ in range(60):
        audit_record(action=AuditAction.EXPORT, actor=clerk)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get("/audit/?action=export")
    assert len(response.context["page"]) == 50


def test_the_trail_cannot_be_changed_or_deleted_in_code(trail: dict[str, AuditEvent]) -> None:
    event = trail["own"]
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(username="someone-else")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_nor_through_the_admin(
    client: Client, administrator: User, trail: dict[str, AuditEvent]
) -> None:
    event = trail["own"]
    login(client, administrator)
    url = f"/admin/congress/auditevent/{event.pk}/change/"
    client.post(url, {"username": "tampered", "action": "logout"})
    assert (
        client.post(f"/admin/congress/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        "/admin/congress/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.username == "chenjing"


def test_role_changes_are_audited(administrator: User, clerk: User) -> None:
    from congress.models import Role, RoleGrant

    grant = RoleGrant.objects.get(user=clerk, role=Role.HANDLER)
    added = AuditEvent.objects.get(action=AuditAction.GRANT_ADDED, detail__grant=grant.pk)
    assert (added.object_type, added.object_id) == ("congress.User", str(clerk.pk))
    grant.delete()
    removed = AuditEvent.objects.get(action=AuditAction.GRANT_REMOVED)
    assert removed.object_id == str(clerk.pk) and removed.detail["user"] == "zhaolei"
    # Made outside a request (a fixture): nobody acted through the site, no address.
    assert (removed.actor, removed.username, removed.ip) == (None, "", None)


def test_every_state_change_is_in_the_trail_with_the_actors_address(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=7,
        title="排水不畅",
        region=world.village,
        by=district_staff,
        department=world.department,
    )
    login(client, clerk)
    client.post(
        f"/loop/assignments/{assignment.pk}/act/",
        {"action": "accept", "version": assignment.version, "note": "张三来电 13912345678"},
        REMOTE_ADDR="198.51.100.23",
    )

    row = AuditEvent.objects.get(action=AuditAction.STATE_CHANGE, actor=clerk)
    assert (row.object_type, row.object_id, row.ip) == (
        "congress.Assignment",
        str(assignment.pk),
        "198.51.100.23",
    )
    assert row.detail == {
        "case_type": TEST_CASE,
        "case_id": 7,
        "action": "accept",
        "from": "assigned",
        "to": "accepted",
    }
    # Notes stay on the case's timeline: they may carry a citizen's words.
    assert "13912345678" not in str(row.detail) + row.object_repr
    # District staff find it on their audit page.
    assert row.pk in _ids(login(client, district_staff), "?action=state_change")


def test_a_change_with_no_one_signed_in_records_no_address(world: World) -> None:
    # The system (a sweep) or a citizen without an account: the trail says who in
    # words, and keeps no address (PIPL: nothing beyond the purpose).
    assignment = loop.assignment_create(
        case_type=TEST_CASE,
        case_id=8,
        title="路灯不亮",
        region=world.village,
        by=None,
        department=world.department,
    )
    apply_transition(
        instance=assignment,
        transitions={"accept": ((AssignmentStatus.ASSIGNED,), AssignmentStatus.ACCEPTED)},
        action="accept",
        by=None,
        case_type=TEST_CASE,
        actor_label="系统",
        case_id=8,
    )
    row = AuditEvent.objects.get(action=AuditAction.STATE_CHANGE)
    assert (row.actor, row.username, row.ip) == (None, "系统", None)
