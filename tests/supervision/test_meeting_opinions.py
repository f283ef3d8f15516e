"""审议意见 after 海州区's meeting: 陈静 drafts it on the report heard, issues it to 海州区交通运输局
(a loop item due in two months), 赵磊 sends the 研究处理情况报告 (late ones flagged), and 陈静
puts it on the next meeting's agenda, where it is a report received. 李强 and 孙丽 reach
none of it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import Assignment, AssignmentStatus, User
from supervision.meetings import actions, selectors, services
from supervision.meetings.workflow import OPINION_CASE, OPINION_TRANSITIONS
from supervision.models.meetings import AgendaItem, ItemKind, OpinionStatus, ReportStatus
from tests.conftest import World


def heard_report(world: World, staff: User, clerk: User, number: int = 1) -> AgendaItem:
    meeting = services.meeting_schedule(
        congress=world.district.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        by=staff,
    )
    item = services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="交通工作报告",
        department=world.department,
        by=staff,
    )
    services.report_submit(item=item, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=staff)
    return item


def test_the_opinion_table_is_as_written_here() -> None:
    assert {a: (set(f), t) for a, (f, t) in OPINION_TRANSITIONS.items()} == {
        "opinion_issue": ({"draft"}, "issued"),
        "opinion_report_handling": ({"issued"}, "handled"),
        "opinion_schedule": ({"handled"}, "scheduled"),
    }


def test_from_draft_to_the_next_meetings_agenda(
    world: World, district_staff: User, clerk: User, other_clerk: User
) -> None:
    item = heard_report(world, district_staff, clerk)
    opinion = services.opinion_draft(
        item=item, department=world.department, text="加快农村公路建设。", by=district_staff
    )
    assert opinion.status == OpinionStatus.DRAFT
    assert not selectors.visible_opinions(clerk).exists()  # a draft is staff's
    services.opinion_issue(opinion=opinion, by=district_staff)
    step = Assignment.objects.get(case_type=OPINION_CASE, case_id=opinion.pk)
    assert (step.department_id, opinion.due_on) == (world.department.pk, step.due_on)
    assert list(selectors.visible_opinions(clerk)) == [opinion]
    assert not selectors.visible_opinions(other_clerk).exists()
    with pytest.raises(OutOfJurisdiction):
        services.opinion_report_handling(opinion=opinion, text="x", by=other_clerk)
    with pytest.raises(RuleViolation):
        services.opinion_report_handling(opinion=opinion, text=" ", by=clerk)
    services.opinion_report_handling(opinion=opinion, text="已完成12公里改造。", by=clerk)
    assert (opinion.status, opinion.late) == (OpinionStatus.HANDLED, False)
    step.refresh_from_db()
    assert step.status == AssignmentStatus.CLOSED

    later = services.meeting_schedule(
        congress=world.district.congress,
        number=2,
        held_on=timezone.localdate() + datetime.timedelta(days=60),
        by=district_staff,
    )
    heard = services.opinion_schedule(opinion=opinion, meeting=later, by=district_staff)
    assert (heard.status, heard.report_text, heard.department_id) == (
        ReportStatus.RECEIVED,
        "已完成12公里改造。",
        world.department.pk,
    )
    assert opinion.status == OpinionStatus.SCHEDULED
    assert opinion.heard_at == heard
    with pytest.raises(InvalidTransition):
        services.opinion_issue(opinion=opinion, by=district_staff)


def test_a_late_handling_report_is_flagged(world: World, district_staff: User, clerk: User) -> None:
    item = heard_report(world, district_staff, clerk)
    opinion = services.opinion_draft(
        item=item, department=world.department, text="意见", by=district_staff
    )
    services.opinion_issue(opinion=opinion, by=district_staff)
    # No clock moves: the due date is put in the past, as the calendar would.
    type(opinion).objects.filter(pk=opinion.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    opinion.refresh_from_db()
    services.opinion_report_handling(opinion=opinion, text="报告", by=clerk)
    assert opinion.late is True


def test_no_opinion_before_the_meeting_nor_by_other_district_staff(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    meeting = services.meeting_schedule(
        congress=world.district.congress,
        number=1,
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        by=district_staff,
    )
    item = services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="报告",
        department=world.department,
        by=district_staff,
    )
    with pytest.raises(RuleViolation):
        services.opinion_draft(
            item=item, department=world.department, text="意见", by=district_staff
        )
    with pytest.raises(OutOfJurisdiction):
        services.opinion_draft(
            item=item, department=world.department, text="意见", by=other_district_staff
        )


def test_the_schedule_step_names_the_meeting_by_its_number(
    world: World, district_staff: User, clerk: User
) -> None:
    """Staff type 第N次 (the number the pages show), not a row id: "40" is 第40次会议 of
    this congress, and the row id of that meeting, which is no meeting's number, is refused."""
    item = heard_report(world, district_staff, clerk, number=1)
    opinion = services.opinion_draft(
        item=item, department=world.department, text="意见", by=district_staff
    )
    services.opinion_issue(opinion=opinion, by=district_staff)
    services.opinion_report_handling(opinion=opinion, text="报告", by=clerk)
    fortieth = services.meeting_schedule(
        congress=world.district.congress,
        number=40,
        held_on=timezone.localdate() + datetime.timedelta(days=60),
        by=district_staff,
    )
    assert fortieth.pk != 40
    with pytest.raises(RuleViolation):
        actions.take_opinion("opinion_schedule", opinion, {"meeting": fortieth.pk}, district_staff)
    heard = actions.take_opinion("opinion_schedule", opinion, {"meeting": 40}, district_staff)
    assert heard.meeting_id == fortieth.pk


def test_a_draft_opinion_is_edited_and_an_issued_one_is_not(
    client, world: World, district_staff: User, clerk: User, other_district_staff: User
) -> None:
    from django.urls import reverse

    from tests.conftest import login

    item = heard_report(world, district_staff, clerk)
    opinion = services.opinion_draft(
        item=item, department=world.department, text="初稿", by=district_staff
    )
    with pytest.raises(OutOfJurisdiction):
        services.opinion_update(
            opinion=opinion, department=world.department, text="改", by=other_district_staff
        )
    login(client, district_staff)
    url = reverse("supervision_opinion_edit", args=[opinion.pk])
    refused = client.post(url, {"department": world.department.pk, "text": " "})
    assert refused.status_code == 400
    response = client.post(url, {"department": world.department.pk, "text": "加快农村公路建设。"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.text == "加快农村公路建设。"
    services.opinion_issue(opinion=opinion, by=district_staff)
    late = client.post(url, {"department": world.department.pk, "text": "再改"})
    assert late.status_code == 409  # the refusal's own status: not a draft any more
    assert "交办后不能修改" in late.content.decode()
    assert "再改" in late.content.decode()  # what was typed stays in the form
    opinion.refresh_from_db()
    assert opinion.text == "加快农村公路建设。"


def test_an_agenda_item_is_edited_until_the_meeting_is_held(
    client, world: World, district_staff: User, clerk: User
) -> None:
    from django.urls import reverse

    from tests.conftest import login

    meeting = services.meeting_schedule(
        congress=world.district.congress,
        number=1,
        held_on=timezone.localdate() + datetime.timedelta(days=30),
        by=district_staff,
    )
    item = services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="交通工作报告",
        department=world.department,
        by=district_staff,
    )
    login(client, district_staff)
    url = reverse("supervision_agenda_edit", args=[item.pk])
    assert client.post(url, {"title": "农村公路建设情况的报告"}).status_code == 302
    item.refresh_from_db()
    assert item.title == "农村公路建设情况的报告"
    step = Assignment.objects.get(case_type="supervision.meeting_report", case_id=item.pk)
    assert step.title == "报送：农村公路建设情况的报告"
    services.report_submit(item=item, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=district_staff)
    refused = client.post(url, {"title": "会后再改"})
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.title == "农村公路建设情况的报告"
