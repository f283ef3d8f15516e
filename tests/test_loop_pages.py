"""The operator pages: a clerk sees and works their department's assignments;
supervisors and staff see what they oversee; nobody else finds them (404)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress import loop
from congress.models import Assignment, AssignmentStatus, Notification, User
from congress.workdays import add_workdays
from tests.conftest import World, login
from tests.loop_support import TEST_CASE


def _assign(world: World, by: User, n: int = 1, **kwargs: object) -> Assignment:
    return loop.assignment_create(
        case_type=TEST_CASE,
        case_id=n,
        title=f"排水不畅{n}",
        region=world.village,
        by=by,
        department=kwargs.pop("department", world.department),
        **kwargs,  # type: ignore[arg-type]
    )


def test_clerk_accepts_and_replies_on_the_assignment_page(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    login(client, clerk)
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "排水不畅1" in page and 'data-testid="action-accept"' in page
    client.post(
        f"/loop/assignments/{assignment.pk}/act/",
        {"action": "accept", "version": assignment.version, "note": ""},
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    client.post(
        f"/loop/assignments/{assignment.pk}/act/",
        {"action": "reply", "version": assignment.version, "note": "已疏通管道"},
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLIED
    page = client.get(f"/loop/assignments/{assignment.pk}/").content.decode()
    assert "已疏通管道" in page


def test_a_stale_form_says_the_case_moved(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    old_version = assignment.version
    loop.assignment_accept(assignment=assignment, by=clerk)
    login(client, clerk)
    response = client.post(
        f"/loop/assignments/{assignment.pk}/act/",
        {"action": "reply", "version": old_version, "note": "已办"},
        follow=True,
    )
    assert "已被他人处理" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_staff_cannot_act_as_the_department(
    client: Client, world: World, district_staff: User
) -> None:
    assignment = _assign(world, district_staff)
    login(client, district_staff)
    client.post(
        f"/loop/assignments/{assignment.pk}/act/",
        {"action": "accept", "version": assignment.version},
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_out_of_scope_assignments_are_404(
    client: Client,
    world: World,
    district_staff: User,
    other_clerk: User,
    other_district_staff: User,
) -> None:
    assignment = _assign(world, district_staff)
    for user in (other_clerk, other_district_staff):
        login(client, user)
        assert client.get(f"/loop/assignments/{assignment.pk}/").status_code == 404
        assert (
            client.post(
                f"/loop/assignments/{assignment.pk}/act/", {"action": "accept", "version": 0}
            ).status_code
            == 404
        )


def test_overdue_list_is_scoped_and_its_queries_do_not_grow(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    first = _assign(world, district_staff, 1)
    Assignment.objects.filter(pk=first.pk).update(due_on=add_workdays(timezone.localdate(), -2))
    login(client, district_staff)
    with CaptureQueriesContext(connection) as few:
        body = client.get("/loop/?state=overdue").content.decode()
    assert "排水不畅1" in body
    for n in range(2, 25):
        a = _assign(world, district_staff, n)
        Assignment.objects.filter(pk=a.pk).update(due_on=add_workdays(timezone.localdate(), -1))
    with CaptureQueriesContext(connection) as many:
        client.get("/loop/?state=overdue")
    assert len(many) == len(few)
    login(client, other_district_staff)
    assert "排水不畅1" not in client.get("/loop/?state=overdue").content.decode()


def test_inbox_shows_unread_count_and_opens_only_own_messages(
    client: Client, world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    _assign(world, district_staff)
    login(client, clerk)
    home = client.get("/").content.decode()
    assert 'data-testid="unread-count">1<' in home
    notification = Notification.objects.get(recipient=clerk)
    response = client.get(f"/inbox/{notification.pk}/open/")
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    login(client, other_clerk)
    assert client.get(f"/inbox/{notification.pk}/open/").status_code == 404


def test_preferences_are_saved(client: Client, world: World, clerk: User) -> None:
    login(client, clerk)
    client.post("/inbox/preferences/", {"email": "digest", "sms": "off"})
    assert dict(clerk.notification_preferences.values_list("channel", "mode")) == {
        "email": "digest",
        "sms": "off",
    }


def test_api_lists_and_acts_within_scope(
    client: Client, world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    assignment = _assign(world, district_staff)
    login(client, clerk)
    rows = client.get("/api/v1/assignments/?status=assigned").json()["results"]
    assert [row["id"] for row in rows] == [assignment.pk]
    response = client.post(
        f"/api/v1/assignments/{assignment.pk}/act/",
        {"action": "accept", "version": assignment.version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = client.post(
        f"/api/v1/assignments/{assignment.pk}/act/",
        {"action": "accept", "version": assignment.version},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    made_up = client.post(
        f"/api/v1/assignments/{assignment.pk}/act/",
        {"action": "approve", "version": assignment.version + 1},
        content_type="application/json",
    )
    assert made_up.status_code == 400 and "approve" in made_up.json()["message"]
    timeline_actions = [
        e["action"] for e in client.get(f"/api/v1/assignments/{assignment.pk}/timeline/").json()
    ]
    assert timeline_actions == ["assign", "accept"]
    login(client, other_clerk)
    assert client.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/assignments/{assignment.pk}/act/",
            {"action": "accept", "version": 1},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_bad_date_names_its_field_and_a_step_not_offered_is_refused(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    """The page's small form goes back with one message (docs/architecture.md, "A
    page's POST"): the field's error with its label, or the refusal; nothing moves."""
    assignment = _assign(world, district_staff)
    login(client, clerk)
    url = f"/loop/assignments/{assignment.pk}/act/"
    bad = client.post(
        url,
        {"action": "accept", "version": assignment.version, "until": "明天"},
        follow=True,
    )
    assert [str(m) for m in bad.context["messages"]] == ["“延期至”：输入一个有效的日期。"]
    early = client.post(url, {"action": "reply", "version": assignment.version}, follow=True)
    assert [str(m) for m in early.context["messages"]] == ["当前状态下不能进行该操作。"]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    taken = client.post(url, {"action": "accept", "version": assignment.version}, follow=True)
    assert [str(m) for m in taken.context["messages"]] == ["已保存。"]
