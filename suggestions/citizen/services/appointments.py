"""约见: a citizen's or a representative's request, its routing, the time fixed or
proposed, the meeting recorded, and the reminder a day ahead.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.errors import InvalidTransition, OutOfJurisdiction, RuleViolation
from congress.models import OPEN_STATUSES, Assignment, CaseEvent, Department, User
from congress.notifications import notify
from congress.rules import rules_at
from congress.workdays import Deadline, add_deadline
from congress.workflow import apply_transition, record_event
from representatives.models import ContactKind, Representative, Station
from suggestions.citizen import conf
from suggestions.citizen.privacy import mobile_hash, normalize_mobile, validate_mobile
from suggestions.citizen.selectors import is_banned, staff_region_for
from suggestions.citizen.services.base import KEY_NAMESPACE, _citizen_label
from suggestions.citizen.services.contacts import citizen_issue_create_from_contact
from suggestions.citizen.services.messages import _link, _text_citizen
from suggestions.citizen.services.steps import _finish
from suggestions.citizen.workflow import APPOINTMENT_CASE, APPOINTMENT_TRANSITIONS
from suggestions.models.citizen import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    IssueCategory,
)


def _appointment_transition(
    appointment: Appointment,
    action: str,
    *,
    by: User | None,
    note: str = "",
    public_note: str = "",
    updates: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return apply_transition(
        instance=appointment,
        transitions=APPOINTMENT_TRANSITIONS,
        action=action,
        by=by,
        case_type=APPOINTMENT_CASE,
        note=note,
        public_note=public_note,
        updates=updates,
        data=data,
        actor_label="" if by is not None else _citizen_label(),
    )


def _appointment_steps(appointment: Appointment) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            case_type=APPOINTMENT_CASE, case_id=appointment.pk, status__in=OPEN_STATUSES
        )
    )


def _finish_appointment_steps(appointment: Appointment, *, by: User | None, note: str) -> None:
    for step in _appointment_steps(appointment):
        _finish(step, by=by, note=note)


def _appointment_step(
    appointment: Appointment,
    *,
    by: User | None,
    deadline: Deadline,
    user: User | None = None,
    department: Department | None = None,
) -> Assignment:
    title = _("约见：%(topic)s") % {"topic": appointment.topic[:60]}
    common: dict[str, Any] = {
        "case_type": APPOINTMENT_CASE,
        "case_id": appointment.pk,
        "title": title,
        "region": appointment.region,
        "by": by,
        "deadline": deadline,
    }
    if department is not None:
        return loop.assignment_create(department=department, **common)
    if user is not None and user.is_active:
        return loop.assignment_create(user=user, **common)
    return loop.assignment_create(staff_region=staff_region_for(appointment.region), **common)


def appointment_rules(appointment: Appointment) -> Mapping[str, Any]:
    """The rules an appointment follows (docs/rules.md): those in force at its place when
    it was requested; for one from before rules were recorded, those in force now."""
    recorded = appointment.rules_in_force or {}
    missing = [key for key in conf.APPOINTMENT_RULES if key not in recorded]
    if not missing:
        return recorded
    return {**rules_at(appointment.region, missing), **recorded}


def _latest_allowed(appointment: Appointment) -> datetime.date:
    return add_deadline(
        appointment.preferred_date,
        conf.appointment_max_postpone(recorded=appointment_rules(appointment)),
    )


def _check_time(appointment: Appointment, scheduled_at: datetime.datetime) -> None:
    if scheduled_at < timezone.now():
        raise RuleViolation(_("约见时间不能早于现在。"))
    latest = _latest_allowed(appointment)
    if timezone.localdate(scheduled_at) > latest:
        raise RuleViolation(
            _("约见最迟只能推迟到%(date)s（希望日期后一个月）。") % {"date": latest.isoformat()}
        )


def appointment_request(
    *,
    idempotency_key: uuid.UUID,
    representative: Representative,
    topic: str,
    preferred_date: datetime.date,
    preferred_times: str = "",
    citizen_name: str = "",
    mobile: str = "",
    consent: bool = False,
    station: Station | None = None,
) -> tuple[Appointment, bool]:
    """约见卡: a citizen asks to meet a named representative."""
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    number = normalize_mobile(mobile)
    if not consent:
        raise RuleViolation(_("请阅读并同意个人信息告知后再提交。"))
    if not number:
        raise RuleViolation(_("请留下手机号，以便代表与您确定见面时间。"))
    validate_mobile(number)
    if not topic.strip():
        raise RuleViolation(_("请填写约见事由。"))
    if preferred_date < timezone.localdate():
        raise RuleViolation(_("希望日期不能早于今天。"))
    hashed = mobile_hash(number)
    if is_banned(hashed):
        raise RuleViolation(_("该手机号暂不能通过本渠道提交，请到就近的代表联络站当面反映。"))
    region = station.region if station is not None else representative.region
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                kind=AppointmentKind.CITIZEN,
                idempotency_key=idempotency_key,
                representative=representative,
                station=station,
                region=region,
                rules_in_force=rules_at(region, conf.APPOINTMENT_RULES),
                topic=topic.strip()[:2000],
                preferred_date=preferred_date,
                preferred_times=preferred_times.strip()[:100],
                citizen_name=citizen_name.strip()[:50],
                mobile=number,
                mobile_hash=hashed,
                consent_at=timezone.now(),
            )
            record_event(
                case_type=APPOINTMENT_CASE,
                case_id=appointment.pk,
                action="request",
                by=None,
                actor_label=_citizen_label(),
                to_status=appointment.status,
                public_note=_("约见申请已提交，代表确认后将短信通知您。"),
            )
            _appointment_step(
                appointment,
                by=None,
                deadline=conf.appointment_response_deadline(recorded=appointment.rules_in_force),
                user=representative.user,
            )
    except IntegrityError:
        return Appointment.objects.get(idempotency_key=idempotency_key), False
    return appointment, True


def appointment_request_department(
    *,
    idempotency_key: uuid.UUID,
    representative: Representative,
    department: Department,
    topic: str,
    preferred_date: datetime.date,
    preferred_times: str = "",
    by: User,
) -> tuple[Appointment, bool]:
    """代表约见国家机关负责人: routed through the congress staff of the representative's region."""
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    # The place is checked here, whichever interface asks (docs/security.md, "Writes
    # stay in the actor's jurisdiction"): a representative asks for themself, to meet a
    # body of their own region or one above it, the one staff will route the request to.
    if representative.user_id != by.pk:
        raise OutOfJurisdiction
    if not department.is_active or department.region_id not in representative.region.ancestor_ids():
        raise OutOfJurisdiction
    if not topic.strip():
        raise RuleViolation(_("请填写约见事由。"))
    if preferred_date < timezone.localdate():
        raise RuleViolation(_("希望日期不能早于今天。"))
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                kind=AppointmentKind.DEPARTMENT,
                idempotency_key=idempotency_key,
                representative=representative,
                department=department,
                region=representative.region,
                rules_in_force=rules_at(representative.region, conf.APPOINTMENT_RULES),
                topic=topic.strip()[:2000],
                preferred_date=preferred_date,
                preferred_times=preferred_times.strip()[:100],
                created_by=by,
            )
            record_event(
                case_type=APPOINTMENT_CASE,
                case_id=appointment.pk,
                action="request",
                by=by,
                to_status=appointment.status,
                data={"department": department.name},
            )
            _appointment_step(
                appointment,
                by=by,
                deadline=conf.appointment_response_deadline(recorded=appointment.rules_in_force),
            )
    except IntegrityError:
        return Appointment.objects.get(idempotency_key=idempotency_key), False
    return appointment, True


def appointment_route(*, appointment: Appointment, by: User, note: str = "") -> Appointment:
    """Staff hand a representative's request on to the body concerned, with a deadline."""
    if appointment.kind != AppointmentKind.DEPARTMENT or appointment.department is None:
        raise InvalidTransition()
    with transaction.atomic():
        _appointment_transition(appointment, "route", by=by, note=note)
        _finish_appointment_steps(
            appointment, by=by, note=_("已转%(name)s") % {"name": appointment.department}
        )
        _appointment_step(
            appointment,
            by=by,
            deadline=conf.appointment_department_deadline(recorded=appointment_rules(appointment)),
            department=appointment.department,
        )
    return appointment


def _tell_requester(appointment: Appointment, *, key: str, text: str, title: str) -> None:
    if appointment.kind == AppointmentKind.CITIZEN:
        _text_citizen(appointment=appointment, key=f"appointment:{appointment.pk}:{key}", text=text)
    elif appointment.representative.user is not None:
        notify(
            recipients=[appointment.representative.user],
            kind="appointment.update",
            title=title,
            url=appointment.get_absolute_url(),
            case_type=APPOINTMENT_CASE,
            case_id=appointment.pk,
        )


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def appointment_confirm(
    *,
    appointment: Appointment,
    by: User,
    scheduled_at: datetime.datetime,
    place: str,
    note: str = "",
) -> Appointment:
    """The representative (or the body asked) fixes the meeting."""
    _check_time(appointment, scheduled_at)
    if not place.strip():
        raise RuleViolation(_("请填写见面地点。"))
    when = _when(scheduled_at)
    with transaction.atomic():
        _appointment_transition(
            appointment,
            "confirm",
            by=by,
            note=note,
            updates={"scheduled_at": scheduled_at, "place": place.strip(), "reminded_at": None},
            public_note=_("约见已确认：%(when)s，地点：%(place)s。")
            % {"when": when, "place": place},
        )
        _finish_appointment_steps(
            appointment, by=by, note=_("已确认约见时间 %(when)s") % {"when": when}
        )
        _tell_requester(
            appointment,
            key=f"confirmed:{appointment.version}",
            text=_("您的约见已确认：%(when)s，%(place)s。详情：%(url)s")
            % {"when": when, "place": place, "url": _link(appointment.get_tracking_url())},
            title=_("约见已确认：%(when)s") % {"when": when},
        )
    return appointment


def appointment_propose(
    *,
    appointment: Appointment,
    by: User,
    scheduled_at: datetime.datetime,
    place: str,
    note: str = "",
) -> Appointment:
    """Another time (改期): at most one month after the date asked for, by default."""
    _check_time(appointment, scheduled_at)
    when = _when(scheduled_at)
    with transaction.atomic():
        _appointment_transition(
            appointment,
            "propose",
            by=by,
            note=note,
            updates={
                "scheduled_at": scheduled_at,
                "place": place.strip(),
                "postponements": F("postponements") + 1,
                "reminded_at": None,
            },
            public_note=_("代表提议改在%(when)s见面（%(place)s），请确认。")
            % {"when": when, "place": place},
        )
        _finish_appointment_steps(
            appointment, by=by, note=_("提议新时间 %(when)s") % {"when": when}
        )
        _tell_requester(
            appointment,
            key=f"proposed:{appointment.version}",
            text=_("代表提议改在%(when)s见面，请确认：%(url)s")
            % {"when": when, "url": _link(appointment.get_tracking_url())},
            title=_("约见改期提议：%(when)s") % {"when": when},
        )
    return appointment


def appointment_accept_proposal(*, appointment: Appointment, by: User | None = None) -> Appointment:
    """The requester (a citizen through the link, or the representative) takes the new time."""
    if appointment.scheduled_at is None:
        raise InvalidTransition()
    with transaction.atomic():
        _appointment_transition(
            appointment,
            "accept_proposal",
            by=by,
            public_note=_("已确认新的见面时间：%(when)s。")
            % {"when": _when(appointment.scheduled_at)},
        )
    return appointment


def appointment_decline(*, appointment: Appointment, by: User, reason: str) -> Appointment:
    if not reason.strip():
        raise RuleViolation(_("请说明婉拒的理由。"))
    with transaction.atomic():
        _appointment_transition(
            appointment,
            "decline",
            by=by,
            note=reason,
            updates={"response_note": reason.strip()},
            public_note=_("很抱歉，本次约见未能安排：%(reason)s") % {"reason": reason.strip()},
        )
        _finish_appointment_steps(appointment, by=by, note=reason)
        _tell_requester(
            appointment,
            key="declined",
            text=_("您的约见未能安排，详情：%(url)s")
            % {"url": _link(appointment.get_tracking_url())},
            title=_("约见未能安排"),
        )
    return appointment


def appointment_cancel(
    *, appointment: Appointment, by: User | None, reason: str = ""
) -> Appointment:
    with transaction.atomic():
        _appointment_transition(
            appointment,
            "cancel",
            by=by,
            note=reason,
            public_note=_("约见已取消。"),
        )
        _finish_appointment_steps(appointment, by=by, note=_("约见已取消"))
    return appointment


def appointment_record_meeting(
    *,
    appointment: Appointment,
    by: User,
    summary: str,
    problems: Sequence[str] = (),
    category: IssueCategory | None = None,
) -> Appointment:
    """After the meeting: logged as a voter contact (issue 4); each problem raised
    there becomes a case handled by the same representative."""
    from representatives.services import contact_log_record

    if not summary.strip():
        raise RuleViolation(_("请填写见面情况。"))
    met_on = timezone.localdate(appointment.scheduled_at) if appointment.scheduled_at else None
    with transaction.atomic():
        log = None
        if appointment.kind == AppointmentKind.CITIZEN:
            log, _created = contact_log_record(
                representative=appointment.representative,
                kind=ContactKind.RECEPTION,
                contacted_on=min(met_on or timezone.localdate(), timezone.localdate()),
                summary=summary.strip(),
                by=by,
                idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"appointment:{appointment.pk}"),
                station=appointment.station,
                problems=[p for p in problems if p.strip()],
            )
        _appointment_transition(
            appointment,
            "record_meeting",
            by=by,
            note=summary,
            updates={"meeting_summary": summary.strip(), "contact_log": log},
            public_note=_("已与代表见面。"),
        )
        if log is not None and problems:
            chosen = category or IssueCategory.objects.filter(code="other").first()
            if chosen is None:
                raise RuleViolation(_("请选择问题类别。"))
            for text in problems:
                if text.strip():
                    citizen_issue_create_from_contact(
                        contact_log=log, description=text.strip(), category=chosen, by=by
                    )
    return appointment


def appointments_remind_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Periodic: a reminder a day ahead of each confirmed meeting, exactly once.

    Cost: one query on the partial index of unreminded confirmed meetings; each
    is claimed with a conditional UPDATE, so two runs never remind twice.
    """
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.CONFIRMED,
        reminded_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lte=now + datetime.timedelta(hours=24),
    ).select_related("representative__user", "department")
    sent = 0
    for appointment in due[:limit]:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk, reminded_at__isnull=True, status=AppointmentStatus.CONFIRMED
            ).update(reminded_at=now)
            if not claimed:
                continue
            when = _when(appointment.scheduled_at) if appointment.scheduled_at else ""
            user = appointment.representative.user
            if user is not None:
                notify(
                    recipients=[user],
                    kind="appointment.reminder",
                    title=_("明天约见：%(when)s %(place)s")
                    % {"when": when, "place": appointment.place},
                    url=appointment.get_absolute_url(),
                    case_type=APPOINTMENT_CASE,
                    case_id=appointment.pk,
                )
            if appointment.kind == AppointmentKind.CITIZEN:
                _text_citizen(
                    appointment=appointment,
                    key=f"appointment:{appointment.pk}:reminder:{when}",
                    text=_("提醒：您与人大代表的约见在%(when)s，地点%(place)s。")
                    % {"when": when, "place": appointment.place},
                )
            record_event(
                case_type=APPOINTMENT_CASE,
                case_id=appointment.pk,
                action="reminder_sent",
                by=None,
                actor_label=_("系统"),
            )
            sent += 1
    return sent
