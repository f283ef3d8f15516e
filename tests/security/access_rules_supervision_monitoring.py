"""Access rules of monitoring points and their QR questionnaires
(supervision/monitoring_urls.py, monitoring_api_urls.py: the points, the questionnaire's
questions and the results).

Scopes (supervision/monitoring.py): staff of the topic's region and above see and run a
campaign's points, questionnaire, results and written answers; a clerk, a representative,
a committee member and the other district's staff get 404. The public questionnaire
behind a point's QR code is for anyone, no account. Each object is built in 海州区 and
in 临江区.
"""

from __future__ import annotations

import uuid
from typing import Any

from congress.models import Region, User
from supervision import monitoring as m
from supervision import services
from supervision.models.monitoring import (
    MonitoringPoint,
    Questionnaire,
    SurveyAnswer,
    SurveyQuestion,
)
from supervision.models.topics import SupervisionPlan, Topic, TopicKind
from tests.security.access_rules import (
    API_ANONYMOUS,
    DISTRICT,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OTHER_DISTRICT,
    REDIRECT,
    STAFF,
    Builder,
    Case,
    Rule,
    api,
    everyone,
    only,
    scoped,
    signed_in,
)
from tests.security.conftest import Cast


def _side(cast: Cast, side: str) -> tuple[Region, User]:
    if side == "in":
        return cast.world.district, cast.district_staff
    return cast.world.other_district, cast.other_district_staff


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def _campaign(cast: Cast, side: str) -> Topic:
    """A started campaign with a satisfaction and a free-text question."""
    region, staff = _side(cast, side)
    plan = SupervisionPlan.objects.filter(congress=region.congress, year=2027).first()
    plan = plan or services.plan_create(
        congress=region.congress, year=2027, title="监测点计划", by=staff
    )
    topic = services.topic_create(
        plan=plan, kind=TopicKind.CAMPAIGN, title="优化营商环境专项监督", by=staff
    )
    services.topic_move(topic=topic, action="start", by=staff)
    topic.refresh_from_db()
    m.question_add(topic=topic, kind="satisfaction", text="总体评价", by=staff)
    m.question_add(topic=topic, kind="text", text="意见建议", required=False, by=staff)
    return topic


def campaign_of(cast: Cast, side: str) -> Topic:
    return _once(cast, f"mon_topic_{side}", lambda: _campaign(cast, side))


def _new_point(cast: Cast, side: str) -> MonitoringPoint:
    topic = campaign_of(cast, side)
    _region, staff = _side(cast, side)
    name = f"监测点{MonitoringPoint.objects.count() + 1}"
    return m.point_create(topic=topic, kind="survey", name=name, region=topic.region, by=staff)


def _point(cast: Cast, side: str) -> MonitoringPoint:
    return _once(cast, f"mon_point_{side}", lambda: _new_point(cast, side))


def _new_text_answer(cast: Cast, side: str) -> SurveyAnswer:
    point = _point(cast, side)
    questions = m.questions_of(m.questionnaire_of(point.topic))
    raw = {questions[0].pk: "0", questions[1].pk: "窗口排队时间长"}
    response, _created = m.response_submit(point=point, raw=raw, idempotency_key=uuid.uuid4())
    return SurveyAnswer.objects.get(response=response, option__isnull=True)


def topic(side: str) -> Builder:
    return lambda cast: {"pk": campaign_of(cast, side).pk}


def fresh_topic(side: str) -> Builder:
    return lambda cast: {"pk": _campaign(cast, side).pk}


def point(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _point(cast, side).pk, **extra}


def fresh_point(side: str) -> Builder:
    return lambda cast: {"pk": _new_point(cast, side).pk}


def fresh_question(side: str) -> Builder:
    """A question of a new campaign with no answer yet (so it may still change)."""

    def build(cast: Cast) -> dict[str, Any]:
        found = m.questionnaire_of(_campaign(cast, side))
        return {"pk": m.questions_of(found)[0].pk}

    return build


def question(side: str) -> Builder:
    return lambda cast: _once(cast, f"mon_question_{side}", lambda: fresh_question(side)(cast))


def text_answer(side: str) -> Builder:
    return lambda cast: {
        "pk": _once(cast, f"mon_answer_{side}", lambda: _new_text_answer(cast, side)).pk
    }


def fresh_text_answer(side: str) -> Builder:
    return lambda cast: {"pk": _new_text_answer(cast, side).pk}


def public_point(cast: Cast) -> dict[str, Any]:
    return {"token": _point(cast, "in").token}


def made_up_token(cast: Cast) -> dict[str, Any]:
    return {"token": "no-such-token-" + "x" * 20}


def public_answer(cast: Cast) -> dict[str, Any]:
    """The same idempotency key for everyone: the first stores it, a retry finds it."""
    point = _point(cast, "in")
    questions = m.questions_of(m.questionnaire_of(point.topic))
    key = _once(cast, "mon_public_key", lambda: str(uuid.uuid4()))
    return {"idempotency_key": key, f"q{questions[0].pk}": "1"}


def staff_form(build_in: Builder, build_out: Builder, data: Builder) -> Rule:
    """A staff form on a topic: GET for the staff whose region holds it, 404 for everyone
    else; a POST redirects for them and is 404 for the rest."""
    return Rule(
        (
            *scoped(build_in, build_out).cases,
            Case("post in 海州区", only(DISTRICT, ok=REDIRECT), build_in, "POST", data, fresh=True),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                build_out,
                "POST",
                data,
                fresh=True,
            ),
        )
    )


def staff_post(build_in: Builder, build_out: Builder, data: Builder | None = None) -> Rule:
    """A staff step: GET is 405 for staff (404 for the rest); POST redirects for the
    staff whose region holds the object, 404 for everyone else."""
    return Rule(
        (
            Case("get", only(STAFF, ok=NOT_ALLOWED), build_in),
            Case("post in 海州区", only(DISTRICT, ok=REDIRECT), build_in, "POST", data, fresh=True),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                build_out,
                "POST",
                data,
                fresh=True,
            ),
        )
    )


def _new_name(cast: Cast) -> dict[str, Any]:
    return {
        "name": f"企业{MonitoringPoint.objects.count() + 1}",
        "kind": "contact",
        "region": cast.world.district.pk,
    }


def _new_name_out(cast: Cast) -> dict[str, Any]:
    return {**_new_name(cast), "region": cast.world.other_district.pk}


# --- the API's writes (issue #17): the topic's region's staff write, everyone else 404
# (401 anonymous) and nothing changes ----------------------------------------------------

SIDES = (("in", "海州区", DISTRICT), ("out", "临江区", OTHER_DISTRICT))


def _point_count(cast: Cast, args: dict[str, Any]) -> int:
    return MonitoringPoint.objects.count()


def _point_active(cast: Cast, args: dict[str, Any]) -> bool:
    return MonitoringPoint.objects.filter(pk=args["pk"]).values_list("is_active", flat=True)[0]


def _api_point_data(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = campaign_of(cast, side)
        return {
            "topic": found.pk,
            "name": f"企业{uuid.uuid4().hex[:8]}",
            "kind": "contact",
            "region": found.region_id,
        }

    return build


def _api_bulk_data(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = campaign_of(cast, side)
        line = f"市场{uuid.uuid4().hex[:8]}, 观察点, {found.region.code}"
        return {"topic": found.pk, "lines": line}

    return build


def _switched_off_point(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        made = _new_point(cast, side)
        m.point_set_active(point=made, active=False, by=_side(cast, side)[1])
        return {"pk": made.pk}

    return build


def _question_count(cast: Cast, args: dict[str, Any]) -> int:
    return SurveyQuestion.objects.count()


def _intros(cast: Cast, args: dict[str, Any]) -> list[str]:
    return sorted(Questionnaire.objects.values_list("intro", flat=True))


def _api_question_data(side: str) -> Builder:
    return lambda cast: {"kind": "text", "text": f"建议{uuid.uuid4().hex[:8]}", "required": False}


def api_write(
    label: str,
    *,
    ok: int,
    unchanged: Any,
    args: Any = None,
    data: Any = None,
    method: str = "POST",
) -> tuple[Case, ...]:
    """A write in 海州区 and one in 临江区: the side's staff (and the city's, the
    administrator) succeed; everyone else is refused and ``unchanged`` holds."""
    return tuple(
        Case(
            f"{label} in {name}",
            api(only(allowed, ok=ok)),
            args(side) if args else (lambda cast: {}),
            method,
            data(side) if data else None,
            fresh=True,
            unchanged=unchanged,
        )
        for side, name, allowed in SIDES
    )


# The questions' own routes (supervision/monitoring_api.py): each write on the first
# question of a new campaign, whose questionnaire has no answer yet.


def _question_row(cast: Cast, args: dict[str, Any]) -> Any:
    rows = SurveyQuestion.objects.filter(pk=args["pk"])
    return list(rows.values_list("kind", "text", "options", "required", "position"))


def _questionnaire_order(cast: Cast, args: dict[str, Any]) -> Any:
    questionnaire = SurveyQuestion.objects.get(pk=args["pk"]).questionnaire_id
    rows = SurveyQuestion.objects.filter(questionnaire=questionnaire)
    return list(rows.order_by("pk").values_list("pk", "position"))


def _topic_query(side: str) -> Builder:
    return lambda cast: {"topic": campaign_of(cast, side).pk}


def _questions_of_topic(side: str, name: str, allowed: tuple[str, ...]) -> Case:
    return Case(
        f"a topic's questions in {name}",
        api(only(allowed)),
        data=_topic_query(side),
    )


RULES: dict[str, Rule] = {
    "monitoring_points": scoped(topic("in"), topic("out")),
    "monitoring_point_create": Rule(
        (
            *scoped(topic("in"), topic("out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_topic("in"),
                "POST",
                _new_name,
                fresh=True,
            ),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_topic("out"),
                "POST",
                _new_name_out,
                fresh=True,
            ),
        )
    ),
    "monitoring_points_bulk": Rule(
        (
            *scoped(topic("in"), topic("out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_topic("in"),
                "POST",
                lambda c: {"lines": "海达食品股份有限公司, 联系点, 990102001000"},
                fresh=True,
            ),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_topic("out"),
                "POST",
                lambda c: {"lines": "临江建材市场, 观察点, 990103000000"},
                fresh=True,
            ),
        )
    ),
    "monitoring_qr_sheet": scoped(topic("in"), topic("out")),
    "monitoring_questionnaire": staff_form(
        fresh_topic("in"),
        fresh_topic("out"),
        lambda c: {"kind": "text", "text": "还有什么建议"},
    ),
    "monitoring_results": scoped(topic("in"), topic("out")),
    "monitoring_results_xlsx": scoped(topic("in"), topic("out")),
    "monitoring_texts": scoped(topic("in"), topic("out")),
    "monitoring_point_active": staff_post(
        fresh_point("in"), fresh_point("out"), data=lambda c: {"active": "0"}
    ),
    "monitoring_point_qr": scoped(point("in", fmt="svg"), point("out", fmt="svg")),
    "monitoring_question_edit": staff_form(
        fresh_question("in"),
        fresh_question("out"),
        lambda c: {"kind": "satisfaction", "text": "总体评价（修改）"},
    ),
    "monitoring_question_change": staff_post(
        fresh_question("in"), fresh_question("out"), data=lambda c: {"move": "down"}
    ),
    "monitoring_answer_finding": Rule(
        (
            *scoped(text_answer("in"), text_answer("out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_text_answer("in"),
                "POST",
                lambda c: {"title": "窗口排队时间长", "department": c.world.department.pk},
                fresh=True,
            ),
            Case(
                "post in 临江区",
                only(OTHER_DISTRICT, ok=REDIRECT),
                fresh_text_answer("out"),
                "POST",
                lambda c: {"title": "窗口排队时间长", "department": c.world.other_department.pk},
                fresh=True,
            ),
        )
    ),
    # The public questionnaire behind a point's QR code: anyone, no account.
    "monitoring_public": Rule(
        (
            Case("a point's questionnaire", everyone(OK), public_point),
            Case(
                "an answer (one key: the first stores it, a retry finds it)",
                everyone(REDIRECT),
                public_point,
                "POST",
                public_answer,
            ),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token),
        ),
        note="a public form: no account, rate-limited per address, one idempotency key per form",
    ),
    "monitoring_thanks": Rule(
        (
            Case("the thanks page", everyone(OK), public_point),
            Case("a made-up token", everyone(NOT_FOUND), made_up_token),
        )
    ),
    # The API
    "supervision-monitoring-point-list": Rule(
        (
            Case("list", api(signed_in())),
            *api_write("create", ok=201, unchanged=_point_count, data=_api_point_data),
        )
    ),
    "supervision-monitoring-point-bulk": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED))),
            *api_write("bulk", ok=201, unchanged=_point_count, data=_api_bulk_data),
        )
    ),
    "supervision-monitoring-point-deactivate": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), point("in")),
            *api_write("deactivate", ok=OK, unchanged=_point_active, args=fresh_point),
        )
    ),
    "supervision-monitoring-point-reactivate": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), point("in")),
            *api_write("reactivate", ok=OK, unchanged=_point_active, args=_switched_off_point),
        )
    ),
    # A question added through the API (supervision/api.py): a new campaign each time, whose
    # questionnaire has no answer yet.
    "supervision-topic-questionnaire": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), topic("in")),
            *api_write(
                "add a question",
                ok=201,
                unchanged=_question_count,
                args=fresh_topic,
                data=_api_question_data,
            ),
        )
    ),
    # 问卷说明 through the API: a new campaign each time, its questionnaire unanswered.
    "supervision-topic-questionnaire-intro": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), topic("in")),
            *api_write(
                "set the introduction",
                ok=OK,
                unchanged=_intros,
                args=fresh_topic,
                data=lambda side: lambda cast: {"intro": f"请如实填写{uuid.uuid4().hex[:6]}"},
            ),
        )
    ),
    "supervision-monitoring-question-list": Rule(
        (
            *(_questions_of_topic(side, name, allowed) for side, name, allowed in SIDES),
            Case("no topic named: 400 for anyone signed in", api(signed_in(400))),
        )
    ),
    "supervision-monitoring-question-detail": Rule(
        (
            *scoped(question("in"), question("out"), anonymous=API_ANONYMOUS).cases,
            *api_write(
                "edit a question",
                ok=OK,
                unchanged=_question_row,
                args=fresh_question,
                data=lambda side: lambda cast: {"text": f"总体评价{uuid.uuid4().hex[:6]}"},
                method="PATCH",
            ),
            *api_write(
                "remove a question",
                ok=204,
                unchanged=_question_row,
                args=fresh_question,
                method="DELETE",
            ),
        )
    ),
    "supervision-monitoring-question-move": Rule(
        (
            Case("get is not a step", api(signed_in(NOT_ALLOWED)), question("in")),
            *api_write(
                "move a question down",
                ok=OK,
                unchanged=_questionnaire_order,
                args=fresh_question,
                data=lambda side: lambda cast: {"move": "down"},
            ),
        )
    ),
    "supervision-monitoring-point-detail": scoped(
        point("in"), point("out"), anonymous=API_ANONYMOUS
    ),
    "supervision-monitoring-results-detail": scoped(
        topic("in"), topic("out"), anonymous=API_ANONYMOUS
    ),
}
