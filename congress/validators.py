"""Validators shared by the apps' models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The product records the work of a sitting congress: a date outside these years
# is a typing error (2206 for 2026), never a real event. Before 1901 the time
# zone database gives Asia/Shanghai its local mean time (+08:05:43), which no
# client can parse as an ISO offset (found by the API fuzzer).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


def validate_plausible_date(value: datetime.date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("日期应在 %(earliest)s 年至 %(latest)s 年之间。"),
            code="implausible_date",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
