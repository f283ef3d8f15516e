"""Synthetic representatives' suggestions (代表建议) with their handling (``generate_city``).

Each suggestion is a story told in the services' order (``suggestions.formal.services``):
drafted by a representative of a congress (the lead, 领衔) with co-signers who
confirmed (附议), submitted at the session, reviewed by staff (立案 with its number, a
few 不予立案), handed to a department of the congress's own area (交办: a lead
department, 3 months, and sometimes a co-handler, 1 month), signed for (签收), answered
(答复 A/B/C/D with its ``SuggestionReply``) and rated by every signer
(``SuggestionRating``: 满意/基本满意); then 测评完成 and 办结 (A, D) or 跨年度跟踪 (B, C,
with a follow-up assignment). The story stops where the clock reaches now, so recent
sessions' suggestions are still being handled. Every transition writes the
``CaseEvent`` the service would (suggestion and assignment timelines), every
assignment its due date on the official calendar and the reminder queue from now on.
Written in bulk like the problems (``congress.synthetic.Rows``).
"""

from __future__ import annotations

import datetime
from typing import Any

from congress import loop
from congress.models import Assignment, CaseEvent, Department, Session
from congress.synthetic import Rows, SyntheticContext, write
from suggestions.formal import conf
from suggestions.formal.workflow import SUGGESTION_CASE
from suggestions.models.formal import (
    Suggestion,
    SuggestionCategory,
    SuggestionReply,
    SuggestionSigner,
)
from suggestions.models.formal import SuggestionRating as Rating

BATCH = 5_000
CATEGORIES = [c for c in SuggestionCategory.values if c != "other"]
DEPARTMENT_OF = {
    "economy": "发改委",
    "urban": "住建局",
    "transport": "交通局",
    "education": "教育局",
    "health": "卫健委",
    "social": "民政局",
    "environment": "生态环境局",
    "agriculture": "农业农村局",
    "culture": "政府办",
    "legal": "公安局",
}
TITLES = {
    "economy": "关于优化营商环境、支持中小企业发展的建议",
    "urban": "关于加快老旧小区改造和加装电梯的建议",
    "transport": "关于优化城乡公交线路、方便群众出行的建议",
    "education": "关于增加公办幼儿园学位的建议",
    "health": "关于加强基层医疗卫生服务能力的建议",
    "social": "关于完善农村养老服务体系的建议",
    "environment": "关于加强河道综合治理的建议",
    "agriculture": "关于加大高标准农田建设投入的建议",
    "culture": "关于加强乡村文化设施建设的建议",
    "legal": "关于加强校园周边交通秩序管理的建议",
}
REPLIES = {
    "A": "经研究，该建议所提问题已解决，具体情况如下。",
    "B": "该建议已列入年度工作计划，正在组织实施。",
    "C": "受条件限制，该建议所提问题需待以后逐步解决。",
    "D": "感谢代表的建议，我们将在今后工作中参考。",
}
DAY = datetime.timedelta(days=1)


class _Tables:
    def __init__(self) -> None:
        self.suggestions = Rows(
            Suggestion,
            ["id", "kind", "number", "title", "content", "category", "session_id", "congress_id",
             "lead_id", "region_id", "status", "version", "submitted_at", "accepted_at",
             "assign_by", "assigned_at", "lead_assignment_id", "reply_category",
             "first_replied_at", "replied_on_time", "attitude_rating", "result_rating",
             "closed_at", "created_by_id", "created_at", "updated_at",
             *(f"area_{n}" for n in range(4)), *(f"origin_area_{n}" for n in range(4))],
        )  # fmt: skip
        self.signers = Rows(
            SuggestionSigner,
            ["suggestion_id", "representative_id", "role", "status", "version", "invited_at",
             "responded_at"],
        )  # fmt: skip
        self.steps = Rows(
            Assignment,
            ["id", "case_type", "case_id", "title", "region_id", "department_id", "role",
             "status", "version", "assigned_at", "due_on", "original_due_on", "latest_due_on",
             "due_basis", "closed_at", "replied_at", "next_reminder_at", "reminded_until",
             *(f"area_{n}" for n in range(4))],
        )  # fmt: skip
        self.events = Rows(
            CaseEvent,
            ["id", "case_type", "case_id", "assignment_id", "at", "actor_id", "actor_label",
             "action", "from_status", "to_status", "note", "public_note", "data"],
        )  # fmt: skip
        self.replies = Rows(
            SuggestionReply,
            ["id", "suggestion_id", "assignment_id", "department_id", "event_id", "round",
             "is_follow_up", "category", "text", "signing_official", "on_time", "replied_at",
             "replied_by_id"],
        )  # fmt: skip
        self.ratings = Rows(
            Rating,
            ["reply_id", "representative_id", "attitude", "result", "comment", "channel",
             "rated_at", "recorded_by_id"],
        )  # fmt: skip

    def all(self) -> list[Rows]:
        # Assignments before the suggestions that point at them, events before replies.
        return [self.steps, self.events, self.suggestions, self.signers, self.replies, self.ratings]


class _Builder:
    def __init__(self, ctx: SyntheticContext) -> None:
        self.ctx, self.rng, self.now = ctx, ctx.rng, ctx.now
        self.t = _Tables()
        self.policy = loop.policy_for(SUGGESTION_CASE)
        self.reminders: dict[datetime.date, datetime.datetime | None] = {}
        self.numbers: dict[int, int] = {}
        self.rep_user: dict[int, int | None] = ctx.extra["rep_user"]
        self.rep_name: dict[int, str] = ctx.extra["rep_name"]
        # Congresses whose area has departments (a city's, a county's; a town's own office).
        self.places = [
            pk for pk in ctx.congresses if ctx.departments.get(pk) and ctx.extra["seats"].get(pk)
        ]
        self.sessions: dict[int, list[Session]] = {
            pk: [s for s in ctx.sessions[pk] if s.opens_on <= ctx.today] for pk in self.places
        }
        self.places = [pk for pk in self.places if self.sessions[pk]]
        self.departments = {d.pk: d for ds in ctx.departments.values() for d in ds}
        self.extra_steps: list[list[Any]] = []  # follow-ups (跨年度跟踪) of this suggestion

    def event(
        self,
        case: int,
        at: datetime.datetime,
        action: str,
        actor: tuple[int | None, str],
        before: str,
        after: str,
        *,
        step: int | None = None,
        note: str = "",
        data: str = "{}",
    ) -> int:
        pk = self.ctx.ids.take(CaseEvent)
        self.t.events.add(
            pk, SUGGESTION_CASE, case, step, at, actor[0], actor[1], action, before, after,
            note, "", data,
        )  # fmt: skip
        return pk

    def reminder(self, due_on: datetime.date) -> datetime.datetime | None:
        if due_on not in self.reminders:
            preview = Assignment(status="assigned", due_on=due_on, case_type=SUGGESTION_CASE)
            self.reminders[due_on] = loop.next_reminder_time(preview, self.policy, self.now)
        return self.reminders[due_on]

    def suggestion(self, pk: int) -> None:
        ctx, rng = self.ctx, self.rng
        place = rng.choice(self.places)
        session = rng.choice(self.sessions[place])
        congress = ctx.congresses[place]
        seats = ctx.extra["seats"][place]
        lead = rng.choice(seats)
        cosigners = [r for r in rng.sample(seats, min(len(seats), rng.randint(0, 4))) if r != lead]
        category = rng.choice(CATEGORIES)
        title = TITLES[category]
        rep_actor = (self.rep_user.get(lead), self.rep_name[lead])
        staff = ctx.staff[ctx.staff_region_id(place)][0]
        staff_actor = (staff.pk, staff.display_name)
        opens = datetime.datetime.combine(session.opens_on, datetime.time(1), tzinfo=datetime.UTC)
        created = opens - datetime.timedelta(days=rng.uniform(5, 30))
        f: dict[str, Any] = {
            "status": "draft", "version": 0, "number": None, "submitted": None,
            "accepted": None, "assign_by": None, "assigned": None, "lead_step": None,
            "category": "", "first": None, "on_time": None, "attitude": "", "result": "",
            "closed": None, "updated": created,
        }  # fmt: skip

        def move(at: datetime.datetime, action: str, to: str, actor: Any, **kw: Any) -> None:
            self.event(pk, at, action, actor, f["status"], to, **kw)
            f["status"], f["version"], f["updated"] = to, f["version"] + 1, at

        self.event(pk, created, "create", rep_actor, "", "draft")
        for rep in cosigners:
            self.t.signers.add(pk, rep, "co_signer", "confirmed", 1, created, created)
        self.t.signers.add(pk, lead, "lead", "confirmed", 0, created, created)
        steps: list[list[Any]] = []
        at = opens + datetime.timedelta(days=rng.uniform(0, 3))
        if at <= self.now:
            move(at, "submit", "submitted", rep_actor)
            f["submitted"] = at
            at += datetime.timedelta(days=rng.uniform(3, 10))
        if at <= self.now and f["status"] == "submitted":
            if rng.random() < 0.04:
                move(at, "refuse", "declined", staff_actor, note="不属于代表建议的范围。")
            else:
                self.numbers[session.pk] = number = self.numbers.get(session.pk, 0) + 1
                start = max(session.closes_on, self.local(at))
                f.update(number=number, accepted=at, assign_by=ctx.due(start, 7, "workdays"))
                move(at, "register", "registered", staff_actor)
                at += datetime.timedelta(days=rng.uniform(1, 8))
        if at <= self.now and f["status"] == "registered":
            department = self.department(place, category)
            move(at, "assign", "handling", staff_actor,
                 data=f'{{"lead": "{department.name}", "co_handlers": []}}')  # fmt: skip
            f["assigned"] = at
            lead_step = self.step(pk, place, title, department, "lead", at, 3, staff_actor)
            steps.append(lead_step)
            f["lead_step"] = lead_step[0]
            self.handle(pk, lead_step, at, f, move, seats=[lead, *cosigners], lead=lead)
        for step in steps:
            self.write_step(step)
        self.t.suggestions.add(
            pk, "suggestion", f["number"], title, f"{title}。建议有关部门加以研究。",
            category, session.pk, congress.pk, lead, ctx.extra["rep_region"][lead], f["status"],
            f["version"], f["submitted"], f["accepted"], f["assign_by"], f["assigned"],
            f["lead_step"], f["category"], f["first"], f["on_time"], f["attitude"], f["result"],
            f["closed"], self.rep_user.get(lead), created, f["updated"],
            *self.areas(congress.region_id), *self.areas(ctx.extra["rep_region"][lead]),
        )  # fmt: skip

    def areas(self, region: int) -> list[int | None]:
        """The ``area_N`` of a suggestion in ``region`` (``congress.areas.area_columns``)."""
        ancestry = self.ctx.regions[region].ancestor_ids()
        return [ancestry[n] if n < len(ancestry) else None for n in range(4)]

    def handle(
        self,
        pk: int,
        step: list[Any],
        at: datetime.datetime,
        f: dict[str, Any],
        move: Any,
        *,
        seats: list[int],
        lead: int,
    ) -> None:
        rng, ctx = self.rng, self.ctx
        clerk = ctx.clerks[step[3]]
        clerk_actor = (clerk.pk, clerk.display_name)
        at += datetime.timedelta(days=rng.uniform(0.2, 5))
        if at > self.now:
            return
        self.step_move(pk, step, at, "accept", "accepted", clerk_actor)
        at += datetime.timedelta(days=rng.uniform(20, 100))
        if at > self.now:
            return
        category = rng.choices("ABCD", weights=(55, 30, 10, 5))[0]
        text = REPLIES[category]
        on_time = self.local(at) <= step[5]
        move(at, "reply", "replied", clerk_actor, data=f'{{"category": "{category}"}}')
        f.update(category=category, first=at, on_time=on_time)
        event = self.step_move(
            pk, step, at, "reply", "replied", clerk_actor, note=text,
            data=f'{{"category": "{category}", "signing_official": "{clerk.display_name}"}}',
        )  # fmt: skip
        reply = ctx.ids.take(SuggestionReply)
        self.t.replies.add(
            reply, pk, step[0], step[3], event, 1, False, category, text, clerk.display_name,
            on_time, at, clerk.pk,
        )  # fmt: skip
        ratings: dict[int, tuple[str, str]] = {}
        actor: tuple[int | None, str] = clerk_actor
        for rep in seats:
            at += datetime.timedelta(days=rng.uniform(0.5, 6))
            if at > self.now:
                return
            attitude = "satisfied" if rng.random() < 0.85 else "basically"
            result = "satisfied" if rng.random() < 0.7 else "basically"
            actor = (self.rep_user.get(rep), self.rep_name[rep])
            self.t.ratings.add(reply, rep, attitude, result, "", "online", at, actor[0])
            self.event(
                pk, at, "rate", actor, "", "",
                data=f'{{"representative": "{self.rep_name[rep]}", "attitude": "{attitude}", '
                f'"result": "{result}", "channel": "online"}}',
            )  # fmt: skip
            ratings[rep] = (attitude, result)
        attitude, result = ratings[lead]
        move(at, "complete_rating", "rated", actor)
        f.update(attitude=attitude, result=result)
        self.step_move(pk, step, at, "close", "closed", actor)
        if category in ("B", "C"):
            follow = self.step(
                pk, step[11], f"跨年度跟踪：{step[2]}", self.departments[step[3]], "lead",
                at, conf.carry_over_deadline().amount, actor,
            )  # fmt: skip
            self.extra_steps.append(follow)
            move(at, "carry_over", "carried_over", actor)
            f["lead_step"] = follow[0]
        else:
            move(at, "close", "closed", actor)
            f["closed"] = at

    def local(self, at: datetime.datetime) -> datetime.date:
        return (at + datetime.timedelta(hours=8)).date()

    def department(self, place: int, category: str) -> Department:
        own = self.ctx.departments[place]
        wanted = DEPARTMENT_OF.get(category, "")
        return next((d for d in own if d.short_name == wanted), own[0])

    def step(
        self,
        case: int,
        place: int,
        title: str,
        department: Department,
        role: str,
        at: datetime.datetime,
        months: int,
        actor: tuple[int | None, str],
    ) -> list[Any]:
        start = self.local(at)
        due = self.ctx.due(start, months, "months")
        latest = self.ctx.due(start, conf.longest_deadline().amount, "months")
        pk = self.ctx.ids.take(Assignment)
        basis = f'{{"from": "{start}", "amount": {months}, "unit": "months", "shift": 0}}'
        # [pk, case, title, department, role, due, latest, basis, assigned, status, version,
        #  place, replied, closed]
        step = [pk, case, title, department.pk, role, due, latest, basis, at, "assigned", 0,
                place, None, None]  # fmt: skip
        self.event(
            case, at, "assign", actor, "", "assigned", step=pk,
            data=f'{{"assignee": "{department.name}", "due_on": "{due}", "role": "{role}"}}',
        )  # fmt: skip
        return step

    def step_move(
        self,
        case: int,
        step: list[Any],
        at: datetime.datetime,
        action: str,
        to: str,
        actor: tuple[int | None, str],
        *,
        note: str = "",
        data: str = "{}",
    ) -> int:
        event = self.event(case, at, action, actor, step[9], to, step=step[0], note=note, data=data)
        step[9], step[10] = to, step[10] + 1
        if to == "replied":
            step[12] = at
        if to == "closed":
            step[13] = at
        return event

    def write_step(self, step: list[Any]) -> None:
        pk, case, title, department, role, due, latest, basis, at, status, version = step[:11]
        place, replied, closed = step[11:]
        open_ = status in ("assigned", "accepted")
        areas = self.ctx.regions[place].ancestor_ids()
        self.t.steps.add(
            pk, SUGGESTION_CASE, case, title, place, department, role, status, version, at,
            due, due, latest, basis, closed, replied, self.reminder(due) if open_ else None,
            self.now if open_ else closed or replied,
            *(areas[n] if n < len(areas) else None for n in range(4)),
        )  # fmt: skip


def build(ctx: SyntheticContext) -> None:
    if not ctx.suggestions:
        return
    builder = _Builder(ctx)
    if not builder.places:
        return
    first = ctx.ids.take(Suggestion, ctx.suggestions)
    for start in range(0, ctx.suggestions, BATCH):
        for pk in range(first + start, first + min(ctx.suggestions, start + BATCH)):
            builder.extra_steps = []
            builder.suggestion(pk)
            for step in builder.extra_steps:
                builder.write_step(step)
        write(*builder.t.all())
    ctx.extra["suggestion_ids"] = (first, first + ctx.suggestions - 1)
