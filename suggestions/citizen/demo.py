"""Demo data: citizens' problems across the demo city, in every state, with photos.

Every problem is made through the services (submission, 受理, 交办, replies,
ratings), so its timeline, closed-loop steps and notifications are real; then
its clock is moved back (a demo describes months of work, it cannot wait for
them). Photos are drawn here with Pillow (a pothole, a dark streetlight…): a
handful of scenes, stored once, shared by many problems.

The transport bureau's clerk (clerk_transport) gets road problems in every state,
some of them overdue, so the reminder sweep at the end leaves reminders in their
inbox and escalations with supervisor_city_office; 海州区's urban-management clerk
(clerk_district_urban) gets the district's street-light and drainage problems.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from congress import loop
from congress.areas import assignments_fill_areas
from congress.demo import DemoContext
from congress.errors import DomainError, RuleViolation
from congress.models import Assignment, CaseEvent, Department, Region, Role, User
from representatives.models import Representative, Station, StationMember
from suggestions.citizen import services
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    Appointment,
    CitizenIssue,
    IssueCategory,
    IssuePhoto,
    IssueRating,
)

# At scale 1 (48 towns): ~100 problems played through the services, nearly all of them
# still open (every state of the last weeks), and ~1,600 finished ones of the past
# year written as rows in bulk (each service step costs tens of queries; replaying a
# year of them would take minutes). Both kinds have the same rows: problem, timeline,
# closed-loop steps.
LIVE_FULL = 100
ARCHIVE_FULL = 1600
PHOTO_DIR = "citizen/demo"

# (category, description, photo scene or "")
PROBLEMS: list[tuple[str, str, str]] = [
    ("roads", "幸福路与人民路交叉口有一个大坑，雨天积水看不见，电动车已经摔了好几次。", "pothole"),
    ("roads", "村口到镇上的道路坑洼不平，大货车经过尘土飞扬，希望尽快修补。", "pothole"),
    ("roads", "学校门口没有斑马线和减速带，上下学时段车速很快，孩子过马路很危险。", ""),
    ("roads", "公交站台的顶棚破损漏雨，候车的老人没处躲雨。", ""),
    ("roads", "小区门前的井盖缺失，只放了一个锥桶，晚上很容易踩空。", "manhole"),
    ("utilities", "我们这一片的路灯坏了一个多月了，晚上出门一片漆黑。", "streetlight"),
    ("utilities", "自来水这几天发黄，有异味，烧开后有沉淀。", ""),
    ("utilities", "每到用电高峰就跳闸停电，老人家里的冰箱和空调都没法用。", ""),
    ("environment", "河边有人乱倒建筑垃圾，已经堆成小山了，还散发臭味。", "garbage"),
    ("environment", "附近的小作坊晚上排放刺鼻气味，窗户都不敢开。", ""),
    ("environment", "菜市场后面的垃圾桶长期满溢，没人清运，苍蝇很多。", "garbage"),
    ("environment", "下雨后路面大面积积水，排水沟被堵住了，希望疏通。", "flood"),
    ("housing", "老旧小区没有电梯，楼里老人多，希望列入加装电梯计划。", ""),
    ("housing", "物业不作为，小区绿化被毁也不管，业主意见很大。", ""),
    ("housing", "楼顶防水层老化，顶楼住户家里墙面发霉漏水。", ""),
    ("education", "附近幼儿园学位紧张，希望增加公办幼儿园名额。", ""),
    ("education", "学校放学时间太早，双职工家庭接孩子困难，希望开设课后服务。", ""),
    ("health", "社区卫生服务站周末不开门，老人看病配药不方便。", ""),
    ("health", "村卫生室缺少常用药，高血压病人每月要跑到镇上拿药。", ""),
    ("social_security", "高龄津贴申请材料太多，希望简化手续，能在村里办理。", ""),
    ("social_security", "社区养老服务中心的助餐点价格上涨，希望给予补贴。", ""),
    ("employment", "希望社区多组织一些适合中年人的技能培训和招聘会。", ""),
    ("public_safety", "小区健身器材损坏，边缘锋利，孩子玩耍时容易受伤。", "playground"),
    ("public_safety", "电动车在楼道里充电，存在火灾隐患，希望建设集中充电桩。", ""),
    ("business", "个体工商户办理经营许可证要跑好几个窗口，希望一窗通办。", ""),
    ("rural", "农田灌溉渠年久失修，漏水严重，影响春耕用水。", ""),
    ("rural", "村里的农产品销路不畅，希望帮助对接电商平台。", ""),
    ("other", "社区文化活动室长期锁门，群众没有活动的地方。", ""),
]

# Which department takes which kind of problem (by short name; the county's own
# bureau when it has one, else the city's).
DEPARTMENTS = {
    "roads": ["交通局", "城管局"],
    "utilities": ["城管局", "住建局"],
    "environment": ["生态环境分局", "生态环境局", "城管局"],
    "housing": ["住建局"],
    "education": ["教育局"],
    "health": ["卫健委"],
    "social_security": ["民政局", "人社局"],
    "employment": ["人社局"],
    "public_safety": ["应急局", "公安分局"],
    "business": ["市场监管局"],
    "rural": ["农业农村局", "水利局"],
    "other": ["民政局"],
}

ANSWERS = [
    "经协调，已安排施工队于本周完成修复，请您查看。",
    "已联系相关部门现场查看并处理完毕，感谢您的反映。",
    "该问题已列入今年的改造计划，预计下半年实施，我们会持续跟踪。",
    "经与物业和社区共同协商，已达成解决方案并开始落实。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽华海燕晓东桂芳德胜淑珍春梅玉兰"


# --- photos ---------------------------------------------------------------------------------


def _sky_and_road(draw: ImageDraw.ImageDraw, sky: tuple[int, int, int]) -> None:
    for y in range(0, 200):
        shade = tuple(min(255, c + y // 4) for c in sky)
        draw.line([(0, y), (640, y)], fill=shade)
    draw.polygon([(0, 480), (640, 480), (420, 200), (220, 200)], fill=(92, 92, 96))
    draw.polygon([(0, 480), (0, 200), (220, 200)], fill=(120, 150, 90))
    draw.polygon([(640, 480), (640, 200), (420, 200)], fill=(120, 150, 90))


def _lane_marks(draw: ImageDraw.ImageDraw) -> None:
    for index in range(6):
        top = 210 + index * 45
        width = 2 + index
        draw.polygon(
            [
                (318 - width, top),
                (322 + width, top),
                (324 + width, top + 25),
                (316 - width, top + 25),
            ],
            fill=(235, 235, 220),
        )


def _pothole(draw: ImageDraw.ImageDraw) -> None:
    _sky_and_road(draw, (150, 190, 230))
    _lane_marks(draw)
    draw.ellipse([200, 330, 420, 420], fill=(55, 52, 50), outline=(130, 120, 110), width=6)
    draw.ellipse([240, 350, 380, 400], fill=(70, 95, 120))  # rain water in the hole
    for x, y in [(190, 320), (430, 410), (215, 425)]:
        draw.polygon([(x, y), (x + 18, y + 6), (x + 6, y + 16)], fill=(105, 100, 95))


def _manhole(draw: ImageDraw.ImageDraw) -> None:
    _sky_and_road(draw, (170, 200, 225))
    draw.ellipse([250, 340, 390, 400], fill=(15, 15, 15))
    draw.polygon([(420, 380), (450, 300), (480, 380)], fill=(250, 110, 30))
    draw.rectangle([428, 335, 472, 345], fill=(245, 245, 245))


def _streetlight(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, 640, 480], fill=(18, 24, 48))
    for x, y in [(60, 40), (200, 90), (520, 60), (600, 140), (330, 30)]:
        draw.ellipse([x, y, x + 3, y + 3], fill=(230, 230, 200))
    draw.rectangle([0, 380, 640, 480], fill=(45, 45, 50))
    draw.rectangle([300, 110, 312, 390], fill=(90, 95, 100))
    draw.line([(306, 115), (380, 100)], fill=(90, 95, 100), width=8)
    draw.polygon([(360, 96), (410, 96), (400, 112), (370, 112)], fill=(60, 60, 62))
    draw.ellipse([460, 60, 520, 120], fill=(230, 225, 190))  # only the moon lights the street


def _garbage(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, 640, 220], fill=(175, 195, 210))
    draw.rectangle([0, 220, 640, 480], fill=(140, 120, 90))
    rng = random.Random(7)
    for _n in range(90):
        x, y = rng.randint(120, 520), rng.randint(250, 440)
        w, h = rng.randint(15, 45), rng.randint(10, 35)
        color = rng.choice(
            [(200, 60, 50), (60, 90, 170), (230, 230, 230), (80, 140, 70), (40, 40, 40)]
        )
        draw.rectangle([x, y, x + w, y + h], fill=color)
    draw.rectangle([540, 250, 610, 360], fill=(40, 120, 60))


def _flood(draw: ImageDraw.ImageDraw) -> None:
    _sky_and_road(draw, (130, 140, 150))
    draw.polygon([(60, 480), (600, 480), (470, 300), (170, 300)], fill=(95, 120, 140))
    for index in range(12):
        y = 310 + index * 14
        draw.line([(180 - index * 8, y), (460 + index * 10, y)], fill=(150, 175, 195), width=2)


def _playground(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, 640, 240], fill=(160, 205, 235))
    draw.rectangle([0, 240, 640, 480], fill=(95, 150, 80))
    draw.line([(150, 400), (230, 200)], fill=(220, 70, 40), width=12)
    draw.line([(230, 200), (330, 200)], fill=(220, 70, 40), width=12)
    draw.line([(330, 200), (360, 330)], fill=(220, 70, 40), width=12)  # a broken leg
    draw.line([(360, 330), (420, 360)], fill=(200, 60, 35), width=12)
    draw.rectangle([250, 210, 262, 330], fill=(60, 60, 60))


SCENES: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "pothole": _pothole,
    "manhole": _manhole,
    "streetlight": _streetlight,
    "garbage": _garbage,
    "flood": _flood,
    "playground": _playground,
}


def draw_scene(name: str) -> bytes:
    image = Image.new("RGB", (640, 480))
    SCENES[name](ImageDraw.Draw(image))
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def store_scenes() -> dict[str, tuple[str, int]]:
    """Each scene stored once; returns name → (stored path, size)."""
    stored = {}
    for name in SCENES:
        path = f"{PHOTO_DIR}/{name}.jpg"
        data = draw_scene(name)
        if not default_storage.exists(path):
            path = default_storage.save(path, ContentFile(data))
        stored[name] = (path, len(data))
    return stored


# --- the problems -------------------------------------------------------------------------------


@dataclass
class _Plan:
    issue: CitizenIssue
    days_ago: int


@dataclass
class _Builder:
    ctx: DemoContext
    rng: random.Random
    categories: dict[str, IssueCategory]
    scenes: dict[str, tuple[str, int]]
    staff: dict[int, User]  # county region id → staff user who works there
    city_staff: User
    departments: dict[tuple[int, str], Department]
    transport: Department
    plans: list[_Plan] = field(default_factory=list)

    def staff_for(self, region: Region) -> User:
        for county_id, user in self.staff.items():
            if county_id in region.ancestor_ids():
                return user
        return self.city_staff

    def department_for(self, issue: CitizenIssue) -> Department:
        if issue.category.code == "roads" and self.rng.random() < 0.45:
            return self.transport  # the city bureau: clerk_transport's desk
        county = next(
            (rid for rid in issue.region.ancestor_ids() if (rid, "教育局") in self.departments),
            None,
        )
        for short in DEPARTMENTS.get(issue.category.code, ["民政局"]):
            for region_id in (county, self.ctx.city.pk):
                if region_id is not None and (region_id, short) in self.departments:
                    return self.departments[(region_id, short)]
        return self.transport

    def submit(
        self, station: Station, addressed: Representative | None, *, category: str = ""
    ) -> CitizenIssue:
        code, text, scene = self.rng.choice(
            [p for p in PROBLEMS if p[0] == category] if category else PROBLEMS
        )
        grids = [g for g in self.ctx.grids if g.parent_id == station.region_id]
        region = self.rng.choice(grids) if grids and self.rng.random() < 0.6 else station.region
        name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))
        wants_name = self.rng.random() < 0.7
        submission = services.Submission(
            category=self.categories[code],
            description=text,
            region=region,
            station=station,
            representative=addressed,
            address=f"{region.name}{self.rng.randint(1, 60)}号附近",
            citizen_name=name if wants_name else "",
            mobile=f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}",
            public_anonymous=self.rng.random() < 0.8,
            consent=True,
            source="representative" if addressed else "station",
        )
        issue, _created = services.citizen_issue_submit(
            submission=submission, idempotency_key=uuid.UUID(int=self.rng.getrandbits(128))
        )
        if scene and self.rng.random() < 0.7:
            path, size = self.scenes[scene]
            IssuePhoto.objects.create(
                issue=issue,
                token=uuid.UUID(int=self.rng.getrandbits(128)).hex,
                file=path,
                extension=".jpg",
                content_type="image/jpeg",
                width=640,
                height=480,
                size=size,
            )
        return issue

    def handler_user(self, issue: CitizenIssue, staff: User) -> User:
        handler = issue.handler
        return handler.user if handler is not None and handler.user is not None else staff

    def clerk_of(self, department: Department) -> User:
        clerk = (
            User.objects.filter(role_grants__role=Role.HANDLER, role_grants__department=department)
            .order_by("pk")
            .first()
        )
        return clerk or self.city_staff

    def play(self, issue: CitizenIssue, outcome: str) -> None:
        """Take a submitted problem as far as ``outcome``."""
        staff = self.staff_for(issue.region)
        if outcome == "submitted":
            return
        if outcome == "review":
            return  # made by a flagged description instead (see build)
        if outcome == "declined":
            services.citizen_issue_decline(
                issue=issue,
                by=staff,
                reason="该事项属于民事纠纷，不在代表受理范围。",
                channel=self.rng.choice(["litigation", "hotline", "petition"]),
            )
            return
        services.citizen_issue_accept(issue=issue, by=staff)
        issue.refresh_from_db()
        if issue.handler is None:
            return  # no representative for that grid: waits for staff to choose one
        actor = self.handler_user(issue, staff)
        if outcome == "with_representative":
            return
        if outcome == "converted":
            to = self.rng.choice(["suggestion", "livelihood"])
            try:
                services.citizen_issue_convert(issue=issue, by=actor, to=to)
            except RuleViolation:  # no congress session for this representative to file in
                services.citizen_issue_convert(issue=issue, by=actor, to="livelihood")
            return
        if outcome in ("answered", "closed_direct"):
            services.citizen_issue_answer(issue=issue, by=actor, answer=self.rng.choice(ANSWERS))
            if outcome == "closed_direct":
                self.rate(issue)
            return
        department = self.department_for(issue)
        assignment = services.citizen_issue_forward(issue=issue, department=department, by=actor)
        clerk = self.clerk_of(department)
        if outcome == "forwarded":
            return
        if outcome == "return_requested":
            loop.assignment_request_return(
                assignment=assignment, by=clerk, reason="不属于本单位职责，建议交城管部门。"
            )
            return
        loop.assignment_accept(assignment=assignment, by=clerk)
        if outcome == "dept_accepted":
            return
        if outcome == "dept_progress":
            loop.assignment_report_progress(
                assignment=assignment, by=clerk, note="已现场查看，正在制定方案。"
            )
            return
        services.citizen_issue_department_reply(
            issue=issue, assignment=assignment, by=clerk, reply="已组织人员现场处理，问题已解决。"
        )
        if outcome == "dept_replied":
            return
        services.citizen_issue_report_back(issue=issue, by=actor, answer=self.rng.choice(ANSWERS))
        if outcome == "forward_answered":
            return
        if outcome == "reopened":
            services.citizen_issue_rate(
                issue=issue, rating=IssueRating.UNSATISFIED, comment="问题没有彻底解决"
            )
            return
        self.rate(issue)

    def rate(self, issue: CitizenIssue) -> None:
        issue.refresh_from_db()
        roll = self.rng.random()
        if roll < 0.12:
            services.citizen_issue_close_unrated(issue=issue)
        else:
            rating = IssueRating.SATISFIED if roll < 0.8 else IssueRating.BASICALLY
            services.citizen_issue_rate(issue=issue, rating=rating)


OUTCOMES = [
    ("submitted", 5),
    ("declined", 4),
    ("with_representative", 7),
    ("converted", 2),
    ("answered", 5),
    ("closed_direct", 3),  # most finished problems are in the bulk-written archive
    ("forwarded", 6),
    ("return_requested", 1),
    ("dept_accepted", 5),
    ("dept_progress", 4),
    ("dept_replied", 4),
    ("forward_answered", 5),
    ("reopened", 3),
    ("closed_forwarded", 4),
]
OPEN_OUTCOMES = {
    "submitted",
    "with_representative",
    "answered",
    "forwarded",
    "return_requested",
    "dept_accepted",
    "dept_progress",
    "dept_replied",
    "forward_answered",
    "reopened",
}


def _age(rng: random.Random, outcome: str) -> int:
    """How many days ago the problem came in: open ones recently, finished ones over a year."""
    if outcome == "submitted":
        return rng.randint(0, 4)
    if outcome in OPEN_OUTCOMES:
        return rng.randint(1, 30)
    return rng.randint(10, 90)


def _move_back(issue_ids: list[int], days: int) -> None:
    """Put a problem's whole history ``days`` earlier (created, events, steps)."""
    if not days:
        return
    delta = datetime.timedelta(days=days)
    CitizenIssue.objects.filter(pk__in=issue_ids).update(created_at=F("created_at") - delta)
    for name in ("answered_at", "closed_at", "rated_at"):
        CitizenIssue.objects.filter(pk__in=issue_ids, **{f"{name}__isnull": False}).update(
            **{name: F(name) - delta}
        )
    CitizenIssue.objects.filter(pk__in=issue_ids, rating_due_on__isnull=False).update(
        rating_due_on=F("rating_due_on") - delta
    )
    CaseEvent.objects.filter(case_type=ISSUE_CASE, case_id__in=issue_ids).update(at=F("at") - delta)
    steps = Assignment.objects.filter(case_type=ISSUE_CASE, case_id__in=issue_ids)
    steps.update(
        assigned_at=F("assigned_at") - delta,
        due_on=F("due_on") - delta,
        original_due_on=F("original_due_on") - delta,
    )
    for name in ("replied_at", "closed_at"):
        steps.filter(**{f"{name}__isnull": False}).update(**{name: F(name) - delta})
    steps.filter(latest_due_on__isnull=False).update(latest_due_on=F("latest_due_on") - delta)


def _reschedule_reminders() -> None:
    """Open steps whose dates moved: their next reminder is recomputed from the start,
    so the sweep catches up (one plain reminder, every escalation due)."""
    now = timezone.now()
    for step in Assignment.objects.filter(case_type=ISSUE_CASE, status__in=loop.OPEN_STATUSES):
        policy = loop.policy_for(step.case_type)
        Assignment.objects.filter(pk=step.pk).update(
            reminded_until=step.assigned_at,
            next_reminder_at=loop.next_reminder_time(step, policy, min(step.assigned_at, now)),
        )


def _lookups(
    ctx: DemoContext,
) -> tuple[dict[int, User], User, dict[tuple[int, str], Department], Department]:
    staff: dict[int, User] = {}
    city_staff = User.objects.get(username="city_staff")
    for username in ("district_staff", "other_district_staff"):
        user = User.objects.filter(username=username).first()
        if user is not None and user.staff_regions:
            staff[user.staff_regions[0].pk] = user
    departments = {(d.region_id, d.short_name): d for d in ctx.departments if d.short_name}
    transport = departments[(ctx.city.pk, "交通局")]
    return staff, city_staff, departments, transport


def build(ctx: DemoContext, *, size: int | None = None) -> None:
    services.categories_ensure_defaults()
    stations: list[Station] = list(
        ctx.extra.get("stations") or Station.objects.filter(is_active=True)
    )
    if not stations:
        return  # the representatives' builder made none: nothing to scan
    rng = random.Random(ctx.rng.random())
    staff, city_staff, departments, transport = _lookups(ctx)
    builder = _Builder(
        ctx=ctx,
        rng=rng,
        categories={c.code: c for c in IssueCategory.objects.all()},
        scenes=store_scenes(),
        staff=staff,
        city_staff=city_staff,
        departments=departments,
        transport=transport,
    )
    members: dict[int, list[Representative]] = {}
    for member in StationMember.objects.filter(is_active=True).select_related("representative"):
        members.setdefault(member.station_id, []).append(member.representative)
    share = len(ctx.towns) / 48
    total = size or max(120, round(LIVE_FULL * share))
    outcomes, weights = zip(*OUTCOMES, strict=True)
    by_age: dict[int, list[int]] = {}
    with transaction.atomic():
        for index in range(total):
            station = rng.choice(stations)
            people = members.get(station.pk, [])
            addressed = rng.choice(people) if people and rng.random() < 0.3 else None
            outcome = rng.choices(outcomes, weights=weights)[0]
            try:
                issue = builder.submit(station, addressed)
                builder.play(issue, outcome)
            except DomainError:
                continue  # a demo row that did not fit: the others go on
            by_age.setdefault(_age(rng, outcome), []).append(issue.pk)
            if index % 97 == 0:
                _extras(builder, station, reject=index % 2 == 1)
        for days, ids in by_age.items():
            _move_back(ids, days)
        _desks(builder, stations)
        _representative_desks(builder, ctx.extra.get("representative_accounts") or {})
        _reschedule_reminders()
        _appointments(ctx, rng, stations, members)
        _archive(builder, stations, members, count=max(300, round(ARCHIVE_FULL * share)))
        # The archive is written in bulk and the live problems' dates were moved back:
        # the facts the lists read (area columns, due dates, counts) are taken afresh.
        assignments_fill_areas()
        services.issue_reads_rebuild()
    # The sweeps a worker would run: reminders and escalations into the inboxes.
    loop.reminders_sweep(limit=10_000)
    services.appointments_remind_due()


def _extras(builder: _Builder, station: Station, *, reject: bool) -> None:
    """The rarer cases: a joined voice, held spam (some of it blocked), a merge."""
    first = builder.submit(station, None)
    code = first.category.code
    services.citizen_issue_submit(
        submission=services.Submission(
            category=builder.categories[code],
            description=first.description,
            region=first.region,
            station=station,
            consent=True,
            join=first,
        ),
        idempotency_key=uuid.UUID(int=builder.rng.getrandbits(128)),
    )
    spam, _created = services.citizen_issue_submit(
        submission=services.Submission(
            category=builder.categories["other"],
            description="代开发票，正规可查，加微信领取优惠 http://example.com http://example.org",
            region=station.region,
            station=station,
            consent=True,
        ),
        idempotency_key=uuid.UUID(int=builder.rng.getrandbits(128)),
    )
    staff = builder.staff_for(station.region)
    if reject:
        services.citizen_issue_moderate(issue=spam, by=staff, approve=False, note="广告信息")
    duplicate = builder.submit(station, None)
    with contextlib.suppress(DomainError):  # the first one may have moved on meanwhile
        services.citizen_issue_merge(issue=duplicate, into=first, by=staff)


def _representative_desks(builder: _Builder, accounts: dict[str, Representative]) -> None:
    """The demo representatives (rep_liu…) find problems waiting for them at their station."""
    for representative in accounts.values():
        membership = (
            StationMember.objects.filter(representative=representative, is_active=True)
            .select_related("station__region")
            .first()
        )
        if membership is None:
            continue
        for days_ago, outcome in [
            (0, "submitted"),
            (3, "with_representative"),
            (6, "with_representative"),
            (12, "dept_replied"),
            (9, "answered"),
            (40, "closed_forwarded"),
        ]:
            try:
                issue = builder.submit(membership.station, representative)
                builder.play(issue, outcome)
            except DomainError:
                continue
            _move_back([issue.pk], days_ago)


def _department_desk(
    builder: _Builder,
    department: Department,
    stations: list[Station],
    category: str,
    stages: list[tuple[int, str]],
) -> None:
    """A department clerk's desk: fresh, due-soon and long-overdue problems forwarded to
    ``department`` (days ago, how far the department has got)."""
    clerk = builder.clerk_of(department)
    for days_ago, outcome in stages:
        station = builder.rng.choice(stations)
        issue = builder.submit(station, None, category=category)
        staff = builder.staff_for(issue.region)
        try:
            services.citizen_issue_accept(issue=issue, by=staff)
            issue.refresh_from_db()
            actor = builder.handler_user(issue, staff)
            if issue.handler is None:
                continue
            assignment = services.citizen_issue_forward(
                issue=issue, department=department, by=actor
            )
            if outcome != "forwarded":
                loop.assignment_accept(assignment=assignment, by=clerk)
            if outcome == "dept_progress":
                loop.assignment_report_progress(
                    assignment=assignment, by=clerk, note="已安排人员勘察。"
                )
            if outcome == "dept_replied":
                services.citizen_issue_department_reply(
                    issue=issue, assignment=assignment, by=clerk, reply="已现场处理完毕。"
                )
        except DomainError:
            continue
        _move_back([issue.pk], days_ago)


TRANSPORT_DESK = [
    (0, "forwarded"),
    (2, "dept_accepted"),
    (8, "dept_progress"),
    (14, "dept_accepted"),
    (22, "forwarded"),
    (30, "dept_progress"),
    (40, "dept_accepted"),
    (3, "dept_replied"),
]
DISTRICT_DESK = [
    (1, "forwarded"),
    (4, "dept_accepted"),
    (9, "dept_progress"),
    (25, "dept_accepted"),
    (6, "dept_replied"),
]


def _desks(builder: _Builder, stations: list[Station]) -> None:
    """clerk_transport's road problems from anywhere in the city, and the district
    urban-management clerk's problems from the first district's stations."""
    _department_desk(builder, builder.transport, stations, "roads", TRANSPORT_DESK)
    district = builder.ctx.counties[0]
    urban = builder.departments.get((district.pk, "城管局"))
    local = [s for s in stations if district.pk in s.region.ancestor_ids()]
    if urban is not None and local:
        _department_desk(builder, urban, local, "utilities", DISTRICT_DESK)


def _appointments(
    ctx: DemoContext,
    rng: random.Random,
    stations: list[Station],
    members: dict[int, list[Representative]],
) -> None:
    """A few dozen 约见 in every state; rep_liu has one tomorrow (its reminder shows)."""
    accounts: dict[str, Representative] = ctx.extra.get("representative_accounts") or {}
    today = timezone.localdate()
    staffed = [s for s in stations if members.get(s.pk)]
    for index in range(max(12, len(staffed) // 8)):
        station = rng.choice(staffed) if staffed else None
        if station is None:
            return
        rep = rng.choice(members[station.pk])
        _one_appointment(rep, station, rng, index, today)
    liu = accounts.get("rep_liu")
    if liu is not None and liu.user is not None:
        membership = StationMember.objects.filter(representative=liu, is_active=True).first()
        appointment, _created = services.appointment_request(
            idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
            representative=liu,
            station=membership.station if membership else None,
            topic="小区加装电梯补贴政策咨询",
            preferred_date=today + datetime.timedelta(days=1),
            preferred_times="下午",
            citizen_name="王秀英",
            mobile="13900001234",
            consent=True,
        )
        tomorrow = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(15, 0))
        )
        services.appointment_confirm(
            appointment=appointment, by=liu.user, scheduled_at=tomorrow, place="代表联络站接待室"
        )
        transport = Department.objects.filter(region=ctx.city, short_name="交通局").first()
        if transport is not None:
            services.appointment_request_department(
                idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                representative=liu,
                department=transport,
                topic="村道硬化项目资金落实情况",
                preferred_date=today + datetime.timedelta(days=7),
                by=liu.user,
            )


def _one_appointment(
    rep: Representative, station: Station, rng: random.Random, index: int, today: datetime.date
) -> None:
    appointment, _created = services.appointment_request(
        idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
        representative=rep,
        station=station,
        topic=rng.choice(
            ["反映小区停车难问题", "咨询拆迁安置政策", "反映村道修建进度", "孩子入学问题"]
        ),
        preferred_date=today + datetime.timedelta(days=rng.randint(1, 10)),
        preferred_times=rng.choice(["上午", "下午", "周末"]),
        citizen_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        mobile=f"139{rng.randint(0, 99999999):08d}",
        consent=True,
    )
    actor = rep.user or User.objects.filter(username="city_staff").first()
    if actor is None:
        return
    when = timezone.make_aware(
        datetime.datetime.combine(appointment.preferred_date, datetime.time(9 + index % 8))
    )
    step = index % 5
    if step == 1:
        services.appointment_confirm(
            appointment=appointment, by=actor, scheduled_at=when, place=station.name
        )
    elif step == 2:
        services.appointment_propose(
            appointment=appointment,
            by=actor,
            scheduled_at=when + datetime.timedelta(days=7),
            place=station.name,
        )
    elif step == 3:
        services.appointment_decline(
            appointment=appointment, by=actor, reason="该事项已转交街道办理。"
        )
    elif step == 4:
        services.appointment_cancel(appointment=appointment, by=None, reason="群众已另行解决")
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=F("created_at") - datetime.timedelta(days=rng.randint(0, 20))
    )


# --- a year of finished problems, written in bulk ----------------------------------------


def _when(days_ago: float, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=days_ago)


def _archive(
    builder: _Builder,
    stations: list[Station],
    members: dict[int, list[Representative]],
    *,
    count: int,
) -> None:
    """Finished problems of the past year (all closed, mostly rated): the rows the
    services would have left, written in a few bulk inserts."""
    rng = builder.rng
    now = timezone.now()
    issues: list[CitizenIssue] = []
    stories: list[tuple[Representative | None, Department | None, int, bool]] = []
    for _index in range(count):
        station = rng.choice(stations)
        people: list[Representative | None] = [*members.get(station.pk, [])] or [None]
        handler = rng.choice(people)
        code, text, _scene = rng.choice(PROBLEMS)
        days_ago = rng.randint(20, 365)
        roll = rng.random()
        rating = (
            IssueRating.SATISFIED
            if roll < 0.72
            else IssueRating.BASICALLY
            if roll < 0.88
            else IssueRating.NOT_RATED
            if roll < 0.97
            else IssueRating.UNSATISFIED  # then re-handled and rated again: kept as 不满意
        )
        issue = CitizenIssue(
            tracking_code=services.new_tracking_code(),
            idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
            source="station",
            category=builder.categories[code],
            title=text[:40] + ("…" if len(text) > 40 else ""),
            description=text,
            region=station.region,
            station=station,
            handler=handler,
            status="closed",
            answer=rng.choice(ANSWERS),
            answered_at=_when(days_ago - rng.uniform(3, 15), now),
            rating=rating,
            rated_at=_when(days_ago - 17, now) if rating != IssueRating.NOT_RATED else None,
            closed_at=_when(days_ago - 18, now),
            reopen_count=1 if rating == IssueRating.UNSATISFIED else 0,
            public_anonymous=True,
            consent_at=_when(days_ago, now),
            consent_version="2026-1",
        )
        issues.append(issue)
        forwarded = rng.random() < 0.55
        department = builder.department_for(issue) if forwarded else None
        stories.append((handler, department, days_ago, rng.random() < 0.86))
    CitizenIssue.objects.bulk_create(issues, batch_size=500)
    # auto_now_add stamped them all "now": put each back on its day, a day at a time.
    by_day: dict[int, list[int]] = {}
    for issue, (_h, _d, days_ago, _on_time) in zip(issues, stories, strict=True):
        by_day.setdefault(days_ago, []).append(issue.pk)
    for days_ago, ids in by_day.items():
        CitizenIssue.objects.filter(pk__in=ids).update(
            created_at=F("created_at") - datetime.timedelta(days=days_ago)
        )
    _archive_steps(builder, issues, stories, now)


def _archive_steps(
    builder: _Builder,
    issues: list[CitizenIssue],
    stories: list[tuple[Representative | None, Department | None, int, bool]],
    now: datetime.datetime,
) -> None:
    steps: list[Assignment] = []
    events: list[tuple[CitizenIssue, int, str, str, str]] = []
    for issue, (handler, department, days_ago, on_time) in zip(issues, stories, strict=True):
        start = _when(days_ago, now)
        staff_region = builder.staff_for(issue.region).staff_regions[0]
        events.append(
            (issue, days_ago, "submit", "", f"您反映的问题已提交，查询码 {issue.tracking_code}。")
        )
        events.append((issue, days_ago - 1, "accept", "", "您反映的问题已受理。"))
        steps.append(_closed_step(issue, start, 2, on_time=True, staff_region=staff_region))
        user = handler.user if handler is not None and handler.user is not None else None
        steps.append(
            _closed_step(
                issue,
                start + datetime.timedelta(days=1),
                15,
                on_time=True,
                user=user,
                staff_region=None if user else staff_region,
            )
        )
        if department is not None:
            events.append((issue, days_ago - 2, "forward", department.name, "已交有关部门办理。"))
            steps.append(
                _closed_step(
                    issue,
                    start + datetime.timedelta(days=2),
                    15,
                    on_time=on_time,
                    department=department,
                )
            )
            events.append(
                (
                    issue,
                    days_ago - 14,
                    "department_reply",
                    department.name,
                    "承办部门已答复，代表正在核实办理情况。",
                )
            )
            events.append((issue, days_ago - 15, "report_back", "", issue.answer))
        else:
            events.append((issue, days_ago - 6, "answer", "", issue.answer))
        if issue.rating == IssueRating.NOT_RATED:
            events.append(
                (
                    issue,
                    days_ago - 18,
                    "close_unrated",
                    "",
                    "评价期已过，本件按未评价办结。如问题仍未解决，欢迎再次反映。",
                )
            )
        else:
            events.append(
                (
                    issue,
                    days_ago - 17,
                    "rate",
                    "",
                    f"感谢您的评价（{IssueRating(issue.rating).label}）。本件已办结。",
                )
            )
    Assignment.objects.bulk_create(steps, batch_size=500)
    rows = [
        CaseEvent(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action=action,
            actor_label=label,
            public_note=public,
            to_status="",
            data={},
        )
        for issue, _days, action, label, public in events
    ]
    CaseEvent.objects.bulk_create(rows, batch_size=1000)
    by_day: dict[int, list[int]] = {}
    for row, (_issue, days, *_rest) in zip(rows, events, strict=True):
        by_day.setdefault(days, []).append(row.pk)
    for days, ids in by_day.items():
        CaseEvent.objects.filter(pk__in=ids).update(at=F("at") - datetime.timedelta(days=days))


def _closed_step(
    issue: CitizenIssue,
    start: datetime.datetime,
    workdays: int,
    *,
    on_time: bool,
    user: User | None = None,
    staff_region: Region | None = None,
    department: Department | None = None,
) -> Assignment:
    due = timezone.localdate(start) + datetime.timedelta(days=round(workdays * 1.4))
    replied = start + datetime.timedelta(days=round(workdays * (1.1 if on_time else 1.9)))
    return Assignment(
        case_type=ISSUE_CASE,
        case_id=issue.pk,
        title=f"{issue.tracking_code} {issue.title}",
        region=issue.region,
        user=user,
        staff_region=staff_region,
        department=department,
        status="closed" if department is not None else "replied",
        assigned_at=start,
        due_on=due,
        original_due_on=due,
        replied_at=replied,
        closed_at=replied if department is not None else None,
    )
