"""Demo supervision: the city's completed special inquiry on public security (after seed
003, 锦州: 9 categories, 21 specific findings handed one-to-one to departments, all closed
off, some long-term) and an in-progress business-environment campaign in the first
district. Everything goes through the services, so the demo is also a smoke test.
"""

from __future__ import annotations

import datetime
from typing import Any

from congress.models import Department, Role, RoleGrant, User
from supervision import services
from supervision.models.topics import GroupRole, TopicKind

# (category, [(finding, 责任单位 short name, long-term target or "")])
INQUIRY: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "社会治安防控体系",
        [
            ("城区夜间巡逻防控覆盖不足", "公安局", ""),
            ("老旧小区视频监控覆盖率低", "公安局", "三年内老旧小区视频监控全覆盖"),
            ("农村地区治安力量薄弱", "公安局", ""),
        ],
    ),
    (
        "矛盾纠纷排查化解",
        [("基层调解组织作用发挥不充分", "民政局", ""), ("信访积案化解进度慢", "公安局", "")],
    ),
    (
        "道路交通安全",
        [
            ("城区重点路段交通拥堵", "交通局", ""),
            ("农村道路安全设施缺失", "交通局", ""),
            ("重型货车违规进城屡禁不止", "交通局", ""),
        ],
    ),
    (
        "校园及周边安全",
        [("校园周边交通秩序混乱", "教育局", ""), ("校园安保人员配备不足", "教育局", "")],
    ),
    (
        "电信网络诈骗防范",
        [("反诈宣传覆盖面不广", "公安局", ""), ("涉诈资金止付不及时", "公安局", "")],
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
            ("危化品运输监管不到位", "应急局", ""),
            ("高层建筑消防设施老化", "住建局", "五年内完成高层住宅消防设施改造"),
        ],
    ),
    ("城市管理秩序", [("占道经营反复回潮", "城管局", ""), ("违法建设查处不彻底", "城管局", "")]),
    (
        "特殊人群服务管理",
        [
            ("严重精神障碍患者服务管理衔接不畅", "卫健委", ""),
            ("社区矫正对象帮扶措施不足", "民政局", ""),
            ("流浪乞讨人员救助不及时", "民政局", ""),
        ],
    ),
]

CAMPAIGN: list[tuple[str, str]] = [
    ("工程建设项目审批环节多、时限长", "住建局"),
    ("涉企检查多头执法、重复检查", "市场监管局"),
    ("占道施工影响沿街商户经营", "城管局"),
    ("惠企政策兑现不及时", "人社局"),
]


def _department(region_id: int, short: str) -> Department:
    return Department.objects.get(region_id=region_id, short_name=short)


def build(ctx: Any) -> None:
    city_staff = User.objects.get(username="city_staff")
    district_staff = User.objects.get(username="district_staff")
    office = User.objects.get(username="supervisor_city_office")  # handles the city's bureaus
    urban = User.objects.get(username="clerk_district_urban")
    year = ctx.today.year

    # The city's plan and its completed inquiry.
    city_congress = ctx.city.congress
    plan = services.plan_create(
        congress=city_congress,
        year=year,
        title=f"江海市人大常委会{year}年度监督工作计划",
        by=city_staff,
    )
    services.plan_adopt(plan=plan, adopted_on=datetime.date(year, 1, 20), by=city_staff)
    committee = services.committee_create(
        congress=city_congress, name="监察和司法委员会", by=city_staff
    )
    topic = services.topic_create(
        plan=plan,
        kind=TopicKind.INQUIRY,
        title="关于全市社会治安综合治理工作情况的专题询问",
        description="听取和审议市人民政府关于社会治安综合治理工作情况的报告，并开展专题询问。",
        departments=[_department(ctx.city.pk, s) for s in ("公安局", "民政局", "教育局")],
        committees=[committee],
        by=city_staff,
    )
    for role, name, position in [
        (GroupRole.LEADER, "刘建华", "市人大常委会副主任"),
        (GroupRole.DEPUTY, "孟庆和", "市人大监察和司法委员会主任委员"),
        (GroupRole.MEMBER, "钱建国", "市人大常委会委员"),
        (GroupRole.MEMBER, "刘红", "市人大代表"),
    ]:
        services.topic_member_add(
            topic=topic, role=role, name=name, position=position, by=city_staff
        )
    services.topic_move(topic=topic, action="start", by=city_staff)
    services.topic_move(topic=topic, action="rectify", by=city_staff)
    due = ctx.today + datetime.timedelta(days=90)
    for category_title, findings in INQUIRY:
        category = services.category_create(topic=topic, title=category_title, by=city_staff)
        for title, short, target in findings:
            finding = services.finding_create(
                topic=topic,
                category=category,
                title=title,
                department=_department(ctx.city.pk, short),
                measures="制定整改方案，明确责任人和完成时限，按月报送整改进展。",
                due_on=due + datetime.timedelta(days=365 * 2) if target else due,
                is_long_term=bool(target),
                target=target,
                milestones="第一年完成30%\n第二年完成70%\n第三年全部完成" if target else "",
                by=city_staff,
            )
            services.finding_report_progress(
                finding=finding, note="已制定整改方案并明确责任科室。", by=office
            )
            services.finding_claim_closure(
                finding=finding, note="整改措施已全部落实，附整改报告。", by=office
            )
            services.finding_close_off(
                finding=finding,
                evidence="监察和司法委员会组织实地核查，整改到位，同意销号。",
                by=city_staff,
            )
    services.topic_move(topic=topic, action="complete", by=city_staff)
    topic.refresh_from_db()
    services.topic_publish(topic=topic, by=city_staff)  # 向社会公布: /p/supervision/topics/<id>/
    # The 回头看 six months on, a loop item of the city's staff.
    services.review_schedule(topic=topic, by=city_staff)

    # The first district's campaign, in progress.
    county = ctx.counties[0]
    district_plan = services.plan_create(
        congress=county.congress,
        year=year,
        title=f"{county.name}人大常委会{year}年度监督工作计划",
        by=district_staff,
    )
    campaign = services.topic_create(
        plan=district_plan,
        kind=TopicKind.CAMPAIGN,
        title="优化营商环境专项监督",
        departments=[_department(county.pk, short) for _t, short in CAMPAIGN],
        by=district_staff,
    )
    services.topic_member_add(
        topic=campaign,
        role=GroupRole.LEADER,
        name="陈立新",
        position="区人大常委会副主任",
        by=district_staff,
    )
    services.topic_move(topic=campaign, action="start", by=district_staff)
    category = services.category_create(topic=campaign, title="政务服务", by=district_staff)
    campaign_findings = [
        services.finding_create(
            topic=campaign,
            category=category,
            title=title,
            department=_department(county.pk, short),
            measures="梳理流程，压缩时限。",
            is_flagged=(n == 0),
            by=district_staff,
        )
        for n, (title, short) in enumerate(CAMPAIGN)
    ]
    urban_finding = next(f for f in campaign_findings if f.department.short_name == "城管局")
    services.finding_report_progress(
        finding=urban_finding, note="已与住建部门建立占道施工联合审批机制。", by=urban
    )
    services.finding_claim_closure(
        finding=urban_finding, note="占道施工审批已改为一次办结，附沿街商户回访记录。", by=urban
    )
    # The district's clerk of the urban bureau may log in and see their finding.
    assert RoleGrant.objects.filter(user=urban, role=Role.HANDLER).exists()
    ctx.extra["supervision_inquiry"] = topic.pk
