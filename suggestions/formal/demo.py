"""Demo data: the city congress's suggestions of last year's session, fully handled and
rated, and of this year's session, in flight; and this year's suggestions of the two
districts whose staff have demo logins (海州区, 临江区), so their desks have work too.

Everything is made through the services, at the moments it would have happened: a demo
clock moves ``django.utils.timezone.now`` through the year, so deadlines, on-time rates,
reminders and timelines come out as they would in real use. Proportions follow the
seeds (seed 004: 341 suggestions, A 83.87%, B 15%, C 1%; satisfaction near 100%), at a
smaller volume: each suggestion played through the services costs about twenty state
changes, and the whole demo is built in well under a minute.
Departments without a demo login get a clerk account without a password (they exist in
every real department; nobody logs in as them in the demo).
"""

from __future__ import annotations

import datetime
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from congress.demo import DemoContext
from congress.errors import DomainError
from congress.models import Department, Role, RoleGrant, Session, SessionKind, User
from congress.workdays import add_months, add_workdays, is_workday
from representatives.models import Mandate, MandateStatus, Representative, RepresentativeGroup
from suggestions.formal import services
from suggestions.formal.selectors import co_handler_assignments, suggested_departments
from suggestions.models.formal import Suggestion, SuggestionStatus

logger = logging.getLogger(__name__)
S = SuggestionStatus
TOPICS: dict[str, list[str]] = {
    "transport": [
        "关于优化{place}公交线网的建议",
        "关于缓解{place}学校周边交通拥堵的建议",
        "关于增设{place}公共停车泊位的建议",
        "关于改造{place}农村公路危桥的建议",
        "关于延长{place}公交末班车时间的建议",
    ],
    "urban": [
        "关于加快{place}老旧小区改造的建议",
        "关于推进{place}加装电梯工作的建议",
        "关于规范{place}物业服务管理的建议",
        "关于解决{place}雨季积水问题的建议",
        "关于完善{place}社区停车设施的建议",
    ],
    "education": ["关于扩大{place}公办幼儿园学位的建议", "关于改善{place}中小学课后服务的建议"],
    "health": ["关于提升{place}基层卫生院服务能力的建议", "关于推进{place}医养结合的建议"],
    "social": ["关于增设{place}老年助餐点的建议", "关于加强{place}困难群众救助的建议"],
    "environment": ["关于整治{place}河道黑臭水体的建议", "关于加强{place}餐饮油烟治理的建议"],
    "agriculture": ["关于支持{place}特色农产品品牌建设的建议", "关于完善{place}农田水利设施的建议"],
    "economy": ["关于优化{place}营商环境的建议", "关于支持{place}中小企业融资的建议"],
    "culture": ["关于建设{place}全民健身场地的建议", "关于保护{place}历史文化街区的建议"],
    "legal": ["关于加强{place}电信诈骗防范宣传的建议"],
    "other": ["关于提升{place}政务服务便利度的建议"],
}
# Transport and housing first: the demo clerks (clerk_transport, clerk_housing) have work.
CATEGORY_WEIGHTS = [
    ("transport", 26),
    ("urban", 24),
    ("education", 8),
    ("health", 8),
    ("social", 8),
    ("environment", 8),
    ("agriculture", 6),
    ("economy", 5),
    ("culture", 4),
    ("legal", 2),
    ("other", 1),
]
REPLY_WEIGHTS = [("A", 83), ("B", 14), ("C", 2), ("D", 1)]
OFFICIALS = ["副市长 陈立新", "副市长 孙海燕", "副市长 周建国"]
SUPERVISORS = ["常委会副主任 王志平", "常委会副主任 李红梅", "常委会主任 郭庆华"]
COMMITTEES = ["城建环资工委", "社会建设工委", "财经工委", "教科文卫工委"]


@contextmanager
def demo_clock(moment: datetime.datetime) -> Iterator[None]:
    """Let the services believe it is ``moment`` (events, deadlines, notifications)."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _workday(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


@dataclass
class _Cast:
    ctx: DemoContext
    rng: random.Random
    staff: User
    reps: list[Representative]
    with_login: list[Representative]
    clerks: dict[int, User] = field(default_factory=dict)  # by department id
    with_clerk_login: set[int] = field(default_factory=set)  # departments of demo logins
    departments: list[Department] = field(default_factory=list)
    groups: list[RepresentativeGroup] = field(default_factory=list)

    def pick(self, weights: list[tuple[str, int]]) -> str:
        return self.rng.choices([v for v, _w in weights], [w for _v, w in weights])[0]

    def clerk(self, department: Department) -> User:
        if department.pk not in self.clerks:
            user = User(
                username=f"handler_{department.pk}",
                display_name=self.rng.choice("张王李赵陈杨黄吴周徐")
                + self.rng.choice("明华静伟芳磊"),
            )
            user.set_unusable_password()
            user.save()
            RoleGrant.objects.create(user=user, role=Role.HANDLER, department=department)
            self.clerks[department.pk] = user
        return self.clerks[department.pk]

    def place(self) -> str:
        return self.rng.choice(self.ctx.towns).name

    def actor_for(self, rep: Representative) -> User:
        return rep.user if rep.user is not None else self.staff


def _cast(ctx: DemoContext, term: Any, staff: User) -> _Cast:
    """Who acts for ``term``'s congress: its staff, its representatives, the departments
    of its region and their clerks."""
    rng = random.Random(ctx.rng.random())
    region = term.congress.region
    reps = list(
        Representative.objects.filter(mandates__term=term, mandates__status=MandateStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
        .distinct()
    )
    if len(reps) < 12:  # the representatives builder made too few: add some city seats
        for n in range(12 - len(reps)):
            person = Representative.objects.create(
                name=f"{region.name}代表{n + 1}", gender="male", region=region
            )
            Mandate.objects.create(
                representative=person,
                level=term.congress.level,
                term=term,
                starts_on=term.starts_on,
            )
            reps.append(person)
    cast = _Cast(
        ctx=ctx,
        rng=rng,
        staff=staff,
        reps=reps,
        with_login=[r for r in reps if r.user_id],
        departments=[d for d in ctx.departments if d.region_id == region.pk],
        groups=list(RepresentativeGroup.objects.filter(region__path__startswith=region.path)[:20]),
    )
    for grant in RoleGrant.objects.filter(
        role=Role.HANDLER, department__region=region
    ).select_related("user"):
        cast.clerks.setdefault(grant.department_id or 0, grant.user)
        cast.with_clerk_login.add(grant.department_id or 0)
    return cast


# --- one suggestion's life ------------------------------------------------------------------


def _file(cast: _Cast, session: Session, when: datetime.date, lead: Representative) -> Suggestion:
    category = cast.pick(CATEGORY_WEIGHTS)
    title = cast.rng.choice(TOPICS[category]).format(place=cast.place())
    with demo_clock(_at(when, 9)):
        suggestion = services.suggestion_create(
            lead=lead,
            session=session,
            title=title,
            content=(
                f"{title[2:-3]}是群众反映集中的问题。经走访调研，现状与群众期盼仍有差距。"
                "建议有关部门统筹规划、加大投入、明确时限，并及时向代表反馈办理进展。"
            ),
            category=category,
            research_basis="走访选民、召开座谈会，听取基层群众和有关部门意见。",
            by=cast.actor_for(lead),
        )
        others = [r for r in cast.reps if r.pk != lead.pk]
        cosigners = cast.rng.sample(others, min(len(others), cast.rng.choice([0, 0, 1, 2, 3])))
        if cosigners and lead.user_id is None:
            # Entered from the paper text (代录): the co-signers have signed it already.
            services.suggestion_invite_cosigners(
                suggestion=suggestion, representatives=cosigners, by=cast.staff
            )
        services.suggestion_submit(suggestion=suggestion, by=cast.actor_for(lead))
    return suggestion


def _register(cast: _Cast, suggestion: Suggestion, when: datetime.date) -> None:
    with demo_clock(_at(when, 11)):
        services.suggestion_review(suggestion=suggestion, decision="register", by=cast.staff)


def _lead_department(cast: _Cast, suggestion: Suggestion) -> Department:
    suited = suggested_departments(suggestion)
    staffed = [d for d in suited if d.pk in cast.with_clerk_login]
    if staffed and cast.rng.random() < 0.75:  # the demo logins see most of the work
        return cast.rng.choice(staffed)
    return cast.rng.choice(suited) if suited else cast.rng.choice(cast.departments)


def _assign(
    cast: _Cast, suggestion: Suggestion, when: datetime.date, lead: Department | None = None
) -> Department:
    lead = lead or _lead_department(cast, suggestion)
    co = []
    if cast.rng.random() < 0.3:
        co = [cast.rng.choice([d for d in cast.departments if d.pk != lead.pk])]
    with demo_clock(_at(when, 15)):
        services.suggestion_assign(
            suggestion=suggestion, lead_department=lead, co_handlers=co, by=cast.staff
        )
    return lead


def _accept(cast: _Cast, suggestion: Suggestion, when: datetime.date) -> None:
    suggestion.refresh_from_db()
    lead = suggestion.lead_assignment
    assert lead is not None and lead.department is not None
    with demo_clock(_at(when, 9)):
        services.handling_accept(assignment=lead, by=cast.clerk(lead.department))
        for co in co_handler_assignments(suggestion):
            if co.department is not None and co.status == "assigned":
                services.handling_accept(assignment=co, by=cast.clerk(co.department))


def _handle(cast: _Cast, suggestion: Suggestion, accepted: datetime.date) -> None:
    """Contacts (三见面), the co-handlers' opinions, progress on key items."""
    lead = suggestion.lead_assignment
    assert lead is not None and lead.department is not None
    clerk = cast.clerk(lead.department)
    day = _workday(accepted + datetime.timedelta(days=cast.rng.randint(3, 12)))
    with demo_clock(_at(day, 14)):
        if cast.rng.random() < 0.7:
            services.handling_contact_record(
                suggestion=suggestion,
                department=lead.department,
                stage="before",
                method=cast.rng.choice(["face", "phone", "site"]),
                contacted_on=day,
                note="与领衔代表当面沟通办理思路，听取代表意见。",
                by=clerk,
            )
        for co in co_handler_assignments(suggestion):
            if co.department is not None and co.status == "accepted":
                services.handling_opinion(
                    assignment=co,
                    text="我单位同意主办单位的办理方案，并在职责范围内配合落实。",
                    by=cast.clerk(co.department),
                )
        if suggestion.is_key:
            services.handling_report_progress(
                assignment=lead, note="已召开专题协调会，明确责任分工和时间节点。", by=clerk
            )


def _reply(cast: _Cast, suggestion: Suggestion, when: datetime.date, category: str) -> None:
    suggestion.refresh_from_db()
    lead = suggestion.lead_assignment
    assert lead is not None and lead.department is not None
    texts = {
        "A": "经研究，建议所提问题已解决：相关工程已完工并投入使用，我们将持续跟踪管理。",
        "B": "经研究，该事项已列入明年工作计划，正在开展前期工作，预计年内启动实施。",
        "C": "经研究，受规划和资金条件限制，目前暂难实施，我们将在条件具备时统筹解决。",
        "D": "感谢代表的意见，我们将在今后工作中认真参考。",
    }
    with demo_clock(_at(when, 16)):
        services.suggestion_reply(
            suggestion=suggestion,
            category=category,
            text=texts[category],
            signing_official=f"{cast.rng.choice('王李张刘陈杨')}局长",
            by=cast.clerk(lead.department),
        )


def _rate_all(cast: _Cast, suggestion: Suggestion, when: datetime.date, unhappy: bool) -> None:
    """Every signer rates; one unhappy signer sends it back (the rest need not rate)."""
    signers = list(suggestion.signers.filter(status="confirmed").select_related("representative"))
    with demo_clock(_at(when, 10)):
        for signer in signers:
            rep = signer.representative
            online = rep.user_id is not None
            if unhappy:
                result, comment = "unsatisfied", "办理措施不够具体，希望承办单位到现场再研究。"
            else:
                result = cast.pick([("satisfied", 90), ("basically", 10)])
                comment = ""
            services.suggestion_rate(
                suggestion=suggestion,
                representative=rep,
                attitude="satisfied",
                result=result,
                comment=comment,
                by=rep.user if online and rep.user else cast.staff,
                channel="online" if online else "paper",
            )
            suggestion.refresh_from_db()
            if suggestion.status != S.REPLIED:
                break


def _full_life(cast: _Cast, session: Session, lead: Representative, *, finish: bool) -> None:
    """Filing to rating for one suggestion of a session (finish: also the follow-ups)."""
    filed = session.opens_on - datetime.timedelta(days=cast.rng.randint(-2, 15))
    suggestion = _file(cast, session, filed, lead)
    _register(cast, suggestion, session.closes_on)
    assigned_on = add_workdays(session.closes_on, cast.rng.choice([2, 3, 4, 5, 6, 7, 7, 9]))
    if cast.rng.random() < 0.05:
        with demo_clock(_at(session.closes_on, 17)):
            services.suggestion_mark_key(
                suggestion=suggestion,
                is_key=True,
                leading_official=cast.rng.choice(OFFICIALS),
                supervisor=cast.rng.choice(SUPERVISORS),
                committee=cast.rng.choice(COMMITTEES),
                by=cast.staff,
            )
    _assign(cast, suggestion, assigned_on)
    accepted = add_workdays(assigned_on, cast.rng.randint(1, 3))
    _accept(cast, suggestion, accepted)
    suggestion.refresh_from_db()
    _handle(cast, suggestion, accepted)
    replied = _workday(assigned_on + datetime.timedelta(days=cast.rng.randint(30, 88)))
    if cast.rng.random() < 0.04:
        replied = _workday(assigned_on + datetime.timedelta(days=cast.rng.randint(93, 100)))
    category = cast.pick(REPLY_WEIGHTS)
    _reply(cast, suggestion, replied, category)
    unhappy = cast.rng.random() < 0.03
    rated = _workday(replied + datetime.timedelta(days=cast.rng.randint(3, 20)))
    _rate_all(cast, suggestion, rated, unhappy)
    if unhappy:
        second = _workday(rated + datetime.timedelta(days=cast.rng.randint(10, 25)))
        _reply(cast, suggestion, second, "A")
        _rate_all(cast, suggestion, second + datetime.timedelta(days=5), False)
    suggestion.refresh_from_db()
    if suggestion.lead_id and lead.user_id is None and cast.rng.random() < 0.6:
        Suggestion.objects.filter(pk=suggestion.pk).update(publish_consent=True)
    if suggestion.status == S.CARRIED_OVER and finish:
        _follow_up(cast, suggestion)
    if suggestion.status == S.CLOSED and cast.groups and cast.rng.random() < 0.03:
        with demo_clock(_at(rated + datetime.timedelta(days=30), 15)):
            services.group_evaluation_record(
                suggestion=suggestion,
                group=cast.rng.choice(cast.groups),
                held_on=rated + datetime.timedelta(days=30),
                participants=cast.rng.randint(8, 20),
                result="satisfied",
                comment="小组代表集体评议，认为办理到位。",
                by=cast.staff,
            )


def _follow_up(cast: _Cast, suggestion: Suggestion) -> None:
    """Round after round (about half a year each) until resolved or until today: most
    carried-over items are resolved, the rest are still followed up now."""
    while suggestion.status == S.CARRIED_OVER:
        assignment = suggestion.lead_assignment
        assert assignment is not None and assignment.department is not None
        day = _workday(assignment.due_on - datetime.timedelta(days=cast.rng.randint(5, 40)))
        if day >= cast.ctx.today:
            return
        clerk = cast.clerk(assignment.department)
        with demo_clock(_at(day, 10)):
            services.handling_accept(assignment=assignment, by=clerk)
            services.suggestion_follow_up(
                suggestion=suggestion,
                category="A" if cast.rng.random() < 0.6 else "B",
                text="跟踪办理：相关工作已按计划推进。",
                signing_official="承办单位负责人",
                by=clerk,
            )
        suggestion.refresh_from_db()


# --- this year's session, in flight ------------------------------------------------------------


def _in_flight(
    cast: _Cast,
    session: Session,
    lead: Representative,
    stage: str,
    department: Department | None = None,
) -> None:
    """This session's suggestion: handled since January ("finished"), or filed between
    sessions and now at ``stage``, with dates counted back from today."""
    today = cast.ctx.today
    if today < session.opens_on:  # the session has not opened: pre-submissions only
        _file(cast, session, today - datetime.timedelta(days=cast.rng.randint(0, 20)), lead)
        return
    if stage == "finished":
        _full_life(cast, session, lead, finish=False)
        return
    if stage == "submitted":  # filed a few days ago, waiting for staff to review it
        _file(cast, session, add_workdays(today, -cast.rng.randint(0, 3)), lead)
        return
    back = {  # working days between 交办 and today, per stage
        "registered": None,
        "assigned": cast.rng.randint(0, 3),
        "near_due": cast.rng.randint(56, 66),  # 3 months ≈ 62 working days: due ± a week
        "extension": cast.rng.randint(55, 60),
        "replied": cast.rng.randint(30, 50),
        "rehandling": cast.rng.randint(45, 55),
    }[stage]
    assigned_on = add_workdays(today, -(back or 0))
    filed = add_workdays(assigned_on, -cast.rng.randint(3, 8))
    suggestion = _file(cast, session, filed, lead)
    _register(cast, suggestion, add_workdays(filed, 1))
    if back is None:  # registered, waiting for 交办 (some already late)
        return
    _assign(cast, suggestion, assigned_on, department)
    if stage == "assigned":
        return
    accepted = add_workdays(assigned_on, 1)
    _accept(cast, suggestion, accepted)
    suggestion.refresh_from_db()
    lead_assignment = suggestion.lead_assignment
    assert lead_assignment is not None and lead_assignment.department is not None
    clerk = cast.clerk(lead_assignment.department)
    if stage == "extension":
        with demo_clock(_at(add_workdays(today, -1), 11)):
            services.handling_request_extension(
                assignment=lead_assignment,
                until=add_months(lead_assignment.due_on, 1),
                reason="涉及跨部门协调和资金安排，需延期答复。",
                by=clerk,
            )
        return
    if stage in ("replied", "rehandling"):
        replied = add_workdays(
            today, -cast.rng.randint(1, 4) - (15 if stage == "rehandling" else 0)
        )
        _reply(cast, suggestion, replied, cast.pick(REPLY_WEIGHTS))
        if stage == "rehandling":
            _rate_all(cast, suggestion, add_workdays(replied, 3), True)


def _demo_leads(cast: _Cast, session: Session) -> None:
    """Each named demo representative with a seat in this congress has a draft of their
    own (the replies they must rate come from the in-flight suggestions they lead)."""
    if cast.ctx.today < session.opens_on:
        return
    for rep in cast.with_login:
        assert rep.user is not None
        with demo_clock(_at(cast.ctx.today, 9)):
            services.suggestion_create(
                lead=rep,
                session=session,
                title="关于在新城区增设公共自行车站点的建议",
                content="新城区居住人口增长较快，公共自行车站点覆盖不足。建议增设站点。",
                category="transport",
                by=rep.user,
            )


def _one(life: Any, *args: Any, **kwargs: Any) -> None:
    """One suggestion's story in a savepoint: if a rule refuses a step (a random date
    that the calendar does not allow), that suggestion is left out whole."""
    try:
        with transaction.atomic():
            life(*args, **kwargs)
    except DomainError as error:
        logger.info("demo suggestion left out: %s", error.message)


# This session's suggestions in flight, by stage (weights): most handled since the
# session, the rest at every step a staff member, a clerk or a representative acts on.
CITY_STAGES = [
    ("finished", 50),
    ("near_due", 15),
    ("replied", 10),
    ("assigned", 6),
    ("registered", 5),
    ("submitted", 3),
    ("extension", 3),
    ("rehandling", 3),
]
# A district's desk (the demo's district staff and district clerk): fewer finished.
DISTRICT_STAGES = [
    ("finished", 25),
    ("near_due", 20),
    ("replied", 15),
    ("assigned", 12),
    ("registered", 10),
    ("submitted", 8),
    ("extension", 5),
    ("rehandling", 5),
]


def _sessions(term: Any) -> list[Session]:
    return list(
        Session.objects.filter(term=term, kind=SessionKind.PLENARY)
        .select_related("term__congress__region")
        .order_by("opens_on")
    )


def _current_session(
    cast: _Cast, session: Session, count: int, stages: list[tuple[str, int]]
) -> None:
    # Every stage once (each count on the staff's card shows work), then by weight.
    picks = [stage for stage, _weight in stages]
    picks += [cast.pick(stages) for _n in range(count - len(picks))]
    for stage in picks:
        lead = cast.rng.choice(cast.reps)
        if stage == "replied" and cast.with_login and cast.rng.random() < 0.4:
            lead = cast.rng.choice(cast.with_login)  # so the demo login has replies to rate
        _one(_in_flight, cast, session, lead, stage)
    for rep in cast.with_login:  # every demo representative has a reply to rate
        _one(_in_flight, cast, session, rep, "replied")
    for department in cast.departments:  # every demo clerk has a reply coming due
        if department.pk in cast.with_clerk_login:
            _one(_in_flight, cast, session, cast.rng.choice(cast.reps), "near_due", department)
    _demo_leads(cast, session)


def build(ctx: DemoContext) -> None:
    city_term = ctx.terms[ctx.congresses[ctx.city.pk].pk]
    sessions = _sessions(city_term)
    if len(sessions) < 2:
        return
    current, past = sessions[-1], sessions[-2]
    cast = _cast(ctx, city_term, User.objects.get(username="city_staff"))
    size = len(ctx.towns) / 48  # 1.0 at the full demo scale
    with transaction.atomic():
        for lead in cast.rng.choices(cast.reps, k=max(40, round(60 * size))):
            _one(_full_life, cast, past, lead, finish=True)
        _current_session(cast, current, max(20, round(36 * size)), CITY_STAGES)
        for username in ("district_staff", "other_district_staff"):
            staff = User.objects.filter(username=username).first()
            regions = staff.staff_regions if staff is not None else []
            congress = ctx.congresses.get(regions[0].pk) if regions else None
            if staff is None or congress is None:
                continue
            term = ctx.terms[congress.pk]
            district_sessions = _sessions(term)
            if district_sessions:
                _current_session(
                    _cast(ctx, term, staff), district_sessions[-1], 12, DISTRICT_STAGES
                )
