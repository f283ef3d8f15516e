"""A citizen's submission: checks, the problem row with its idempotency key and its
'submitted' event, photos, joining a known problem, and the SMS confirmation code.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congress.areas import area_columns
from congress.errors import InvalidTransition, RuleViolation
from congress.models import Region, User
from congress.queue import enqueue_on_commit
from congress.rules import rules_at
from congress.uploads import CleanUpload, new_token
from congress.workflow import record_event
from representatives.models import Representative, Station
from suggestions.citizen import conf
from suggestions.citizen.privacy import mobile_hash, normalize_mobile, validate_mobile
from suggestions.citizen.selectors import is_banned
from suggestions.citizen.services.base import _citizen_label, _transition, new_tracking_code
from suggestions.citizen.services.counts import _count
from suggestions.citizen.services.messages import _link, _text_citizen
from suggestions.citizen.services.monthly import month_count_received
from suggestions.citizen.services.steps import _notify_staff, _route
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    OPEN_ISSUE_STATUSES,
    CitizenIssue,
    IssueCategory,
    IssuePhoto,
    IssueSource,
    IssueStatus,
)

MAX_CODE_ATTEMPTS = 5
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


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


def _check(submission: Submission, number: str, rules: Mapping[str, Any]) -> None:
    if submission.source != IssueSource.CONTACT and not submission.consent:
        raise RuleViolation(_("请阅读并同意个人信息告知后再提交。"))
    if not submission.description.strip():
        raise RuleViolation(_("请描述您要反映的问题。"))
    if len(submission.description) > conf.max_description():
        raise RuleViolation(_("问题描述不能超过%(n)s个字。") % {"n": conf.max_description()})
    if len(submission.photos) > conf.max_photos():
        raise RuleViolation(_("最多上传%(n)s张照片。") % {"n": conf.max_photos()})
    validate_mobile(number)
    if (
        conf.sms_confirmation_required(recorded=rules)
        and not number
        and submission.source != IssueSource.CONTACT
    ):
        raise RuleViolation(_("请填写手机号，以便短信确认。"))
    if submission.join is not None and submission.join.status not in OPEN_ISSUE_STATUSES:
        raise RuleViolation(_("该问题已办结，请单独提交您的问题。"))


def moderation_reason(text: str, words: Sequence[str] | None = None) -> str:
    """Why a submission waits for a person before anyone else sees it ("" = it does not).
    ``words``: the moderation words of the problem's congress (else the installation's)."""
    lowered = text.lower()
    for word in conf.moderation_words() if words is None else words:
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
    *,
    submission: Submission,
    idempotency_key: uuid.UUID,
    by: User | None = None,
    route_after_commit: bool = False,
) -> tuple[CitizenIssue, bool]:
    """Save a citizen's problem; a retry with the same key returns the first one.

    Returns (issue, created). The broker is touched only after commit
    (notifications, SMS), so a Redis outage cannot lose the problem.

    A retry is found by the unique key itself: the INSERT refuses it and the
    first case is read then. The public form and the API look the key up before
    their rate limits anyway, so a first submission pays no extra query for it.

    ``route_after_commit`` (the public form): a problem that is through gets its
    受理 step from a task after commit instead of in this transaction, so the
    citizen is answered once the problem is stored; a lost task is caught up by
    the citizen sweep (``routing``).
    """
    number = normalize_mobile(submission.mobile)
    # The rules in force at the problem's place, recorded on it (docs/rules.md): one query.
    rules = rules_at(submission.region, conf.CASE_RULES)
    _check(submission, number, rules)
    hashed = mobile_hash(number)
    if submission.source != IssueSource.CONTACT and is_banned(hashed):
        raise RuleViolation(_("该手机号暂不能通过本渠道提交，请到就近的代表联络站当面反映。"))
    for _attempt in range(5):
        try:
            issue = _create(
                submission,
                idempotency_key,
                number,
                hashed,
                by,
                later=route_after_commit,
                rules=rules,
            )
            return issue, True
        except IntegrityError:
            existing = CitizenIssue.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False  # the same submission raced in twice; it won once
            # Otherwise two problems drew the same tracking code: draw again.
    raise RuleViolation(_("提交失败，请稍后再试。"))


def _initial_status(
    submission: Submission, number: str, rules: Mapping[str, Any]
) -> tuple[str, str]:
    if submission.join is not None:
        return IssueStatus.MERGED, ""
    if submission.source == IssueSource.CONTACT:
        return IssueStatus.SUBMITTED, ""
    reason = moderation_reason(submission.description, conf.moderation_words(recorded=rules))
    if conf.sms_confirmation_required(recorded=rules) and number:
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
    *,
    later: bool = False,
    rules: Mapping[str, Any],
) -> CitizenIssue:
    status, reason = _initial_status(submission, number, rules)
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
            rules_in_force=dict(rules),
            merged_into=submission.join,
            closed_at=now if submission.join is not None else None,
        )
        _count(issue, delta=1)
        month_count_received(issue)
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
        _after_submit(issue, by=by, later=later)
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


def _after_submit(issue: CitizenIssue, *, by: User | None, later: bool = False) -> None:
    if issue.status == IssueStatus.MERGED and issue.merged_into is not None:
        _join(issue, issue.merged_into)
    elif issue.status == IssueStatus.PENDING_CONFIRMATION:
        _send_confirmation_code(issue)
    elif issue.status == IssueStatus.PENDING_REVIEW:
        _notify_staff(issue, kind="citizen_issue.review", title=_("待审核的群众反映：%(title)s"))
    elif issue.status == IssueStatus.SUBMITTED and later:
        from suggestions.tasks import route_citizen_issue

        enqueue_on_commit(route_citizen_issue, issue.pk)
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
