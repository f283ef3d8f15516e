"""Synthetic representatives' work for ``generate_city``: duty shifts at the stations,
contacts with voters and the congresses' 履职 activities, over the same two years as
the citizens' problems, as the services would have written them (docs/benchmarks.md).

Without them the dashboard's 代表工作 panel and the activity ranking of a generated
province read empty tables, and their cost at scale went unmeasured. The shapes:

- every station sits on the 1st and the 15th of each month (its opening hours say
  so), one of its members on duty in turn: past sittings 已值班 (most), 请假 or 缺勤,
  the rest of this month and the next 待值班. Each shift has its 排班 event and, once
  past, the event of its outcome (``representatives.services``).
- each representative logs about one contact with voters a month (进站接待 at one of
  their stations, 走访, 电话, …), never after today.
- each county-level and city congress holds one activity a month (培训, 视察, 调研, …)
  with a few dozen of its representatives signed up; a past one is 已结束 with their
  attendance recorded, the next month's open for sign-up. Each has its 发布活动 event,
  a past one its 登记出勤 and 活动结束 events.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Iterator

from django.utils import timezone

from congress.areas import AREA_FIELDS, area_columns
from congress.dashboard import first_of_month, last_day, next_month
from congress.models import CaseEvent, Region
from congress.synthetic import Rows, SyntheticContext, write
from representatives.models import (
    Activity,
    ActivityKind,
    ActivityParticipation,
    ActivityStatus,
    Attendance,
    ContactKind,
    ContactLog,
    DutyShift,
    ShiftStatus,
)
from representatives.workflow import ACTIVITY_CASE, SHIFT_CASE

# The problems' span (the last two years of the term), in days.
SPAN_DAYS = 730
# Contacts a representative logs in a month, on average (the seeds' stations report
# 联系群众 about monthly per representative).
CONTACTS_A_MONTH = 1.0
# Of the past sittings: each outcome with the share up to and including it (90%
# served, 6% on leave, 4% absent).
OUTCOMES = (
    (ShiftStatus.SERVED, "serve", 0.90),
    (ShiftStatus.ON_LEAVE, "take_leave", 0.96),
    (ShiftStatus.ABSENT, "mark_absent", 1.0),
)
CONTACT_KINDS = [
    ContactKind.RECEPTION,
    ContactKind.RECEPTION,
    ContactKind.VISIT,
    ContactKind.VISIT,
    ContactKind.RETURN_VISIT,
    ContactKind.PHONE,
    ContactKind.WECHAT,
    ContactKind.MEETING,
]
TOPICS = ["道路维修", "垃圾分类", "停车难", "养老服务", "老旧小区改造", "农田水利", "学校周边交通"]
ACTIVITY_TITLES = {
    ActivityKind.TRAINING: "代表履职能力培训",
    ActivityKind.INSPECTION: "集中视察民生实事项目",
    ActivityKind.RESEARCH: "专题调研",
    ActivityKind.LAW_ENFORCEMENT: "执法检查",
    ActivityKind.ATTEND_MEETING: "列席常委会会议",
    ActivityKind.THEME: "“代表进站”主题活动",
}
# Of a past activity's sign-ups, as above: 85% present, 9% excused (请假), 6% absent.
ATTENDANCE = ((Attendance.PRESENT, 0.85), (Attendance.EXCUSED, 0.94), (Attendance.ABSENT, 1.0))
SITTING_DAYS = (1, 15)
MORNING = (datetime.time(9, 0), datetime.time(11, 30))


def _months(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    month = first_of_month(first)
    while month <= last:
        yield month
        month = next_month(month)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class _Tables:
    def __init__(self) -> None:
        self.shifts = Rows(
            DutyShift,
            ["id", "station_id", "representative_id", "date", "start_time", "end_time",
             "status", "published_at", "created_at", *AREA_FIELDS],
        )  # fmt: skip
        self.contacts = Rows(
            ContactLog,
            ["representative_id", "kind", "contacted_on", "station_id", "people_count",
             "summary", "idempotency_key", "created_at", "updated_at", *AREA_FIELDS],
        )  # fmt: skip
        self.activities = Rows(
            Activity,
            ["id", "title", "kind", "region_id", "starts_at", "half_days", "place", "capacity",
             "status", "created_at"],
        )  # fmt: skip
        self.participations = Rows(
            ActivityParticipation,
            ["activity_id", "representative_id", "attendance", "signed_up_at", *AREA_FIELDS],
        )
        self.events = Rows(
            CaseEvent,
            ["id", "case_type", "case_id", "at", "actor_label", "action", "from_status",
             "to_status", "data"],
        )  # fmt: skip

    def all(self) -> list[Rows]:
        return [self.shifts, self.contacts, self.activities, self.participations, self.events]

    def full(self) -> bool:
        return sum(len(rows) for rows in self.all()) >= 200_000


def _event(ctx: SyntheticContext, t: _Tables, *values: object) -> None:
    """A timeline event; its key from the generator's (the other builders take theirs
    there too, so a key from the sequence could be taken twice)."""
    t.events.add(ctx.ids.take(CaseEvent), *values)


def _holder_areas(ctx: SyntheticContext) -> Callable[[int], tuple[int | None, ...]]:
    """A representative's ``area_N``, which their records keep (``HolderAreaColumns``)."""
    regions: dict[int, int] = ctx.extra["rep_region"]

    @functools.cache
    def area(rep: int) -> tuple[int | None, ...]:
        return tuple(area_columns(ctx.regions[regions[rep]]).values())

    return area


def _shifts(ctx: SyntheticContext, t: _Tables, first: datetime.date, last: datetime.date) -> None:
    rng, today = ctx.rng, ctx.today
    members: dict[int, list[int]] = ctx.extra["station_members"]
    area = _holder_areas(ctx)
    for station, _region in ctx.extra["stations"]:
        people = members.get(station) or []
        if not people:
            continue
        turn = rng.randrange(len(people))
        for month in _months(first, last):
            for day in SITTING_DAYS:
                date = month.replace(day=day)
                if date < first:
                    continue
                rep = people[turn % len(people)]
                turn += 1
                pk = ctx.ids.take(DutyShift)
                # Published a week before the month; the coming month's, by now.
                scheduled = min(
                    _at(month - datetime.timedelta(days=7), datetime.time(8, 0)), ctx.now
                )
                status, action = ShiftStatus.SCHEDULED, ""
                if date < today:
                    draw = rng.random()
                    status, action = next((s, a) for s, a, share in OUTCOMES if draw < share)
                t.shifts.add(
                    pk, station, rep, date, *MORNING, status, scheduled, scheduled, *area(rep)
                )
                _event(ctx, t, SHIFT_CASE, pk, scheduled, "", "schedule", "", "", "{}")
                if action:
                    done = min(_at(date, MORNING[1]), ctx.now)
                    _event(
                        ctx,
                        t,
                        SHIFT_CASE,
                        pk,
                        done,
                        "",
                        action,
                        ShiftStatus.SCHEDULED,
                        status,
                        "{}",
                    )
        if t.full():
            write(*t.all())


def _contacts(ctx: SyntheticContext, t: _Tables, first: datetime.date) -> None:
    rng, today = ctx.rng, ctx.today
    days = (today - first).days + 1
    months = days / 30.4
    stations_of: dict[int, list[int]] = {}
    for station, people in ctx.extra["station_members"].items():
        for rep in people:
            stations_of.setdefault(rep, []).append(station)
    for rep, region in ctx.extra["rep_region"].items():
        area = area_columns(ctx.regions[region]).values()
        # About CONTACTS_A_MONTH a month: some log every week, some hardly ever.
        for _n in range(int(rng.uniform(0, 2 * CONTACTS_A_MONTH * months))):
            kind = rng.choice(CONTACT_KINDS)
            own = stations_of.get(rep)
            station = rng.choice(own) if own and kind == ContactKind.RECEPTION else None
            on = first + datetime.timedelta(days=rng.randrange(days))
            logged = min(_at(on, datetime.time(18, 0)), ctx.now)
            t.contacts.add(
                rep, kind, on, station, rng.randint(1, 30),
                f"听取群众关于{rng.choice(TOPICS)}的意见建议",
                uuid.UUID(int=rng.getrandbits(128), version=4), logged, logged, *area,
            )  # fmt: skip
        if t.full():
            write(*t.all())


def _activities(
    ctx: SyntheticContext, t: _Tables, first: datetime.date, last: datetime.date
) -> None:
    rng, now = ctx.rng, ctx.now
    organisers: list[Region] = [c.region for c in ctx.cities]
    organisers += [county for city in ctx.cities for county in city.counties]
    kinds = list(ActivityKind)
    area = _holder_areas(ctx)
    for region in organisers:
        seats = ctx.extra["seats"].get(region.pk) or []
        if not seats:
            continue
        for month in _months(first, last):
            starts = _at(month.replace(day=rng.randint(3, 26)), datetime.time(9, 0))
            if starts < _at(first, datetime.time(0, 0)):
                continue
            kind = rng.choice(kinds)
            past = starts < now
            pk = ctx.ids.take(Activity)
            published = min(starts - datetime.timedelta(days=14), now)
            t.activities.add(
                pk, f"{region.name}人大常委会{ACTIVITY_TITLES[kind]}", kind, region.pk, starts,
                rng.choice((1, 1, 2)), f"{region.name}人大常委会会议室", None,
                ActivityStatus.COMPLETED if past else ActivityStatus.OPEN, published,
            )  # fmt: skip
            _event(ctx, t, ACTIVITY_CASE, pk, published, "", "create", "", "", "{}")
            chosen = rng.sample(seats, min(len(seats), rng.randint(20, 40)))
            for rep in chosen:
                attendance = Attendance.PENDING
                if past:
                    draw = rng.random()
                    attendance = next(a for a, share in ATTENDANCE if draw < share)
                signed_up = min(published + datetime.timedelta(days=1), now)
                t.participations.add(pk, rep, attendance, signed_up, *area(rep))
            if past:
                done = min(starts + datetime.timedelta(hours=4), now)
                _event(
                    ctx,
                    t,
                    ACTIVITY_CASE,
                    pk,
                    done,
                    "",
                    "attendance",
                    "",
                    "",
                    f'{{"count": {len(chosen)}}}',
                )
                _event(
                    ctx, t, ACTIVITY_CASE, pk, done, "", "complete",
                    ActivityStatus.OPEN, ActivityStatus.COMPLETED, "{}",
                )  # fmt: skip


def build(ctx: SyntheticContext) -> None:
    first = ctx.today - datetime.timedelta(days=SPAN_DAYS)
    next_month_end = last_day(next_month(first_of_month(ctx.today)))
    stations = len(ctx.extra["stations"])
    people = len(ctx.extra["rep_region"])
    for model, coming in (
        (DutyShift, stations * 50),
        (ContactLog, int(people * CONTACTS_A_MONTH * 24)),
    ):
        ctx.deferred.defer(model, coming)
    t = _Tables()
    _shifts(ctx, t, first, next_month_end)
    _contacts(ctx, t, first)
    _activities(ctx, t, first, next_month_end)
    write(*t.all())
