"""The special inquiry of 海州区 as a story through the real services, for the dossier and
the dashboard's 专项监督 panel (after seed 003, 锦州: 9 categories, 21 findings, 3 of them
long-term).

陈静 (district staff) runs it; the district government office's clerk (刘洋, who handles the
bureaus under the office: 交通运输局 of 赵磊, 公安分局, 民政局, 教育局, 市场监管局) claims the
findings; 27 members of 海州区人大常委会 vote on the report. Nothing here is a citizen.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congress.models import Department, Role, User
from congress.models.ballots import Rating
from congress.uploads import clean_image
from supervision import services
from supervision.meetings import services as meetings
from supervision.models.meetings import AgendaItem, ItemKind, Meeting
from supervision.models.topics import Finding, GroupRole, Investigation, Topic, TopicKind
from tests.conftest import World
from tests.factories import DepartmentFactory, UserFactory, grant
from tests.supervision.findings_support import plan_of

# (category, [(finding, bureau, long-term target or "")]): 9 categories, 21 findings.
INQUIRY: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "社会治安防控体系",
        [
            ("城区夜间巡逻防控覆盖不足", "公安分局", ""),
            ("老旧小区视频监控覆盖率低", "公安分局", "三年内老旧小区视频监控全覆盖"),
            ("农村地区治安力量薄弱", "公安分局", ""),
        ],
    ),
    (
        "矛盾纠纷排查化解",
        [("基层调解组织作用发挥不充分", "民政局", ""), ("信访积案化解进度慢", "公安分局", "")],
    ),
    (
        "道路交通安全",
        [
            ("城区重点路段交通拥堵", "交通运输局", ""),
            ("农村道路安全设施缺失", "交通运输局", ""),
            ("重型货车违规进城屡禁不止", "交通运输局", ""),
        ],
    ),
    (
        "校园及周边安全",
        [("校园周边交通秩序混乱", "教育局", ""), ("校园安保人员配备不足", "教育局", "")],
    ),
    (
        "电信网络诈骗防范",
        [("反诈宣传覆盖面不广", "公安分局", ""), ("涉诈资金止付不及时", "公安分局", "")],
    ),
    (
        "食品药品安全",
        [
            ("农贸市场食品抽检频次偏低", "市场监管局", ""),
            ("网络订餐监管存在盲区", "市场监管局", ""),
        ],
    ),
    (
        "安全生产",
        [
            ("危化品运输监管不到位", "交通运输局", ""),
            ("高层建筑消防设施老化", "公安分局", "五年内完成高层住宅消防设施改造"),
        ],
    ),
    (
        "城市管理秩序",
        [("占道经营反复回潮", "市场监管局", ""), ("违法建设查处不彻底", "民政局", "")],
    ),
    (
        "特殊人群服务管理",
        [
            ("严重精神障碍患者服务管理衔接不畅", "民政局", "两年内建成全区精神卫生服务网络"),
            ("社区矫正对象帮扶措施不足", "民政局", ""),
            ("流浪乞讨人员救助不及时", "民政局", ""),
        ],
    ),
]

MILESTONES = "第一年完成30%\n第二年完成70%\n第三年全部完成"
QUESTION = "老旧小区技防设施薄弱的问题，今年有什么具体改造计划？"
ANSWER = "今年完成36个老旧小区视频监控和门禁改造，年底前全部联网。"
FOLLOW_UP = "36个小区的改造资金是否已经落实？"
OPINION = "一、加大老旧小区技防设施投入；二、充实社区警力。"
HANDLING = "已制定老旧小区技防改造三年计划，今年完成36个小区；新增社区民警18名。"


@dataclass
class Story:
    topic: Topic
    office_clerk: User
    bureaus: dict[str, Department]
    report: AgendaItem | None = None
    next_meeting: Meeting | None = None


def bureaus_of(world: World) -> tuple[dict[str, Department], User]:
    """海州区's bureaus under its government office, and the office's clerk (刘洋)."""
    office = world.department.parent
    assert office is not None
    bureaus = {"交通运输局": world.department}
    for short in ("公安分局", "民政局", "教育局", "市场监管局"):
        found = Department.objects.filter(region=world.district, name=f"海州区{short}").first()
        bureaus[short] = found or DepartmentFactory(
            name=f"海州区{short}", region=world.district, parent=office
        )
    clerk = User.objects.filter(username="liuyang").first()
    if clerk is None:
        clerk = grant(
            UserFactory(username="liuyang", display_name="刘洋"), Role.HANDLER, department=office
        )
    return bureaus, clerk


def committee_members(world: World, count: int = 27) -> list[User]:
    return [
        grant(UserFactory(username=f"hzwy{n:02d}"), Role.COMMITTEE, region=world.district)
        for n in range(count)
    ]


def visit(
    topic: Topic, staff: User, *, photos: int = 1, place: str = "新浦街道派出所"
) -> Investigation:
    """A 明察暗访 of three named officials, with ``photos`` photos (MEDIA_ROOT must be a
    temporary folder)."""
    uploads = []
    for n in range(photos):
        out = io.BytesIO()
        Image.new("RGB", (16, 16), (10 * n % 255, 80, 160)).save(out, format="JPEG")
        uploads.append(
            clean_image(SimpleUploadedFile(f"现场{n}.jpg", out.getvalue(), "image/jpeg"))
        )
    return services.investigation_create(
        topic=topic,
        held_on=timezone.localdate() - datetime.timedelta(days=30),
        place=place,
        method="unannounced",
        participants="刘建华、孟庆和、钱建国",
        notes="夜间22时后主干道巡逻车辆不足。",
        photos=uploads,
        by=staff,
    )


def overdue(finding: Finding, days: int = 10) -> None:
    """No clock is moved in these tests: the due date is put in the past, as the calendar
    would have it ``days`` later (the finding's and its step's)."""
    past = timezone.localdate() - datetime.timedelta(days=days)
    Finding.objects.filter(pk=finding.pk).update(due_on=past)
    assert finding.assignment is not None
    type(finding.assignment).objects.filter(pk=finding.assignment_id).update(due_on=past)


def inquiry_topic(
    world: World,
    staff: User,
    *,
    categories: list[tuple[str, list[tuple[str, str, str]]]] = INQUIRY,
    close_off: bool = True,
    title: str = "关于全区社会治安综合治理工作情况的专题询问",
) -> Story:
    """The topic, its leadership group and its findings; every finding that is not
    long-term claimed by 刘洋 and closed off by 陈静 (``close_off``)."""
    bureaus, office_clerk = bureaus_of(world)
    committee = services.committee_create(
        congress=world.district.congress, name="监察和司法委员会", by=staff
    )
    topic = services.topic_create(
        plan=plan_of(world.district, staff),
        kind=TopicKind.INQUIRY,
        title=title,
        description="听取和审议区人民政府关于社会治安综合治理工作情况的报告，并开展专题询问。",
        departments=[bureaus["公安分局"], bureaus["民政局"]],
        committees=[committee],
        by=staff,
    )
    for role, name, position in [
        (GroupRole.LEADER, "刘建华", "区人大常委会副主任"),
        (GroupRole.DEPUTY, "孟庆和", "区人大监察和司法委员会主任委员"),
        (GroupRole.MEMBER, "钱建国", "区人大常委会委员"),
    ]:
        services.topic_member_add(topic=topic, role=role, name=name, position=position, by=staff)
    services.topic_move(topic=topic, action="start", by=staff)
    due = timezone.localdate() + datetime.timedelta(days=90)
    for category_title, findings in categories:
        category = services.category_create(topic=topic, title=category_title, by=staff)
        for title_, short, target in findings:
            finding = services.finding_create(
                topic=topic,
                category=category,
                title=title_,
                department=bureaus[short],
                measures="制定整改方案，明确责任人和完成时限。",
                due_on=due + datetime.timedelta(days=700) if target else due,
                is_long_term=bool(target),
                target=target,
                milestones=MILESTONES if target else "",
                by=staff,
            )
            if close_off and not target:
                services.finding_claim_closure(
                    finding=finding, note="整改措施已全部落实。", by=office_clerk
                )
                services.finding_close_off(
                    finding=finding, evidence="实地核查，整改到位，同意销号。", by=staff
                )
    topic.refresh_from_db()
    return Story(topic, office_clerk, bureaus)


def hold_the_inquiry(
    world: World, staff: User, story: Story, members: list[User], *, questions: int = 2
) -> Story:
    """第21次会议 (held): the police bureau's report on the topic, sent by 刘洋, its
    inquiry (``questions`` questions and a follow-up of the first), the satisfaction vote
    (满意 25, 基本满意 1, 不满意 0 of 27 members, one absent) and the review opinion, handled
    and put on 第22次会议 (in 40 days)."""
    today = timezone.localdate()
    congress, police = world.district.congress, story.bureaus["公安分局"]
    meeting = meetings.meeting_schedule(
        congress=congress, number=21, held_on=today + datetime.timedelta(days=1), by=staff
    )
    report = meetings.agenda_add(
        meeting=meeting,
        kind=ItemKind.REPORT,
        title="区人民政府关于社会治安综合治理工作情况的报告",
        department=police,
        topic=story.topic,
        by=staff,
    )
    inquiry = meetings.agenda_add(
        meeting=meeting,
        kind=ItemKind.INQUIRY,
        title="关于社会治安综合治理工作的专题询问",
        topic=story.topic,
        by=staff,
    )
    meetings.report_submit(
        item=report, text="全区社会治安综合治理工作情况。", by=story.office_clerk
    )
    meetings.meeting_hold(meeting=meeting, by=staff)
    first = meetings.question_record(
        item=inquiry,
        asker="王海峰",
        respondent="区公安分局局长",
        department=police,
        text=QUESTION,
        answer=ANSWER,
        satisfaction=Rating.SATISFIED,
        by=staff,
    )
    for n in range(1, questions):
        meetings.question_record(
            item=inquiry,
            asker=f"委员{n}",
            respondent="区公安分局局长",
            department=police,
            text=f"第{n + 1}个询问：社区民警配备情况如何？",
            answer=f"第{n + 1}个回答：每个社区配备1名专职民警。",
            by=staff,
        )
    meetings.question_record(
        item=inquiry,
        asker="王海峰",
        respondent="区公安分局局长",
        department=police,
        text=FOLLOW_UP,
        answer="资金已列入年度预算，共计1,280万元。",
        follow_up_of=first,
        by=staff,
    )
    vote = meetings.evaluation_open(item=report, by=staff)
    for n, member in enumerate(members[:26]):
        mark = Rating.BASIC if n == 0 else Rating.SATISFIED
        meetings.evaluation_cast(vote=vote, choices={report.pk: mark}, by=member)
    meetings.evaluation_close(vote=vote, by=staff)
    upcoming = meetings.meeting_schedule(
        congress=congress, number=22, held_on=today + datetime.timedelta(days=40), by=staff
    )
    opinion = meetings.opinion_draft(item=report, department=police, text=OPINION, by=staff)
    meetings.opinion_issue(opinion=opinion, by=staff)
    meetings.opinion_report_handling(opinion=opinion, text=HANDLING, by=story.office_clerk)
    meetings.opinion_schedule(opinion=opinion, meeting=upcoming, by=staff)
    story.report, story.next_meeting = report, upcoming
    return story
