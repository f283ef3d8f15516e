"""Every write of the representatives app: ``<entity>_<action>(*, ..., by=user)``.

Status changes go through ``congress.workflow.apply_transition`` with the tables in
``representatives.workflow``; refusals raise ``congress.errors.RuleViolation`` (a
domain error the views and the API turn into a message) and change nothing.

Whatever creates a record or changes its place (region, station, representative,
grid, congress) checks here that the acting user may act in the old and the new
place (``congress.scoping.require_in_jurisdiction``, a 404 otherwise), so the
pages, the API and the import cannot differ on it.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import history
from congress.audit import audit_record
from congress.errors import RuleViolation
from congress.files import attach_to_event
from congress.models import AuditAction, CaseEvent, CongressLevel, Region, RegionLevel, Term, User
from congress.notifications import notify
from congress.scoping import in_jurisdiction, require_in_jurisdiction, require_within_reach
from congress.uploads import CleanUpload
from congress.workflow import apply_transition, record_event
from representatives import conf
from representatives.models import (
    Activity,
    ActivityParticipation,
    ActivityStatus,
    Attendance,
    Constituency,
    ContactLog,
    ContactProblem,
    Delegation,
    DutyPattern,
    DutyReminder,
    DutyShift,
    GridAssignment,
    Mandate,
    MandateStatus,
    PointRule,
    Representative,
    RepresentativeGroup,
    RetiredToken,
    ShiftStatus,
    Station,
    StationMember,
    VoterDelegate,
    VoterEvaluation,
    new_public_token,
)
from representatives.record_areas import records_follow_representatives
from representatives.seat_counts import seat_counts_refresh
from representatives.spreadsheet import (
    COLUMNS,
    ImportResult,
    RowError,
    SheetRow,
    validate_sheet,
)
from representatives.workflow import (
    ACTIVITY_CASE,
    ACTIVITY_TRANSITIONS,
    MANDATE_CASE,
    MANDATE_TRANSITIONS,
    SHIFT_CASE,
    SHIFT_TRANSITIONS,
)

REPRESENTATIVE_CASE = "representatives.representative"
# A contact log's timeline: its photos, and the 待核实 flag of a log synced after the
# representative's mandate ended (docs/offline.md).
CONTACT_LOG_CASE = "representatives.contactlog"
CONTACT_LOG_FLAG = "flag_unverified"
CONTACT_LOG_VERIFIED = "verify"
CONTACT_LOG_MAX_PHOTOS = 6


def _full_clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise RuleViolation("；".join(exc.messages)) from None


def _stored_region(instance: Model, field: str = "region") -> Region | None:
    """The place as stored, not as the instance now says: a page's ModelForm sets the
    new values on its instance while it validates, before the service runs."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).values(field)
    return Region.objects.filter(pk__in=stored).first()


def _region_of(instance: Model, field: str = "region") -> Region | None:
    """The instance's new place, or None when none is given (full_clean then says so)."""
    return getattr(instance, field) if getattr(instance, f"{field}_id") else None


# --- the registry ------------------------------------------------------------------------


@history.recorded_by
def representative_create(*, by: User | None, **fields: Any) -> Representative:
    representative = Representative(**fields)
    require_in_jurisdiction(by, _region_of(representative))
    if representative.id_number:
        representative.id_number = representative.id_number.strip().upper()
    _full_clean(representative, exclude=["public_token"])
    representative.save()
    record_event(case_type=REPRESENTATIVE_CASE, case_id=representative.pk, action="create", by=by)
    return representative


@history.recorded_by
def representative_update(
    *, representative: Representative, by: User | None, **fields: Any
) -> Representative:
    for name, value in fields.items():
        setattr(representative, name, value)
    stored = _stored_region(representative)
    require_in_jurisdiction(by, stored, _region_of(representative))
    if representative.id_number:
        representative.id_number = representative.id_number.strip().upper()
    _full_clean(representative, exclude=["public_token", "user"])
    with transaction.atomic():
        representative.save()
        if stored is not None and stored.pk != representative.region_id:
            # Moved: the dashboard's seats summary of both places (representatives/seat_counts.py),
            # and their contacts and shifts take the new area (representatives/record_areas.py).
            seat_counts_refresh([stored, representative.region])
            records_follow_representatives(Representative.objects.filter(pk=representative.pk))
    record_event(
        case_type=REPRESENTATIVE_CASE,
        case_id=representative.pk,
        action="update",
        by=by,
        data={"fields": sorted(fields)},
    )
    return representative


@history.recorded_by
def representative_create_login(
    *, representative: Representative, username: str, by: User | None
) -> tuple[User, str]:
    """Give a representative a login; returns the user and a one-time initial password."""
    if representative.user_id:
        raise RuleViolation(_("该代表已有登录账号。"))
    if User.objects.filter(username=username).exists():
        raise RuleViolation(_("用户名已被占用。"))
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            display_name=representative.name,
            mobile=representative.mobile,
            must_change_password=True,  # staff hand it over: changed at first sign-in
        )
        representative.user = user
        representative.save(update_fields=["user", "updated_at"])
        record_event(
            case_type=REPRESENTATIVE_CASE,
            case_id=representative.pk,
            action="create_login",
            by=by,
            data={"username": username},
        )
    return user, password


def _retire(token: str) -> str:
    RetiredToken.objects.create(token=token)
    return new_public_token()


@history.recorded_by
def representative_rotate_token(
    *, representative: Representative, by: User | None
) -> Representative:
    """A lost or leaked card: the old QR code stops working and shows a "replaced" page."""
    with transaction.atomic():
        representative.public_token = _retire(representative.public_token)
        representative.save(update_fields=["public_token", "updated_at"])
        record_event(
            case_type=REPRESENTATIVE_CASE, case_id=representative.pk, action="rotate_token", by=by
        )
    return representative


def _check_mandate(mandate: Mandate, by: User | None) -> None:
    # The seat's representative is the staff's own; its congress may be above them
    # (a district's representative also sits in the city congress).
    require_in_jurisdiction(by, mandate.representative.region)
    require_within_reach(
        by,
        mandate.term.congress.region if mandate.term else None,
        mandate.electoral_unit.region if mandate.electoral_unit else None,
        mandate.group.region if mandate.group else None,
    )
    term = mandate.term
    if term is not None and term.congress.level != mandate.level:
        raise RuleViolation(_("所选届次的人大与代表层级不一致。"))
    if term is None and mandate.level != CongressLevel.NATIONAL:
        raise RuleViolation(_("除全国人大代表外，须选择所属人大的届次。"))
    if mandate.constituency is not None and (
        term is None or mandate.constituency.congress_id != term.congress_id
    ):
        raise RuleViolation(_("选区不属于该届人大。"))
    if mandate.delegation is not None and (
        term is None or mandate.delegation.congress_id != term.congress_id
    ):
        raise RuleViolation(_("代表团不属于该届人大。"))


@history.recorded_by
def mandate_add(
    *,
    representative: Representative,
    level: str,
    term: Term | None,
    starts_on: datetime.date,
    by: User | None,
    constituency: Constituency | None = None,
    electoral_unit: Any = None,
    delegation: Delegation | None = None,
    group: RepresentativeGroup | None = None,
) -> Mandate:
    mandate = Mandate(
        representative=representative,
        level=level,
        term=term,
        starts_on=starts_on,
        constituency=constituency,
        electoral_unit=electoral_unit,
        delegation=delegation,
        group=group,
    )
    _check_mandate(mandate, by)
    if representative.mandates.filter(level=level, status=MandateStatus.ACTIVE).exists():
        raise RuleViolation(_("该代表在这一层级已有在任职务。"))
    try:
        with transaction.atomic():
            mandate.save()
            seat_counts_refresh([representative.region])
    except IntegrityError:
        # Another request added the same seat first (the constraint is the referee).
        raise RuleViolation(_("该代表在这一层级或这一届已有职务。")) from None
    record_event(case_type=MANDATE_CASE, case_id=mandate.pk, action="add", by=by)
    return mandate


@history.recorded_by
def mandate_end(
    *,
    mandate: Mandate,
    ends_on: datetime.date,
    reason: str,
    by: User | None,
    terminate: bool = False,
) -> Mandate:
    """Term over (届满) or mandate terminated (代表资格终止, 代表法 第49条)."""
    if terminate and not reason.strip():
        raise RuleViolation(_("终止代表资格须写明原因。"))
    if ends_on < mandate.starts_on:
        raise RuleViolation(_("结束日期不能早于开始日期。"))
    with transaction.atomic():
        apply_transition(
            instance=mandate,
            transitions=MANDATE_TRANSITIONS,
            action="terminate" if terminate else "end",
            by=by,
            case_type=MANDATE_CASE,
            note=reason,
            updates={"ends_on": ends_on, "end_reason": reason[:200]},
        )
        seat_counts_refresh([mandate.representative.region])
    return mandate


@history.recorded_by
def representatives_import(*, file: Any, by: User) -> ImportResult:
    """Import the staff's Excel sheet: every row is checked first, and if any row is
    wrong nothing is written (a file is never half imported)."""
    rows, result = validate_sheet(file, by=by)
    if not result.ok:
        return result
    with transaction.atomic():
        existing = {
            rep.id_number: rep
            for rep in Representative.objects.select_related("region").filter(
                id_number__in={str(row.values["id_number"]) for row in rows}
            )
        }
        _refuse_others(rows, existing, by, result)
        if not result.ok:
            return result
        # The dashboard's seats summary: the areas the rows' people were in and are in.
        touched = [rep.region for rep in existing.values()]
        for row in rows:
            _import_row(row, existing, result)
        seat_counts_refresh([*touched, *(rep.region for rep in existing.values())])
        # Those who moved take their contacts and shifts along (no change for the rest).
        records_follow_representatives(
            Representative.objects.filter(pk__in=[rep.pk for rep in existing.values()])
        )
        audit_record(
            action=AuditAction.ADMIN_ADD,
            actor=by,
            detail={
                "import_rows": result.rows,
                "created": result.created,
                "updated": result.updated,
            },
        )
    return result


def _refuse_others(
    rows: list[SheetRow],
    existing: dict[str | None, Representative],
    by: User,
    result: ImportResult,
) -> None:
    """A row may update only a representative of the importer's jurisdiction: a sheet
    must not move someone else's representative into it (one error per such row)."""
    for row in rows:
        found = existing.get(str(row.values["id_number"]))
        if found is not None and not in_jurisdiction(by, found.region):
            result.errors.append(
                RowError(
                    row.number, _(dict(COLUMNS)["id_number"]), _("该身份证号已登记为另一位代表。")
                )
            )


_PERSON_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "party",
    "sector",
    "occupation",
    "workplace",
    "mobile",
]


def _import_row(
    row: SheetRow, existing: dict[str | None, Representative], result: ImportResult
) -> None:
    values = row.values
    person: dict[str, Any] = {
        name: values[name] for name in _PERSON_FIELDS if values.get(name) not in (None, "")
    }
    if "birth_year" in person:
        person["birth_year"] = int(str(person["birth_year"]))
    id_number = str(values["id_number"])
    representative = existing.get(id_number)
    if representative is None:
        assert row.region is not None  # validate_sheet resolved it, or the row had an error
        representative = Representative.objects.create(
            id_number=id_number, region=row.region, **person
        )
        existing[id_number] = representative
        result.created += 1
    else:
        for name, value in person.items():
            setattr(representative, name, value)
        if row.region is not None:
            representative.region = row.region
        representative.save()
        result.updated += 1
    term = row.congress.current_term() if row.congress else None
    starts_on = values.get("starts_on") or (term.starts_on if term else timezone.localdate())
    seat = {
        "term": term,
        "constituency": row.constituency,
        "electoral_unit": row.electoral_unit,
        "delegation": row.delegation,
        "group": row.group,
    }
    mandate = Mandate.objects.filter(
        representative=representative, level=row.level, status=MandateStatus.ACTIVE
    ).first()  # at most one: mandate_one_active_per_level
    if mandate is None:
        Mandate.objects.create(
            representative=representative, level=row.level, starts_on=starts_on, **seat
        )
        result.mandates_created += 1
        return
    # Saved, not .update(): the seat's edit history keeps the sheet's change and its
    # author (docs/security.md, 'Edit history and API credentials').
    changed = [
        name
        for name, value in seat.items()
        if getattr(mandate, f"{name}_id") != (value.pk if value is not None else None)
    ]
    if changed:
        for name in changed:
            setattr(mandate, name, seat[name])
        mandate.save(update_fields=changed)


@history.recorded_by
def voter_delegate_save(*, delegate: VoterDelegate, by: User | None) -> VoterDelegate:
    """Record or correct a subdistrict voter delegate (街道议政代表)."""
    creating = delegate.pk is None
    region = _region_of(delegate)
    require_in_jurisdiction(by, _stored_region(delegate), region)
    if region is not None and region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise RuleViolation(_("议政代表须登记在乡镇（街道）或村（社区）。"))
    _full_clean(delegate)
    delegate.save()
    audit_record(
        action=AuditAction.ADMIN_ADD if creating else AuditAction.ADMIN_CHANGE,
        actor=by,
        obj=delegate,
    )
    return delegate


# --- stations ------------------------------------------------------------------------------


GRID_LEVELS = (RegionLevel.GRID, RegionLevel.MICROGRID)


def _check_place(station: Station, by: User | None, old: Region | None = None) -> None:
    region = _region_of(station)
    require_in_jurisdiction(by, old, region)
    if region is not None and region.level in GRID_LEVELS:
        # A grid is what a station covers, not where it stands.
        raise RuleViolation(_("站点须设在村（社区）或以上的行政区划；网格请选为覆盖范围。"))


def _check_grids(grids: Iterable[Region], by: User | None) -> list[Region]:
    grids = list(grids)
    require_in_jurisdiction(by, *grids)
    for grid in grids:
        if grid.level not in (RegionLevel.VILLAGE, *GRID_LEVELS):
            raise RuleViolation(_("覆盖范围只能选村（社区）、网格或微网格。"))
    return grids


@history.recorded_by
def station_create(*, by: User | None, grids: Iterable[Region] = (), **fields: Any) -> Station:
    station = Station(**fields)
    _check_place(station, by)
    grids = _check_grids(grids, by)
    _full_clean(station, exclude=["public_token"])
    with transaction.atomic():
        station.save()
        station.grids.set(grids)
    audit_record(action=AuditAction.ADMIN_ADD, actor=by, obj=station)
    return station


@history.recorded_by
def station_update(
    *, station: Station, by: User | None, grids: Iterable[Region] | None = None, **fields: Any
) -> Station:
    for name, value in fields.items():
        setattr(station, name, value)
    _check_place(station, by, old=_stored_region(station))
    if grids is not None:
        grids = _check_grids(grids, by)
    _full_clean(station, exclude=["public_token"])
    with transaction.atomic():
        station.save()
        if grids is not None:
            station.grids.set(grids)
    audit_record(action=AuditAction.ADMIN_CHANGE, actor=by, obj=station)
    return station


@history.recorded_by
def station_rotate_token(*, station: Station, by: User | None) -> Station:
    """Reprint the poster: the old QR code now opens a "this code was replaced" page."""
    with transaction.atomic():
        station.public_token = _retire(station.public_token)
        station.save(update_fields=["public_token"])
    audit_record(
        action=AuditAction.ADMIN_CHANGE, actor=by, obj=station, detail={"rotated": "public_token"}
    )
    return station


def station_member_add(
    *, station: Station, representative: Representative, by: User | None, role: str = "member"
) -> StationMember:
    require_in_jurisdiction(by, station.region, representative.region)
    if not representative.mandates.filter(status=MandateStatus.ACTIVE).exists():
        raise RuleViolation(_("只有在任代表才能进站。"))
    existing = station.members.filter(representative=representative, is_active=True).first()
    if existing is not None:
        return existing
    member = StationMember.objects.create(
        station=station, representative=representative, role=role, joined_on=timezone.localdate()
    )
    audit_record(action=AuditAction.ADMIN_ADD, actor=by, obj=member)
    return member


def station_member_remove(*, member: StationMember, by: User | None) -> StationMember:
    """Leaving a station also cancels their future shifts there (nobody stands the public up)."""
    require_in_jurisdiction(by, member.station.region)
    today = timezone.localdate()
    with transaction.atomic():
        StationMember.objects.filter(pk=member.pk).update(is_active=False, left_on=today)
        future = DutyShift.objects.filter(
            station=member.station_id,
            representative=member.representative_id,
            date__gte=today,
            status=ShiftStatus.SCHEDULED,
        )
        for shift in future:
            apply_transition(
                instance=shift,
                transitions=SHIFT_TRANSITIONS,
                action="cancel",
                by=by,
                case_type=SHIFT_CASE,
                note=_("代表离站"),
            )
    audit_record(action=AuditAction.ADMIN_DELETE, actor=by, obj=member)
    member.refresh_from_db()
    return member


def _is_stationed(station: Station, representative: Representative) -> bool:
    return station.members.filter(representative=representative, is_active=True).exists()


# --- duty ---------------------------------------------------------------------------------


def duty_shift_create(
    *,
    station: Station,
    representative: Representative,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    by: User | None,
    pattern: DutyPattern | None = None,
    publish: bool = False,
    swapped_from: DutyShift | None = None,
) -> DutyShift:
    require_in_jurisdiction(by, station.region)
    if not _is_stationed(station, representative):
        raise RuleViolation(
            _("%(name)s 未进驻%(station)s，不能安排值班。")
            % {"name": representative.name, "station": station.name}
        )
    if end_time <= start_time:
        raise RuleViolation(_("结束时间须晚于开始时间。"))
    if date < timezone.localdate():
        raise RuleViolation(_("不能为过去的日期排班。"))
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                station=station,
                representative=representative,
                date=date,
                start_time=start_time,
                end_time=end_time,
                pattern=pattern,
                swapped_from=swapped_from,
                published_at=timezone.now() if publish else None,
            )
    except IntegrityError:
        raise RuleViolation(_("该代表在这一时段已有班次。")) from None
    record_event(case_type=SHIFT_CASE, case_id=shift.pk, action="schedule", by=by)
    return shift


def duty_pattern_create(
    *, station: Station, rotation: Iterable[Representative], by: User | None, **fields: Any
) -> DutyPattern:
    require_in_jurisdiction(by, station.region)
    rotation = list(rotation)
    if not rotation:
        raise RuleViolation(_("请至少选择一名轮值代表。"))
    for representative in rotation:
        if not _is_stationed(station, representative):
            raise RuleViolation(
                _("%(name)s 未进驻本站点，不能排班。") % {"name": representative.name}
            )
    pattern = DutyPattern(station=station, **fields)
    _full_clean(pattern)
    with transaction.atomic():
        pattern.save()
        pattern.rotation.set(rotation)
    audit_record(action=AuditAction.ADMIN_ADD, actor=by, obj=pattern)
    return pattern


def duty_pattern_generate(
    *, pattern: DutyPattern, until: datetime.date, by: User | None, publish: bool = False
) -> int:
    """Create the shifts of a pattern up to ``until``; running it twice adds nothing.

    Representatives take the matching days in turn. The turn is counted from the
    pattern's first day, so regenerating a range gives every day the same person.
    """
    today = timezone.localdate()
    rotation = list(
        pattern.rotation.filter(
            station_memberships__station=pattern.station_id, station_memberships__is_active=True
        )
        .order_by("pk")
        .distinct()
    )
    if not rotation:
        return 0
    last = min(until, pattern.ends_on) if pattern.ends_on else until
    existing = set(pattern.shifts.values_list("date", flat=True))
    created = 0
    turn = 0
    day = pattern.starts_on
    now = timezone.now()
    new_shifts: list[DutyShift] = []
    while day <= last:
        if pattern.matches(day):
            if day >= today and day not in existing:
                new_shifts.append(
                    DutyShift(
                        station_id=pattern.station_id,
                        representative=rotation[turn % len(rotation)],
                        date=day,
                        start_time=pattern.start_time,
                        end_time=pattern.end_time,
                        pattern=pattern,
                        published_at=now if publish else None,
                    )
                )
            turn += 1
        day += datetime.timedelta(days=1)
    with transaction.atomic():
        for shift in new_shifts:
            try:
                with transaction.atomic():
                    shift.save()
                created += 1
            except IntegrityError:
                continue  # that person already has that sitting (entered by hand)
    if created:
        audit_record(
            action=AuditAction.ADMIN_ADD,
            actor=by,
            obj=pattern,
            detail={"shifts_created": created, "until": until.isoformat()},
        )
    return created


def duty_schedule_publish(*, station: Station, until: datetime.date, by: User | None) -> int:
    """Publish (公示) the station's schedule up to a date: it appears on the public page."""
    count = station.shifts.filter(
        published_at__isnull=True, date__lte=until, status=ShiftStatus.SCHEDULED
    ).update(published_at=timezone.now())
    if count:
        audit_record(
            action=AuditAction.ADMIN_CHANGE,
            actor=by,
            obj=station,
            detail={"published_shifts": count, "until": until.isoformat()},
        )
    return count


def duty_shifts_publish_due(*, today: datetime.date | None = None) -> int:
    """The rule: a shift is public at least N days ahead (default 3; each station follows
    its congress's, docs/rules.md). Whatever staff have not published by then is
    published now. One update per lead time in force somewhere, each bounded by its date
    window; cheap."""
    today = today or timezone.localdate()
    now = timezone.now()
    lead = conf.duty_publish_everywhere()
    published = 0
    for days in lead.values():
        published += (
            DutyShift.objects.filter(
                published_at__isnull=True,
                date__gte=today,
                date__lte=today + datetime.timedelta(days=days),
                status=ShiftStatus.SCHEDULED,
            )
            .filter(lead.q(days, "station__region__path"))
            .update(published_at=now)
        )
    return published


def duty_shift_serve(*, shift: DutyShift, by: User | None, note: str = "") -> DutyShift:
    if shift.date > timezone.localdate():
        raise RuleViolation(_("班次尚未到期，不能登记为已值班。"))
    apply_transition(
        instance=shift,
        transitions=SHIFT_TRANSITIONS,
        action="serve",
        by=by,
        case_type=SHIFT_CASE,
        note=note,
    )
    return shift


def duty_shift_take_leave(*, shift: DutyShift, reason: str, by: User | None) -> DutyShift:
    if not reason.strip():
        raise RuleViolation(_("请假须写明原因。"))
    return _shift_move(shift, "take_leave", reason, by)


def duty_shift_mark_absent(*, shift: DutyShift, reason: str, by: User | None) -> DutyShift:
    if shift.date > timezone.localdate():
        raise RuleViolation(_("班次尚未到期，不能登记缺勤。"))
    return _shift_move(shift, "mark_absent", reason, by)


def _shift_move(shift: DutyShift, action: str, reason: str, by: User | None) -> DutyShift:
    """A shift's move with its reason, kept on the row (200 characters) and the event."""
    apply_transition(
        instance=shift,
        transitions=SHIFT_TRANSITIONS,
        action=action,
        by=by,
        case_type=SHIFT_CASE,
        note=reason,
        updates={"reason": reason[:200]},
    )
    return shift


def duty_shift_swap(
    *, shift: DutyShift, to_representative: Representative, reason: str, by: User | None
) -> DutyShift:
    """换班: another stationed representative takes the sitting; returns the new shift."""
    if not reason.strip():
        raise RuleViolation(_("换班须写明原因。"))
    if to_representative.pk == shift.representative_id:
        raise RuleViolation(_("请选择另一位代表。"))
    with transaction.atomic():
        apply_transition(
            instance=shift,
            transitions=SHIFT_TRANSITIONS,
            action="swap",
            by=by,
            case_type=SHIFT_CASE,
            note=reason,
            updates={"reason": reason[:200]},
            data={"to_representative": to_representative.pk},
        )
        replacement = duty_shift_create(
            station=shift.station,
            representative=to_representative,
            date=shift.date,
            start_time=shift.start_time,
            end_time=shift.end_time,
            by=by,
            pattern=shift.pattern,
            publish=shift.published_at is not None,
            swapped_from=shift,
        )
    return replacement


def duty_shift_cancel(*, shift: DutyShift, reason: str, by: User | None) -> DutyShift:
    apply_transition(
        instance=shift,
        transitions=SHIFT_TRANSITIONS,
        action="cancel",
        by=by,
        case_type=SHIFT_CASE,
        note=reason,
        updates={"reason": reason[:200]},
    )
    return shift


DAY_BEFORE = "day_before"


def duty_shift_remind(*, shift_id: int, stage: str = DAY_BEFORE) -> bool:
    """Remind the representative of tomorrow's sitting. Safe to run twice: the reminder row
    is unique per (shift, stage), so only the first run notifies."""
    shift = (
        DutyShift.objects.select_related("station", "representative__user")
        .filter(pk=shift_id, status=ShiftStatus.SCHEDULED)
        .first()
    )
    if shift is None or shift.representative.user is None:
        return False
    try:
        with transaction.atomic():
            DutyReminder.objects.create(shift=shift, stage=stage)
            notify(
                recipients=[shift.representative.user],
                kind="duty_reminder",
                title=_("值班提醒：%(date)s %(time)s 在%(station)s接待选民")
                % {
                    "date": shift.date.strftime("%m-%d"),
                    "time": shift.start_time.strftime("%H:%M"),
                    "station": shift.station.name,
                },
                body=shift.station.address,
                url=reverse("my_duty"),
                case_type=SHIFT_CASE,
                case_id=shift.pk,
            )
    except IntegrityError:
        return False  # another run got there first
    return True


def shifts_due_reminder(*, today: datetime.date | None = None) -> list[int]:
    """Ids of tomorrow's scheduled shifts not yet reminded (at most a day's worth)."""
    today = today or timezone.localdate()
    return list(
        DutyShift.objects.filter(
            date=today + datetime.timedelta(days=1),
            status=ShiftStatus.SCHEDULED,
            representative__user__isnull=False,
        )
        .exclude(reminders__stage=DAY_BEFORE)
        .values_list("pk", flat=True)[:5000]
    )


# --- grids ---------------------------------------------------------------------------------


def grid_assign(*, representative: Representative, grid: Region, by: User | None) -> GridAssignment:
    require_in_jurisdiction(by, representative.region, grid)
    if grid.level not in (RegionLevel.VILLAGE, RegionLevel.GRID, RegionLevel.MICROGRID):
        raise RuleViolation(_("责任田只能是村（社区）、网格或微网格。"))
    existing = GridAssignment.objects.filter(
        representative=representative, grid=grid, is_active=True
    ).first()
    if existing is not None:
        return existing
    assignment = GridAssignment.objects.create(
        representative=representative, grid=grid, starts_on=timezone.localdate()
    )
    audit_record(action=AuditAction.ADMIN_ADD, actor=by, obj=assignment)
    return assignment


def grid_unassign(*, assignment: GridAssignment, by: User | None) -> None:
    require_in_jurisdiction(by, assignment.grid)
    GridAssignment.objects.filter(pk=assignment.pk).update(
        is_active=False, ends_on=timezone.localdate()
    )
    audit_record(action=AuditAction.ADMIN_DELETE, actor=by, obj=assignment)


# --- contact logs --------------------------------------------------------------------------


def _check_contact(contacted_on: datetime.date, people_count: int) -> None:
    if contacted_on > timezone.localdate():
        raise RuleViolation(_("联系日期不能晚于今天。"))
    if people_count < 1:
        raise RuleViolation(_("人数至少为1。"))


def contact_log_record(
    *,
    representative: Representative,
    kind: str,
    contacted_on: datetime.date,
    summary: str,
    by: User | None,
    idempotency_key: uuid.UUID | str | None = None,
    station: Station | None = None,
    place: str = "",
    people_count: int = 1,
    problems: Iterable[str] = (),
    photos: Sequence[CleanUpload] = (),
) -> tuple[ContactLog, bool]:
    """Log a contact. A resend with the same key (weak network) returns the first log.

    Photos (already checked by ``congress.uploads``) go on one ``photos`` timeline
    event of the log. A log sent by someone who holds no live seat any more (recorded
    offline before the mandate ended, synced after) is kept and flagged 待核实 for
    staff (docs/offline.md), never dropped.
    """
    _check_contact(contacted_on, people_count)
    if len(photos) > CONTACT_LOG_MAX_PHOTOS:
        raise RuleViolation(_("最多上传%(n)s张照片。") % {"n": CONTACT_LOG_MAX_PHOTOS})
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()
    existing = ContactLog.objects.filter(representative=representative, idempotency_key=key).first()
    if existing is not None:
        return existing, False
    log = ContactLog(
        representative=representative,
        kind=kind,
        contacted_on=contacted_on,
        summary=summary,
        station=station,
        place=place,
        people_count=people_count,
        idempotency_key=key,
        created_by=by,
    )
    _full_clean(log, exclude=["idempotency_key", "created_by"])
    try:
        with transaction.atomic():
            log.save()
            ContactProblem.objects.bulk_create(
                [
                    ContactProblem(log=log, text=text.strip()[:500])
                    for text in problems
                    if text.strip()
                ]
            )
            if photos:
                event = record_event(
                    case_type=CONTACT_LOG_CASE, case_id=log.pk, action="photos", by=by
                )
                for photo in photos:
                    attach_to_event(event=event, upload=photo)
            if not representative.mandates.filter(status=MandateStatus.ACTIVE).exists():
                record_event(
                    case_type=CONTACT_LOG_CASE,
                    case_id=log.pk,
                    action=CONTACT_LOG_FLAG,
                    by=by,
                    note=_("提交时该代表已无有效的代表职务，请核实。"),
                    data={"reason": "no_active_mandate"},
                )
    except IntegrityError:
        # Two copies of the same submission raced; the first one won.
        return ContactLog.objects.get(representative=representative, idempotency_key=key), False
    return log, True


def contact_log_verify(*, log: ContactLog, by: User | None) -> ContactLog:
    """Staff of the representative's region confirm a log flagged 待核实 (it stays)."""
    require_in_jurisdiction(by, log.representative.region)
    flagged = CaseEvent.objects.filter(
        case_type=CONTACT_LOG_CASE, case_id=log.pk, action=CONTACT_LOG_FLAG
    )
    if not flagged.exists():
        raise RuleViolation(_("这条记录不需要核实。"))
    with transaction.atomic():
        # The flag is settled once: the log's row lock queues two clicks, and the
        # second finds it settled.
        ContactLog.objects.select_for_update().filter(pk=log.pk).first()
        done = CaseEvent.objects.filter(
            case_type=CONTACT_LOG_CASE, case_id=log.pk, action=CONTACT_LOG_VERIFIED
        )
        if done.exists():
            raise RuleViolation(_("这条记录已核实。"))
        record_event(case_type=CONTACT_LOG_CASE, case_id=log.pk, action=CONTACT_LOG_VERIFIED, by=by)
        audit_record(
            action=AuditAction.STATE_CHANGE,
            actor=by,
            obj=log,
            detail={"action": CONTACT_LOG_VERIFIED},
        )
    return log


def contact_log_update(
    *, log: ContactLog, by: User | None, problems: Iterable[str] | None = None, **fields: Any
) -> ContactLog:
    for name, value in fields.items():
        setattr(log, name, value)
    _check_contact(log.contacted_on, log.people_count)
    _full_clean(log, exclude=["idempotency_key", "created_by"])
    with transaction.atomic():
        log.save()
        if problems is not None:
            # Problems already handed on stay; the open ones are replaced by the new list.
            log.problems.filter(case_id__isnull=True).delete()
            kept = set(log.problems.values_list("text", flat=True))
            ContactProblem.objects.bulk_create(
                [
                    ContactProblem(log=log, text=text.strip()[:500])
                    for text in problems
                    if text.strip() and text.strip() not in kept
                ]
            )
    return log


def contact_problem_mark_converted(
    *, problem: ContactProblem, case_type: str, case_id: int, by: User | None
) -> ContactProblem:
    """Called by the suggestions app when a problem has become a citizen issue."""
    changed = ContactProblem.objects.filter(pk=problem.pk, case_id__isnull=True).update(
        case_type=case_type, case_id=case_id, converted_at=timezone.now()
    )
    if not changed:
        raise RuleViolation(_("该问题已转办。"))
    problem.refresh_from_db()
    return problem


# --- activities ----------------------------------------------------------------------------


def activity_create(*, by: User | None, **fields: Any) -> Activity:
    activity = Activity(organizer=by if by is not None and by.is_authenticated else None, **fields)
    require_in_jurisdiction(by, _region_of(activity))
    _full_clean(activity, exclude=["organizer"])
    activity.save()
    record_event(case_type=ACTIVITY_CASE, case_id=activity.pk, action="create", by=by)
    return activity


def activity_sign_up(
    *, activity: Activity, representative: Representative, by: User | None
) -> ActivityParticipation:
    if activity.status != ActivityStatus.OPEN:
        raise RuleViolation(_("该活动不在报名期内。"))
    existing = activity.participations.filter(representative=representative).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        # Lock the activity row so two last-minute sign-ups cannot both take the last place.
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if activity.capacity is not None and activity.participations.count() >= activity.capacity:
            raise RuleViolation(_("名额已满。"))
        participation, _created = ActivityParticipation.objects.get_or_create(
            activity=activity, representative=representative
        )
    return participation


def activity_withdraw(
    *, activity: Activity, representative: Representative, by: User | None
) -> None:
    if activity.status != ActivityStatus.OPEN:
        raise RuleViolation(_("报名已截止，请向组织人请假。"))
    activity.participations.filter(
        representative=representative, attendance=Attendance.PENDING
    ).delete()


def activity_record_attendance(
    *, activity: Activity, attendance: dict[int, str], by: User | None
) -> int:
    """Record who came (walk-ins are added). Points follow from these rows."""
    if activity.status == ActivityStatus.CANCELLED:
        raise RuleViolation(_("活动已取消。"))
    if activity.starts_at > timezone.now():
        raise RuleViolation(_("活动尚未开始，不能登记出席。"))
    valid = set(Attendance.values)
    with transaction.atomic():
        for representative_id, value in attendance.items():
            if value not in valid:
                raise RuleViolation(_("出席情况无效。"))
            ActivityParticipation.objects.update_or_create(
                activity=activity,
                representative_id=representative_id,
                defaults={"attendance": value},
            )
        record_event(
            case_type=ACTIVITY_CASE,
            case_id=activity.pk,
            action="attendance",
            by=by,
            data={"count": len(attendance)},
        )
    return len(attendance)


def activity_transition(
    *, activity: Activity, action: str, by: User | None, note: str = ""
) -> Activity:
    apply_transition(
        instance=activity,
        transitions=ACTIVITY_TRANSITIONS,
        action=action,
        by=by,
        case_type=ACTIVITY_CASE,
        note=note,
    )
    return activity


# --- points -----------------------------------------------------------------------------


def point_rules_install_defaults() -> int:
    """Store the default rules as rows administrators can edit (after a flushed database)."""
    from representatives.points import default_rules

    existing = set(PointRule.objects.filter(congress=None).values_list("code", flat=True))
    missing = [rule for rule in default_rules() if rule.code not in existing]
    PointRule.objects.bulk_create(missing)
    return len(missing)


# --- voters' evaluation --------------------------------------------------------------------


def voter_evaluation_submit(
    *,
    station: Station,
    representative: Representative,
    rating: str,
    comment: str = "",
    year: int | None = None,
) -> VoterEvaluation:
    """A voter rates a stationed representative's year (述职评议). Anonymous."""
    if not _is_stationed(station, representative):
        raise RuleViolation(_("该代表不在本站点。"))
    evaluation = VoterEvaluation(
        station=station,
        representative=representative,
        year=year or timezone.localdate().year,
        rating=rating,
        comment=comment.strip()[:500],
    )
    _full_clean(evaluation)
    evaluation.save()
    return evaluation
