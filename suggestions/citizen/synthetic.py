"""Synthetic citizens' problems with their timelines and closed-loop steps (``generate_city``).

Each problem is a story told in the services' order (``suggestions.citizen.services``):
submitted at a station (受理 step for the staff office, 2 working days), 受理 and
handed to a representative (15 working days), then answered directly, turned into a
livelihood-project lead, or forwarded to a department (15 working days) that signs,
replies, and whose reply the representative reports back (5 working days); then the
citizen rates it, or the rating period runs out, or 不满意 reopens it for a month.
Every step takes a random time and a few stall for much longer; the story stops
where the clock reaches now, so the mix of states follows the problem's age, and
the stalled ones are the overdue work of the lists. Each step writes the rows the
service would: the problem's fields, a ``CaseEvent`` per transition (with from and
to status, actor, public note), and ``Assignment`` rows with due dates counted on
the official calendar, their own events, and the reminder queue from now on.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from congress import loop
from congress.models import Assignment, CaseEvent, Department
from congress.synthetic import Rows, SyntheticContext, write
from suggestions.citizen import conf
from suggestions.citizen.privacy import mobile_hash
from suggestions.citizen.services import CODE_ALPHABET, CODE_LENGTH, _title_from
from suggestions.citizen.services.counts import issue_departments_rebuild
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory

BATCH = 10_000  # problems per transaction (with ~6 events and ~3 steps each)
SPAN_DAYS = 730  # problems of the last two years of the term
CODE_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH
CODE_STEP = 7_919_000_003  # not a multiple of 3: n → n·step is a bijection of the code space
DAY = datetime.timedelta(days=1)
# Facts the lists read from the problem's own row, kept by the services: the ids of
# the region's ancestors (area_N) and the earliest open due date. Read from the model,
# so that the generator writes whichever of them the model has.
_COLUMNS = {f.attname for f in CitizenIssue._meta.concrete_fields}
AREA_COLUMNS = sorted(name for name in _COLUMNS if name.startswith("area_"))
DUE_COLUMNS = [name for name in ("next_due_on", "next_due_provisional") if name in _COLUMNS]
# An assignment keeps its region's ancestors too (congress/areas.py).
STEP_AREA_COLUMNS = sorted(
    f.attname for f in Assignment._meta.concrete_fields if f.attname.startswith("area_")
)

TEXTS: dict[str, list[str]] = {
    "roads": [
        "幸福路与人民路交叉口有一个大坑，雨天积水看不见，电动车已经摔了好几次。",
        "学校门口没有斑马线和减速带，上下学时段车速很快，孩子过马路很危险。",
    ],
    "utilities": ["我们这一片的路灯坏了一个多月了，晚上出门一片漆黑。"],
    "environment": ["菜市场后面的垃圾桶长期满溢，没人清运，苍蝇很多。"],
    "housing": ["老旧小区没有电梯，楼里老人多，希望列入加装电梯计划。"],
    "education": ["附近幼儿园学位紧张，希望增加公办幼儿园名额。"],
    "health": ["社区卫生服务站周末不开门，老人看病配药不方便。"],
    "social_security": ["高龄津贴申请材料太多，希望简化手续，能在村里办理。"],
    "rural": ["农田灌溉渠年久失修，漏水严重，影响春耕用水。"],
}
OTHER_TEXT = "社区文化活动室长期锁门，群众没有活动的地方。"
# Which department takes which kind of problem (short names, the county's own first).
DEPARTMENTS = {
    "roads": ["交通局", "城管局"],
    "utilities": ["城管局", "住建局"],
    "environment": ["城管局"],
    "housing": ["住建局"],
    "education": ["教育局"],
    "health": ["卫健委"],
    "social_security": ["民政局", "人社局"],
    "employment": ["人社局"],
}
ANSWERS = [
    "经协调，已安排施工队于本周完成修复，请您查看。",
    "已联系相关部门现场查看并处理完毕，感谢您的反映。",
    "该问题已列入今年的改造计划，预计下半年实施，我们会持续跟踪。",
]
CITIZEN = "群众"
SYSTEM = "系统"


@functools.lru_cache(maxsize=65536)
def _q(text: str) -> str:
    """A JSON string literal: event data is written as JSON text, not dumped per row."""
    return json.dumps(text, ensure_ascii=False)


def _token(seed: int, pk: int, size: int) -> bytes:
    return hashlib.blake2b(f"{seed}:issue:{pk}".encode(), digest_size=size).digest()


def tracking_code(seed: int, pk: int) -> str:
    n = (pk * CODE_STEP + seed) % CODE_SPACE
    letters = []
    for _i in range(CODE_LENGTH):
        n, digit = divmod(n, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


class _Tables:
    def __init__(self) -> None:
        self.issues = Rows(
            CitizenIssue,
            ["id", "tracking_code", "tracking_token", "idempotency_key", "source", "category_id",
             "title", "description", "region_id", "station_id", "representative_id",
             "handler_id", "address", "citizen_name", "mobile", "mobile_hash", "wants_sms",
             "consent_at", "consent_version", "status", "version", "decline_reason",
             "decline_channel", "converted_to", "answer", "answered_at", "rating", "rated_at",
             "rating_due_on", "reopen_count", "closed_at", "created_at", "updated_at",
             *AREA_COLUMNS, *DUE_COLUMNS],
        )  # fmt: skip
        self.steps = Rows(
            Assignment,
            ["id", "case_type", "case_id", "title", "region_id", "department_id", "user_id",
             "staff_region_id", "status", "version", "assigned_at", "due_on", "original_due_on",
             "latest_due_on", "due_basis", "due_provisional", "closed_at", "replied_at",
             "next_reminder_at", "reminded_until", *STEP_AREA_COLUMNS],
        )  # fmt: skip
        self.events = Rows(
            CaseEvent,
            ["case_type", "case_id", "assignment_id", "at", "actor_id", "actor_label", "action",
             "from_status", "to_status", "note", "public_note", "data"],
        )  # fmt: skip


class _Step:
    """One closed-loop step of a story, written when the story ends."""

    __slots__ = ("assigned_at", "assignee", "closed", "due", "pk", "replied", "status", "version")

    def __init__(self, pk: int, assignee: tuple[Any, ...], at: datetime.datetime, due: Any) -> None:
        self.pk = pk
        self.assignee = assignee  # (department_id, user_id, staff_region_id, label)
        self.status = "assigned"
        self.version = 0
        self.assigned_at = at
        self.due = due  # (due_on, basis, provisional, latest)
        self.replied: datetime.datetime | None = None
        self.closed: datetime.datetime | None = None


class _Story:
    """One problem while its story is told: its fields so far and its steps."""

    def __init__(self, pk: int, created: datetime.datetime, **facts: Any) -> None:
        self.pk = pk
        self.created = created
        self.code: str = facts["code"]
        self.title: str = facts["title"]
        self.description: str = facts["description"]
        self.category: IssueCategory = facts["category"]
        self.region: int = facts["region"]
        self.station: int = facts["station"]
        self.addressed: int | None = facts["addressed"]
        self.mobile: str = facts["mobile"]
        self.steps: list[_Step] = []
        self.fields: dict[str, Any] = {
            "status": "submitted", "version": 0, "handler": None, "decline_reason": "",
            "decline_channel": "", "converted_to": "", "answer": "", "answered_at": None,
            "rating": "", "rated_at": None, "rating_due_on": None, "reopen_count": 0,
            "closed_at": None, "updated": created,
        }  # fmt: skip


class _Builder:
    def __init__(self, ctx: SyntheticContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.now = ctx.now
        # The local day of a moment, without a time-zone lookup per row (Asia/Shanghai
        # keeps one offset all year).
        self.offset = timezone.localtime(ctx.now).utcoffset() or datetime.timedelta()
        self.policy = loop.policy_for(ISSUE_CASE)
        self.longest = (3, "months")
        self.categories = list(IssueCategory.objects.filter(is_active=True))
        if not self.categories:
            raise ValueError("no problem categories: run migrate first")
        self.rep_user: dict[int, int | None] = ctx.extra["rep_user"]
        self.rep_name: dict[int, str] = ctx.extra["rep_name"]
        self.user_name: dict[int, str] = ctx.names
        self.members: dict[int, list[int]] = ctx.extra["station_members"]
        self.grid_rep: dict[int, int] = ctx.extra["grid_rep"]
        self.grids_of: dict[int, list[int]] = {}
        for region in ctx.regions.values():
            if region.level == "grid" and region.parent_id is not None:
                self.grids_of.setdefault(region.parent_id, []).append(region.pk)
        self.staff_user = {pk: users[0] for pk, users in ctx.staff.items()}
        self.region_departments = self._departments()
        self.t = _Tables()
        self.reminders: dict[datetime.date, datetime.datetime | None] = {}
        self.area_cache: dict[int, list[int | None]] = {}
        self.counts: dict[str, int] = {}
        self.area_counts: dict[tuple[int, str], int] = {}

    def _departments(self) -> dict[int, dict[str, Department]]:
        """For each town: its county's departments by short name, then the city's, and
        its own government as ``""``."""
        by_region = {
            pk: {d.short_name: d for d in departments if d.short_name}
            for pk, departments in self.ctx.departments.items()
        }
        found: dict[int, dict[str, Department]] = {}
        for city in self.ctx.cities:
            for town in city.towns:
                county = town.parent_id or 0
                choices = {**by_region.get(city.region.pk, {}), **by_region.get(county, {})}
                own = [d for d in self.ctx.departments.get(town.pk, [])]
                if own:
                    choices[""] = own[0]
                found[town.pk] = choices
        return found

    # --- the rows of one story ---------------------------------------------------------------

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        return (moment + self.offset).date()

    def due(self, at: datetime.datetime, amount: int, unit: str) -> tuple[Any, ...]:
        start = self.local_date(at)
        due_on = self.ctx.due(start, amount, unit)
        basis = f'{{"from": "{start}", "amount": {amount}, "unit": "{unit}", "shift": 0}}'
        latest = self.ctx.due(start, *self.longest)
        return (due_on, basis, False, latest)

    def event(
        self,
        case: int,
        at: datetime.datetime,
        action: str,
        actor: int | None,
        label: str,
        before: str,
        after: str,
        *,
        step: _Step | None = None,
        note: str = "",
        public: str = "",
        data: str | None = None,
    ) -> None:
        """One timeline row; ``data`` is JSON text (``_q`` quotes a string)."""
        self.t.events.add(
            ISSUE_CASE,
            case,
            step.pk if step else None,
            at,
            actor,
            label,
            action,
            before,
            after,
            note,
            public,
            data or "{}",
        )

    def step(
        self,
        case: int,
        at: datetime.datetime,
        assignee: tuple[Any, ...],
        due: tuple[Any, ...],
        actor: tuple[int | None, str],
        note: str,
    ) -> _Step:
        step = _Step(self.ctx.ids.take(Assignment), assignee, at, due)
        self.event(
            case, at, "assign", actor[0], actor[1], "", "assigned", step=step, note=note,
            data=f'{{"assignee": {_q(assignee[3])}, "due_on": "{due[0]}", "role": "lead"}}',
        )  # fmt: skip
        return step

    def move(
        self,
        case: int,
        step: _Step,
        at: datetime.datetime,
        action: str,
        to: str,
        actor: tuple[int | None, str],
        note: str = "",
    ) -> None:
        self.event(case, at, action, actor[0], actor[1], step.status, to, step=step, note=note)
        step.status = to
        step.version += 1
        if to == "replied":
            step.replied = at
        if to == "closed":
            step.closed = at

    def finish(
        self,
        case: int,
        step: _Step,
        at: datetime.datetime,
        actor: tuple[int | None, str],
        note: str,
    ) -> None:
        """``_finish``: 签收 if need be, then 答复."""
        if step.status == "assigned":
            self.move(case, step, at, "accept", "accepted", actor)
        self.move(case, step, at, "reply", "replied", actor, note or "—")

    def person_step(
        self,
        case: int,
        region: int,
        rep: int | None,
        at: datetime.datetime,
        due: tuple[Any, ...],
        actor: tuple[int | None, str],
        note: str,
    ) -> _Step:
        """``_start_step``: the representative through their login, else the staff office."""
        user = self.rep_user.get(rep) if rep else None
        assignee: tuple[int | None, int | None, int | None, str]
        if user is not None:
            assignee = (None, user, None, self.user_name[user])
        else:
            office = self.ctx.staff_region_id(region)
            assignee = (None, None, office, f"{self.ctx.regions[office].name}人大")
        return self.step(case, at, assignee, due, actor, note)

    def reminder(self, due_on: datetime.date) -> datetime.datetime | None:
        """``next_reminder_time`` of an open, unpaused step: it depends on the due
        date only (and now), so it is counted once per date."""
        if due_on not in self.reminders:
            preview = Assignment(status="assigned", due_on=due_on, case_type=ISSUE_CASE)
            self.reminders[due_on] = loop.next_reminder_time(preview, self.policy, self.now)
        return self.reminders[due_on]

    def write_step(self, case: int, title: str, region: int, step: _Step) -> None:
        department, user, office, _label = step.assignee
        due_on, basis, provisional, latest = step.due
        reminder = None
        open_ = step.status in ("assigned", "accepted", "in_progress")
        if open_:
            reminder = self.reminder(due_on)
        self.t.steps.add(
            step.pk, ISSUE_CASE, case, title, region, department, user, office, step.status,
            step.version, step.assigned_at, due_on, due_on, latest, basis, provisional,
            step.closed, step.replied, reminder, self.now if open_ else step.closed or step.replied,
            *self.areas(region)[: len(STEP_AREA_COLUMNS)],
        )  # fmt: skip

    # --- one problem -------------------------------------------------------------------------

    def later(
        self, at: datetime.datetime, low: float, high: float, stall: float
    ) -> datetime.datetime:
        days = self.rng.uniform(low, high)
        if self.rng.random() < stall:
            days *= self.rng.uniform(3, 10)
        return at + datetime.timedelta(days=days)

    def problem(self, pk: int, station: tuple[int, int]) -> None:
        ctx, rng = self.ctx, self.rng
        station_id, place = station
        people = self.members.get(station_id, [])
        grids = self.grids_of.get(place)
        region = rng.choice(grids) if grids and rng.random() < 0.6 else place
        addressed = rng.choice(people) if people and rng.random() < 0.25 else None
        handler = addressed or self.grid_rep.get(region) or (people[0] if people else None)
        category = rng.choice(self.categories)
        description = rng.choice(TEXTS.get(category.code, [OTHER_TEXT]))
        title = _title_from(description)
        code = tracking_code(ctx.seed, pk)
        created = self.now - datetime.timedelta(days=rng.uniform(0, SPAN_DAYS))
        town = (
            ctx.regions[place].parent_id or place
            if ctx.regions[place].level == "village"
            else place
        )
        office = ctx.staff_region_id(region)
        staff = self.staff_user[office]
        staff_actor = (staff.pk, staff.display_name)
        rep_user = self.rep_user.get(handler) if handler else None
        rep_actor = (rep_user, self.user_name[rep_user]) if rep_user else staff_actor
        citizen: tuple[int | None, str] = (None, CITIZEN)
        story = _Story(
            pk, created, code=code, title=title, description=description, category=category,
            region=region, station=station_id, addressed=addressed,
            mobile=f"13{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
        )  # fmt: skip
        f, steps = story.fields, story.steps

        def issue_move(
            at: datetime.datetime,
            action: str,
            to: str,
            actor: tuple[int | None, str],
            public: str = "",
            note: str = "",
            data: str | None = None,
        ) -> None:
            self.event(
                pk,
                at,
                action,
                actor[0],
                actor[1],
                f["status"],
                to,
                note=note,
                public=public,
                data=data,
            )
            f["status"], f["version"], f["updated"] = to, f["version"] + 1, at

        self.event(
            pk, created, "submit", None, CITIZEN, "", "submitted",
            public=f"您反映的问题已提交，查询码 {code}。", data='{"source": "station", "photos": 0}',
        )  # fmt: skip
        accept_step = self.step(
            pk, created, (None, None, office, f"{ctx.regions[office].name}人大"),
            self.due(created, conf.accept_deadline().amount, "workdays"), citizen, "请受理群众反映的问题",
        )  # fmt: skip
        steps.append(accept_step)
        at = self.later(created, 0.1, 3, 0.03)
        if at > self.now:
            return self._done(story)
        if rng.random() < 0.05:
            reason = "该事项属于诉讼程序，不属于人大代表受理范围。"
            issue_move(at, "decline", "declined", staff_actor, note=reason,
                       public=f"经审核，该事项不属于人大代表受理范围：{reason} 建议您通过人民法院（诉讼）反映。")  # fmt: skip
            f.update(decline_reason=reason, decline_channel="litigation", closed_at=at)
            self.finish(pk, accept_step, at, staff_actor, "不予受理")
            return self._done(story)
        issue_move(at, "accept", "accepted", staff_actor, public="您反映的问题已受理。")
        self.move(pk, accept_step, at, "accept", "accepted", staff_actor)
        if handler is not None:
            name = self.rep_name[handler]
            issue_move(
                at,
                "assign",
                "with_representative",
                staff_actor,
                public="已转交人大代表办理。",
                data=f'{{"representative": {_q(name)}}}',
            )
            f["handler"] = handler
            self.finish(pk, accept_step, at, staff_actor, f"已分派给{name}代表")
            rep_step = self.person_step(
                pk,
                region,
                handler,
                at,
                self.due(at, 15, "workdays"),
                staff_actor,
                "请办理群众反映的问题",
            )
            steps.append(rep_step)
        else:  # nobody to hand it to: it waits, accepted, for staff to choose someone
            return self._done(story)
        at = self.later(at, 1, 12, 0.04)
        if at > self.now:
            return self._done(story)
        roll = rng.random()
        forwarded = False
        if roll < 0.03:
            issue_move(at, "convert", "converted", rep_actor, data='{"to": "livelihood"}',
                       public="代表已将您反映的问题作为民生实事项目建议提出，将在项目征集时一并研究。")  # fmt: skip
            f.update(converted_to="livelihood", closed_at=at)
            self.finish(pk, rep_step, at, rep_actor, "民生实事项目建议")
            return self._done(story)
        if roll < 0.43:
            answer = rng.choice(ANSWERS)
            self._answer(pk, at, "answer", f, rep_actor, answer, issue_move)
            self.finish(pk, rep_step, at, rep_actor, answer)
        else:
            forwarded = True
            department = self._department(town, category.code)
            due = self.due(at, conf.department_deadline().amount, "workdays")
            issue_move(at, "forward", "forwarded", rep_actor, data=f'{{"department": {_q(department.name)}, "due_on": "{due[0]}"}}',
                       public=f"已交有关部门办理，办理期限至{due[0].isoformat()}。")  # fmt: skip
            self.finish(pk, rep_step, at, rep_actor, f"已交办{department.name}")
            dept_step = self.step(
                pk, at, (department.pk, None, None, department.name), due, rep_actor, ""
            )
            steps.append(dept_step)
            clerk = self.ctx.clerks[department.pk]
            clerk_actor = (clerk.pk, clerk.display_name)
            at = self.later(at, 0.2, 3, 0.02)
            if at > self.now:
                return self._done(story)
            self.move(pk, dept_step, at, "accept", "accepted", clerk_actor)
            at = self.later(at, 2, 20, 0.06)
            if at > self.now:
                return self._done(story)
            reply = rng.choice(ANSWERS)
            self.move(pk, dept_step, at, "reply", "replied", clerk_actor, reply)
            issue_move(at, "department_reply", "department_replied", clerk_actor, data=f'{{"department": {_q(department.name)}}}',
                       public="承办部门已答复，代表正在核实办理情况。")  # fmt: skip
            review = self.person_step(
                pk,
                region,
                handler,
                at,
                self.due(at, conf.review_deadline().amount, "workdays"),
                clerk_actor,
                "请核实承办部门的答复，并向群众反馈",
            )
            steps.append(review)
            at = self.later(at, 0.5, 5, 0.03)
            if at > self.now:
                return self._done(story)
            self._answer(pk, at, "report_back", f, rep_actor, reply, issue_move)
            self.finish(pk, review, at, rep_actor, reply)
        self._rate(pk, at, f, steps, forwarded, handler, region, rep_actor, issue_move)
        self._done(story)

    def _answer(
        self,
        pk: int,
        at: datetime.datetime,
        action: str,
        f: dict[str, Any],
        actor: tuple[int | None, str],
        answer: str,
        issue_move: Any,
    ) -> None:
        issue_move(at, action, "answered", actor, public=answer)
        f.update(
            answer=answer,
            answered_at=at,
            rating_due_on=self.ctx.due(
                self.local_date(at), conf.rating_period().amount, "workdays"
            ),
        )

    def _rate(
        self,
        pk: int,
        at: datetime.datetime,
        f: dict[str, Any],
        steps: list[_Step],
        forwarded: bool,
        handler: int | None,
        region: int,
        rep_actor: tuple[int | None, str],
        issue_move: Any,
    ) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05 and not forwarded:  # 不满意: a month of re-handling, then answered again
            at = self.later(at, 0.5, 8, 0)
            if at > self.now:
                return
            due = self.due(at, conf.rehandling_deadline().amount, "months")
            issue_move(at, "reopen", "with_representative", (None, CITIZEN), data='{"rating": "unsatisfied"}',
                       public=f"您对办理结果不满意，已安排重新办理，期限至{due[0].isoformat()}。")  # fmt: skip
            f.update(rating="unsatisfied", rated_at=at, reopen_count=1, rating_due_on=None)
            again = self.person_step(
                pk, region, handler, at, due, (None, CITIZEN), "群众对办理结果不满意"
            )
            steps.append(again)
            at = self.later(at, 3, 20, 0.05)
            if at > self.now:
                return
            answer = rng.choice(ANSWERS)
            self._answer(pk, at, "answer", f, rep_actor, answer, issue_move)
            self.finish(pk, again, at, rep_actor, answer)
            roll = 0.5
        department = next((s for s in steps if s.assignee[0] is not None), None)
        if roll < 0.9:
            at = self.later(at, 0.2, 8, 0)
            if at > self.now:
                return
            rating = "satisfied" if roll < 0.75 else "basically"
            label = "满意" if rating == "satisfied" else "基本满意"
            issue_move(at, "rate", "closed", (None, CITIZEN), data=f'{{"rating": "{rating}"}}',
                       public=f"感谢您的评价（{label}）。本件已办结。")  # fmt: skip
            f.update(rating=rating, rated_at=at, closed_at=at)
            note = label
        else:
            due = f["rating_due_on"]
            at = datetime.datetime.combine(due + DAY, datetime.time(1), tzinfo=datetime.UTC)
            if at > self.now:
                return
            issue_move(at, "close_unrated", "closed", (None, SYSTEM),
                       public="评价期已过，本件按未评价办结。如问题仍未解决，欢迎再次反映。")  # fmt: skip
            f.update(rating="not_rated", closed_at=at)
            note = "逾期未评价"
        if department is not None and department.status == "replied":
            self.move(
                pk,
                department,
                at,
                "close",
                "closed",
                (None, SYSTEM if note == "逾期未评价" else CITIZEN),
                note,
            )

    def _department(self, town: int, category: str) -> Department:
        choices = self.region_departments[town]
        for short in DEPARTMENTS.get(category, []):
            if short in choices:
                return choices[short]
        return choices.get("") or next(iter(choices.values()))

    def areas(self, region: int) -> list[int | None]:
        """The ``area_N`` of a case in ``region`` (``congress.areas.area_columns``)."""
        if region not in self.area_cache:
            ancestry = self.ctx.regions[region].ancestor_ids()
            width = max(len(AREA_COLUMNS), len(STEP_AREA_COLUMNS))
            self.area_cache[region] = [
                ancestry[n] if n < len(ancestry) else None for n in range(width)
            ]
        return self.area_cache[region]

    def _done(self, story: _Story) -> None:
        rng, ctx, f = self.rng, self.ctx, story.fields
        areas = self.areas(story.region)[: len(AREA_COLUMNS)]
        for step in story.steps:
            self.write_step(story.pk, f"{story.code} {story.title}", story.region, step)
        number = story.mobile
        open_due = [s.due[0] for s in story.steps if s.status in ("assigned", "accepted")]
        due = [min(open_due) if open_due else None, False][: len(DUE_COLUMNS)]
        self.t.issues.add(
            story.pk, story.code, base64.urlsafe_b64encode(_token(ctx.seed, story.pk, 24)).decode(),
            uuid.UUID(bytes=_token(ctx.seed, story.pk, 16)), "station", story.category.pk,
            story.title, story.description, story.region, story.station, story.addressed,
            f["handler"], "", ctx.person_name() if number and rng.random() < 0.6 else "",
            number, mobile_hash(number), bool(number) and rng.random() < 0.5, story.created,
            "2026-1", f["status"], f["version"], f["decline_reason"], f["decline_channel"],
            f["converted_to"], f["answer"], f["answered_at"], f["rating"], f["rated_at"],
            f["rating_due_on"], f["reopen_count"], f["closed_at"], story.created, f["updated"],
            *areas, *due,
        )  # fmt: skip
        self.counts[f["status"]] = self.counts.get(f["status"], 0) + 1
        if AREA_COLUMNS:  # the summary's area: the deepest of the kept ancestors
            area = next(a for a in reversed(areas) if a is not None)
            key = (area, f["status"])
            self.area_counts[key] = self.area_counts.get(key, 0) + 1


def build(ctx: SyntheticContext) -> None:
    if not ctx.problems:
        return
    builder = _Builder(ctx)
    for model, per_problem in ((CitizenIssue, 1), (Assignment, 3), (CaseEvent, 8)):
        ctx.deferred.defer(model, ctx.problems * per_problem)
    stations: list[tuple[int, int]] = ctx.extra["stations"]
    first = ctx.ids.take(CitizenIssue, ctx.problems)
    # On PostgreSQL, past the template the blocks are copies made by the database
    # (``clone_blocks``); on SQLite every problem is told in Python.
    told = ctx.problems
    if connection.vendor == "postgresql" and 0 < ctx.template < ctx.problems:
        told = ctx.template
    first_step = ctx.ids.take(Assignment, 0)
    for start in range(0, told, BATCH):
        for pk in range(first + start, first + min(told, start + BATCH)):
            builder.problem(pk, builder.rng.choice(stations))
        write(builder.t.issues, builder.t.steps, builder.t.events)
    counts = builder.counts
    if told < ctx.problems:
        counts = clone_blocks(ctx, first=first, told=told, first_step=first_step)
        ctx.report(f"  cloned {ctx.problems - told:,} problems from a template of {told:,}")
    else:
        _summary(ctx, builder.area_counts)
    ctx.extra["problem_counts"] = counts
    ctx.extra["problem_ids"] = (first, first + ctx.problems - 1)
    _analyze(CitizenIssue, Assignment, CaseEvent)
    handed = issue_departments_rebuild()  # the clerks' scope, from the steps just written
    ctx.report(f"  {handed:,} problems' departments")


def _analyze(*models: type[Any]) -> None:
    """The planner's statistics of the tables just filled, on PostgreSQL. The load runs
    with autovacuum off, so without this the planner takes them for empty until the
    generator's last ``ANALYZE``, and the recounts in between (each problem's
    departments, the dashboard summaries: joins over millions of rows, before the
    indexes are built again) get nested loops: the summaries' recount of a 1M city
    ran for over 7 minutes on one statement before it was cancelled (docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


# --- the blocks after the template, copied by PostgreSQL --------------------------------------


def _code_sql(pk: str, seed: int) -> str:
    """``tracking_code(seed, pk)`` as an SQL expression of the id ``pk`` (bigint)."""
    base = len(CODE_ALPHABET)
    n = f"mod(({pk})::bigint * {CODE_STEP} + {int(seed)}, {CODE_SPACE})"
    return " || ".join(
        f"substr('{CODE_ALPHABET}', mod({n} / {base**i}, {base})::int + 1, 1)"
        for i in range(CODE_LENGTH)
    )


def _token_sql(pk: str, seed: int, purpose: str, size: int) -> str:
    """``size`` bytes of SHA-256 over the seed, a purpose and the id: unique per id."""
    return (
        f"substring(sha256(convert_to('{int(seed)}:{purpose}:' || ({pk})::text, 'UTF8'))"
        f" from 1 for {size})"
    )


def _moment_sql(column: str, offset: int) -> str:
    """A copied moment in block ``k``: the same local day, its time of day t (as a
    fraction of the day) moved to t^p with p between 1 and 3, one p per block. Each
    block's map is increasing, so a story's steps keep their order; no moment moves
    to another day, so the due dates counted on the calendar from those days stay
    right; none moves later, so none passes now; and the copies of one problem are
    spread over its day instead of lying on one instant (the newest rows of a list
    are not one problem copied). ``offset``: the local time's seconds east of UTC
    (Asia/Shanghai keeps one all year, as ``_Builder.local_date`` assumes); in
    floating point, since PostgreSQL's numeric ``power`` took 15 µs a value."""
    local = f"({column} AT TIME ZONE 'UTC' + interval '{int(offset)} seconds')"
    day = f"date_trunc('day', {local})"
    fraction = f"extract(epoch FROM {local} - {day})::float8 / 86400"
    power = "(1 + mod(k * 7919, 1000) / 500.0)::float8"
    return (
        f"(({day} + power({fraction}, {power}) * interval '1 day'"
        f" - interval '{int(offset)} seconds') AT TIME ZONE 'UTC')"
    )


def _clone_statements(
    ctx: SyntheticContext,
    *,
    first: int,
    told: int,
    first_step: int,
    steps: int,
    first_event: int,
    events: int,
) -> list[tuple[str, str, str]]:
    """INSERT … SELECT statements (table, SQL with %(low)s and %(high)s, the block
    numbers, and the statement that puts the template's rows aside first) that copy
    the template's problems, steps and events into blocks ``low`` … ``high``: ids
    moved by the block's size, tracking codes, links and idempotency keys made from
    the new id (as the template's are), every moment moved earlier within its own
    local day (``_moment_sql``), the rest (regions, areas, people, due dates,
    statuses, reminders) the template's."""
    quote = connection.ops.quote_name
    total = ctx.problems
    seed = ctx.seed
    new_case = f"t.case_id + k * {told}"
    now = f"'{ctx.now.isoformat()}'::timestamptz"
    shift = timezone.localtime(ctx.now).utcoffset() or datetime.timedelta()
    offset = int(shift.total_seconds())

    def statement(
        model: type[Any], overrides: dict[str, str], template: str, where: str
    ) -> tuple[str, str, str]:
        columns = [f.column for f in model._meta.concrete_fields]
        values = []
        for column in columns:
            expression = overrides.get(column, f"t.{quote(column)}")
            values.append(expression)
        table = model._meta.db_table
        # The template's rows, put aside once: each copy reads them alone, not the
        # table growing under the copies (without its indexes, a scan of all of it).
        staging = quote(f"{STAGING}{table}")
        put_aside = (
            f"CREATE UNLOGGED TABLE {staging} AS SELECT * FROM {quote(table)} t WHERE {template}"  # noqa: S608 - model names
        )
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - model names
            f"SELECT {', '.join(values)} FROM {staging} t "
            f"CROSS JOIN generate_series(%(low)s, %(high)s) k WHERE {where}"
        )
        return table, sql, put_aside

    moments = {
        f.column
        for model in (CitizenIssue, Assignment, CaseEvent)
        for f in model._meta.concrete_fields
        if f.get_internal_type() == "DateTimeField"
    }

    def moved(model: type[Any], skip: Iterable[str] = ()) -> dict[str, str]:
        return {
            f.column: _moment_sql(f"t.{quote(f.column)}", offset)
            for f in model._meta.concrete_fields
            if f.column in moments and f.column not in skip
        }

    issue_id = f"t.id + k * {told}"
    issues = statement(
        CitizenIssue,
        {
            **moved(CitizenIssue),
            "id": issue_id,
            "tracking_code": _code_sql(issue_id, seed),
            "tracking_token": "translate(encode("
            + _token_sql(issue_id, seed, "issue", 24)
            + ", 'base64'), '+/', '-_')",
            "idempotency_key": "encode(" + _token_sql(issue_id, seed, "key", 16) + ", 'hex')::uuid",
        },
        f"t.id BETWEEN {first} AND {first + told - 1}",
        f"t.id - {first} + k * {told} < {total}",
    )
    in_template = (
        f"t.case_type = '{ISSUE_CASE}' AND t.case_id BETWEEN {first} AND {first + told - 1}"
    )
    in_total = f"t.case_id - {first} + k * {told} < {total}"
    assignments = statement(
        Assignment,
        {
            **moved(Assignment, skip=["reminded_until", "next_reminder_at"]),
            "id": f"t.id + k * {steps}",
            "case_id": new_case,
            "title": f"{_code_sql(new_case, seed)} || substr(t.title, {CODE_LENGTH + 1})",
            # Open steps were last looked at by the sweep now; the others when they ended.
            "reminded_until": f"CASE WHEN t.reminded_until = {now} THEN t.reminded_until"
            f" ELSE {_moment_sql('t.reminded_until', offset)} END",
        },
        f"{in_template} AND t.id BETWEEN {first_step} AND {first_step + steps - 1}",
        in_total,
    )
    events_ = statement(
        CaseEvent,
        {
            **moved(CaseEvent),
            "id": f"t.id + k * {events}",
            "case_id": new_case,
            "assignment_id": f"t.assignment_id + k * {steps}",
            # The submission's public note names the tracking code.
            "public_note": "CASE WHEN t.action = 'submit' THEN replace(t.public_note, "
            f"{_code_sql('t.case_id', seed)}, {_code_sql(new_case, seed)}) ELSE t.public_note END",
        },
        f"{in_template} AND t.id BETWEEN {first_event} AND {first_event + events - 1}",
        in_total,
    )
    return [issues, assignments, events_]


def clone_blocks(
    ctx: SyntheticContext, *, first: int, told: int, first_step: int
) -> dict[str, int]:
    """Problems ``told`` … ``ctx.problems`` as copies of the first ``told`` (the
    template, written in Python), made by PostgreSQL with set-based INSERT … SELECT
    in two sessions at once, then the ``IssueCount`` summary counted again from the
    table in one GROUP BY. Returns the problems per status."""
    from congress.synthetic import COPIES, run_parallel

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(id), max(id) FROM {CaseEvent._meta.db_table}"  # noqa: S608 - a model's table
            " WHERE case_type = %s AND case_id BETWEEN %s AND %s",
            [ISSUE_CASE, first, first + told - 1],
        )
        first_event, last_event = cursor.fetchone()
    steps = ctx.ids.take(Assignment, 0) - first_step
    events = last_event - first_event + 1
    blocks = -(-ctx.problems // told)  # the template is block 0
    # The copies' keys: each block's steps and events above the last block's.
    ctx.ids.take(Assignment, steps * (blocks - 1))
    ctx.ids.take(CaseEvent, 0)  # its sequence is set after the copies
    ctx.ids.next[CaseEvent] = last_event + 1 + events * (blocks - 1)
    statements = _clone_statements(
        ctx, first=first, told=told, first_step=first_step, steps=steps,
        first_event=first_event, events=events,
    )  # fmt: skip
    # Rows per statement: about CLONE_ROWS events; a block holds ~15 events a problem.
    per = max(1, CLONE_ROWS // max(events, 1))
    # One job per range of blocks: its problems, then their steps, then their events,
    # in one transaction (an event's step is in its own job).
    jobs = [
        (
            [(table, sql) for table, sql, _aside in statements],
            {"low": low, "high": min(blocks - 1, low + per - 1)},
        )
        for low in range(1, blocks, per)
    ]
    COPIES.update(
        {
            CitizenIssue._meta.db_table: first + told,
            Assignment._meta.db_table: first_step + steps,
            CaseEvent._meta.db_table: last_event + 1,
        }
    )
    quote = connection.ops.quote_name
    staged = [quote(f"{STAGING}{table}") for table, _sql, _aside in statements]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, (_table, _sql, put_aside) in zip(staged, statements, strict=True):
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(put_aside)
        run_parallel(ctx, jobs)
    finally:
        with connection.cursor() as cursor:
            for name in staged:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
    from suggestions.citizen import services

    # The per-area summary the services keep, counted again from the table in one
    # grouped scan (the dashboard's monthly summaries are recounted by their own
    # builder, after every other one).
    services.issue_counts_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, count(*) FROM {CitizenIssue._meta.db_table}"  # noqa: S608 - a model's table
            " WHERE id BETWEEN %s AND %s GROUP BY status",
            [first, first + ctx.problems - 1],
        )
        return dict(cursor.fetchall())


STAGING = "generate_city_template_"  # a table of the template's rows while they are copied
CLONE_ROWS = 1_500_000  # events copied per statement (a transaction of its own)


def _summary(ctx: SyntheticContext, counts: dict[tuple[int, str], int]) -> None:
    """The per-area counts by status that the services keep (``IssueCount``), if the
    model has them; nothing generated is flagged for supervision."""
    from suggestions.models import citizen

    summary = getattr(citizen, "IssueCount", None)
    if summary is None or not counts:
        return
    rows = Rows(summary, ["area_id", "status", "needs_supervision", "count"])
    for (area, status), count in sorted(counts.items()):
        rows.add(area, status, False, count)
    write(rows)
