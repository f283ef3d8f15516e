"""Citizens' personal information (PIPL): how it is checked, hashed, masked and redacted."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from congress.logging import redact

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_HASH_SALT = "suggestions.citizen.mobile"


def normalize_mobile(value: str | None) -> str:
    """Digits only, without a +86 / 0086 prefix; "" for nothing."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_mobile(value: str) -> None:
    if value and not _MOBILE.match(value):
        raise ValidationError(
            _("请填写正确的11位手机号码（如 13812345678）。"), code="invalid_mobile"
        )


def mobile_hash(mobile: str) -> str:
    """A keyed hash (HMAC with the secret key): the ban list and the per-phone rate
    limit compare these and never hold the number. Empty for no number."""
    number = normalize_mobile(mobile)
    return salted_hmac(_HASH_SALT, number, algorithm="sha256").hexdigest() if number else ""


def mask_mobile(mobile: str) -> str:
    """138****5678: enough for the citizen to recognise their number, no more."""
    number = normalize_mobile(mobile)
    if len(number) < 7:
        return "*" * len(number)
    return f"{number[:3]}****{number[-4:]}"


def mask_name(name: str) -> str:
    """张* / 欧阳** : the family name only."""
    name = name.strip()
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 1)


def redact_text(text: str) -> str:
    """Free text a citizen wrote, for public pages: phone and ID numbers masked."""
    return redact(text)
