"""A standing-committee meeting in Chromium: 陈静 (海州区 staff, laptop) schedules 第21次会议
and puts two reports of 海州区交通运输局 and an inquiry on its agenda; 赵磊, the bureau's
clerk, sends both reports from his phone, the second after its deadline (accepted,
flagged 逾期报送); at the meeting 陈静 records the inquiry's questions in meeting mode (a
refused question keeps what she typed); the three members vote on the first report, one
of them on his phone; 陈静 closes the vote and the result is shown: 满意."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import Assignment, Role, User
from congress.models.ballots import Rating
from supervision.meetings import services
from supervision.meetings.workflow import REPORT_CASE
from supervision.models.meetings import AgendaItem, Meeting
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.browser


def the_deadline_passed(item: AgendaItem) -> None:
    """No clock moves here: the due date is put in the past, as the calendar would."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AgendaItem.objects.filter(pk=item.pk).update(due_on=yesterday)
    Assignment.objects.filter(case_type=REPORT_CASE, case_id=item.pk).update(due_on=yesterday)


def test_a_meeting_from_agenda_to_the_vote(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
    clerk: User,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path
    members = [
        grant(
            UserFactory(username=f"hzwy{n}", display_name=f"委员{n}"),
            Role.COMMITTEE,
            region=world.district,
        )
        for n in range(3)
    ]
    held_on = timezone.localdate() + datetime.timedelta(days=30)

    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto("/supervision/meetings/")
    staff.get_by_test_id("new-meeting").click()
    staff.get_by_label("人大").select_option(str(world.district.congress.pk))
    staff.get_by_label("会议次数").fill("21")
    staff.get_by_label("会议日期").fill(held_on.isoformat())
    staff.get_by_label("会议地点").fill("第一会议室")
    staff.get_by_test_id("save-meeting").click()
    expect(staff.get_by_test_id("members")).to_contain_text("3")
    meeting = Meeting.objects.get(number=21)
    for title in ("交通运输工作报告", "农村公路建设报告"):
        staff.get_by_test_id("add-item").click()
        staff.get_by_label("议题类型").select_option("report")
        staff.get_by_label("议题", exact=True).fill(title)
        staff.get_by_label("报告单位").select_option(str(world.department.pk))
        staff.get_by_test_id("save-item").click()
    staff.get_by_test_id("add-item").click()
    staff.get_by_label("议题类型").select_option("inquiry")
    staff.get_by_label("议题", exact=True).fill("交通安全专题询问")
    staff.get_by_test_id("save-item").click()
    expect(staff.get_by_test_id("agenda").locator("li")).to_have_count(3)
    first, second, inquiry = meeting.items.order_by("position")
    the_deadline_passed(second)

    phone = new_page("phone")
    log_in(phone, clerk)
    expect(phone.get_by_test_id("card-reports-awaited")).to_contain_text("交通运输工作报告")
    for item in (first, second):
        phone.goto(f"/supervision/agenda/{item.pk}/")
        phone.get_by_label("报告正文").fill(f"{item.title}正文")
        phone.get_by_test_id("do-report_submit").click()
        expect(phone.get_by_test_id("report-status")).to_have_text("已报送")
    expect(phone.get_by_test_id("late")).to_be_visible()  # the second one
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "supervision-report-late-phone")

    staff.goto(f"/supervision/meetings/{meeting.pk}/")
    expect(staff.get_by_test_id("agenda").get_by_test_id("late")).to_have_count(1)
    staff.get_by_test_id("do-meeting_hold").click()
    expect(staff.get_by_test_id("meeting-status")).to_have_text("已召开")

    staff.goto(f"/supervision/agenda/{inquiry.pk}/live/")
    staff.get_by_label("询问人").fill("委员0")
    staff.get_by_label("询问内容").fill("学校周边的交通安全隐患何时整改完毕？")
    staff.get_by_test_id("save-question").click()
    # Without a respondent the form is not sent (a required field), and nothing is lost.
    expect(staff.get_by_test_id("question")).to_have_count(0)
    expect(staff.get_by_label("询问内容")).to_have_value("学校周边的交通安全隐患何时整改完毕？")
    staff.get_by_label("应询人").fill("区交通运输局局长")
    staff.get_by_label("回答内容").fill("年底前全部整改完毕。")
    staff.get_by_test_id("save-question").click()
    expect(staff.get_by_test_id("question")).to_have_count(1)
    expect(staff.get_by_test_id("questions")).to_contain_text("年底前全部整改完毕。")

    staff.goto(f"/supervision/agenda/{first.pk}/")
    staff.get_by_test_id("do-evaluation_open").click()
    expect(staff.get_by_test_id("vote")).to_contain_text("测评中")

    member = new_page("phone")
    log_in(member, members[0])
    member.get_by_test_id("card-vote").click()
    member.get_by_label("满意", exact=True).check()
    member.get_by_test_id("cast").click()
    expect(member.get_by_test_id("receipt")).to_be_visible()
    assert member.evaluate("document.documentElement.scrollWidth") <= 390
    first.refresh_from_db()
    services.evaluation_cast(vote=first.vote, choices={first.pk: Rating.SATISFIED}, by=members[1])
    services.evaluation_cast(
        vote=first.vote, choices={first.pk: Rating.DISSATISFIED}, by=members[2]
    )

    staff.reload()
    staff.get_by_test_id("do-evaluation_close").click()
    expect(staff.get_by_test_id("vote-outcome")).to_contain_text("满意")
    expect(staff.get_by_test_id("vote-counts")).to_contain_text("满意2票、基本满意0票、不满意1票")
    screenshot(staff, "supervision-evaluation-result-desktop")
