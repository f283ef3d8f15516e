"""Checks on the shape of personal identifiers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: 17 digits weighted, then a check character.
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1\d{10}$")


def id_check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper()


def validate_id_number(value: str) -> None:
    value = normalize_id_number(value)
    if not _ID_RE.match(value) or id_check_character(value[:17]) != value[17]:
        raise ValidationError(_("身份证号格式或校验位不正确。"), code="id_number")


def validate_mobile(value: str) -> None:
    if value and not _MOBILE_RE.match(value):
        raise ValidationError(_("手机号应为11位数字。"), code="mobile")
