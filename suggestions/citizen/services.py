"""Every write of the citizen channel: one named service per step.

A problem's own status moves with ``apply_transition`` and ``ISSUE_TRANSITIONS``.
The work on it is a chain of closed-loop *steps*, each an engine ``Assignment``
with a working-day deadline, so that reminders and escalation find every late
one: 受理 by the staff of its region (2 working days), handling by the
representative (15), a department's 交办 (15), the representative's review of
the department's reply (5), and re-handling after 不满意 (1 month). A step ends
when the person does the thing it asked for (it is "replied" on the engine).

Citizens have no account: their steps are called with ``by=None`` and the
timeline says 群众. Whatever a citizen should read goes into ``public_note``,
in plain language and without staff names; ``note`` stays internal.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congress import loop, outbox
from congress.areas import AREA_FIELDS, area_columns
from congress.audit import audit_record
from congress.errors import (
    DomainError,
    InvalidTransition,
    OutOfJurisdiction,
    RuleViolation,
    StaleState,
)
from congress.files import attach_to_event
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    AuditAction,
    CaseEvent,
    Department,
    Region,
    User,
)
from congress.notifications import notify
from congress.queue import enqueue_on_commit
from congress.scoping import require_in_jurisdiction, within_reach
from congress.summary import counter_add
from congress.uploads import CleanUpload, new_token
from congress.workdays import Deadline, add_deadline
from congress.workflow import apply_transition, record_event
from representatives.models import ContactKind, ContactLog, ContactProblem, Representative, Station
from representatives.selectors import representative_of
from suggestions.citizen import conf
from suggestions.citizen.privacy import mobile_hash, normalize_mobile, validate_mobile
from suggestions.citizen.selectors import (
    default_representative,
    department_assignment,
    is_banned,
    staff_of,
    staff_region_for,
)
from suggestions.citizen.workflow import (
    APPOINTMENT_CASE,
    APPOINTMENT_TRANSITIONS,
    ISSUE_CASE,
    ISSUE_TRANSITIONS,
)
from suggestions.models.citizen import (
    OPEN_ISSUE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    BannedPhone,
    CitizenIssue,
    CitizenMessage,
    ConversionKind,
    IssueCategory,
    IssueCount,
    IssuePhoto,
    IssueRating,
    IssueSource,
    IssueStatus,
    MessageStatus,
)

logger = logging.getLogger(__name__)

# Tracking codes are read out on the phone: no 0/O, 1/I/L, 2/Z, 5/S look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8
KEY_NAMESPACE = uuid.UUID("5d3c8a52-3f3e-4b7a-9a55-8a0b3c7e9d21")
MAX_CODE_ATTEMPTS = 5
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def _citizen_label() -> str:
    return _("群众")


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _transition(
    issue: CitizenIssue,
    action: str,
    *,
    by: User | None,
    note: str = "",
    public_note: str = "",
    updates: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
    actor_label: str = "",
) -> CaseEvent:
    before = (issue.status, issue.needs_supervision)
    with transaction.atomic():
        event = apply_transition(
            instance=issue,
            transitions=ISSUE_TRANSITIONS,
            action=action,
            by=by,
            case_type=ISSUE_CASE,
            note=note,
            public_note=public_note,
            updates=updates,
            data=data,
            expected_version=expected_version,
            actor_label=actor_label or ("" if by is not None else _citizen_label()),
        )
        _count_move(issue, *before)
    return event


# --- steps on the closed loop ------------------------------------------------------------


def _title(issue: CitizenIssue) -> str:
    return f"{issue.tracking_code} {issue.title}"


def _open_steps(issue: CitizenIssue) -> list[Assignment]:
    """The issue's own open steps (staff or representative; departments' are separate)."""
    return list(
        Assignment.objects.filter(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            department__isnull=True,
            status__in=OPEN_STATUSES,
        ).select_related("user", "staff_region", "region")
    )


def _finish(assignment: Assignment, *, by: User | None, note: str) -> None:
    """End a step because its work is done: 签收 if need be, then 答复 (not open any more)."""
    if assignment.status == AssignmentStatus.ASSIGNED:
        loop.assignment_accept(assignment=assignment, by=by)  # type: ignore[arg-type]
    if assignment.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS):
        loop.assignment_reply(assignment=assignment, by=by, note=note or "—")  # type: ignore[arg-type]
    elif assignment.status in OPEN_STATUSES:  # paused: nothing left to wait for
        loop.assignment_cancel(assignment=assignment, by=by, reason=note or "—")


def _finish_own_steps(issue: CitizenIssue, *, by: User | None, note: str) -> None:
    for step in _open_steps(issue):
        _finish(step, by=by, note=note)


def _start_step(
    issue: CitizenIssue,
    *,
    by: User | None,
    deadline: Deadline,
    representative: Representative | None = None,
    note: str = "",
) -> Assignment:
    """A step for the representative (through their login) or, without one, for the
    staff office of the issue's region."""
    user = representative.user if representative is not None else None
    if user is not None and user.is_active:
        return loop.assignment_create(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            title=_title(issue),
            region=issue.region,
            by=by,
            user=user,
            deadline=deadline,
            note=note,
        )
    return loop.assignment_create(
        case_type=ISSUE_CASE,
        case_id=issue.pk,
        title=_title(issue),
        region=issue.region,
        by=by,
        staff_region=staff_region_for(issue.region),
        deadline=deadline,
        note=note,
    )


def _route(issue: CitizenIssue, *, by: User | None) -> None:
    """A submission is through: the 受理 step for the staff of its region; the
    representative it was addressed to hears of it too."""
    _start_step(issue, by=by, deadline=conf.accept_deadline(), note=_("请受理群众反映的问题"))
    addressed = issue.representative
    if addressed is not None and addressed.user is not None:
        notify(
            recipients=[addressed.user],
            kind="citizen_issue.addressed",
            title=_("群众向您反映问题：%(title)s") % {"title": issue.title},
            url=issue.get_absolute_url(),
            case_type=ISSUE_CASE,
            case_id=issue.pk,
        )


# --- messages to citizens (SMS outbox) ------------------------------------------------------


def _text_citizen(
    *,
    key: str,
    text: str,
    issue: CitizenIssue | None = None,
    appointment: Appointment | None = None,
    required: bool = False,
) -> CitizenMessage | None:
    """Queue one SMS, once per ``key``; it is sent by a task after commit.

    About an issue, only to a citizen who asked for text messages (``wants_sms``),
    unless the message is ``required`` (the confirmation code). Appointments
    always: the citizen left the number so that the meeting could be arranged.
    """
    target = issue or appointment
    if target is None or not target.mobile:
        return None
    if issue is not None and not (issue.wants_sms or required):
        return None
    message, created = CitizenMessage.objects.get_or_create(
        dedupe_key=key[:80],
        defaults={"issue": issue, "appointment": appointment, "text": text[:300]},
    )
    if created:
        from suggestions.tasks import send_citizen_message

        enqueue_on_commit(send_citizen_message, message.pk)
    return message


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def citizen_message_send(*, message_id: int) -> bool:
    """Send one queued SMS once (claimed, so two workers never both send it), retried
    as every outbox is (congress/outbox.py)."""
    from congress.sms import get_sms_backend

    now = timezone.now()
    claimed = CitizenMessage.objects.filter(
        outbox.unclaimed(now), pk=message_id, status=MessageStatus.PENDING
    ).update(claimed_until=outbox.claim_until(now), attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = CitizenMessage.objects.select_related("issue", "appointment").get(pk=message_id)
    target = message.issue or message.appointment
    mobile = target.mobile if target is not None else ""
    if not mobile:  # anonymised meanwhile: nothing to send to
        CitizenMessage.objects.filter(pk=message_id).update(status=MessageStatus.SKIPPED)
        return False
    try:
        get_sms_backend().send(mobile=mobile, text=message.text, reference=f"citizen-{message_id}")
    except outbox.SEND_ERRORS as exc:
        failed = outbox.gives_up(message.attempts)
        CitizenMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED if failed else MessageStatus.PENDING,
            claimed_until=timezone.now() + outbox.retry_after(message.attempts),
            last_error=str(exc)[:300],
        )
        logger.warning("citizen message %s failed (attempt %s)", message_id, message.attempts)
        return False
    CitizenMessage.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def pending_citizen_message_ids(limit: int = 200) -> list[int]:
    """Messages no task picked up (broker down) or due a retry."""
    now = timezone.now()
    return list(
        CitizenMessage.objects.filter(
            outbox.unclaimed(now),
            status=MessageStatus.PENDING,
            created_at__lt=outbox.sweep_cutoff(now),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- submission ------------------------------------------------------------------------------


@dataclass
class Submission:
    """What a citizen sends (from the form or the API), already shape-checked."""

    category: IssueCategory
    description: str
    region: Region
    station: Station | None = None
    representative: Representative | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    citizen_name: str = ""
    mobile: str = ""
    wants_sms: bool = False
    public_anonymous: bool = True
    consent: bool = False
    photos: Sequence[CleanUpload] = field(default_factory=list)
    join: CitizenIssue | None = None
    source: str = IssueSource.WEB


def _title_from(description: str) -> str:
    first = description.strip().splitlines()[0] if description.strip() else ""
    return (first[:40] + ("…" if len(first) > 40 else "")) or _("群众反映问题")


def _check(submission: Submission, number: str) -> None:
    if submission.source != IssueSource.CONTACT and not submission.consent:
        raise RuleViolation(_("请阅读并同意个人信息告知后再提交。"))
    if not submission.description.strip():
        raise RuleViolation(_("请描述您要反映的问题。"))
    if len(submission.description) > conf.max_description():
        raise RuleViolation(_("问题描述不能超过%(n)s个字。") % {"n": conf.max_description()})
    if len(submission.photos) > conf.max_photos():
        raise RuleViolation(_("最多上传%(n)s张照片。") % {"n": conf.max_photos()})
    validate_mobile(number)
    if conf.sms_confirmation_required() and not number and submission.source != IssueSource.CONTACT:
        raise RuleViolation(_("请填写手机号，以便短信确认。"))
    if submission.join is not None and submission.join.status not in OPEN_ISSUE_STATUSES:
        raise RuleViolation(_("该问题已办结，请单独提交您的问题。"))


def moderation_reason(text: str) -> str:
    """Why a submission waits for a person before anyone else sees it ("" = it does not)."""
    lowered = text.lower()
    for word in conf.moderation_words():
        if word.lower() in lowered:
            return _("含有需人工审核的内容")
    if len(_URL.findall(text)) >= 2:
        return _("含有多个网址")
    return ""


def _confirmation_hash(token: str, code: str) -> str:
    return salted_hmac(
        "suggestions.citizen.confirm", f"{token}:{code}", algorithm="sha256"
    ).hexdigest()


def citizen_issue_submit(
    *, submission: Submission, idempotency_key: uuid.UUID, by: User | None = None
) -> tuple[CitizenIssue, bool]:
    """Save a citizen's problem; a retry with the same key returns the first one.

    Returns (issue, created). The broker is touched only after commit
    (notifications, SMS), so a Redis outage cannot lose the problem.

    A retry is found by the unique key itself: the INSERT refuses it and the
    first case is read then. The public form and the API look the key up before
    their rate limits anyway, so a first submission pays no extra query for it.
    """
    number = normalize_mobile(submission.mobile)
    _check(submission, number)
    hashed = mobile_hash(number)
    if submission.source != IssueSource.CONTACT and is_banned(hashed):
        raise RuleViolation(_("该手机号暂不能通过本渠道提交，请到就近的代表联络站当面反映。"))
    for _attempt in range(5):
        try:
            return _create(submission, idempotency_key, number, hashed, by), True
        except IntegrityError:
            existing = CitizenIssue.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False  # the same submission raced in twice; it won once
            # Otherwise two problems drew the same tracking code: draw again.
    raise RuleViolation(_("提交失败，请稍后再试。"))


def _initial_status(submission: Submission, number: str) -> tuple[str, str]:
    if submission.join is not None:
        return IssueStatus.MERGED, ""
    if submission.source == IssueSource.CONTACT:
        return IssueStatus.SUBMITTED, ""
    reason = moderation_reason(submission.description)
    if conf.sms_confirmation_required() and number:
        return IssueStatus.PENDING_CONFIRMATION, reason
    if reason:
        return IssueStatus.PENDING_REVIEW, reason
    return IssueStatus.SUBMITTED, ""


def _create(
    submission: Submission,
    key: uuid.UUID,
    number: str,
    hashed: str,
    by: User | None,
) -> CitizenIssue:
    status, reason = _initial_status(submission, number)
    now = timezone.now()
    with transaction.atomic():
        issue = CitizenIssue.objects.create(
            **area_columns(submission.region),
            tracking_code=new_tracking_code(),
            idempotency_key=key,
            source=submission.source,
            category=submission.category,
            title=_title_from(submission.description),
            description=submission.description.strip(),
            region=submission.region,
            station=submission.station,
            representative=submission.representative,
            address=submission.address.strip()[:200],
            latitude=submission.latitude,
            longitude=submission.longitude,
            citizen_name=submission.citizen_name.strip()[:50],
            mobile=number,
            mobile_hash=hashed,
            wants_sms=submission.wants_sms and bool(number),
            public_anonymous=submission.public_anonymous,
            consent_at=now if submission.consent else None,
            consent_version=conf.notice_version() if submission.consent else "",
            status=status,  # created in its first state; every later change is a transition
            moderation_reason=reason,
            merged_into=submission.join,
            closed_at=now if submission.join is not None else None,
        )
        _count(issue, delta=1)
        for photo in submission.photos:
            _save_photo(issue, photo)
        record_event(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action="submit",
            by=by,
            actor_label=str(by) if by is not None else _citizen_label(),
            to_status=status,
            public_note=_("您反映的问题已提交，查询码 %(code)s。") % {"code": issue.tracking_code},
            data={"source": submission.source, "photos": len(submission.photos)},
        )
        _after_submit(issue, by=by)
    return issue


def _save_photo(issue: CitizenIssue, upload: CleanUpload) -> IssuePhoto:
    photo = IssuePhoto(
        issue=issue,
        token=new_token(),
        extension=upload.extension,
        content_type=upload.content_type,
        width=upload.width,
        height=upload.height,
        size=upload.size,
        created_at=timezone.now(),
    )
    photo.file.save(f"{photo.token}{upload.extension}", upload.as_file(), save=False)
    photo.save()
    return photo


def _after_submit(issue: CitizenIssue, *, by: User | None) -> None:
    if issue.status == IssueStatus.MERGED and issue.merged_into is not None:
        _join(issue, issue.merged_into)
    elif issue.status == IssueStatus.PENDING_CONFIRMATION:
        _send_confirmation_code(issue)
    elif issue.status == IssueStatus.PENDING_REVIEW:
        _notify_staff(issue, kind="citizen_issue.review", title=_("待审核的群众反映：%(title)s"))
    elif issue.status == IssueStatus.SUBMITTED:
        _route(issue, by=by)
    if issue.status != IssueStatus.PENDING_CONFIRMATION:
        _text_citizen(
            issue=issue,
            key=f"issue:{issue.pk}:receipt",
            text=_("您反映的问题已提交，查询码%(code)s，查看进展：%(url)s")
            % {"code": issue.tracking_code, "url": _link(issue.get_tracking_url())},
        )


def _join(issue: CitizenIssue, target: CitizenIssue) -> None:
    """A citizen reported what someone already had: one problem, more voices."""
    CitizenIssue.objects.filter(pk=target.pk).update(supporters=F("supporters") + 1)
    record_event(
        case_type=ISSUE_CASE,
        case_id=issue.pk,
        action="join",
        by=None,
        actor_label=_citizen_label(),
        note=_("并入 %(code)s") % {"code": target.tracking_code},
        public_note=_("您的反映已与其他群众反映的同一问题合并办理，办理进展将在此一并显示。"),
    )
    record_event(
        case_type=ISSUE_CASE,
        case_id=target.pk,
        action="supporter_joined",
        by=None,
        actor_label=_citizen_label(),
        note=_("又有群众反映同一问题（%(code)s）") % {"code": issue.tracking_code},
    )


def _send_confirmation_code(issue: CitizenIssue) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    CitizenIssue.objects.filter(pk=issue.pk).update(
        confirmation_code_hash=_confirmation_hash(issue.tracking_token, code)
    )
    _text_citizen(
        issue=issue,
        key=f"issue:{issue.pk}:confirm",
        required=True,
        text=_("验证码%(code)s，用于确认您在人大代表联络平台反映的问题。") % {"code": code},
    )


def _notify_staff(issue: CitizenIssue, *, kind: str, title: str) -> None:
    notify(
        recipients=staff_of(staff_region_for(issue.region)),
        kind=kind,
        title=title % {"title": issue.title, "code": issue.tracking_code},
        url=issue.get_absolute_url(),
        case_type=ISSUE_CASE,
        case_id=issue.pk,
    )


def citizen_issue_confirm(*, issue: CitizenIssue, code: str) -> CitizenIssue:
    """The citizen types the SMS code on the tracking page: the problem is routed."""
    if issue.status != IssueStatus.PENDING_CONFIRMATION:
        raise InvalidTransition()
    if issue.confirmation_attempts >= MAX_CODE_ATTEMPTS:
        raise RuleViolation(_("验证码错误次数过多，请重新提交。"))
    expected = issue.confirmation_code_hash
    given = _confirmation_hash(issue.tracking_token, code.strip())
    if not expected or not hmac.compare_digest(expected, given):
        CitizenIssue.objects.filter(pk=issue.pk).update(
            confirmation_attempts=F("confirmation_attempts") + 1
        )
        raise RuleViolation(_("验证码不正确，请核对短信后重新输入。"))
    action = "confirm_for_review" if issue.moderation_reason else "confirm"
    with transaction.atomic():
        _transition(
            issue,
            action,
            by=None,
            updates={"confirmation_code_hash": ""},
            public_note=_("手机号已确认，您的问题已正式提交。"),
        )
        if issue.status == IssueStatus.SUBMITTED:
            _route(issue, by=None)
        else:
            _notify_staff(
                issue, kind="citizen_issue.review", title=_("待审核的群众反映：%(title)s")
            )
    return issue


def citizen_issue_moderate(
    *, issue: CitizenIssue, by: User, approve: bool, note: str = ""
) -> CitizenIssue:
    """A person looked at a held submission: let it through, or block it."""
    with transaction.atomic():
        if approve:
            _transition(issue, "approve", by=by, note=note)
            _route(issue, by=by)
        else:
            _transition(
                issue,
                "reject",
                by=by,
                note=note,
                updates={"closed_at": timezone.now()},
                public_note=_("您提交的内容未通过审核。如有实际问题，请如实描述后重新反映。"),
            )
    return issue


# --- intake and handling ------------------------------------------------------------------------


def _require_place(
    by: User | None, issue: CitizenIssue, representative: Representative | None = None
) -> None:
    """Staff act on the problems of their jurisdiction and give them to its
    representatives; a representative acts on a problem addressed to them or given
    them to handle, and gives it to nobody but themselves. Anything else is a 404."""
    mine = representative_of(by) if by is not None else None
    if (
        mine is not None
        and mine.pk in (issue.representative_id, issue.handler_id)
        and (representative is None or representative.pk == mine.pk)
    ):
        return
    require_in_jurisdiction(by, issue.region, representative.region if representative else None)


def _require_department(by: User | None, issue: CitizenIssue, department: Department) -> None:
    """A problem goes to a department of its own region or of a region above it. Another
    place's department is a 404, unless the staff may see it (then the rule is named)."""
    if department.region_id in issue.region.ancestor_ids():
        return
    if by is None or within_reach(by, department.region):
        raise RuleViolation(_("只能交办问题所在地区或上级地区的承办单位。"))
    raise OutOfJurisdiction


def citizen_issue_accept(
    *,
    issue: CitizenIssue,
    by: User,
    representative: Representative | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """受理, and hand it to a representative (the chosen one, else the default)."""
    _require_place(by, issue, representative)
    with transaction.atomic():
        _transition(
            issue,
            "accept",
            by=by,
            note=note,
            expected_version=expected_version,
            public_note=_("您反映的问题已受理。"),
        )
        for step in _open_steps(issue):
            if step.status == AssignmentStatus.ASSIGNED:
                loop.assignment_accept(assignment=step, by=by)
        chosen = representative or default_representative(issue)
        if chosen is not None:
            # The default handler is the system's choice (the addressed representative,
            # the grid's, the station's), not the user's: only a chosen one was checked.
            _assign(issue, chosen, by=by)
    return issue


def citizen_issue_decline(
    *,
    issue: CitizenIssue,
    by: User,
    reason: str,
    channel: str,
    expected_version: int | None = None,
) -> CitizenIssue:
    """Not for representatives (a lawsuit, a petition…): say why and where to go."""
    if not reason.strip():
        raise RuleViolation(_("请说明不予受理的理由。"))
    from suggestions.models.citizen import DeclineChannel

    channel_label = DeclineChannel(channel).label if channel else _("其他渠道")
    with transaction.atomic():
        _transition(
            issue,
            "decline",
            by=by,
            note=reason,
            expected_version=expected_version,
            updates={
                "decline_reason": reason.strip(),
                "decline_channel": channel,
                "closed_at": timezone.now(),
            },
            public_note=_(
                "经审核，该事项不属于人大代表受理范围：%(reason)s 建议您通过%(channel)s反映。"
            )
            % {"reason": reason.strip(), "channel": channel_label},
        )
        _finish_own_steps(issue, by=by, note=_("不予受理"))
        _text_citizen(
            issue=issue,
            key=f"issue:{issue.pk}:declined",
            text=_("您反映的问题（%(code)s）已有处理意见，请查看：%(url)s")
            % {"code": issue.tracking_code, "url": _link(issue.get_tracking_url())},
        )
    return issue


def citizen_issue_assign(
    *,
    issue: CitizenIssue,
    representative: Representative,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """Give the problem to a representative to handle, with the handling deadline."""
    _require_place(by, issue, representative)
    return _assign(issue, representative, by=by, note=note, expected_version=expected_version)


def _assign(
    issue: CitizenIssue,
    representative: Representative,
    *,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    first = issue.handler_id is None
    with transaction.atomic():
        _transition(
            issue,
            "assign",
            by=by,
            note=note,
            expected_version=expected_version,
            updates={"handler": representative},
            data={"representative": representative.name},
            public_note=_("已转交人大代表办理。") if first else "",
        )
        _finish_own_steps(
            issue, by=by, note=_("已分派给%(name)s代表") % {"name": representative.name}
        )
        _start_step(
            issue,
            by=by,
            representative=representative,
            deadline=conf.handling_deadline(),
            note=note or _("请办理群众反映的问题"),
        )
    return issue


def _ask_for_rating(issue: CitizenIssue) -> None:
    """The answer is out: the citizen is asked to rate it (tracking page, SMS)."""
    _text_citizen(
        issue=issue,
        key=f"issue:{issue.pk}:rate:{issue.reopen_count}",
        text=_("您反映的问题（%(code)s）已有答复，请查看并评价：%(url)s")
        % {"code": issue.tracking_code, "url": _link(issue.get_tracking_url())},
    )
    joined = CitizenIssue.objects.filter(merged_into=issue, wants_sms=True).exclude(mobile="")
    for other in joined[:200]:
        _text_citizen(
            issue=other,
            key=f"issue:{other.pk}:joined-answer:{issue.reopen_count}",
            text=_("您反映的问题（%(code)s）已有答复，请查看：%(url)s")
            % {"code": other.tracking_code, "url": _link(other.get_tracking_url())},
        )


def _answered_updates(answer: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "answer": answer.strip(),
        "answered_at": timezone.now(),
        "rating_due_on": add_deadline(today, conf.rating_period()),
    }


def _tell_citizen(
    issue: CitizenIssue,
    action: str,
    *,
    by: User,
    answer: str,
    note: str,
    expected_version: int | None,
) -> CitizenIssue:
    """The representative's answer reaches the citizen, who is then asked to rate it."""
    if not answer.strip():
        raise RuleViolation(_("请填写给群众的答复。"))
    with transaction.atomic():
        _transition(
            issue,
            action,
            by=by,
            note=note,
            expected_version=expected_version,
            updates=_answered_updates(answer),
            public_note=answer.strip(),
        )
        _finish_own_steps(issue, by=by, note=answer)
        _ask_for_rating(issue)
    return issue


def citizen_issue_answer(
    *,
    issue: CitizenIssue,
    by: User,
    answer: str,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """当场解答 / 协调解决: the representative answers the citizen directly."""
    return _tell_citizen(
        issue, "answer", by=by, answer=answer, note=note, expected_version=expected_version
    )


def citizen_issue_merge(
    *, issue: CitizenIssue, into: CitizenIssue, by: User, note: str = ""
) -> CitizenIssue:
    """The same problem was reported before: handle it once, with both voices."""
    if into.pk == issue.pk or into.status not in OPEN_ISSUE_STATUSES:
        raise RuleViolation(_("只能并入正在办理中的其他问题。"))
    if into.merged_into_id is not None:
        raise RuleViolation(_("不能并入已被合并的问题。"))
    with transaction.atomic():
        _transition(
            issue,
            "merge",
            by=by,
            note=note,
            updates={"merged_into": into, "closed_at": timezone.now()},
            data={"into": into.tracking_code},
            public_note=_("您反映的问题与其他群众反映的同一问题合并办理，办理进展将在此一并显示。"),
        )
        _finish_own_steps(issue, by=by, note=_("并入 %(code)s") % {"code": into.tracking_code})
        CitizenIssue.objects.filter(pk=into.pk).update(
            supporters=F("supporters") + issue.supporters
        )
        record_event(
            case_type=ISSUE_CASE,
            case_id=into.pk,
            action="supporter_joined",
            by=by,
            note=_("%(code)s 并入本件") % {"code": issue.tracking_code},
        )
    return issue


# Citizen categories → the subject of a representative's suggestion.
SUGGESTION_CATEGORY_OF = {
    "roads": "transport",
    "environment": "environment",
    "utilities": "urban",
    "housing": "urban",
    "education": "education",
    "health": "health",
    "social_security": "social",
    "employment": "social",
    "public_safety": "legal",
    "business": "economy",
    "rural": "agriculture",
}


def _draft_suggestion(issue: CitizenIssue, by: User) -> int:
    """The representative's draft suggestion for their next congress session.

    The draft stays the representative's to edit, invite co-signers to and submit
    (the suggestions channel's own workflow); the citizen's case records its id.
    """
    from suggestions.formal.selectors import session_for_new_suggestion
    from suggestions.formal.services import suggestion_create

    # The representative handling the case files it; else the one it was addressed to.
    representative = issue.handler or issue.representative
    if representative is None:
        raise RuleViolation(_("请先把问题交给一位代表：代表建议须由代表提出。"))
    session = session_for_new_suggestion(representative)
    if session is None:
        raise RuleViolation(
            _("%(name)s目前没有可以提出建议的人民代表大会会议，请工作人员先登记下一次会议。")
            % {"name": representative}
        )
    category = SUGGESTION_CATEGORY_OF.get(issue.category.code if issue.category else "", "other")
    suggestion = suggestion_create(
        lead=representative,
        session=session,
        title=_("关于%(title)s的建议") % {"title": issue.title},
        content=_("群众反映（%(code)s）：%(text)s")
        % {"code": issue.tracking_code, "text": issue.description},
        category=category,
        by=by,
        research_basis=_("由群众反映的问题 %(code)s 转来") % {"code": issue.tracking_code},
    )
    return int(suggestion.pk)


def citizen_issue_convert(
    *, issue: CitizenIssue, by: User, to: str, note: str = ""
) -> CitizenIssue:
    """Turn the problem into a formal suggestion for the next session, or a lead for
    the livelihood-project call. A suggestion becomes a real draft in the
    representative's name (the suggestions channel takes it from there); a
    livelihood lead waits in the list (status 已转为建议, kind 民生实事) for the next
    call for proposals, which the livelihood-vote app will run."""
    kind = ConversionKind(to)
    public = {
        ConversionKind.SUGGESTION: _(
            "代表已将您反映的问题转为代表建议，将在人民代表大会会议期间提出，交有关部门研究办理。"
        ),
        ConversionKind.LIVELIHOOD: _(
            "代表已将您反映的问题作为民生实事项目建议提出，将在项目征集时一并研究。"
        ),
    }[kind]
    with transaction.atomic():
        data: dict[str, Any] = {"to": kind.value}
        if kind == ConversionKind.SUGGESTION:
            data["suggestion_id"] = _draft_suggestion(issue, by)
        _transition(
            issue,
            "convert",
            by=by,
            note=note,
            updates={"converted_to": kind, "closed_at": timezone.now()},
            data=data,
            public_note=public,
        )
        _finish_own_steps(issue, by=by, note=str(kind.label))
    return issue


def citizen_issue_forward(
    *,
    issue: CitizenIssue,
    department: Department,
    by: User,
    note: str = "",
    public_note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """交办: hand the problem to a department with a working-day deadline."""
    _require_place(by, issue)
    _require_department(by, issue, department)
    current = department_assignment(issue)
    if current is not None and current.is_open:
        raise RuleViolation(_("该问题已交办，承办单位正在办理。"))
    if not department.is_active:
        raise RuleViolation(_("该承办单位已停用。"))
    due = add_deadline(timezone.localdate(), conf.department_deadline())
    with transaction.atomic():
        _transition(
            issue,
            "forward",
            by=by,
            note=note,
            expected_version=expected_version,
            data={"department": department.name, "due_on": str(due)},
            public_note=public_note
            or _("已交有关部门办理，办理期限至%(due)s。") % {"due": due.isoformat()},
        )
        _finish_own_steps(issue, by=by, note=_("已交办%(name)s") % {"name": department.name})
        return loop.assignment_create(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            title=_title(issue),
            region=issue.region,
            by=by,
            department=department,
            due_on=due,
            note=note,
        )


def citizen_issue_decide_return(
    *, issue: CitizenIssue, assignment: Assignment, by: User, approve: bool, note: str = ""
) -> CitizenIssue:
    """Staff decide a department's request to return a mis-assigned problem."""
    with transaction.atomic():
        loop.assignment_decide_return(assignment=assignment, by=by, approve=approve, note=note)
        if approve and issue.status == IssueStatus.FORWARDED:
            _transition(
                issue,
                "department_returned",
                by=by,
                note=note,
                public_note=_("正在重新确定承办部门。"),
            )
            _start_step(
                issue,
                by=by,
                representative=issue.handler,
                deadline=conf.handling_deadline(),
                note=_("承办单位退回，请重新交办"),
            )
    return issue


def citizen_issue_department_reply(
    *,
    issue: CitizenIssue,
    assignment: Assignment,
    by: User,
    reply: str,
    attachments: Sequence[CleanUpload] = (),
    expected_version: int | None = None,
) -> CitizenIssue:
    """The department answers; the representative then reviews it and reports back."""
    with transaction.atomic():
        event = loop.assignment_reply(
            assignment=assignment, by=by, note=reply, expected_version=expected_version
        )
        for upload in attachments:
            attach_to_event(event=event, upload=upload)
        _transition(
            issue,
            "department_reply",
            by=by,
            data={"department": str(assignment.department)},
            public_note=_("承办部门已答复，代表正在核实办理情况。"),
        )
        _start_step(
            issue,
            by=by,
            representative=issue.handler,
            deadline=conf.review_deadline(),
            note=_("请核实承办部门的答复，并向群众反馈"),
        )
    return issue


def citizen_issue_report_back(
    *,
    issue: CitizenIssue,
    by: User,
    answer: str,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """The representative tells the citizen what the department did (in plain words)."""
    return _tell_citizen(
        issue, "report_back", by=by, answer=answer, note=note, expected_version=expected_version
    )


def citizen_issue_send_back(*, issue: CitizenIssue, by: User, reason: str) -> CitizenIssue:
    """The department's reply does not answer the problem: it handles it again."""
    if not reason.strip():
        raise RuleViolation(_("请说明退回重办的理由。"))
    assignment = department_assignment(issue)
    if assignment is None or assignment.status != AssignmentStatus.REPLIED:
        raise InvalidTransition()
    with transaction.atomic():
        loop.assignment_reopen(
            assignment=assignment, by=by, reason=reason, deadline=conf.department_deadline()
        )
        _transition(
            issue,
            "send_back",
            by=by,
            note=reason,
            public_note=_("代表要求承办部门继续办理。"),
        )
        _finish_own_steps(issue, by=by, note=reason)
    return issue


# --- rating, reopening, closing --------------------------------------------------------------------


def citizen_issue_rate(*, issue: CitizenIssue, rating: str, comment: str = "") -> CitizenIssue:
    """回访 by the citizen: 满意/基本满意 closes it; 不满意 reopens it for re-handling
    with its own deadline, and a second reopening flags it for supervision (督办)."""
    if rating not in (IssueRating.SATISFIED, IssueRating.BASICALLY, IssueRating.UNSATISFIED):
        raise RuleViolation(_("请选择满意、基本满意或不满意。"))
    comment = comment.strip()[:500]
    now = timezone.now()
    base = {"rating": rating, "rating_comment": comment, "rated_at": now}
    with transaction.atomic():
        if rating != IssueRating.UNSATISFIED:
            _transition(
                issue,
                "rate",
                by=None,
                note=comment,
                updates={**base, "closed_at": now},
                data={"rating": rating},
                public_note=_("感谢您的评价（%(rating)s）。本件已办结。")
                % {"rating": IssueRating(rating).label},
            )
            department = department_assignment(issue)
            if department is not None and department.status == AssignmentStatus.REPLIED:
                loop.assignment_close(
                    assignment=department, by=None, note=str(IssueRating(rating).label)
                )
            return issue
        _reopen(issue, comment=comment, updates=base)
    return issue


def _reopen(issue: CitizenIssue, *, comment: str, updates: dict[str, Any]) -> None:
    reopened = issue.reopen_count + 1
    flag = reopened >= conf.supervision_after_reopens() and not issue.needs_supervision
    changes = {
        **updates,
        "reopen_count": reopened,
        "rating_due_on": None,
        "needs_supervision": issue.needs_supervision or flag,
    }
    reason = comment or _("群众对办理结果不满意")
    department = department_assignment(issue)
    due = add_deadline(timezone.localdate(), conf.rehandling_deadline())
    public = _("您对办理结果不满意，已安排重新办理，期限至%(due)s。") % {"due": due.isoformat()}
    if department is not None and department.status == AssignmentStatus.REPLIED:
        _transition(
            issue,
            "reopen_department",
            by=None,
            note=comment,
            updates=changes,
            public_note=public,
            data={"rating": IssueRating.UNSATISFIED},
        )
        loop.assignment_reopen(
            assignment=department, by=None, reason=reason, deadline=conf.rehandling_deadline()
        )
    else:
        _transition(
            issue,
            "reopen",
            by=None,
            note=comment,
            updates=changes,
            public_note=public,
            data={"rating": IssueRating.UNSATISFIED},
        )
        _start_step(
            issue,
            by=None,
            representative=issue.handler,
            deadline=conf.rehandling_deadline(),
            note=reason,
        )
    if flag:
        record_event(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action="supervision",
            by=None,
            actor_label=_("系统"),
            note=_("群众第%(n)s次不满意，列入督办") % {"n": reopened},
        )
        _notify_staff(
            issue,
            kind="citizen_issue.supervision",
            title=_("督办：群众多次不满意“%(title)s”（%(code)s）"),
        )


def citizen_issue_close_unrated(*, issue: CitizenIssue) -> CitizenIssue:
    """No rating within the period: closed as not rated; the representative is asked
    to make a return visit (回访) and log it."""
    with transaction.atomic():
        _transition(
            issue,
            "close_unrated",
            by=None,
            actor_label=_("系统"),
            updates={"rating": IssueRating.NOT_RATED, "closed_at": timezone.now()},
            public_note=_("评价期已过，本件按未评价办结。如问题仍未解决，欢迎再次反映。"),
        )
        department = department_assignment(issue)
        if department is not None and department.status == AssignmentStatus.REPLIED:
            loop.assignment_close(assignment=department, by=None, note=_("逾期未评价"))
        handler = issue.handler
        if handler is not None and handler.user is not None:
            notify(
                recipients=[handler.user],
                kind="citizen_issue.return_visit",
                title=_("请回访群众：%(title)s（逾期未评价）") % {"title": issue.title},
                url=issue.get_absolute_url(),
                case_type=ISSUE_CASE,
                case_id=issue.pk,
            )
    return issue


def citizen_issues_close_unrated(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Periodic: close every answered problem whose rating period has run out.

    Cost: one indexed query (partial index on rating_due_on of answered rows) for
    at most ``limit`` rows, then one transition each; a second run finds nothing.
    """
    today = today or timezone.localdate()
    closed = 0
    due = CitizenIssue.objects.filter(
        status=IssueStatus.ANSWERED, rating_due_on__lt=today
    ).select_related("handler__user")
    for issue in due.order_by("rating_due_on", "pk")[:limit]:
        try:
            citizen_issue_close_unrated(issue=issue)
        except (InvalidTransition, StaleState):
            continue  # rated or closed by someone else meanwhile
        closed += 1
    return closed


def citizen_issue_log_return_visit(
    *, issue: CitizenIssue, by: User, summary: str, kind: str = ContactKind.RETURN_VISIT
) -> ContactLog:
    """The representative's 回访, logged as a voter contact (issue 4) and on the timeline."""
    from representatives.services import contact_log_record

    if issue.handler is None:
        raise RuleViolation(_("该问题没有办理代表。"))
    if not summary.strip():
        raise RuleViolation(_("请填写回访情况。"))
    today = timezone.localdate()
    key = uuid.uuid5(KEY_NAMESPACE, f"return-visit:{issue.pk}:{today}")
    with transaction.atomic():
        log, created = contact_log_record(
            representative=issue.handler,
            kind=kind,
            contacted_on=today,
            summary=summary.strip(),
            by=by,
            idempotency_key=key,
            station=issue.station,
        )
        if created:
            record_event(
                case_type=ISSUE_CASE,
                case_id=issue.pk,
                action="return_visit",
                by=by,
                note=summary.strip(),
                public_note=_("代表已对本件进行回访。"),
                data={"contact_log": log.pk},
            )
    return log


# --- staff tools --------------------------------------------------------------------------------


def citizen_issue_set_public(
    *, issue: CitizenIssue, hidden: bool, by: User, reason: str = ""
) -> CitizenIssue:
    """Staff hide a problem from the station's public board (or show it again)."""
    with transaction.atomic():
        CitizenIssue.objects.filter(pk=issue.pk).update(hidden_from_public=hidden)
        record_event(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            action="hide_public" if hidden else "show_public",
            by=by,
            note=reason,
        )
    issue.refresh_from_db()
    return issue


def citizen_issue_ban_phone(
    *, issue: CitizenIssue, by: User, reason: str, days: int | None = None
) -> BannedPhone:
    """No more submissions from this number (abuse). Only the number's hash is stored."""
    if not issue.mobile_hash:
        raise RuleViolation(_("该问题没有留手机号。"))
    if not reason.strip():
        raise RuleViolation(_("请说明限制的原因。"))
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    with transaction.atomic():
        ban, _created = BannedPhone.objects.update_or_create(
            mobile_hash=issue.mobile_hash,
            defaults={"reason": reason.strip()[:200], "created_by": by, "expires_at": expires},
        )
        record_event(case_type=ISSUE_CASE, case_id=issue.pk, action="ban_phone", by=by, note=reason)
    return ban


def citizen_issue_reveal_contact(
    *, issue: CitizenIssue, by: User, request: HttpRequest | None = None
) -> dict[str, str]:
    """The handler needs to call the citizen back: the full name and number, audited."""
    audit_record(
        action=AuditAction.REVEAL,
        actor=by,
        obj=issue,
        request=request,
        detail={"fields": ["citizen_name", "mobile"], "case": ISSUE_CASE},
    )
    return {"citizen_name": issue.citizen_name, "mobile": issue.mobile}


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def citizen_issues_bulk_assign(
    *, issues: Iterable[CitizenIssue], representative: Representative, by: User
) -> BulkResult:
    """Give many problems to one representative; each on its own, so one that moved
    meanwhile is skipped (and named) instead of failing the batch."""
    require_in_jurisdiction(by, representative.region)
    result = BulkResult()
    for issue in issues:
        try:
            if issue.status == IssueStatus.SUBMITTED:
                citizen_issue_accept(issue=issue, by=by, representative=representative)
            else:
                citizen_issue_assign(issue=issue, representative=representative, by=by)
        except DomainError:
            result.skipped.append(issue.tracking_code)
        else:
            result.done.append(issue.tracking_code)
    return result


def citizen_issues_export(
    *,
    issues: QuerySet[CitizenIssue],
    by: User,
    include_personal: bool = False,
    request: HttpRequest | None = None,
    filters: str = "",
) -> bytes:
    """An Excel file of the list. Names and numbers only with the permission, and
    every export is on the audit trail (what, how many, with or without them)."""
    from suggestions.citizen.exports import issues_workbook

    if include_personal and not by.has_perm("suggestions.export_personal_data"):
        raise RuleViolation(_("您没有导出群众个人信息的权限。"))
    content, count = issues_workbook(issues, include_personal=include_personal)
    audit_record(
        action=AuditAction.EXPORT,
        actor=by,
        request=request,
        detail={
            "what": ISSUE_CASE,
            "rows": count,
            "personal_data": include_personal,
            "filters": filters[:500],
        },
    )
    return content


def citizen_issue_create_from_contact(
    *,
    contact_log: ContactLog,
    description: str,
    category: IssueCategory | str,
    by: User,
    problem: ContactProblem | None = None,
) -> CitizenIssue:
    """A problem raised in a representative's voter contact becomes a case in one tap
    (issue 4). It starts with that representative as its handler; tapping twice
    returns the same case. The contact's problem row (given, or found by its text)
    is marked as handed on."""
    if isinstance(category, str):
        category = IssueCategory.objects.get(code=category)
    representative = contact_log.representative
    station = contact_log.station
    region = station.region if station is not None else representative.region
    key = uuid.uuid5(KEY_NAMESPACE, f"contact:{contact_log.pk}:{description.strip()}")
    submission = Submission(
        category=category,
        description=description,
        region=region,
        station=station,
        representative=representative,
        source=IssueSource.CONTACT,
    )
    with transaction.atomic():
        issue, created = citizen_issue_submit(submission=submission, idempotency_key=key, by=by)
        if created:
            citizen_issue_accept(issue=issue, by=by, representative=representative)
            _mark_problem_converted(contact_log, description, issue, by, problem)
    return issue


def _mark_problem_converted(
    contact_log: ContactLog,
    description: str,
    issue: CitizenIssue,
    by: User,
    problem: ContactProblem | None,
) -> None:
    from representatives.services import contact_problem_mark_converted

    if problem is None:
        problem = contact_log.problems.filter(
            text=description.strip()[:500], case_id__isnull=True
        ).first()
    if problem is not None and problem.case_id is None:
        contact_problem_mark_converted(
            problem=problem, case_type=ISSUE_CASE, case_id=issue.pk, by=by
        )


# --- appointments (约见) -----------------------------------------------------------------------


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


def _latest_allowed(appointment: Appointment) -> datetime.date:
    return add_deadline(appointment.preferred_date, conf.appointment_max_postpone())


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
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                kind=AppointmentKind.CITIZEN,
                idempotency_key=idempotency_key,
                representative=representative,
                station=station,
                region=station.region if station is not None else representative.region,
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
                deadline=conf.appointment_response_deadline(),
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
            _appointment_step(appointment, by=by, deadline=conf.appointment_response_deadline())
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
            deadline=conf.appointment_department_deadline(),
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


# --- retention (congress.retention) -----------------------------------------------------------


def expired_issues(cutoff: datetime.datetime) -> QuerySet[CitizenIssue]:
    return CitizenIssue.objects.filter(
        status__in=[
            IssueStatus.CLOSED,
            IssueStatus.DECLINED,
            IssueStatus.MERGED,
            IssueStatus.CONVERTED,
            IssueStatus.REJECTED,
        ],
        closed_at__lt=cutoff,
        anonymised_at__isnull=True,
    )


def issues_anonymise(rows: QuerySet[CitizenIssue]) -> int:
    """Who the citizen was goes; the problem, its timeline and its rating stay."""
    return rows.update(
        citizen_name="",
        mobile="",
        mobile_hash="",
        wants_sms=False,
        confirmation_code_hash="",
        anonymised_at=timezone.now(),
    )


def expired_appointments(cutoff: datetime.datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        status__in=[
            AppointmentStatus.HELD,
            AppointmentStatus.DECLINED,
            AppointmentStatus.CANCELLED,
        ],
        created_at__lt=cutoff,
        anonymised_at__isnull=True,
        kind=AppointmentKind.CITIZEN,
    )


def appointments_anonymise(rows: QuerySet[Appointment]) -> int:
    return rows.update(citizen_name="", mobile="", mobile_hash="", anonymised_at=timezone.now())


# --- facts the lists read (docs/architecture.md, "Reads that do not grow with the data") ------


def _count(issue: CitizenIssue, *, delta: int, status: str = "", flag: bool | None = None) -> None:
    counter_add(
        IssueCount,
        delta=delta,
        area_id=issue.count_area_id,
        status=status or issue.status,
        needs_supervision=issue.needs_supervision if flag is None else flag,
    )


def _count_move(issue: CitizenIssue, status: str, flag: bool) -> None:
    """Move the problem from its old (status, 需督办) count to its new one."""
    if (status, flag) != (issue.status, issue.needs_supervision):
        _count(issue, delta=-1, status=status, flag=flag)
        _count(issue, delta=1)


def issue_steps_changed(case_id: int) -> None:
    """The engine's hook (``CaseType.on_steps_changed``): one of the problem's steps
    was created, moved, extended, paused or closed. Its row takes the earliest due
    date of its open steps, in the same transaction.

    The row is locked first and the steps read after the lock: of two steps of one
    problem changed at once, the second reads the first's committed change (a
    single UPDATE would compute its subquery from a snapshot taken before the wait).
    """
    rows = CitizenIssue.objects.filter(pk=case_id)
    if not list(rows.select_for_update().values_list("pk", flat=True)):
        return
    first = (
        Assignment.objects.filter(case_type=ISSUE_CASE, case_id=case_id, status__in=OPEN_STATUSES)
        .order_by("due_on", "pk")
        .values_list("due_on", "due_provisional")
        .first()
    )
    due, provisional = first if first is not None else (None, False)
    rows.update(next_due_on=due, next_due_provisional=provisional)


def issues_follow_region(region: Region) -> int:
    """After a region was saved: if it moved in the tree, its problems take their new
    ``area_N`` and move between counts. Returns how many problems moved.

    Cheap when nothing moved (a rename): one problem under the region is read and
    compared. A move rewrites the subtree's problems, which is an administrator's
    rare act, like the region's own path rewrite."""
    subtree = Region.objects.filter(path__startswith=region.path)
    probe = CitizenIssue.objects.filter(region__in=subtree.values("pk")).select_related("region")
    sample = probe.first()
    if sample is None or area_columns(sample.region) == {
        name: getattr(sample, name) for name in AREA_FIELDS
    }:
        return 0
    moved = 0
    with transaction.atomic():
        for place in subtree.filter(pk__in=probe.values("region_id")):
            moved += CitizenIssue.objects.filter(region=place).update(**area_columns(place))
        issue_counts_rebuild()
    return moved


def _counted_from_table() -> dict[tuple[int, str, bool], int]:
    area = Coalesce("area_3", "area_2", "area_1", "area_0")
    groups = (
        CitizenIssue.objects.filter(area_0__isnull=False)
        .values(key=area, state=F("status"), flag=F("needs_supervision"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(g["key"], g["state"], g["flag"]): g["n"] for g in groups}


def issue_counts_differences() -> dict[tuple[int, str, bool], tuple[int, int]]:
    """Summary rows that differ from a plain COUNT: {(area, status, flag): (kept, counted)}."""
    counted = _counted_from_table()
    kept = {
        (row.area_id, row.status, row.needs_supervision): row.count
        for row in IssueCount.objects.all()
    }
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in set(kept) | set(counted)
        if kept.get(key, 0) != counted.get(key, 0)
    }


def issue_counts_rebuild() -> int:
    """Count the problems again into ``IssueCount`` (repair; a moved region). Returns
    the number of summary rows. Cost: one grouped scan of the problems."""
    rows = [
        IssueCount(area_id=area, status=status, needs_supervision=flag, count=n)
        for (area, status, flag), n in _counted_from_table().items()
    ]
    with transaction.atomic():
        IssueCount.objects.all().delete()
        IssueCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def issue_reads_rebuild(*, batch: int = 5000) -> dict[str, int]:
    """Recompute every fact the lists read from the tables they come from: each
    problem's ``area_N`` (from its region) and ``next_due_on`` (from its open
    steps), then the counts. For repair, and after rows were written in bulk
    (the demo, ``generate_city``). Cost: one UPDATE per region holding problems,
    one UPDATE per ``batch`` problems, one grouped scan."""
    areas = 0
    places = Region.objects.filter(
        pk__in=CitizenIssue.objects.order_by().values("region_id").distinct()
    )
    for place in places.iterator(chunk_size=2000):
        areas += CitizenIssue.objects.filter(region=place).update(**area_columns(place))
    steps = Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=OuterRef("pk"), status__in=OPEN_STATUSES
    ).order_by("due_on", "pk")
    dues = 0
    last = 0
    while True:
        ids = list(
            CitizenIssue.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        dues += CitizenIssue.objects.filter(pk__in=ids).update(
            next_due_on=Subquery(steps.values("due_on")[:1]),
            next_due_provisional=Coalesce(Subquery(steps.values("due_provisional")[:1]), False),
        )
        last = ids[-1]
    return {"areas": areas, "due_dates": dues, "counts": issue_counts_rebuild()}


# --- the default taxonomy ----------------------------------------------------------------------

DEFAULT_CATEGORIES = [
    ("roads", "道路交通"),
    ("environment", "生态环境"),
    ("utilities", "水电气暖"),
    ("housing", "住房与物业管理"),
    ("education", "教育"),
    ("health", "医疗卫生"),
    ("social_security", "社会保障"),
    ("employment", "就业创业"),
    ("public_safety", "公共安全"),
    ("business", "企业与营商环境"),
    ("rural", "农业农村"),
    ("other", "其他"),
]


def categories_ensure_defaults() -> int:
    """Create the default categories that are missing (after every migrate; an
    administrator's renames and deactivations are kept)."""
    existing = set(IssueCategory.objects.values_list("code", flat=True))
    missing = [
        IssueCategory(code=code, name=name, sort_order=index * 10)
        for index, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1)
        if code not in existing
    ]
    IssueCategory.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
