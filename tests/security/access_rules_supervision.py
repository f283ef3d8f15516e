"""Access rules of supervision plans, topics and findings (supervision/urls.py, api_urls.py).

Scopes (supervision/selectors.py): staff see and run the plans, topics and findings of
their region and below; a department's clerk sees only the findings handed to their
department (赵磊: 海州区交通运输局; 孙丽: 临江区住建局) and takes the department's steps
on them; everyone else gets 404. Each object is built in 海州区 and in 临江区.
"""

from __future__ import annotations

import uuid
from typing import Any

from congress.models import Region, User
from supervision import services
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    FollowUpReview,
    Investigation,
    SupervisionPlan,
    Topic,
    TopicKind,
    TopicMember,
)
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
    page,
    scoped,
    signed_in,
)
from tests.security.conftest import Cast

CONFLICT = 409
CLERK_IN = (*DISTRICT, "clerk")
CLERK_OUT = (*OTHER_DISTRICT, "other_clerk")


def _side(cast: Cast, side: str) -> tuple[Region, User, Any]:
    if side == "in":
        return cast.world.district, cast.district_staff, cast.world.department
    return cast.world.other_district, cast.other_district_staff, cast.world.other_department


def _plan(cast: Cast, side: str) -> SupervisionPlan:
    region, staff, _department = _side(cast, side)
    found = SupervisionPlan.objects.filter(congress=region.congress, year=2026).first()
    return found or services.plan_create(
        congress=region.congress, year=2026, title=f"{region.name}监督工作计划", by=staff
    )


def _new_plan(cast: Cast, side: str) -> SupervisionPlan:
    region, staff, _department = _side(cast, side)
    year = 2000 + SupervisionPlan.objects.filter(congress=region.congress).count()
    return services.plan_create(congress=region.congress, year=year, title="草案", by=staff)


def _topic(cast: Cast, side: str) -> Topic:
    _region, staff, _department = _side(cast, side)
    return services.topic_create(
        plan=_plan(cast, side), kind=TopicKind.INQUIRY, title="社会治安专题询问", by=staff
    )


def _finding(cast: Cast, side: str) -> Finding:
    _region, staff, department = _side(cast, side)
    return services.finding_create(
        topic=_topic(cast, side), title="夜间巡逻不足", department=department, by=staff
    )


def _once(cast: Cast, key: str, build: Any) -> Any:
    if key not in cast.objects:
        cast.objects[key] = build()
    return cast.objects[key]


def plan(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sup_plan_{side}", lambda: _plan(cast, side)).pk}


def fresh_plan(side: str) -> Builder:
    return lambda cast: {"pk": _new_plan(cast, side).pk}


def topic(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sup_topic_{side}", lambda: _topic(cast, side)).pk}


def fresh_topic(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _topic(cast, side).pk, **extra}


def _started_topic(cast: Cast, side: str, publish: bool) -> dict[str, Any]:
    _region, staff, _department = _side(cast, side)
    found = _finding(cast, side).topic
    services.topic_move(topic=found, action="start", by=staff)
    if publish:
        services.topic_publish(topic=found, by=staff)
    return {"pk": found.pk}


def published_topic(side: str, publish: bool = True) -> Builder:
    """A started topic with one finding, published (向社会公布) or not."""
    return lambda cast: _once(
        cast, f"sup_public_{side}_{publish}", lambda: _started_topic(cast, side, publish)
    )


def fresh_started_topic(side: str, **extra: Any) -> Builder:
    return lambda cast: {**_started_topic(cast, side, publish=False), **extra}


def fresh_member(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        found = _topic(cast, side)
        _region, staff, _department = _side(cast, side)
        member = services.topic_member_add(topic=found, name="张主任", by=staff)
        return {"pk": found.pk, "member_id": member.pk}

    return build


def finding(side: str) -> Builder:
    return lambda cast: {"pk": _once(cast, f"sup_finding_{side}", lambda: _finding(cast, side)).pk}


def fresh_finding(side: str, **extra: Any) -> Builder:
    return lambda cast: {"pk": _finding(cast, side).pk, **extra}


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG")
    return out.getvalue()


def photo(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        import datetime

        from congress.uploads import CleanUpload

        _region, staff, _department = _side(cast, side)
        visit = services.investigation_create(
            topic=_topic(cast, side),
            held_on=datetime.date(2026, 3, 1),
            place="新浦街道派出所",
            method="site_visit",
            photos=[CleanUpload(_jpeg(), ".jpg", "image/jpeg", "现场.jpg")],
            by=staff,
        )
        return {"token": visit.photos.get().token}

    return lambda cast: _once(cast, f"sup_photo_{side}", lambda: build(cast))


def fresh_review(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        _region, staff, _department = _side(cast, side)
        return {"pk": services.review_schedule(topic=_topic(cast, side), by=staff).pk}

    return build


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


def _finding_step(*, api_route: bool) -> Rule:
    """挂牌督办 on a finding: its region's staff take it; the department's clerk sees the
    finding but the step is not theirs (409); everyone else 404."""
    wrap = api if api_route else (lambda expect: expect)
    ok = 200 if api_route else REDIRECT
    key = "action_name" if api_route else "name"
    cases = []
    for side, allowed, clerk in (("in", DISTRICT, "clerk"), ("out", OTHER_DISTRICT, "other_clerk")):
        expect = wrap(only(allowed, ok=ok))
        expect[clerk] = CONFLICT
        cases.append(
            Case(
                f"flag in {'海州区' if side == 'in' else '临江区'}",
                expect,
                fresh_finding(side, **{key: "flag"}),
                "POST",
                lambda c: {"text": "群众反映强烈"},
                fresh=True,
            )
        )
    return Rule(tuple(cases))


# --- the API's writes (issue #17): its region's staff write, everyone else 404 (401
# anonymous) and nothing changes ------------------------------------------------------------

SIDES = (("in", "海州区", DISTRICT), ("out", "临江区", OTHER_DISTRICT))


def _word() -> str:
    return uuid.uuid4().hex[:8]


def _plan_count(cast: Cast, args: dict[str, Any]) -> int:
    return SupervisionPlan.objects.count()


def _plan_row(cast: Cast, args: dict[str, Any]) -> Any:
    return SupervisionPlan.objects.filter(pk=args["pk"]).values_list(
        "title", "notes", "status", "adopted_on"
    )[0]


def _topic_count(cast: Cast, args: dict[str, Any]) -> int:
    return Topic.objects.count()


def _topic_row(cast: Cast, args: dict[str, Any]) -> Any:
    return Topic.objects.filter(pk=args["pk"]).values_list("title", "status", "published_at")[0]


def _finding_count(cast: Cast, args: dict[str, Any]) -> int:
    return Finding.objects.count()


def new_plan_data(side: str) -> Builder:
    """A plan of the side's congress for a year nobody has used yet."""

    def build(cast: Cast) -> dict[str, Any]:
        congress = _side(cast, side)[0].congress
        year = 2100 - SupervisionPlan.objects.filter(congress=congress).count()
        return {"congress": congress.pk, "year": year, "title": f"监督工作计划{_word()}"}

    return build


def new_topic_data(side: str) -> Builder:
    return lambda cast: {
        "plan": _once(cast, f"sup_plan_{side}", lambda: _plan(cast, side)).pk,
        "kind": TopicKind.INQUIRY,
        "title": f"专题询问{_word()}",
    }


def new_finding_data(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        _region, _staff, department = _side(cast, side)
        found = _once(cast, f"sup_topic_{side}", lambda: _topic(cast, side))
        return {"topic": found.pk, "title": f"问题{_word()}", "department": department.pk}

    return build


def api_write(
    label: str,
    *,
    ok: int,
    unchanged: Any,
    method: str = "POST",
    args: Any = None,
    data: Any = None,
) -> tuple[Case, ...]:
    """One write in 海州区 and one in 临江区: the side's staff (and the city's, the
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


def _retitle(side: str) -> Builder:
    return lambda cast: {"title": f"新名称{_word()}"}


def get_is_no_step(build: Builder) -> Case:
    return Case("get is not a step", api(signed_in(NOT_ALLOWED)), build)


def _count(model: Any) -> Any:
    return lambda cast, args: model.objects.count()


def _member_there(cast: Cast, args: dict[str, Any]) -> bool:
    return TopicMember.objects.filter(pk=args["member_id"]).exists()


def _review_row(cast: Cast, args: dict[str, Any]) -> Any:
    return FollowUpReview.objects.filter(pk=args["review_id"]).values_list("held_on", "summary")[0]


def fresh_topic_review(side: str) -> Builder:
    """A new topic with a 回头看 scheduled, not held yet."""

    def build(cast: Cast) -> dict[str, Any]:
        _region, staff, _department = _side(cast, side)
        review = services.review_schedule(topic=_topic(cast, side), by=staff)
        return {"pk": review.topic_id, "review_id": review.pk}

    return build


def _named(field: str, word: str) -> Any:
    return lambda side: lambda cast: {field: f"{word}{_word()}"}


RULES: dict[str, Rule] = {
    "supervision_plan_list": page(only(STAFF)),
    "supervision_plan_create": page(only(STAFF)),
    "supervision_plan_detail": scoped(plan("in"), plan("out")),
    "supervision_plan_edit": scoped(plan("in"), plan("out")),
    "supervision_plan_adopt": staff_post(fresh_plan("in"), fresh_plan("out")),
    "supervision_committee_add": staff_post(
        plan("in"), plan("out"), data=lambda c: {"name": "监察和司法委员会"}
    ),
    "supervision_topic_create": scoped(plan("in"), plan("out")),
    "supervision_topic_list": page(only(STAFF)),
    "supervision_topic_detail": scoped(topic("in"), topic("out")),
    "supervision_topic_edit": scoped(topic("in"), topic("out")),
    "supervision_topic_findings": scoped(topic("in"), topic("out")),
    "supervision_finding_create": scoped(topic("in"), topic("out")),
    "supervision_topic_findings_xlsx": scoped(topic("in"), topic("out")),
    "supervision_topic_act": Rule(
        (
            *staff_post(
                fresh_topic("in", action="start"), fresh_topic("out", action="start")
            ).cases,
            Case(
                "publish in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_started_topic("in", action="publish"),
                "POST",
                fresh=True,
            ),
        )
    ),
    "supervision_member_add": staff_post(
        fresh_topic("in"), fresh_topic("out"), data=lambda c: {"role": "leader", "name": "张主任"}
    ),
    "supervision_member_remove": staff_post(fresh_member("in"), fresh_member("out")),
    "supervision_category_add": staff_post(
        fresh_topic("in"), fresh_topic("out"), data=lambda c: {"title": "巡逻防控"}
    ),
    "supervision_investigation_create": Rule(
        (
            *scoped(topic("in"), topic("out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_topic("in"),
                "POST",
                lambda c: {"held_on": "2026-03-01", "place": "派出所", "method": "hearing"},
                fresh=True,
            ),
        )
    ),
    "supervision_investigation_photo": scoped(photo("in"), photo("out")),
    "supervision_review_schedule": staff_post(fresh_topic("in"), fresh_topic("out")),
    "supervision_review_hold": Rule(
        (
            *scoped(fresh_review("in"), fresh_review("out")).cases,
            Case(
                "post in 海州区",
                only(DISTRICT, ok=REDIRECT),
                fresh_review("in"),
                "POST",
                lambda c: {"summary": "整改成效巩固"},
                fresh=True,
            ),
        )
    ),
    "supervision_finding_list": page(only((*STAFF, "clerk", "other_clerk"))),
    # The public pages: a published topic for anyone; not published, 404 for everyone.
    "supervision_topic_public": Rule(
        (
            Case("published, 海州区", everyone(OK), published_topic("in")),
            Case("published, 临江区", everyone(OK), published_topic("out")),
            Case("not published", everyone(NOT_FOUND), published_topic("in", publish=False)),
        )
    ),
    "supervision_public_region": Rule(
        (
            Case("海州区", everyone(OK), lambda c: {"region_id": c.world.district.pk}),
            Case("a made-up region", everyone(NOT_FOUND), lambda c: {"region_id": 987654}),
        )
    ),
    # The year's rates by department: staff (each counts their own jurisdiction).
    "supervision_finding_rates": page(only(STAFF)),
    "supervision_finding_rates_xlsx": page(only(STAFF)),
    "supervision_finding_detail": scoped(
        finding("in"), finding("out"), allowed_in=CLERK_IN, allowed_out=CLERK_OUT
    ),
    "supervision_finding_act": _finding_step(api_route=False),
    # The API
    "supervision-plan-list": Rule(
        (
            Case("list", api(signed_in())),
            *api_write("create", ok=201, unchanged=_plan_count, data=new_plan_data),
        )
    ),
    "supervision-plan-detail": Rule(
        (
            *scoped(plan("in"), plan("out"), anonymous=API_ANONYMOUS).cases,
            *api_write(
                "edit", ok=OK, unchanged=_plan_row, method="PATCH", args=plan, data=_retitle
            ),
        )
    ),
    "supervision-plan-adopt": Rule(
        (
            get_is_no_step(fresh_plan("in")),
            *api_write("adopt", ok=OK, unchanged=_plan_row, args=fresh_plan),
        )
    ),
    "supervision-topic-list": Rule(
        (
            Case("list", api(signed_in())),
            *api_write("create", ok=201, unchanged=_topic_count, data=new_topic_data),
        )
    ),
    "supervision-topic-detail": Rule(
        (
            *scoped(topic("in"), topic("out"), anonymous=API_ANONYMOUS).cases,
            *api_write(
                "edit",
                ok=OK,
                unchanged=_topic_row,
                method="PATCH",
                args=topic,
                data=_retitle,
            ),
        )
    ),
    "supervision-topic-act": Rule(
        (
            get_is_no_step(fresh_topic("in", action_name="start")),
            *api_write(
                "start",
                ok=OK,
                unchanged=_topic_row,
                args=lambda side: fresh_topic(side, action_name="start"),
            ),
        )
    ),
    "supervision-plan-committees": Rule(
        (
            get_is_no_step(plan("in")),
            *api_write(
                "add a committee",
                ok=201,
                unchanged=_count(Committee),
                args=plan,
                data=_named("name", "委员会"),
            ),
        )
    ),
    "supervision-topic-members": Rule(
        (
            get_is_no_step(topic("in")),
            *api_write(
                "add a member",
                ok=201,
                unchanged=_count(TopicMember),
                args=topic,
                data=lambda side: lambda cast: {"role": "member", "name": "张委员"},
            ),
        )
    ),
    "supervision-topic-member-remove": Rule(
        (
            get_is_no_step(fresh_member("in")),
            *api_write(
                "remove a member",
                ok=204,
                unchanged=_member_there,
                method="DELETE",
                args=fresh_member,
            ),
        )
    ),
    "supervision-topic-categories": Rule(
        (
            get_is_no_step(topic("in")),
            *api_write(
                "add a category",
                ok=201,
                unchanged=_count(FindingCategory),
                args=topic,
                data=_named("title", "类别"),
            ),
        )
    ),
    "supervision-topic-investigations": Rule(
        (
            get_is_no_step(topic("in")),
            *api_write(
                "record a visit",
                ok=201,
                unchanged=_count(Investigation),
                args=topic,
                data=lambda side: (
                    lambda cast: {
                        "held_on": "2026-03-01",
                        "place": "派出所",
                        "method": "hearing",
                    }
                ),
            ),
        )
    ),
    "supervision-topic-reviews": Rule(
        (
            get_is_no_step(topic("in")),
            *api_write("schedule a review", ok=201, unchanged=_count(FollowUpReview), args=topic),
        )
    ),
    "supervision-topic-review-hold": Rule(
        (
            get_is_no_step(fresh_topic_review("in")),
            *api_write(
                "hold a review",
                ok=OK,
                unchanged=_review_row,
                args=fresh_topic_review,
                data=lambda side: lambda cast: {"summary": "整改成效巩固"},
            ),
        )
    ),
    "supervision-finding-list": Rule(
        (
            Case("list", api(signed_in())),
            *api_write("create", ok=201, unchanged=_finding_count, data=new_finding_data),
        )
    ),
    "supervision-finding-detail": scoped(
        finding("in"),
        finding("out"),
        allowed_in=CLERK_IN,
        allowed_out=CLERK_OUT,
        anonymous=API_ANONYMOUS,
    ),
    "supervision-finding-act": Rule(
        (
            Case("get", api(signed_in(NOT_ALLOWED)), fresh_finding("in", action_name="flag")),
            *_finding_step(api_route=True).cases,
        )
    ),
}
