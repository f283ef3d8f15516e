"""The meeting pages and API, in both languages, at the sizes that matter: staff schedule
and run, the clerk sends, the member votes; refusals keep what was typed; the lists cost
the same for 3 meetings and 30."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.models import Role, User
from congress.models.ballots import Rating
from supervision.meetings import services
from supervision.models.meetings import AgendaItem, ItemKind, Meeting, Question
from tests.conftest import World, login
from tests.factories import UserFactory, grant


@pytest.fixture
def members(world: World) -> list[User]:
    return [
        grant(UserFactory(username=f"hz{n:02d}"), Role.COMMITTEE, region=world.district)
        for n in range(3)
    ]


def schedule(world: World, by: User, number: int = 1, days: int = 30) -> Meeting:
    return services.meeting_schedule(
        congress=world.district.congress,
        number=number,
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        by=by,
    )


def report(world: World, meeting: Meeting, by: User) -> AgendaItem:
    return services.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="交通运输工作报告",
        department=world.department,
        by=by,
    )


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_staff_schedule_a_meeting_and_a_bad_number_keeps_the_form(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    url = reverse("supervision_meeting_create")
    data = {
        "congress": world.district.congress.pk,
        "number": 5,
        "held_on": "2030-03-01",
        "venue": "一楼",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    response = client.post(url, {**data, "venue": "二楼会议室"})  # 第5次 again
    assert response.status_code == 400
    assert "已有第5次常委会会议" in response.content.decode()
    assert "二楼会议室" in response.content.decode()


def test_the_clerk_sends_the_report_on_the_items_page(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    item = report(world, schedule(world, district_staff), district_staff)
    login(client, clerk)
    page = client.get(item.get_absolute_url())
    assert 'data-testid="do-report_submit"' in page.content.decode()
    act = reverse("supervision_agenda_act", args=[item.pk, "report_submit"])
    refused = client.post(act, {"text": ""})
    assert refused.status_code == 400
    assert client.post(act, {"text": "报告正文"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "received"


def test_an_unknown_step_is_a_message_not_a_crash(
    client: Client, world: World, district_staff: User
) -> None:
    item = report(world, schedule(world, district_staff), district_staff)
    login(client, district_staff)
    response = client.post(reverse("supervision_agenda_act", args=[item.pk, "nonsense"]))
    assert response.status_code == 302


def test_a_member_votes_on_the_phone_page_and_two_marks_are_refused(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    members: list[User],
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path
    meeting = schedule(world, district_staff)
    item = report(world, meeting, district_staff)
    services.report_submit(item=item, text="报告", by=clerk)
    services.meeting_hold(meeting=meeting, by=district_staff)
    services.evaluation_open(item=item, by=district_staff)
    login(client, members[0])
    url = reverse("supervision_evaluation_ballot", args=[item.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"mark": [Rating.SATISFIED, Rating.BASIC]})
    assert refused.status_code == 400
    assert "只能选择满意、基本满意、不满意中的一个" in refused.content.decode()
    done = client.post(url, {"mark": Rating.SATISFIED})
    assert 'data-testid="receipt"' in done.content.decode()
    assert 'data-testid="voted"' in client.get(url).content.decode()


def test_meeting_mode_keeps_the_question_on_error_and_records_it(
    client: Client, world: World, district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    login(client, district_staff)
    url = reverse("supervision_inquiry_live", args=[inquiry.pk])
    refused = client.post(url, {"asker": "王委员", "respondent": "", "text": "老旧小区何时改造？"})
    assert refused.status_code == 400
    assert "老旧小区何时改造？" in refused.content.decode()
    done = client.post(url, {"asker": "王委员", "respondent": "局长", "text": "老旧小区何时改造？"})
    assert done.status_code == 302
    assert Question.objects.get().text == "老旧小区何时改造？"


def test_the_pages_speak_english(client: Client, world: World, district_staff: User) -> None:
    meeting = schedule(world, district_staff)
    login(client, district_staff)
    response = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_the_member_card_shows_the_upcoming_meeting(
    client: Client, world: World, district_staff: User, members: list[User]
) -> None:
    meeting = schedule(world, district_staff)
    login(client, members[0])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="card-committee-member"' in home
    assert meeting.get_absolute_url() in home


def test_the_clerk_card_lists_the_report_awaited(
    client: Client, world: World, district_staff: User, clerk: User
) -> None:
    item = report(world, schedule(world, district_staff), district_staff)
    login(client, clerk)
    home = client.get(reverse("home")).content.decode()
    assert item.get_absolute_url() in home


@pytest.mark.parametrize("url_name", ["supervision_meeting_list", "supervision-meeting-list"])
def test_the_meeting_lists_cost_the_same_for_3_and_30(
    client: Client, world: World, district_staff: User, url_name: str
) -> None:
    login(client, district_staff)
    url = reverse(url_name)
    for n in range(3):
        report(world, schedule(world, district_staff, number=n + 1), district_staff)
    few = count_queries(client, url)
    for n in range(3, 30):
        report(world, schedule(world, district_staff, number=n + 1), district_staff)
    assert count_queries(client, url) == few


def test_the_agenda_api_list_costs_the_same_for_3_and_30(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    url = reverse("supervision-agenda-item-list")
    meeting = schedule(world, district_staff)
    for _n in range(3):
        report(world, meeting, district_staff)
    few = count_queries(client, url)
    for _n in range(27):
        report(world, meeting, district_staff)
    assert count_queries(client, url) == few


def test_the_meeting_page_costs_the_same_for_3_items_and_30(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    meeting = schedule(world, district_staff)
    for _n in range(3):
        report(world, meeting, district_staff)
    few = count_queries(client, meeting.get_absolute_url())
    for _n in range(27):
        report(world, meeting, district_staff)
    assert count_queries(client, meeting.get_absolute_url()) == few


@pytest.mark.parametrize("live", [False, True])
def test_the_inquiry_pages_cost_the_same_for_3_questions_and_30(
    client: Client, world: World, district_staff: User, live: bool
) -> None:
    login(client, district_staff)
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    url = reverse(
        "supervision_inquiry_live" if live else "supervision_agenda_item", args=[inquiry.pk]
    )

    def ask(n: int) -> None:
        for i in range(n):
            services.question_record(
                item=inquiry,
                asker=f"委员{i}",
                respondent="局长",
                department=world.department,
                text=f"第{i}问",
                by=district_staff,
            )

    ask(3)
    few = count_queries(client, url)
    ask(27)
    assert count_queries(client, url) == few


def test_an_answer_is_written_after_the_question_and_a_blank_one_is_refused(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    question = services.question_record(
        item=inquiry, asker="王委员", respondent="局长", text="何时整改？", by=district_staff
    )
    login(client, other_district_staff)
    url = reverse("supervision_question_answer", args=[question.pk])
    assert client.get(url).status_code == 404
    client.logout()
    login(client, district_staff)
    live = client.get(reverse("supervision_inquiry_live", args=[inquiry.pk])).content.decode()
    assert url in live
    refused = client.post(url, {"answer": " ", "satisfaction": "basic"})
    assert refused.status_code == 400
    assert (
        client.post(url, {"answer": "年底前整改完毕。", "satisfaction": "basic"}).status_code == 302
    )
    question.refresh_from_db()
    assert (question.answer, question.satisfaction) == ("年底前整改完毕。", "basic")


def test_the_clerk_sends_the_report_as_a_file_and_the_other_district_cannot_read_it(
    client: Client, world: World, district_staff: User, clerk: User, other_district_staff: User
) -> None:
    """A body sends its report as the document it printed (issue #17: the reports
    presented): the file is kept on the step, listed on the item, and downloadable by
    whoever sees the item; staff of another district get a 404."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = report(world, schedule(world, district_staff), district_staff)
    act = reverse("supervision_agenda_act", args=[item.pk, "report_submit"])
    login(client, clerk)
    empty = client.post(act, {"text": "  "})
    assert empty.status_code == 400
    assert "请填写报告正文或上传报告文件" in empty.content.decode()
    wrong = client.post(
        act,
        {
            "text": "见附件",
            "attachment": SimpleUploadedFile("报告.exe", b"MZ\x90\x00", "application/x"),
        },
    )
    assert wrong.status_code == 400
    assert "见附件" in wrong.content.decode()  # what was typed is kept
    pdf = SimpleUploadedFile("交通运输工作报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert client.post(act, {"text": "", "attachment": pdf}).status_code == 302
    item.refresh_from_db()
    assert item.status == "received"
    login(client, district_staff)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "交通运输工作报告.pdf" in page
    token = page.split("/files/")[1].split("/")[0]
    download = client.get(reverse("attachment_download", args=[token]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    login(client, other_district_staff)
    assert client.get(reverse("attachment_download", args=[token])).status_code == 404


def test_a_member_asks_in_the_hall_and_finds_the_question_on_their_home(
    client: Client, world: World, district_staff: User, members: list[User]
) -> None:
    """Issue #17: committee members' home lists "the questions they asked". Staff choose
    the asking member in meeting mode (their name fills the asker); someone who is not a
    member of the meeting is refused with everything typed kept; a representative
    invited to ask is named by text and belongs to no one's home."""
    outsider = UserFactory(username="not_a_member")
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="专题询问", by=district_staff
    )
    login(client, district_staff)
    url = reverse("supervision_inquiry_live", args=[inquiry.pk])
    asked = {"respondent": "局长", "text": "老旧小区何时改造？"}
    refused = client.post(url, {**asked, "asked_by": outsider.pk})
    assert refused.status_code == 400
    assert "老旧小区何时改造？" in refused.content.decode()
    assert client.post(url, {**asked, "asked_by": members[1].pk}).status_code == 302
    assert client.post(url, {**asked, "asker": "李代表", "text": "停车难？"}).status_code == 302
    mine = Question.objects.get(asked_by=members[1])
    assert mine.asker == str(members[1])
    assert Question.objects.get(asker="李代表").asked_by is None
    login(client, members[1])
    home = client.get(reverse("home")).content.decode()
    assert home.count('data-testid="card-question"') == 1
    assert "老旧小区何时改造？" in home
    login(client, members[0])
    assert 'data-testid="card-question"' not in client.get(reverse("home")).content.decode()
