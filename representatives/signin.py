"""Representatives sign in with their mobile number and a one-time SMS code.

Staff, department clerks and administrators keep their password and optional second
factor (congress/auth.py): the code opens only the login of exactly one
representative with a live seat. What a stranger sees never depends on whether a
number is known: an unknown number, a number two representatives share and a
staff member's number get the same neutral answer, a row of their own that counts
failures and locks, and a code nobody knows (docs/representatives-accounts.md).
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
from typing import NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models import Role, SignInCode, User
from congress.outbox import SEND_ERRORS
from congress.sms import CODE_REFERENCE_PREFIX, get_sms_backend
from representatives.models import MandateStatus, Representative

logger = logging.getLogger(__name__)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Roles whose holders sign in with a password (and a second factor when they set one).
PASSWORD_ROLES = (Role.STAFF, Role.HANDLER)


def normalize_mobile(value: str) -> str:
    """The 11 digits of a mainland mobile number, as typed with spaces, dashes or +86."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def number_digest(mobile: str) -> str:
    """A keyed hash of the number: what the sign-in rows and the rate limit count on."""
    return salted_hmac("representatives.signin.number", mobile).hexdigest()


def _code_digest(digest: str, issued_at: datetime.datetime, code: str) -> str:
    # Salted with the number and the moment it was issued, so the same code sent
    # twice never hashes the same.
    return salted_hmac(
        "representatives.signin.code", f"{digest}:{issued_at.isoformat()}:{code}"
    ).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(settings.SMS_SIGNIN_CODE_LENGTH))


def may_sign_in_by_sms(user: User) -> bool:
    """A representative's login with a live seat, and nothing that needs a password."""
    if not user.is_active or user.is_superuser or user.is_staff:
        return False
    if user.role_grants.filter(role__in=PASSWORD_ROLES).exists():
        return False
    # Ending a mandate ends the access it gave: with no live seat, no sign-in.
    return Representative.objects.filter(user=user, mandates__status=MandateStatus.ACTIVE).exists()


def signin_user_for(mobile: str) -> User | None:
    """The login a code for ``mobile`` opens: one representative's, else None (a number
    two representatives share opens neither's)."""
    found = list(Representative.objects.filter(mobile=mobile).select_related("user")[:2])
    if len(found) != 1 or found[0].user is None:
        return None
    user = found[0].user
    return user if may_sign_in_by_sms(user) else None


def _locked_message(row: SignInCode, now: datetime.datetime) -> str:
    assert row.locked_until is not None
    minutes = max(1, int((row.locked_until - now).total_seconds() + 59) // 60)
    return _("该号码验证码错误次数过多，已暂停验证码登录，请%(minutes)s分钟后再试。") % {
        "minutes": minutes
    }


def _row(digest: str) -> SignInCode:
    try:
        with transaction.atomic():
            row, _created = SignInCode.objects.get_or_create(number_digest=digest)
    except IntegrityError:
        # Two requests for the same number at once: the other one created the row.
        row = SignInCode.objects.get(number_digest=digest)
    return row


def _check_format(mobile: str) -> None:
    if not _MOBILE.match(mobile):
        raise RuleViolation(_("请输入11位手机号码。"))


def signin_code_request(*, mobile: str) -> str | None:
    """Issue a new code for ``mobile`` and text it, if it opens a login.

    The answer is the same whether it does or not: an unknown number gets a row and
    a code as well (nobody is told it), so its failures, lock and expiry behave alike.
    Returns None, except in the laptop demo (``settings.SMS_SIGNIN_DEMO_CODE``, which
    only DEBUG allows): there the code texted, for the code page to show, since the
    demo's SMS backend sends nothing. A number that opens no login gets no SMS, so
    nothing to show either, as no phone would receive one.
    """
    mobile = normalize_mobile(mobile)
    _check_format(mobile)
    now = timezone.now()
    digest = number_digest(mobile)
    row = _row(digest)
    if row.locked_until is not None and row.locked_until > now:
        raise RuleViolation(_locked_message(row, now))
    user = signin_user_for(mobile)
    code = _new_code()
    SignInCode.objects.filter(pk=row.pk).update(
        user=user,
        code_digest=_code_digest(digest, now, code),
        issued_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.SMS_SIGNIN_CODE_MINUTES),
        used_at=None,
    )
    if user is None:
        return None
    text = _("【代表履职】您的登录验证码为%(code)s，%(minutes)s分钟内有效。请勿告诉他人。") % {
        "code": code,
        "minutes": settings.SMS_SIGNIN_CODE_MINUTES,
    }
    reference = f"{CODE_REFERENCE_PREFIX}{row.pk}-{int(now.timestamp())}"
    transaction.on_commit(lambda: _send(mobile, text, reference))
    return code if demo_code_shown() else None


def demo_code_shown() -> bool:
    """Whether the code page shows the code: the laptop demo only. The setting is off
    unless DEBUG is on (congress/settings.py), ``check --deploy`` refuses it
    (representatives.E001), and DEBUG is read again here, for a settings module
    that set it by hand."""
    return bool(settings.DEBUG and settings.SMS_SIGNIN_DEMO_CODE)


def _send(mobile: str, text: str, reference: str) -> None:
    """Sent at once, not through the outbox: a code is worth nothing after five minutes,
    and an outbox row would keep it. A gateway fault is logged without the number;
    the representative asks again."""
    try:
        get_sms_backend().send(mobile=mobile, text=text, reference=reference)
    except SEND_ERRORS as exc:
        # The error's class only: a gateway's message may quote the request, number
        # and code included (docs/security.md, no personal data in logs).
        logger.warning("sign-in code %s not sent: %s", reference, type(exc).__name__)


def signin_code_verify(*, mobile: str, code: str) -> User:
    """The login ``code`` opens for ``mobile``; a wrong, expired, used or locked code
    raises ``RuleViolation`` with what to do next. Each code opens one sign-in."""
    mobile = normalize_mobile(mobile)
    _check_format(mobile)
    code = (code or "").strip()
    now = timezone.now()
    row = SignInCode.objects.filter(number_digest=number_digest(mobile)).first()
    if row is None or row.issued_at is None:
        raise RuleViolation(_("请先获取验证码。"))
    if row.locked_until is not None and row.locked_until > now:
        raise RuleViolation(_locked_message(row, now))
    if row.used_at is not None and not row.code_digest:
        raise RuleViolation(_("该验证码已使用过，请重新获取验证码。"))
    if row.expires_at is None or row.expires_at <= now:
        raise RuleViolation(_("验证码已过期，请重新获取。"))
    expected = _code_digest(row.number_digest, row.issued_at, code)
    if row.user_id is None or not constant_time_compare(row.code_digest, expected):
        _count_failure(row, now)
    # Compare-and-set: of two submissions of the same code, exactly one signs in.
    used = SignInCode.objects.filter(pk=row.pk, code_digest=row.code_digest).update(
        code_digest="", used_at=now, failures=0
    )
    if not used:
        raise RuleViolation(_("该验证码已使用过，请重新获取验证码。"))
    user = User.objects.get(pk=row.user_id)
    if not may_sign_in_by_sms(user):
        # The seat ended (or a password role was granted) since the code was sent.
        raise RuleViolation(_("验证码不正确，请重新输入。"))
    return user


def _count_failure(row: SignInCode, now: datetime.datetime) -> NoReturn:
    SignInCode.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
    failures = SignInCode.objects.values_list("failures", flat=True).get(pk=row.pk)
    if failures >= settings.SMS_SIGNIN_MAX_FAILURES:
        locked_until = now + datetime.timedelta(minutes=settings.SMS_SIGNIN_LOCK_MINUTES)
        # The code is burnt with the lock; after it a new code is needed.
        SignInCode.objects.filter(pk=row.pk).update(
            locked_until=locked_until, failures=0, code_digest=""
        )
        row.locked_until = locked_until
        raise RuleViolation(_locked_message(row, now))
    left = settings.SMS_SIGNIN_MAX_FAILURES - failures
    raise RuleViolation(_("验证码不正确，还可尝试%(left)s次。") % {"left": left})


# A row kept this long after its last code expired: enough to count a number's
# failures across a day's attempts; after it, nothing in it is of use.
PURGE_AFTER = datetime.timedelta(days=1)


def signin_codes_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows of numbers whose last code expired (or was used) more than a day
    ago and that are not locked now; returns how many. Run daily by beat
    (``representatives.tasks.purge_signin_codes``); safe to run twice. Cost: one DELETE
    over a table that this run keeps to the numbers of the last day (no index needed).
    A number asking again gets a fresh row (``_row``)."""
    now = now or timezone.now()
    deleted, _by_model = (
        SignInCode.objects.filter(expires_at__lt=now - PURGE_AFTER)
        .exclude(locked_until__gt=now)
        .delete()
    )
    return deleted
