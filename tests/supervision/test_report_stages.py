"""A report's three stages before the meeting (监督法 2024, issue #17), through the real
services, the sweep and the pages.

陈静 (海州区 staff) puts 海州区交通运输局's report on a meeting's agenda. 赵磊 (its clerk)
sends the draft for comments (征求意见稿) twenty days before the meeting, 陈静 writes the
committee's comments on it, 赵磊 sends the revised report ten days before, and the
committee's office (陈静) sends it to the members seven days before; each member finds it
in the inbox and on their home. Every stage is a loop item (reminded by the sweep), and a
late step is accepted and flagged on the row, the item's page, the meeting's page and
the clerk's home card. The due dates are counted on the official calendar: the dates
below are set by hand as working or rest days (``HolidayOverride``), whatever the year.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress import loop
from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import Assignment, AssignmentStatus, HolidayOverride, Notification, Role, User
from congress.workdays import add_workdays
from supervision.meetings import selectors, services
from supervision.meetings.workflow import DRAFT_CASE, MEMBERS_CASE, REPORT_CASE
from supervision.models.meetings import AgendaItem, ItemKind, Meeting, ReportStatus
from tests.conftest import World, login
from tests.factories import UserFactory, grant

DAY = datetime.timedelta(days=1)


@pytest.fixture
def members(world: World) -> list[User]:
    return [
        grant(UserFactory(username=f"hz{n:02d}"), Role.COMMITTEE, region=world.district)
        for n in range(3)
    ]


def schedule(world: World, by: User, *, held_on: datetime.date, number: int = 1) -> Meeting:
    return services.meeting_schedule(
        congress=world.district.congress, number=number, held_on=held_on, by=by
    )


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def add_report(world: World, meeting: Meeting, by: User, title: str = "交通运输工作报告") -> Any:
    return services.agenda_add(
        meeting=meeting, kind=ItemKind.REPORT, title=title, department=world.department, by=by
    )


def step(case_type: str, item: AgendaItem) -> Assignment:
    return Assignment.objects.get(case_type=case_type, case_id=item.pk)


def past(item: AgendaItem, field: str, case_type: str) -> None:
    """No clock is moved: a stage's date is put in the past, as the calendar would have
    done, on the row and on its loop item."""
    yesterday = timezone.localdate() - DAY
    AgendaItem.objects.filter(pk=item.pk).update(**{field: yesterday})
    Assignment.objects.filter(case_type=case_type, case_id=item.pk).update(due_on=yesterday)
    item.refresh_from_db()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- the dates, on the official calendar ---------------------------------------------------


def test_the_three_stages_fall_on_working_days_counted_back_from_the_meeting(
    world: World, district_staff: User
) -> None:
    """A meeting on a Wednesday M: M-20 is a (local) holiday, so the draft is due the day
    before it (M-21); M-10 and M-11 are a weekend, so the report is due on the Friday
    (M-12); M-7 is a working day, the members' date itself."""
    held_on = in_days(60)
    while held_on.weekday() != 2:  # Wednesday
        held_on += DAY
    days = {21: True, 20: False, 12: True, 11: False, 10: False, 7: True}
    for back, workday in days.items():
        HolidayOverride.objects.create(
            date=held_on - datetime.timedelta(days=back), is_workday=workday, note="测试"
        )
    item = add_report(world, schedule(world, district_staff, held_on=held_on), district_staff)
    draft_on, report_on, members_on = (held_on - datetime.timedelta(days=n) for n in (21, 12, 7))
    assert (item.draft_due_on, item.due_on, item.members_due_on) == (
        draft_on,
        report_on,
        members_on,
    )
    assert (item.status, item.draft_received_at, item.sent_to_members_at) == (
        ReportStatus.AWAITED,
        None,
        None,
    )
    draft, report, members = (step(c, item) for c in (DRAFT_CASE, REPORT_CASE, MEMBERS_CASE))
    assert (draft.department_id, draft.due_on, draft.status) == (
        world.department.pk,
        draft_on,
        AssignmentStatus.ASSIGNED,
    )
    assert (report.department_id, report.due_on) == (world.department.pk, report_on)
    # Sending to the members is the office's: the staff of the congress's region.
    assert (members.department_id, members.staff_region_id, members.due_on) == (
        None,
        world.district.pk,
        members_on,
    )


def test_a_meeting_at_short_notice_makes_every_stage_due_today(
    world: World, district_staff: User
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(3)), district_staff)
    today = timezone.localdate()
    assert (item.draft_due_on, item.due_on, item.members_due_on) == (today, today, today)


# --- the draft for comments (20 days before) -------------------------------------------------


def test_the_draft_on_time_then_the_committees_comments(
    world: World, district_staff: User, clerk: User, other_district_staff: User, other_clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    with pytest.raises(OutOfJurisdiction):
        services.draft_submit(item=item, text="稿", by=other_clerk)
    with pytest.raises(RuleViolation):
        services.draft_submit(item=item, text="  ", by=clerk)
    with pytest.raises(InvalidTransition):  # nothing to comment on yet
        services.draft_comment(item=item, comments="意见", by=district_staff)
    services.draft_submit(item=item, text="征求意见稿正文", by=clerk)
    item.refresh_from_db()
    assert (item.draft_text, item.draft_late) == ("征求意见稿正文", False)
    assert item.draft_received_at is not None
    assert step(DRAFT_CASE, item).status == AssignmentStatus.CLOSED
    assert step(REPORT_CASE, item).status == AssignmentStatus.ASSIGNED
    with pytest.raises(InvalidTransition):
        services.draft_submit(item=item, text="又一稿", by=clerk)
    # The comments are the committee's: not the body's, not another district's staff.
    with pytest.raises(OutOfJurisdiction):
        services.draft_comment(item=item, comments="意见", by=clerk)
    with pytest.raises(OutOfJurisdiction):
        services.draft_comment(item=item, comments="意见", by=other_district_staff)
    with pytest.raises(RuleViolation):
        services.draft_comment(item=item, comments=" ", by=district_staff)
    services.draft_comment(item=item, comments="请补充资金使用情况", by=district_staff)
    item.refresh_from_db()
    assert item.draft_comments == "请补充资金使用情况"
    services.report_submit(item=item, text="修改后的报告", by=clerk)
    with pytest.raises(InvalidTransition):  # the report is in: the draft's time is over
        services.draft_comment(item=item, comments="再提意见", by=district_staff)


def test_the_bodys_clerk_hears_of_the_comments_on_its_draft(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    """The comments reach the body's clerk (赵磊, whose bureau reports) in the inbox, with
    a link to the item; another department's clerk hears nothing."""
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    services.draft_submit(item=item, text="征求意见稿正文", by=clerk)
    services.draft_comment(item=item, comments="请补充资金使用情况", by=district_staff)
    sent = Notification.objects.filter(kind="supervision.draft_comments", case_id=item.pk)
    assert [(note.recipient_id, note.url) for note in sent] == [
        (clerk.pk, reverse("supervision_agenda_item", args=[item.pk]))
    ]
    assert item.title in sent.get().title
    assert not Notification.objects.filter(recipient=other_clerk).exists()


def test_a_late_draft_is_accepted_and_flagged_on_the_pages_and_the_clerks_home(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    meeting = schedule(world, district_staff, held_on=in_days(40))
    item = add_report(world, meeting, district_staff)
    past(item, "draft_due_on", DRAFT_CASE)
    services.draft_submit(item=item, text="迟交的征求意见稿", by=clerk)
    item.refresh_from_db()
    assert item.draft_late is True
    assert step(DRAFT_CASE, item).status == AssignmentStatus.CLOSED
    login(client, clerk)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="draft-late"' in page and "迟交的征求意见稿" in page
    home = client.get(reverse("home")).content.decode()
    assert item.get_absolute_url() in home and 'data-testid="stage-late"' in home
    login(client, district_staff)
    assert 'data-testid="stage-late"' in client.get(meeting.get_absolute_url()).content.decode()


def test_a_report_without_its_draft_ends_the_drafts_item(
    world: World, district_staff: User, clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    services.report_submit(item=item, text="报告", by=clerk)
    item.refresh_from_db()
    assert step(DRAFT_CASE, item).status == AssignmentStatus.CANCELLED
    draft = selectors.report_stages(item, timezone.localdate())[0]
    assert (draft.key, draft.done_at, draft.skipped, draft.overdue) == ("draft", None, True, False)
    with pytest.raises(InvalidTransition):
        services.draft_submit(item=item, text="补交", by=clerk)


def test_the_members_do_not_see_the_draft(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    services.draft_submit(item=item, text="内部征求意见稿", by=clerk)
    login(client, members[0])
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert "内部征求意见稿" not in page.content.decode()


def test_the_api_gives_the_stages_and_the_draft_to_staff_and_clerk_only(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    """``GET /api/v1/supervision/agenda-items/{id}/``: the three stages' dates and flags
    for all who see the item; the draft and the comments for its staff and the body's
    clerk; a member reads null, and so does everyone in the list."""
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    services.draft_submit(item=item, text="内部征求意见稿", by=clerk)
    services.draft_comment(item=item, comments="请补充数据", by=district_staff)
    url = f"/api/v1/supervision/agenda-items/{item.pk}/"
    for user, reads in ((district_staff, True), (clerk, True), (members[0], False)):
        login(client, user)
        body = client.get(url).json()
        assert body["draft_late"] is False and body["draft_received_at"], user.username
        assert body["draft_due_on"] and body["members_due_on"] and not body["members_late"]
        expected = ("内部征求意见稿", "请补充数据") if reads else (None, None)
        assert (body["draft_text"], body["draft_comments"]) == expected, user.username
    login(client, district_staff)
    listed = client.get("/api/v1/supervision/agenda-items/", {"meeting": item.meeting_id}).json()
    assert [row["draft_text"] for row in listed["results"]] == [None]


# --- the report (10 days before) and the members (7 days before) ------------------------------


def test_the_office_sends_a_late_report_to_the_members_who_find_it_at_home(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    meeting = schedule(world, district_staff, held_on=in_days(40))
    item = add_report(world, meeting, district_staff)
    past(item, "due_on", REPORT_CASE)
    services.report_submit(item=item, text="迟交的报告", by=clerk)
    item.refresh_from_db()
    assert (item.status, item.late) == (ReportStatus.RECEIVED, True)
    since = timezone.localdate() - datetime.timedelta(days=30)
    # Received is not yet sent: no member reads it before the office sends it.
    assert selectors.reports_to_read(members[0], since=since) == []
    with pytest.raises(OutOfJurisdiction):
        services.members_send(item=item, by=clerk)
    services.members_send(item=item, by=district_staff)
    item.refresh_from_db()
    assert item.sent_to_members_at is not None and item.members_late is False
    assert step(MEMBERS_CASE, item).status == AssignmentStatus.CLOSED
    inbox = Notification.objects.filter(kind="supervision.report_to_read", case_id=item.pk)
    assert sorted(inbox.values_list("recipient_id", flat=True)) == sorted(m.pk for m in members)
    assert inbox.first().url == item.get_absolute_url()  # type: ignore[union-attr]
    assert selectors.reports_to_read(members[0], since=since) == [item]
    login(client, members[0])
    assert item.get_absolute_url() in client.get(reverse("home")).content.decode()
    login(client, district_staff)
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="late"' in meeting_page  # the report's 逾期报送
    with pytest.raises(InvalidTransition):
        services.members_send(item=item, by=district_staff)


def test_the_members_cannot_be_sent_a_report_not_received(
    world: World, district_staff: User
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    with pytest.raises(InvalidTransition):
        services.members_send(item=item, by=district_staff)
    assert not Notification.objects.filter(kind="supervision.report_to_read").exists()


def test_sending_after_the_members_date_is_flagged_on_the_item_page(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    services.report_submit(item=item, text="报告", by=clerk)
    past(item, "members_due_on", MEMBERS_CASE)
    services.members_send(item=item, by=district_staff)
    item.refresh_from_db()
    assert (item.late, item.members_late) == (False, True)
    login(client, district_staff)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="stage-members"' in page and 'data-testid="stage-late"' in page


def test_the_members_step_through_the_items_page(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(40)), district_staff)
    login(client, clerk)
    url = reverse("supervision_agenda_act", args=[item.pk, "draft_submit"])
    assert client.post(url, {"text": ""}).status_code == 400  # refused, the form kept
    assert client.post(url, {"text": "征求意见稿"}).status_code == 302
    login(client, district_staff)
    url = reverse("supervision_agenda_act", args=[item.pk, "draft_comment"])
    assert client.post(url, {"comments": "请补充数据"}).status_code == 302
    services.report_submit(item=item, text="报告", by=clerk)
    url = reverse("supervision_agenda_act", args=[item.pk, "members_send"])
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.draft_comments == "请补充数据" and item.sent_to_members_at is not None


def test_cancelling_the_meeting_cancels_every_stage_still_open(
    world: World, district_staff: User, clerk: User
) -> None:
    meeting = schedule(world, district_staff, held_on=in_days(40))
    item = add_report(world, meeting, district_staff)
    services.draft_submit(item=item, text="稿", by=clerk)
    services.meeting_cancel(meeting=meeting, by=district_staff, reason="改期")
    assert step(DRAFT_CASE, item).status == AssignmentStatus.CLOSED
    assert step(REPORT_CASE, item).status == AssignmentStatus.CANCELLED
    assert step(MEMBERS_CASE, item).status == AssignmentStatus.CANCELLED


def test_holding_the_meeting_ends_the_stages_no_longer_due_but_not_the_report(
    world: World, district_staff: User, clerk: User
) -> None:
    """Held with the draft never sent, the report still awaited: the draft's and the
    office's items end (cancelled, nothing overdue left behind); the body's report stays
    due and is accepted late."""
    meeting = schedule(world, district_staff, held_on=in_days(40))
    item = add_report(world, meeting, district_staff)
    services.meeting_hold(meeting=meeting, by=district_staff)
    assert step(DRAFT_CASE, item).status == AssignmentStatus.CANCELLED
    assert step(MEMBERS_CASE, item).status == AssignmentStatus.CANCELLED
    assert step(REPORT_CASE, item).status == AssignmentStatus.ASSIGNED
    services.report_submit(item=item, text="会后补交的报告", by=clerk)
    item.refresh_from_db()
    assert item.status == ReportStatus.RECEIVED


# --- reminders by the loop's sweep ----------------------------------------------------------------


def test_the_sweep_reminds_the_body_of_its_draft_and_the_office_of_the_members(
    world: World, district_staff: User, clerk: User
) -> None:
    item = add_report(world, schedule(world, district_staff, held_on=in_days(60)), district_staff)
    assert item.draft_due_on is not None and item.members_due_on is not None
    loop.reminders_sweep(now=at(add_workdays(item.draft_due_on, -2)))
    clerk_titles = list(clerk.notifications.values_list("title", flat=True))
    assert "即将到期：“送交征求意见稿：交通运输工作报告”还有2个工作日" in clerk_titles
    loop.reminders_sweep(now=at(item.members_due_on))
    staff_titles = list(district_staff.notifications.values_list("title", flat=True))
    assert "今日到期：“发送组成人员：交通运输工作报告”" in staff_titles
    assert step(MEMBERS_CASE, item).reminders.exists()


# --- items made before the stages were tracked -----------------------------------------------------


def test_an_item_made_before_the_stages_still_works(
    client: Client, world: World, district_staff: User, clerk: User, members: list[User]
) -> None:
    """As the rows the migration found: no draft or members date, no loop items for them."""
    meeting = schedule(world, district_staff, held_on=in_days(40))
    item = AgendaItem.objects.create(
        meeting=meeting,
        region=meeting.region,
        kind=ItemKind.REPORT,
        title="旧议题",
        department=world.department,
        due_on=in_days(30),
        status=ReportStatus.AWAITED,
    )
    login(client, clerk)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="stage-report"' in page and 'data-testid="stage-draft"' not in page
    assert 'data-testid="step-draft_submit"' not in page
    services.report_submit(item=item, text="报告", by=clerk)
    services.members_send(item=item, by=district_staff)
    since = timezone.localdate()
    assert selectors.reports_to_read(members[0], since=since) == [item]


def test_the_migration_keeps_the_reports_members_already_read(
    world: World, district_staff: User, members: list[User]
) -> None:
    meeting = schedule(world, district_staff, held_on=in_days(40))
    received_at = at(timezone.localdate() - DAY)
    item = AgendaItem.objects.create(
        meeting=meeting,
        region=meeting.region,
        kind=ItemKind.REPORT,
        title="旧报告",
        department=world.department,
        status=ReportStatus.RECEIVED,
        received_at=received_at,
    )
    migration = importlib.import_module("supervision.migrations.0011_report_stages")
    migration.reports_already_read(apps, None)
    item.refresh_from_db()
    assert item.sent_to_members_at == received_at
    assert selectors.reports_to_read(members[0], since=timezone.localdate()) == [item]


# --- query counts ---------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _items_in_every_stage(world: World, meeting: Meeting, staff: User, clerk: User, n: int) -> None:
    for k in range(n):
        item = add_report(world, meeting, staff, title=f"报告{k}")
        if k % 3:
            services.draft_submit(item=item, text="稿", by=clerk)
        if k % 3 == 2:
            services.report_submit(item=item, text="报告", by=clerk)
            services.members_send(item=item, by=staff)


def test_the_meeting_page_with_stages_costs_the_same_for_3_items_and_30(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    meeting = schedule(world, district_staff, held_on=in_days(40))
    _items_in_every_stage(world, meeting, district_staff, clerk, 3)
    login(client, district_staff)
    few = count_queries(client, meeting.get_absolute_url())
    _items_in_every_stage(world, meeting, district_staff, clerk, 27)
    assert count_queries(client, meeting.get_absolute_url()) == few


def test_the_clerks_home_costs_the_same_for_3_reports_awaited_and_30(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    login(client, clerk)
    for n in range(3):
        meeting = schedule(world, district_staff, held_on=in_days(40 + n), number=n + 1)
        _items_in_every_stage(world, meeting, district_staff, clerk, 1)
    few = count_queries(client, reverse("home"))
    for n in range(3, 30):
        meeting = schedule(world, district_staff, held_on=in_days(40 + n), number=n + 1)
        _items_in_every_stage(world, meeting, district_staff, clerk, 1)
    assert count_queries(client, reverse("home")) == few
