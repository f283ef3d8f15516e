"""Issue #17, "API: all of the above, scoped": what staff do on the meeting pages they do
through /api/v1/supervision/meetings/, …/agenda-items/ and …/opinions/, with the pages'
forms and services. Stories with the real database: 海州区's staff (陈静) schedule 海州区's
meeting, add a member, record attendance, hold it, put a report and an inquiry on its
agenda, edit an item, record questions and answers, draft and edit a review opinion.
临江区's staff (李强) get 404 and nothing changes; a member (钱建国) or the reporting
body's clerk (赵磊), who see the meeting, get 403; bad input is a 400 naming the field and
nothing is written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Assignment, CaseEvent, Role, User
from congress.models.ballots import Rating
from supervision.meetings import services
from supervision.meetings.workflow import MEETING_CASE, REPORT_CASE
from supervision.models.meetings import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingMember,
    MeetingStatus,
    OpinionStatus,
    Question,
    ReportStatus,
    ReviewOpinion,
)
from tests.conftest import World, login
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision"


def _post(client: Client, url: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.post(url, data or {}, content_type="application/json", **extra)


def _patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


def _fields(response: Any) -> set[str]:
    """The fields a 400 names (the project's error shape: code, message, errors)."""
    assert response.status_code == 400, response.content
    return set(response.json()["errors"])


def _forbidden(response: Any) -> None:
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "forbidden"


@pytest.fixture
def hz_members(world: World) -> list[User]:
    """海州区's standing committee: three members, and 钱建国 is not among them."""
    return [
        grant(
            UserFactory(username=f"hz{n:02d}", display_name=f"委员{n}"),
            Role.COMMITTEE,
            region=world.district,
        )
        for n in range(3)
    ]


@pytest.fixture
def seated(world: World, committee_member: User) -> User:
    """钱建国 also sits on 海州区's committee: he is called to its meetings and sees them."""
    return grant(committee_member, Role.COMMITTEE, region=world.district)


def schedule(world: World, by: User, number: int = 1, days: int = 30) -> Meeting:
    return services.meeting_schedule(
        congress=world.district.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        by=by,
    )


def report_on(world: World, meeting: Meeting, by: User) -> AgendaItem:
    return services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="交通运输工作报告",
        department=world.department,
        by=by,
    )


def inquiry_on(meeting: Meeting, by: User) -> AgendaItem:
    return services.agenda_add(meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=by)


def heard(world: World, staff: User, clerk: User, number: int = 1) -> AgendaItem:
    """A report received and heard at a held meeting: a review opinion may be drafted."""
    item = report_on(world, schedule(world, staff, number), staff)
    services.report_submit(item=item, text="报告", by=clerk)
    services.meeting_hold(meeting=item.meeting, by=staff)
    return item


# --- meetings ----------------------------------------------------------------------------


def test_staff_schedule_a_meeting_whose_members_are_the_committees(
    client: Client, world: World, district_staff: User, hz_members: list[User]
) -> None:
    login(client, district_staff)
    held_on = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    response = _post(
        client,
        f"{API}/meetings/",
        {"congress": world.district.congress.pk, "number": 21, "held_on": held_on, "venue": "一楼"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert (meeting.number, str(meeting.held_on), meeting.venue, meeting.region_id) == (
        21,
        held_on,
        "一楼",
        world.district.pk,
    )
    assert (body["number"], body["status"]) == (21, "scheduled")
    assert set(meeting.members.values_list("user_id", flat=True)) == {u.pk for u in hz_members}
    assert CaseEvent.objects.filter(
        case_type=MEETING_CASE, case_id=meeting.pk, action="meeting_schedule"
    ).exists()


def test_scheduling_bad_input_is_400_naming_the_field_and_nothing_saved(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    congress = world.district.congress.pk
    assert _fields(_post(client, f"{API}/meetings/", {"congress": congress, "number": 0})) == {
        "number",
        "held_on",
    }
    assert _fields(_post(client, f"{API}/meetings/", {"number": 3, "held_on": "2027-01-05"})) == {
        "congress"
    }
    assert _fields(
        _post(client, f"{API}/meetings/", {"congress": congress, "number": 3, "held_on": "明天"})
    ) == {"held_on"}
    # The service's rule: one 第N次 per congress.
    schedule(world, district_staff, number=3)
    again = _post(
        client, f"{API}/meetings/", {"congress": congress, "number": 3, "held_on": "2027-01-05"}
    )
    assert again.status_code == 400
    assert "第3次" in again.json()["message"]
    assert Meeting.objects.count() == 1


def test_the_400_is_in_the_users_language(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/meetings/",
        {"congress": world.district.congress.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["errors"]["number"] == ["Please fill in “Meeting number”."]
    response = _post(client, f"{API}/meetings/", {"congress": world.district.congress.pk})
    assert response.json()["errors"]["number"] == ["请填写“会议次数”。"]


def test_scheduling_out_of_scope_is_404_and_for_others_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    clerk: User,
    seated: User,
) -> None:
    data = {"congress": world.district.congress.pk, "number": 1, "held_on": "2027-01-05"}
    login(client, other_district_staff)
    assert _post(client, f"{API}/meetings/", data).status_code == 404
    for user in (seated, clerk):
        login(client, user)
        _forbidden(_post(client, f"{API}/meetings/", data))
    assert not Meeting.objects.exists()


def test_staff_list_and_add_members(
    client: Client, world: World, district_staff: User, hz_members: list[User]
) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    url = f"{API}/meetings/{meeting.pk}/members/"
    listed = client.get(url)
    assert listed.status_code == 200
    assert [row["user"] for row in listed.json()] == [u.pk for u in hz_members]
    assert listed.json()[0] == {"user": hz_members[0].pk, "name": "委员0", "attended": None}
    # Granted after the meeting was scheduled: added by hand.
    late = grant(
        UserFactory(username="hz99", display_name="新委员"), Role.COMMITTEE, region=world.district
    )
    response = _post(client, url, {"user": late.pk})
    assert response.status_code == 201, response.content
    assert response.json() == {"user": late.pk, "name": "新委员", "attended": None}
    assert meeting.members.filter(user=late).exists()


def test_a_member_who_is_not_on_the_committee_is_400_on_user(
    client: Client,
    world: World,
    district_staff: User,
    hz_members: list[User],
    clerk: User,
    committee_member: User,
) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    url = f"{API}/meetings/{meeting.pk}/members/"
    # The clerk holds no committee grant; 钱建国 sits on the city's committee, not 海州区's.
    for body in ({"user": clerk.pk}, {"user": committee_member.pk}, {"user": 987654}, {}):
        assert _fields(_post(client, url, body)) == {"user"}
    assert _post(client, url, {"user": clerk.pk}).json()["errors"]["user"] == [
        "请选择本级人大常委会的组成人员。"
    ]
    assert meeting.members.count() == 3


def test_members_out_of_scope_are_404_and_for_a_member_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    seated: User,
) -> None:
    meeting = schedule(world, district_staff)
    url = f"{API}/meetings/{meeting.pk}/members/"
    login(client, other_district_staff)
    assert client.get(url).status_code == 404
    assert _post(client, url, {"user": seated.pk}).status_code == 404
    login(client, seated)
    _forbidden(client.get(url))
    _forbidden(_post(client, url, {"user": seated.pk}))
    assert meeting.members.count() == 1


def test_staff_record_attendance(
    client: Client, world: World, district_staff: User, hz_members: list[User]
) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    present = [hz_members[0].pk, hz_members[2].pk]
    response = _post(client, f"{API}/meetings/{meeting.pk}/attendance/", {"present": present})
    assert response.status_code == 200, response.content
    assert {row["user"]: row["attended"] for row in response.json()} == {
        hz_members[0].pk: True,
        hz_members[1].pk: False,
        hz_members[2].pk: True,
    }
    assert set(
        MeetingMember.objects.filter(meeting=meeting, attended=True).values_list(
            "user_id", flat=True
        )
    ) == set(present)


def test_attendance_naming_someone_else_is_400_and_nothing_recorded(
    client: Client,
    world: World,
    district_staff: User,
    hz_members: list[User],
    clerk: User,
    other_district_staff: User,
    seated: User,
) -> None:
    meeting = schedule(world, district_staff)
    url = f"{API}/meetings/{meeting.pk}/attendance/"
    login(client, district_staff)
    assert _fields(_post(client, url, {"present": [hz_members[0].pk, clerk.pk]})) == {"present"}
    assert _fields(_post(client, url, {"present": "全体"})) == {"present"}
    login(client, other_district_staff)
    assert _post(client, url, {"present": [hz_members[0].pk]}).status_code == 404
    login(client, seated)
    _forbidden(_post(client, url, {"present": [seated.pk]}))
    assert not MeetingMember.objects.filter(meeting=meeting, attended__isnull=False).exists()


def test_staff_hold_or_cancel_a_meeting_through_its_actions(
    client: Client, world: World, district_staff: User
) -> None:
    held = schedule(world, district_staff, number=1)
    cancelled = schedule(world, district_staff, number=2)
    awaited = report_on(world, cancelled, district_staff)
    login(client, district_staff)
    response = _post(client, f"{API}/meetings/{held.pk}/actions/meeting_hold/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"
    assert _post(client, f"{API}/meetings/{held.pk}/actions/meeting_hold/").status_code == 409

    url = f"{API}/meetings/{cancelled.pk}/actions/meeting_cancel/"
    assert _fields(_post(client, url)) == {"reason"}
    assert _post(client, f"{API}/meetings/{cancelled.pk}/actions/adjourn/").status_code == 400
    cancelled.refresh_from_db()
    assert cancelled.status == MeetingStatus.SCHEDULED
    response = _post(client, url, {"reason": "改期"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=awaited.pk)
    assert step.status == "cancelled"


def test_meeting_steps_out_of_scope_are_404_and_for_a_clerk_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    clerk: User,
    seated: User,
) -> None:
    meeting = schedule(world, district_staff)
    report_on(world, meeting, district_staff)  # the clerk's body reports there: he sees it
    url = f"{API}/meetings/{meeting.pk}/actions/meeting_hold/"
    login(client, other_district_staff)
    assert _post(client, url).status_code == 404
    for user in (clerk, seated):
        login(client, user)
        assert client.get(f"{API}/meetings/{meeting.pk}/").status_code == 200
        _forbidden(_post(client, url))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


# --- the agenda --------------------------------------------------------------------------


def test_staff_put_a_report_and_an_inquiry_on_the_agenda(
    client: Client, world: World, district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    url = f"{API}/meetings/{meeting.pk}/agenda/"
    response = _post(
        client,
        url,
        {"kind": "report", "title": " 交通运输工作报告 ", "department": world.department.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    item = AgendaItem.objects.get(pk=body["id"])
    assert (item.title, item.department_id, item.status, item.position) == (
        "交通运输工作报告",
        world.department.pk,
        ReportStatus.AWAITED,
        1,
    )
    assert body["due_on"] == item.due_on.isoformat()
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=item.pk)
    assert (step.department_id, step.due_on) == (world.department.pk, item.due_on)
    # A body of the level above is within reach (a city bureau reports to the district).
    city = _post(
        client, url, {"kind": "report", "title": "市局报告", "department": world.city_department.pk}
    )
    assert city.status_code == 201, city.content
    inquiry = _post(client, url, {"kind": "inquiry", "title": "专题询问"})
    assert inquiry.status_code == 201, inquiry.content
    assert (inquiry.json()["status"], inquiry.json()["position"]) == ("none", 3)


def test_agenda_bad_input_is_400_naming_the_field_and_nothing_saved(
    client: Client, world: World, district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    url = f"{API}/meetings/{meeting.pk}/agenda/"
    assert _fields(_post(client, url, {"kind": "speech"})) == {"kind", "title"}
    # Another district's body is no choice of 海州区's staff.
    other = {"kind": "report", "title": "报告", "department": world.other_department.pk}
    assert _fields(_post(client, url, other)) == {"department"}
    # A report names its body (the service's rule).
    response = _post(client, url, {"kind": "report", "title": "报告"})
    assert response.status_code == 400
    assert response.json()["message"] == "听取审议报告须指定报告单位。"
    assert not AgendaItem.objects.exists()
    assert not Assignment.objects.filter(case_type=REPORT_CASE).exists()


def test_agenda_out_of_scope_is_404_and_for_a_member_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    seated: User,
) -> None:
    meeting = schedule(world, district_staff)
    url = f"{API}/meetings/{meeting.pk}/agenda/"
    data = {"kind": "inquiry", "title": "专题询问"}
    login(client, other_district_staff)
    assert _post(client, url, data).status_code == 404
    login(client, seated)
    _forbidden(_post(client, url, data))
    assert not AgendaItem.objects.exists()


def test_staff_edit_an_item_while_the_meeting_is_to_be_held(
    client: Client, world: World, district_staff: User, clerk: User, other_district_staff: User
) -> None:
    item = report_on(world, schedule(world, district_staff), district_staff)
    url = f"{API}/agenda-items/{item.pk}/"
    login(client, district_staff)
    response = _patch(client, url, {"title": "交通运输和物流工作报告"})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "交通运输和物流工作报告"
    step = Assignment.objects.get(case_type=REPORT_CASE, case_id=item.pk)
    assert step.title == "报送：交通运输和物流工作报告"
    assert _fields(_patch(client, url, {"title": " "})) == {"title"}
    assert _fields(_patch(client, url, {"topic": 987654})) == {"topic"}
    login(client, other_district_staff)
    assert _patch(client, url, {"title": "改"}).status_code == 404
    login(client, clerk)  # the reporting body's clerk sees the report
    assert client.get(url).status_code == 200
    _forbidden(_patch(client, url, {"title": "改"}))
    item.refresh_from_db()
    assert item.title == "交通运输和物流工作报告"
    # Once the meeting is held the agenda stays as it was.
    services.meeting_hold(meeting=item.meeting, by=district_staff)
    login(client, district_staff)
    held = _patch(client, url, {"title": "改"})
    assert held.status_code == 400
    assert held.json()["message"] == "只能修改尚未召开的会议的议程。"


# --- the inquiry: questions and answers --------------------------------------------------


def test_staff_record_questions_as_they_are_asked(
    client: Client, world: World, district_staff: User, seated: User
) -> None:
    inquiry = inquiry_on(schedule(world, district_staff), district_staff)
    login(client, district_staff)
    url = f"{API}/agenda-items/{inquiry.pk}/questions/"
    first = _post(
        client,
        url,
        {
            "asked_by": seated.pk,
            "respondent": "区交通运输局局长",
            "department": world.department.pk,
            "text": "农村公路何时完成改造？",
        },
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["asker"], body["asked_by"], body["answer"]) == ("钱建国", seated.pk, "")
    follow = _post(
        client,
        url,
        {
            "asker": "刘代表",
            "respondent": "区交通运输局局长",
            "text": "资金从哪里来？",
            "answer": "区财政安排。",
            "satisfaction": Rating.SATISFIED,
            "follow_up_of": body["id"],
        },
    )
    assert follow.status_code == 201, follow.content
    assert Question.objects.get(pk=follow.json()["id"]).follow_up_of_id == body["id"]
    # The member who sees the meeting reads the questions in the order asked.
    login(client, seated)
    listed = client.get(url)
    assert listed.status_code == 200
    assert [row["text"] for row in listed.json()] == ["农村公路何时完成改造？", "资金从哪里来？"]


def test_a_bad_question_is_400_naming_the_field_and_nothing_saved(
    client: Client, world: World, district_staff: User, clerk: User, hz_members: list[User]
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = inquiry_on(meeting, district_staff)
    other = inquiry_on(schedule(world, district_staff, number=2), district_staff)
    elsewhere = services.question_record(
        item=other, asker="王委员", respondent="局长", text="问", by=district_staff
    )
    login(client, district_staff)
    url = f"{API}/agenda-items/{inquiry.pk}/questions/"
    assert _fields(_post(client, url, {"asker": "王委员"})) == {"respondent", "text"}
    base = {"asker": "王委员", "respondent": "局长", "text": "问"}
    assert _fields(_post(client, url, {**base, "follow_up_of": elsewhere.pk})) == {"follow_up_of"}
    assert _fields(_post(client, url, {**base, "asked_by": clerk.pk})) == {"asked_by"}
    assert _fields(_post(client, url, {**base, "satisfaction": "很好"})) == {"satisfaction"}
    assert _fields(_post(client, url, {**base, "department": world.other_department.pk})) == {
        "department"
    }
    # A report is not an inquiry (the service's rule).
    item = report_on(world, meeting, district_staff)
    response = _post(client, f"{API}/agenda-items/{item.pk}/questions/", base)
    assert response.status_code == 400
    assert response.json()["message"] == "只有专题询问议题才能记录询问。"
    assert list(Question.objects.all()) == [elsewhere]


def test_questions_out_of_scope_are_404_and_for_a_member_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    seated: User,
    clerk: User,
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = inquiry_on(meeting, district_staff)
    report_on(world, meeting, district_staff)
    url = f"{API}/agenda-items/{inquiry.pk}/questions/"
    data = {"asker": "王委员", "respondent": "局长", "text": "问"}
    for user in (other_district_staff, clerk):  # the clerk sees only his body's report
        login(client, user)
        assert client.get(url).status_code == 404
        assert _post(client, url, data).status_code == 404
    login(client, seated)
    _forbidden(_post(client, url, data))
    assert not Question.objects.exists()


def test_staff_answer_a_question_afterwards(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    seated: User,
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = inquiry_on(meeting, district_staff)
    question = services.question_record(
        item=inquiry, asker="王委员", respondent="局长", text="何时整改？", by=district_staff
    )
    url = f"{API}/agenda-items/{inquiry.pk}/questions/{question.pk}/answer/"
    login(client, district_staff)
    assert _fields(_post(client, url, {"answer": " ", "satisfaction": "x"})) == {
        "answer",
        "satisfaction",
    }
    # The question of another item is not this item's: 404.
    other = inquiry_on(meeting, district_staff)
    wrong = f"{API}/agenda-items/{other.pk}/questions/{question.pk}/answer/"
    assert _post(client, wrong, {"answer": "年底前"}).status_code == 404
    login(client, other_district_staff)
    assert _post(client, url, {"answer": "年底前"}).status_code == 404
    login(client, seated)
    _forbidden(_post(client, url, {"answer": "年底前"}))
    question.refresh_from_db()
    assert (question.answer, question.satisfaction) == ("", "")

    login(client, district_staff)
    response = _post(client, url, {"answer": " 年底前完成。 ", "satisfaction": Rating.BASIC})
    assert response.status_code == 200, response.content
    question.refresh_from_db()
    assert (question.answer, question.satisfaction) == ("年底前完成。", Rating.BASIC)
    assert response.json()["answer"] == "年底前完成。"


# --- review opinions ---------------------------------------------------------------------


def test_staff_draft_and_edit_a_review_opinion(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    item = heard(world, district_staff, clerk)
    login(client, district_staff)
    response = _post(
        client,
        f"{API}/opinions/",
        {"item": item.pk, "department": world.department.pk, "text": " 加快农村公路建设。 "},
    )
    assert response.status_code == 201, response.content
    opinion = ReviewOpinion.objects.get(pk=response.json()["id"])
    assert (opinion.text, opinion.status, opinion.department_id) == (
        "加快农村公路建设。",
        OpinionStatus.DRAFT,
        world.department.pk,
    )
    edited = _patch(client, f"{API}/opinions/{opinion.pk}/", {"text": "加快农村公路改造。"})
    assert edited.status_code == 200, edited.content
    opinion.refresh_from_db()
    assert (opinion.text, opinion.department_id) == ("加快农村公路改造。", world.department.pk)
    assert edited.json()["text"] == "加快农村公路改造。"
    # Issued through its action, the body works on this text: no more edits (409).
    _post(client, f"{API}/opinions/{opinion.pk}/actions/opinion_issue/")
    late = _patch(client, f"{API}/opinions/{opinion.pk}/", {"text": "改"})
    assert late.status_code == 409
    opinion.refresh_from_db()
    assert (opinion.status, opinion.text) == (OpinionStatus.ISSUED, "加快农村公路改造。")


def test_a_bad_opinion_is_400_naming_the_field_and_nothing_saved(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    item = heard(world, district_staff, clerk)
    login(client, district_staff)
    url = f"{API}/opinions/"
    assert _fields(_post(client, url, {"department": world.department.pk})) == {"item"}
    assert _fields(_post(client, url, {"item": item.pk})) == {"department", "text"}
    other = {"item": item.pk, "department": world.other_department.pk, "text": "意见"}
    assert _fields(_post(client, url, other)) == {"department"}
    # A report not heard yet (the service's rule).
    awaited = report_on(world, schedule(world, district_staff, number=2), district_staff)
    response = _post(
        client, url, {"item": awaited.pk, "department": world.department.pk, "text": "意见"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "只能对已召开会议上听取的报告起草审议意见。"
    assert not ReviewOpinion.objects.exists()
    draft = services.opinion_draft(
        item=item, department=world.department, text="意见", by=district_staff
    )
    assert _fields(_patch(client, f"{API}/opinions/{draft.pk}/", {"text": ""})) == {"text"}
    assert _fields(_patch(client, f"{API}/opinions/{draft.pk}/", {"department": "x"})) == {
        "department"
    }
    draft.refresh_from_db()
    assert draft.text == "意见"


def test_opinions_out_of_scope_are_404_and_for_the_clerk_403(
    client: Client,
    world: World,
    district_staff: User,
    other_district_staff: User,
    clerk: User,
    seated: User,
) -> None:
    item = heard(world, district_staff, clerk)
    data = {"item": item.pk, "department": world.department.pk, "text": "意见"}
    login(client, other_district_staff)
    assert _post(client, f"{API}/opinions/", data).status_code == 404
    for user in (clerk, seated):  # both see the report; the opinion is the staff's
        login(client, user)
        _forbidden(_post(client, f"{API}/opinions/", data))
    assert not ReviewOpinion.objects.exists()

    opinion = services.opinion_draft(
        item=item, department=world.department, text="意见", by=district_staff
    )
    url = f"{API}/opinions/{opinion.pk}/"
    for user in (other_district_staff, clerk):  # a draft is the staff's alone
        login(client, user)
        assert _patch(client, url, {"text": "改"}).status_code == 404
    services.opinion_issue(opinion=opinion, by=district_staff)
    login(client, clerk)  # issued: his body sees it, and may not edit it
    assert client.get(url).status_code == 200
    _forbidden(_patch(client, url, {"text": "改"}))
    opinion.refresh_from_db()
    assert opinion.text == "意见"


# --- what the lists cost -----------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_members_and_questions_cost_the_same_for_3_and_30(
    client: Client, world: World, district_staff: User
) -> None:
    def grow(meeting: Meeting, inquiry: AgendaItem, n: int) -> None:
        for k in range(n):
            user = grant(
                UserFactory(username=f"m{meeting.pk}_{k}"), Role.COMMITTEE, region=world.district
            )
            services.meeting_member_add(meeting=meeting, user=user, by=district_staff)
            services.question_record(
                item=inquiry,
                asker=f"委员{k}",
                respondent="局长",
                text="问",
                department=world.department,
                by=district_staff,
            )

    small, large = schedule(world, district_staff, 1), schedule(world, district_staff, 2)
    small_inquiry, large_inquiry = (
        inquiry_on(small, district_staff),
        inquiry_on(large, district_staff),
    )
    grow(small, small_inquiry, 3)
    grow(large, large_inquiry, 30)
    login(client, district_staff)
    for path in ("meetings/{m}/members/", "agenda-items/{i}/questions/"):
        few = _count(client, f"{API}/" + path.format(m=small.pk, i=small_inquiry.pk))
        many = _count(client, f"{API}/" + path.format(m=large.pk, i=large_inquiry.pk))
        assert few == many, path
