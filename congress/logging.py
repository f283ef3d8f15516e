"""Keep personal data out of logs (PIPL): mask phone and ID numbers, and secret links.

The filter sits on the root handler of ``LOGGING``, which every process the
product runs logs through: web (Django), management commands, and the Celery
worker and beat (``congress.celery`` keeps Celery from replacing the handler).
gunicorn's access log masks the request path the same way (``congress.gunicorn_conf``).
"""

from __future__ import annotations

import logging
import re

# Mainland mobile numbers (optionally +86), and 18-character resident ID numbers.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# A path segment of 20 or more URL-safe characters is a secret token: a citizen's
# tracking link (/q/t/<token>/, 32 characters) opens their case to whoever holds it.
# Ordinary path segments are words and numbers, far shorter. The first four
# characters stay, so that support can still tell two links apart.
_SECRET_SEGMENT = re.compile(r"(?<=/)([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{16,}(?=[/?#\s\"'<>]|$)")


def redact(text: str) -> str:
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\3", text)
    return redact_links(text)


def redact_links(text: str) -> str:
    """``https://rd.example.cn/q/t/AbCdEf…/`` → ``https://rd.example.cn/q/t/AbCd****/``"""
    return _SECRET_SEGMENT.sub(r"\1****", text)


def carries_secret_token(path: str) -> bool:
    return bool(_SECRET_SEGMENT.search(path))


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
