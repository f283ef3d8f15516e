"""A whole special inquiry (专题询问) in Chromium, as seed 003 tells it: 9 categories and 21
specific problems handed one-to-one to departments.

Three people drive it. 陈静 (海州区 staff, laptop) drafts the plan and the topic,
records a visit, lists 9 categories and 21 findings over three bureaus (three of them
long-term), schedules 第21次会议 with the police bureau's report and the inquiry,
records the questions in meeting mode, drafts and issues the review opinion, puts the
handling report on 第22次会议 and closes its satisfaction vote. 周伟, the police
bureau's clerk, works on his phone: he sees only his bureau's 11 findings (another
bureau's is 404), sends the report and the handling report, claims completion of his
short-term findings and reports progress on a long-term one. 委员甲, a member of the
standing committee, votes on her phone. At the end 18 findings are closed off and the
3 long-term ones are still being rectified toward their targets; 陈静 reads the year's
rates by bureau, schedules the 回头看 and publishes the findings, and anyone reads the
public page on a phone, which names none of the people involved.

The two other bureaus' clerks claim their findings through the services (they are not
the persona under test); everything 陈静, 周伟 and 委员甲 do goes through the pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import Role, User
from congress.models.ballots import Rating
from supervision import services
from supervision.meetings import services as meeting_services
from supervision.models.meetings import AgendaItem, Meeting, ReviewOpinion
from supervision.models.topics import Finding, FindingStatus
from tests.browser.conftest import _problems, log_in, screenshot
from tests.conftest import World
from tests.factories import DepartmentFactory, UserFactory, grant

pytestmark = pytest.mark.browser

CATEGORIES = [
    "社会治安防控体系",
    "道路交通安全",
    "校园及周边安全",
    "电信网络诈骗防范",
    "矛盾纠纷排查化解",
    "禁毒工作",
    "特殊人群服务管理",
    "基层警力保障",
    "消防安全",
]
POLICE, TRANSPORT, EDUCATION = "police", "transport", "education"
# (category number, title, bureau, long-term target or "")
FINDINGS: list[tuple[int, str, str, str]] = [
    (1, "老旧小区视频监控覆盖不足", POLICE, ""),
    (1, "夜间巡逻力量薄弱", POLICE, ""),
    (1, "治安防控网格划分不合理", POLICE, "三年内建成全域智慧安防小区"),
    (2, "学校周边缺少交通信号灯", TRANSPORT, ""),
    (2, "城乡接合部道路照明不足", TRANSPORT, ""),
    (2, "农村客运班线超员", TRANSPORT, ""),
    (3, "校园周边流动摊贩占道", EDUCATION, ""),
    (3, "部分学校安保人员不足", EDUCATION, ""),
    (3, "校车安全管理制度不健全", TRANSPORT, ""),
    (4, "反诈宣传进社区不够", POLICE, ""),
    (4, "涉诈资金止付不及时", POLICE, ""),
    (5, "基层调解组织作用发挥不足", POLICE, ""),
    (5, "信访积案化解进度慢", POLICE, ""),
    (6, "禁毒宣传教育覆盖面窄", EDUCATION, ""),
    (6, "社区戒毒康复场所缺乏", POLICE, "两年内每个街道建成社区戒毒康复站"),
    (7, "社区矫正对象帮教不到位", POLICE, ""),
    (7, "留守儿童关爱机制不健全", EDUCATION, ""),
    (8, "派出所警力配置不足", POLICE, ""),
    (8, "辅警队伍流动性大", POLICE, ""),
    (9, "学校消防设施老化", EDUCATION, ""),
    (9, "停车场消防通道被占用", TRANSPORT, "三年内完成全部停车场消防改造"),
]
MEMBERS = 3


def refused_with_400(page: Page) -> None:
    """A refused form comes back with status 400, which Chromium logs: expected here."""
    _problems[page][:] = [p for p in _problems[page] if "status of 400" not in p]


def narrow(page: Page) -> None:
    """Nothing wider than the phone's screen."""
    width = (page.viewport_size or {}).get("width", 0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_whole_special_inquiry(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
    clerk: User,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.BALLOT_KEY_DIR = tmp_path
    office = world.department.parent
    bureaus = {
        POLICE: DepartmentFactory(name="海州区公安分局", region=world.district, parent=office),
        TRANSPORT: world.department,
        EDUCATION: DepartmentFactory(name="海州区教育局", region=world.district, parent=office),
    }
    police_clerk = grant(
        UserFactory(username="zhouwei", display_name="周伟"),
        Role.HANDLER,
        department=bureaus[POLICE],
    )
    clerks = {
        POLICE: police_clerk,
        TRANSPORT: clerk,
        EDUCATION: grant(
            UserFactory(username="wuxia", display_name="吴霞"),
            Role.HANDLER,
            department=bureaus[EDUCATION],
        ),
    }
    members = [
        grant(
            UserFactory(username=f"hzcw{n}", display_name=f"委员{'甲乙丙'[n]}"),
            Role.COMMITTEE,
            region=world.district,
        )
        for n in range(MEMBERS)
    ]

    # --- 陈静: the plan, the topic, a visit ------------------------------------------------
    staff = new_page("desktop")
    log_in(staff, district_staff)
    staff.goto("/supervision/plans/")
    staff.get_by_test_id("new-plan").click()
    staff.get_by_label("人大").select_option(str(world.district.congress.pk))
    staff.get_by_label("年度").fill(str(timezone.localdate().year))
    staff.get_by_label("名称").fill("海州区人大常委会年度监督工作计划")
    staff.get_by_test_id("save").click()
    staff.get_by_test_id("new-topic").click()
    staff.get_by_label("监督方式").select_option("inquiry")
    staff.get_by_label("议题", exact=True).fill("社会治安综合治理工作专题询问")
    for bureau in bureaus.values():
        staff.get_by_label(bureau.name).check()
    staff.get_by_test_id("save").click()
    staff.get_by_test_id("topic-start").click()
    expect(staff.get_by_test_id("topic-status")).to_have_text("实施中")
    topic_url = staff.url

    staff.get_by_test_id("new-investigation").click()
    staff.get_by_label("日期").fill((timezone.localdate() - datetime.timedelta(days=7)).isoformat())
    staff.get_by_label("地点").fill("新浦街道桃园社区")
    staff.get_by_label("方式").select_option("unannounced")
    staff.get_by_label("情况记录").fill("夜间暗访老旧小区，监控多处损坏")
    staff.get_by_test_id("save").click()
    expect(staff.get_by_test_id("investigations")).to_contain_text("明察暗访")

    # --- 9 categories, 21 findings to three bureaus ----------------------------------------
    staff.get_by_test_id("findings-link").click()
    for title in CATEGORIES:
        staff.get_by_label("类别", exact=True).fill(title)
        staff.get_by_test_id("add-category").click()
    expect(staff.get_by_test_id("categories").locator("li")).to_have_count(9)

    staff.get_by_test_id("new-finding").click()
    # 对号入座: a finding without a department is refused, with what was typed kept.
    staff.get_by_label("问题", exact=True).fill(FINDINGS[0][1])
    staff.get_by_test_id("save-another").click()
    expect(staff.get_by_test_id("form-errors")).to_contain_text("请指定责任单位")
    expect(staff.get_by_label("问题", exact=True)).to_have_value(FINDINGS[0][1])
    refused_with_400(staff)
    for number, title, bureau, target in FINDINGS:
        staff.get_by_label("问题类别").select_option(label=CATEGORIES[number - 1])
        staff.get_by_label("问题", exact=True).fill(title)
        staff.get_by_label("责任单位").select_option(str(bureaus[bureau].pk))
        if target:
            staff.get_by_label("长期整改").check()
            staff.get_by_label("整改目标").fill(target)
            staff.get_by_label("阶段性计划").fill(
                "第一年：完成规划\n第二年：完成一半\n第三年：全部完成"
            )
        staff.get_by_test_id("save-another").click()
        expect(staff.get_by_label("问题", exact=True)).to_have_value("")
    staff.goto(f"{topic_url}findings/")
    expect(staff.get_by_test_id("finding-row")).to_have_count(21)
    expect(staff.get_by_test_id("progress")).to_contain_text("已销号 0 / 共 21 项")
    screenshot(staff, "supervision-inquiry-findings-desktop")

    # --- 周伟 sees only his bureau's findings -----------------------------------------------
    phone = new_page("phone")
    log_in(phone, police_clerk)
    phone.goto("/supervision/findings/")
    police_count = sum(1 for f in FINDINGS if f[2] == POLICE)
    expect(phone.get_by_test_id("finding-row")).to_have_count(police_count)
    expect(phone.get_by_test_id("finding-list")).not_to_contain_text("海州区教育局")
    elsewhere = Finding.objects.exclude(department=bureaus[POLICE]).first()
    assert elsewhere is not None
    response = phone.goto(f"/supervision/findings/{elsewhere.pk}/")
    assert response is not None and response.status == 404
    _problems[phone][:] = [p for p in _problems[phone] if "status of 404" not in p]
    narrow(phone)

    # --- the meeting: the police bureau's report and the inquiry ---------------------------
    held_on = timezone.localdate() + datetime.timedelta(days=30)
    staff.goto("/supervision/meetings/")
    staff.get_by_test_id("new-meeting").click()
    staff.get_by_label("人大").select_option(str(world.district.congress.pk))
    staff.get_by_label("会议次数").fill("21")
    staff.get_by_label("会议日期").fill(held_on.isoformat())
    staff.get_by_label("会议地点").fill("常委会第一会议室")
    staff.get_by_test_id("save-meeting").click()
    expect(staff.get_by_test_id("members")).to_contain_text(str(MEMBERS))
    meeting = Meeting.objects.get(number=21)
    staff.get_by_test_id("add-item").click()
    staff.get_by_label("议题类型").select_option("report")
    staff.get_by_label("议题", exact=True).fill("关于全区社会治安综合治理工作情况的报告")
    staff.get_by_label("报告单位").select_option(str(bureaus[POLICE].pk))
    staff.get_by_label("监督议题").select_option(label="社会治安综合治理工作专题询问")
    staff.get_by_test_id("save-item").click()
    staff.get_by_test_id("add-item").click()
    staff.get_by_label("议题类型").select_option("inquiry")
    staff.get_by_label("议题", exact=True).fill("社会治安综合治理工作专题询问")
    staff.get_by_label("监督议题").select_option(label="社会治安综合治理工作专题询问")
    staff.get_by_test_id("save-item").click()
    expect(staff.get_by_test_id("agenda").locator("li")).to_have_count(2)
    report, inquiry = meeting.items.order_by("position")

    phone.goto("/")
    expect(phone.get_by_test_id("card-reports-awaited")).to_contain_text("社会治安综合治理")
    phone.goto(f"/supervision/agenda/{report.pk}/")
    phone.get_by_label("报告正文").fill("全区社会治安总体平稳，刑事案件同比下降。")
    phone.get_by_test_id("do-report_submit").click()
    expect(phone.get_by_test_id("report-status")).to_have_text("已报送")
    narrow(phone)

    staff.goto(f"/supervision/meetings/{meeting.pk}/")
    staff.get_by_test_id("do-meeting_hold").click()
    expect(staff.get_by_test_id("meeting-status")).to_have_text("已召开")

    # --- meeting mode: questions, answers, a follow-up --------------------------------------
    staff.goto(f"/supervision/agenda/{inquiry.pk}/live/")
    questions = [
        ("委员甲", "公安分局局长", "老旧小区监控损坏多，何时修复？", "年内全部修复并联网。"),
        ("委员乙", "教育局局长", "学校安保人员不足如何解决？", "下学期起按标准配齐。"),
    ]
    for asker, respondent, text, answer in questions:
        staff.get_by_label("询问人").fill(asker)
        staff.get_by_label("应询人").fill(respondent)
        staff.get_by_label("询问内容").fill(text)
        staff.get_by_label("回答内容").fill(answer)
        staff.get_by_label("满意度（可选）").select_option("satisfied")
        staff.get_by_test_id("save-question").click()
        expect(staff.get_by_test_id("questions")).to_contain_text(answer)
    staff.get_by_label("询问人").fill("委员甲")
    staff.get_by_label("应询人").fill("公安分局局长")
    staff.get_by_label("询问内容").fill("修复资金从哪里来？")
    staff.get_by_label("回答内容").fill("已列入年度预算。")
    staff.get_by_label("追问（针对哪一问）").select_option(index=1)
    staff.get_by_test_id("save-question").click()
    expect(staff.get_by_test_id("question")).to_have_count(3)
    screenshot(staff, "supervision-inquiry-live-desktop")

    # --- the review opinion, issued; the handling report from the phone ------------------
    staff.goto(f"/supervision/agenda/{report.pk}/")
    staff.get_by_test_id("new-opinion").click()
    staff.get_by_label("交办单位").select_option(str(bureaus[POLICE].pk))
    staff.get_by_label("审议意见").fill("一、加快老旧小区技防建设；二、充实基层警力。")
    staff.get_by_test_id("save-opinion").click()
    staff.get_by_test_id("do-opinion_issue").click()
    expect(staff.get_by_test_id("opinion-status")).to_have_text("已交办")
    opinion = ReviewOpinion.objects.get()

    phone.goto(f"/supervision/opinions/{opinion.pk}/")
    phone.get_by_label("研究处理情况报告").fill("已修复监控412处，新增辅警60名。")
    phone.get_by_test_id("do-opinion_report_handling").click()
    expect(phone.get_by_test_id("handling-report")).to_contain_text("已修复监控412处")
    narrow(phone)

    # --- 第22次会议 hears the handling report; the members' satisfaction vote ----------------
    staff.goto("/supervision/meetings/")
    staff.get_by_test_id("new-meeting").click()
    staff.get_by_label("人大").select_option(str(world.district.congress.pk))
    staff.get_by_label("会议次数").fill("22")
    staff.get_by_label("会议日期").fill((held_on + datetime.timedelta(days=60)).isoformat())
    staff.get_by_test_id("save-meeting").click()
    staff.goto(f"/supervision/opinions/{opinion.pk}/")
    # The meeting is named by its number (第22次), as everywhere on the pages.
    staff.get_by_label("列入第几次会议（会议次数）").fill("22")
    staff.get_by_test_id("do-opinion_schedule").click()
    expect(staff.get_by_test_id("opinion-status")).to_have_text("已列入会议议程")
    later = Meeting.objects.get(number=22)
    heard = AgendaItem.objects.get(meeting=later)
    staff.goto(f"/supervision/meetings/{later.pk}/")
    staff.get_by_test_id("do-meeting_hold").click()
    staff.goto(f"/supervision/agenda/{heard.pk}/")
    staff.get_by_test_id("do-evaluation_open").click()
    expect(staff.get_by_test_id("vote")).to_contain_text("测评中")

    member = new_page("phone")
    log_in(member, members[0])
    member.get_by_test_id("card-vote").click()
    member.get_by_label("满意", exact=True).check()
    member.get_by_test_id("cast").click()
    expect(member.get_by_test_id("receipt")).to_be_visible()
    narrow(member)
    heard.refresh_from_db()
    for other, mark in ((members[1], Rating.SATISFIED), (members[2], Rating.BASIC)):
        meeting_services.evaluation_cast(vote=heard.vote, choices={heard.pk: mark}, by=other)
    staff.reload()
    staff.get_by_test_id("do-evaluation_close").click()
    # 2 满意 of 3 members is at least half: 满意.
    expect(staff.get_by_test_id("vote-outcome")).to_contain_text("满意")
    expect(staff.get_by_test_id("vote-counts")).to_contain_text("满意2票、基本满意1票、不满意0票")

    # --- 销号: 周伟 claims on his phone, 陈静 closes off with evidence ------------------------
    mine = list(
        Finding.objects.filter(department=bureaus[POLICE], is_long_term=False).order_by("number")
    )
    for finding in mine:
        phone.goto(f"/supervision/findings/{finding.pk}/")
        phone.get_by_test_id("action-claim_closure").locator("summary").click()
        phone.get_by_test_id("action-claim_closure").get_by_label("整改完成情况").fill(
            f"{finding.title}已整改"
        )
        phone.get_by_test_id("do-claim_closure").click()
        expect(phone.get_by_test_id("finding-status")).to_have_text("申请销号")
    long_term = Finding.objects.filter(department=bureaus[POLICE], is_long_term=True).first()
    assert long_term is not None
    phone.goto(f"/supervision/findings/{long_term.pk}/")
    phone.get_by_test_id("action-progress").locator("summary").click()
    phone.get_by_test_id("action-progress").get_by_label("整改进展").fill("第一年规划已完成")
    phone.get_by_test_id("do-progress").click()
    expect(phone.get_by_test_id("timeline")).to_contain_text("第一年规划已完成")
    screenshot(phone, "supervision-inquiry-long-term-phone")
    narrow(phone)

    for bureau in (TRANSPORT, EDUCATION):
        for finding in Finding.objects.filter(department=bureaus[bureau], is_long_term=False):
            services.finding_claim_closure(finding=finding, note="已整改", by=clerks[bureau])

    staff.goto(f"/supervision/findings/{mine[0].pk}/")
    staff.get_by_test_id("action-close_off").locator("summary").click()
    staff.get_by_test_id("do-close_off").click()
    expect(staff.get_by_test_id("form-errors")).to_contain_text("销号须有依据")
    refused_with_400(staff)
    assert Finding.objects.get(pk=mine[0].pk).status == FindingStatus.CLAIMED
    for finding in Finding.objects.filter(status=FindingStatus.CLAIMED).order_by("number"):
        staff.goto(f"/supervision/findings/{finding.pk}/")
        staff.get_by_test_id("action-close_off").locator("summary").click()
        staff.get_by_test_id("action-close_off").get_by_label("销号依据（核实情况）").fill(
            "实地核查，整改到位"
        )
        staff.get_by_test_id("do-close_off").click()
        expect(staff.get_by_test_id("finding-status")).to_have_text("已销号")

    staff.goto(f"{topic_url}findings/")
    expect(staff.get_by_test_id("progress")).to_contain_text("已销号 18 / 共 21 项")
    expect(staff.get_by_test_id("progress")).not_to_contain_text("已销号清零")
    screenshot(staff, "supervision-inquiry-closed-off-desktop")
    assert sorted(
        Finding.objects.exclude(status=FindingStatus.CLOSED_OFF).values_list("title", flat=True)
    ) == sorted(f[1] for f in FINDINGS if f[3])

    # --- the year's rates by bureau (worked out by hand) ------------------------------------
    # 教育局 5 of 5 closed off; 公安分局 9 of 11 (2 long-term); 交通运输局 4 of 5 (1 long-term);
    # every claim came before its due date: all on time.
    staff.goto("/supervision/findings/")
    staff.get_by_test_id("rates-link").click()
    rows = staff.get_by_test_id("rate-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("海州区教育局")
    expect(rows.nth(1)).to_contain_text("海州区公安分局")
    expect(rows.nth(1)).to_contain_text("81.8%")
    expect(rows.nth(2)).to_contain_text("80.0%")
    expect(staff.get_by_test_id("rate-total")).to_contain_text("85.7%")
    expect(staff.get_by_test_id("rate-total")).to_contain_text("100.0%")

    # --- 回头看 scheduled; the findings published; anyone reads them on a phone -------------
    staff.goto(topic_url)
    staff.get_by_test_id("schedule-review").click()
    expect(staff.get_by_test_id("reviews").get_by_test_id("hold-review")).to_have_count(1)
    staff.get_by_test_id("topic-publish").click()
    public_url = staff.get_by_test_id("public-link").get_attribute("href")
    assert public_url is not None
    citizen = new_page("phone")
    citizen.goto(public_url)
    expect(citizen.get_by_test_id("public-finding")).to_have_count(21)
    expect(citizen.get_by_test_id("progress")).to_contain_text("已销号 18 / 共 21 项")
    expect(citizen.get_by_test_id("public-findings")).to_contain_text("海州区公安分局")
    for private in ("周伟", "陈静", "实地核查", "第一年规划已完成"):
        expect(citizen.locator("body")).not_to_contain_text(private)
    narrow(citizen)
    screenshot(citizen, "supervision-inquiry-public-phone")
