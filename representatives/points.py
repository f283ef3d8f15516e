"""履职积分: points computed from records the system already has, never typed in.

The default rules (suggestion +3, inspection +3, station duty +5, half-day absence
−1 …; docs/architecture.md, 'Stations and points') live in ``DEFAULT_RULES``
(``representatives/point_rules.py``); migration 0002 stores them as rows that
administrators edit. A stored row wins over its default; a code with no row (a
database flushed by ``seed_demo --reset`` or a test) still counts by default.

Each *source* counts records per representative and rule code (one aggregated
query per source); the rules say what one record is worth: for each year of the
period, the rules of that year at the representative's region (a congress's own
value, else the congress above's, else the installation's; docs/rules.md, 'Point
rules'). Other apps add sources (suggestions filed, citizen issues handled) through
``representatives.registry.register_point_source``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.areas import area_q
from congress.models import Region
from congress.scoping import AnyUser, is_staff_or_admin, only_staff_region
from representatives import selectors
from representatives.models import (
    ActivityKind,
    ActivityParticipation,
    Attendance,
    ContactLog,
    DutyShift,
    PointRule,
    Representative,
    ShiftStatus,
    holder_area_q,
)

# DEFAULT_RULES and default_rules are read from here by services and tests.
from representatives.point_rules import DEFAULT_RULES as DEFAULT_RULES
from representatives.point_rules import default_rules as default_rules
from representatives.point_rules import live_book, spans
from representatives.registry import (
    Holders,
    PointRecord,
    PointSource,
    point_sources,
    register_point_source,
)


@dataclass
class PointLine:
    rule: PointRule
    count: int

    @property
    def points(self) -> int:
        return self.count * self.rule.points


@dataclass
class PointTotal:
    representative: Representative
    lines: list[PointLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)

    def count_of(self, code: str) -> int:
        return sum(line.count for line in self.lines if line.rule.code == code)


def active_rules() -> dict[str, PointRule]:
    """The installation's active rules now, by code (a congress may count other values
    for its representatives: ``point_rules.RuleBook.at``)."""
    return live_book().at(None)


def count_records(
    representatives: QuerySet[Representative],
    start: datetime.date,
    end: datetime.date,
    region: Region | None = None,
) -> dict[int, dict[str, int]]:
    """Each representative's records by rule code. ``region``, where every one of
    ``representatives`` is registered in it, lets a source whose records keep their
    holder's area (``area_tally``) read the region's records of the period on its
    area index instead of every region's semi-joined to the people."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source in point_sources:
        rows: Iterable[tuple[int, str, int]]
        in_area = source.area_tally_of(representatives, start, end) if region is not None else None
        if in_area is not None:
            assert region is not None
            rows = (
                (row["point_holder"], row["point_code"], row["point_count"])
                for row in in_area.filter(holder_area_q(region))
            )
        else:
            rows = source.count(representatives, start, end)
        for representative_id, code, number in rows:
            counts[representative_id][code] += number
    return counts


def _lines(counts: dict[str, int], rules: dict[str, PointRule]) -> list[PointLine]:
    return [
        PointLine(rules[code], number)
        for code, number in counts.items()
        if code in rules and number
    ]


def _merged(lines: list[PointLine]) -> list[PointLine]:
    """One line per rule and value: a period across a new year whose value did not
    change reads as one line, one that changed as one line per value."""
    by_value: dict[tuple[str, int], PointLine] = {}
    for line in lines:
        key = (line.rule.code, line.rule.points)
        if key in by_value:
            by_value[key].count += line.count
        else:
            by_value[key] = PointLine(line.rule, line.count)
    return sorted(by_value.values(), key=lambda line: (line.rule.sort_order, line.rule.code))


def _totals(
    representatives: QuerySet[Representative],
    people: Sequence[tuple[Representative, str]],
    start: datetime.date,
    end: datetime.date,
    region: Region | None = None,
) -> list[PointTotal]:
    """Each of ``people`` (a representative and their region path) with their points:
    each year of the period counted with that year's rules at their region. Per year,
    the rules (one or two queries) and one query per source, however many people."""
    lines: dict[int, list[PointLine]] = defaultdict(list)
    for span in spans(start, end):
        counts = count_records(representatives, span.start, span.end, region)
        for rep, path in people:
            lines[rep.pk].extend(_lines(counts.get(rep.pk, {}), span.book.at(path)))
    return [PointTotal(rep, _merged(lines[rep.pk])) for rep, _path in people]


def points_for(
    representative: Representative, start: datetime.date, end: datetime.date
) -> PointTotal:
    """One representative's points in a period, with the rules in force at their region
    in each year of it."""
    path = Region.objects.filter(pk=representative.region_id).values_list("path", flat=True)
    people = [(representative, path.first() or "")]
    return _totals(Representative.objects.filter(pk=representative.pk), people, start, end)[0]


# 活跃度排名 counts a period of at most this many calendar years (a term is five): each
# year is weighed with its own rules, one part of the ranking's statement per year.
MAX_RANKING_YEARS = 10


def check_ranking_period(start: datetime.date, end: datetime.date) -> None:
    """Refuse a ranking period that spans more than ``MAX_RANKING_YEARS`` years."""
    if abs(end.year - start.year) >= MAX_RANKING_YEARS:
        raise ValidationError(
            _("统计期间最长%(years)d年，请缩短起止日期。") % {"years": MAX_RANKING_YEARS}
        )


class RankingList:
    """活跃度排名 of ``people`` for a ``Paginator``: its length is a count of the people,
    and a slice is one statement that ranks them all in SQL
    (``representatives.dashboard.ranked_ids``), then the points of the slice's people
    only (their lines, for the columns). A page of a city costs a page, not the city
    read into Python. ``region``: all of ``people`` are registered in it
    (``count_records``)."""

    def __init__(
        self,
        people: QuerySet[Representative],
        start: datetime.date,
        end: datetime.date,
        region: Region | None = None,
    ) -> None:
        self.people, self.start, self.end, self.region = people, start, end, region
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.people.order_by().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[PointTotal]:
        from representatives.dashboard import ranked_ids

        offset = index.start or 0
        limit = (index.stop if index.stop is not None else self.count()) - offset
        ids = ranked_ids(self.people, self.region, self.start, self.end, offset, limit)
        chosen = Representative.objects.filter(pk__in=ids)
        people = [
            (rep, rep.point_path)
            for rep in chosen.select_related("region").annotate(point_path=F("region__path"))
        ]
        totals = _totals(chosen, people, self.start, self.end, self.region)
        place = {pk: n for n, pk in enumerate(ids)}
        return sorted(totals, key=lambda item: place[item.representative.pk])


def ranking_list(
    user: AnyUser,
    start: datetime.date,
    end: datetime.date,
    *,
    region: Region | None = None,
    level: str = "",
) -> RankingList:
    """活跃度排名 as the page and the API ask for it: the serving representatives (在任,
    the ``serving`` flag the seats' recount keeps) the user sees, in ``region`` (one the
    caller checked they see) or else in the staff's only region, holding a seat at
    ``level`` if given. With one region, the sources with area columns read its
    records only (``count_records``)."""
    people = selectors.visible_representatives(user).filter(serving=True)
    if region is None:
        region = only_staff_region(user)
    if region is not None:
        people = people.filter(area_q(region))
    if level:
        people = people.filter(selectors.has_active_mandate(level))
    return RankingList(people, start, end, region)


def records_for(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> list[PointRecord]:
    """The individual records behind a representative's points, newest first, each linked
    only where ``viewer`` may open it."""
    records: list[PointRecord] = []
    for source in point_sources:
        records.extend(source.records(representative, start, end, viewer))
    records.sort(key=lambda record: record.date, reverse=True)
    return records


# --- this app's own sources -----------------------------------------------------------


def openable(visible: QuerySet[Any], ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` the viewer's scoped queryset holds: one query for a whole list."""
    return set(visible.filter(pk__in=list(ids)).values_list("pk", flat=True))


def _of(records: QuerySet[Any], representatives: Holders | None) -> QuerySet[Any]:
    """The records of ``representatives``; of everyone for ``None``, which a source
    with ``holder_areas`` is given by a ranking that narrows it to a region's area
    columns and joins the serving people itself (representatives/dashboard.py)."""
    if representatives is None:
        return records
    return records.filter(representative__in=representatives)


def _contact_tally(
    representatives: Holders | None, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    return (
        _of(ContactLog.objects.filter(contacted_on__range=(start, end)), representatives)
        .order_by()
        .annotate(point_holder=F("representative_id"), point_code=Value("contact_log"))
        .values("point_holder", "point_code")
        # COUNT(*): the (date, representative) index answers alone, without the rows.
        .annotate(point_count=Count("*"))
    )


def _contact_records(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> Iterable[PointRecord]:
    logs = list(representative.contact_logs.filter(contacted_on__range=(start, end)))
    shown = openable(selectors.visible_contact_logs(viewer), (log.pk for log in logs))
    return [
        PointRecord(
            "contact_log",
            log.contacted_on,
            f"{log.get_kind_display()}：{log.summary[:40]}",
            reverse("contact_log_detail", args=[log.pk]) if log.pk in shown else "",
        )
        for log in logs
    ]


_SHIFT_CODES: dict[str, str] = {
    ShiftStatus.SERVED: "duty_served",
    ShiftStatus.ABSENT: "duty_absent",
}


def _duty_tally(
    representatives: Holders | None, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    code = Case(
        *(When(status=status, then=Value(rule)) for status, rule in _SHIFT_CODES.items()),
        output_field=CharField(),
    )
    return (
        _of(
            DutyShift.objects.filter(date__range=(start, end), status__in=list(_SHIFT_CODES)),
            representatives,
        )
        .order_by()
        .annotate(point_holder=F("representative_id"), point_code=code)
        .values("point_holder", "point_code")
        # COUNT(*): the (area_N, date, id, status, representative) index answers alone.
        .annotate(point_count=Count("*"))
    )


def _duty_records(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> Iterable[PointRecord]:
    shifts = list(
        representative.duty_shifts.filter(
            date__range=(start, end), status__in=list(_SHIFT_CODES)
        ).select_related("station")
    )
    # Staff open the station's duty schedule if it is in their scope; anyone else (the
    # representative reading their own points) its public page.
    managed = (
        openable(selectors.visible_stations(viewer), {s.station_id for s in shifts})
        if is_staff_or_admin(viewer)
        else set()
    )
    return [
        PointRecord(
            _SHIFT_CODES[shift.status],
            shift.date,
            f"{shift.station.name} {shift.get_status_display()}",
            reverse("station_duty", args=[shift.station_id])
            if shift.station_id in managed
            else shift.station.get_public_url()
            if shift.station.is_active
            else "",
        )
        for shift in shifts
    ]


def _activity_rows(
    representatives: Holders | None, start: datetime.date, end: datetime.date
) -> QuerySet[ActivityParticipation]:
    return _of(
        ActivityParticipation.objects.filter(
            activity__starts_at__date__range=(start, end),
            attendance__in=[Attendance.PRESENT, Attendance.ABSENT],
        ),
        representatives,
    )


def _activity_tally(
    representatives: Holders | None, start: datetime.date, end: datetime.date
) -> QuerySet[Any]:
    """Each activity attended counts once under its kind's rule; each absence counts its
    half-days under ``activity_absent_half_day``."""
    present = Q(attendance=Attendance.PRESENT)
    return (
        _activity_rows(representatives, start, end)
        .order_by()
        .annotate(
            point_holder=F("representative_id"),
            point_code=Case(
                When(present, then=Concat(Value("activity_"), F("activity__kind"))),
                default=Value("activity_absent_half_day"),
                output_field=CharField(),
            ),
        )
        .values("point_holder", "point_code")
        .annotate(
            point_count=Sum(
                Case(
                    When(present, then=Value(1)),
                    default=F("activity__half_days"),
                    output_field=IntegerField(),
                ),
            )
        )
    )


def _activity_records(
    representative: Representative, start: datetime.date, end: datetime.date, viewer: AnyUser
) -> Iterable[PointRecord]:
    rows = list(
        _activity_rows(
            Representative.objects.filter(pk=representative.pk), start, end
        ).select_related("activity")
    )
    shown = openable(selectors.visible_activities(viewer), {row.activity_id for row in rows})
    records = []
    for row in rows:
        activity = row.activity
        code = (
            f"activity_{activity.kind}"
            if row.attendance == Attendance.PRESENT
            else "activity_absent_half_day"
        )
        records.append(
            PointRecord(
                code,
                activity.starts_at.date(),
                f"{activity.title}（{row.get_attendance_display()}）",
                activity.get_absolute_url() if activity.pk in shown else "",
            )
        )
    return records


ACTIVITY_RULE_CODES = [f"activity_{kind}" for kind in ActivityKind.values]

register_point_source(
    PointSource.from_tally(
        "contacts", _("联系选民"), _contact_tally, _contact_records, area_tally=_contact_tally
    )
)
register_point_source(
    PointSource.from_tally(
        "duty", _("进站值班"), _duty_tally, _duty_records, area_tally=_duty_tally
    )
)
register_point_source(
    PointSource.from_tally(
        "activities",
        _("履职活动"),
        _activity_tally,
        _activity_records,
        area_tally=_activity_tally,
    )
)
