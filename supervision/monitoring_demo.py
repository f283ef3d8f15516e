"""Demo monitoring points: the first district's business-environment campaign (made by
supervision/demo.py) gets 5 contact points (enterprises), 10 survey points (markets,
service halls), 3 observation points, a four-question questionnaire and about 60 answers
spread as real ones are (survey points busiest, most people 满意 or 基本满意, one in four
writing a line). One written answer is turned into a finding of the campaign. Everything
goes through the services."""

from __future__ import annotations

import uuid
from typing import Any

from congress.models import User
from supervision import monitoring as m
from supervision import selectors
from supervision.models.monitoring import PointKind, SurveyQuestionKind
from supervision.models.topics import Topic

CAMPAIGN_TITLE = "优化营商环境专项监督"

CONTACT = [
    "江海精密机械有限公司",
    "海达食品股份有限公司",
    "新浦纺织科技有限公司",
    "恒通物流有限公司",
    "瑞丰电子有限公司",
]
SURVEY = [
    "区政务服务中心",
    "新浦农贸市场",
    "滨河小商品市场",
    "不动产登记大厅",
    "税务办税服务厅",
    "市场监管窗口",
    "人社服务大厅",
    "桃园社区便民服务站",
    "工业园区企业服务站",
    "夜市商户服务点",
]
OBSERVATION = ["中山路沿街商铺", "工业园区施工工地", "城东建材市场"]

TEXTS = [
    "不动产登记窗口排队时间长，希望增加周末服务。",
    "施工围挡占了店门口，影响生意两个多月。",
    "同一个月来了三拨检查，内容差不多。",
    "稳岗补贴申请后一直没有到账，不知道进度。",
    "政务服务中心停车难。",
    "网上办事系统经常卡顿，材料上传失败。",
    "希望惠企政策能主动告知，不要企业自己去找。",
    "窗口工作人员态度很好，点赞。",
    "市场里的消防通道经常被占用。",
    "审批材料要求前后不一致，来回跑了好几趟。",
    "夜市摊位管理规范了很多，希望保持。",
    "园区道路破损，货车进出不便。",
    "办事指南写得不清楚，电话咨询打不通。",
    "建议开设企业开办一站式窗口。",
    "检查结果没有书面反馈，不知道要整改什么。",
]


def build(ctx: Any) -> None:
    staff = User.objects.get(username="district_staff")
    county = ctx.counties[0]
    topic = Topic.objects.get(region=county, title=CAMPAIGN_TITLE)
    towns = [t for t in ctx.towns if t.parent_id == county.pk] or [county]
    rng = ctx.rng

    lines = []
    for kind, names in (("联系点", CONTACT), ("调查点", SURVEY), ("观察点", OBSERVATION)):
        for n, name in enumerate(names):
            lines.append(f"{name}, {kind}, {towns[n % len(towns)].code or county.code}")
    points = m.points_bulk_create(topic=topic, text="\n".join(lines), by=staff)

    m.questionnaire_set_intro(
        topic=topic,
        intro="区人大常委会正在开展优化营商环境专项监督，请您花一分钟填写问卷。问卷匿名，不记录姓名和电话。",
        by=staff,
    )
    overall = m.question_add(
        topic=topic,
        kind=SurveyQuestionKind.SATISFACTION,
        text="您对本区营商环境的总体评价",
        by=staff,
    )
    trips = m.question_add(
        topic=topic,
        kind=SurveyQuestionKind.CHOICE,
        text="办理一件事通常需要跑几次",
        options="一次办成\n两次\n三次及以上\n全程网办",
        by=staff,
    )
    inspections = m.question_add(
        topic=topic,
        kind=SurveyQuestionKind.SATISFACTION,
        text="您对涉企检查规范性的评价",
        by=staff,
    )
    comment = m.question_add(
        topic=topic,
        kind=SurveyQuestionKind.TEXT,
        text="您对优化营商环境还有什么意见建议？",
        required=False,
        by=staff,
    )

    # Survey points see most people, observation points few; one point is closed.
    weights = {PointKind.CONTACT: 3, PointKind.SURVEY: 5, PointKind.OBSERVATION: 1}
    pool = [p for p in points for _ in range(weights[PointKind(p.kind)])]
    texts = iter(TEXTS)
    for _n in range(60):
        point = rng.choice(pool)
        raw = {
            overall.pk: str(rng.choices([0, 1, 2], weights=[55, 33, 12])[0]),
            trips.pk: str(rng.choices([0, 1, 2, 3], weights=[45, 25, 10, 20])[0]),
            inspections.pk: str(rng.choices([0, 1, 2], weights=[45, 35, 20])[0]),
        }
        if rng.random() < 0.25:
            raw[comment.pk] = next(texts, "希望继续优化办事流程。")
        m.response_submit(point=point, raw=raw, idempotency_key=uuid.UUID(int=rng.getrandbits(128)))
    m.point_set_active(point=points[-1], active=False, by=staff)

    # One written answer becomes a finding of the campaign (列入问题清单).
    found = m.questionnaire_of(topic)
    assert found is not None
    answer = m.text_answers(found).order_by("pk").first()
    department = selectors.departments_for(topic).order_by("pk").first()
    if answer is not None and department is not None:
        m.answer_to_finding(
            answer=answer,
            title="问卷反映：" + answer.text[:40],
            department=department,
            measures="核实问卷反映的情况，提出整改措施。",
            by=staff,
        )
    ctx.extra["supervision_monitoring_topic"] = topic.pk
