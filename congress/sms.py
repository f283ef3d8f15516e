"""SMS backends. The console backend logs a masked line; the recording backend keeps the
messages in memory for tests and the demo; the HTTP adapter talks to a gateway."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from congress.logging import redact

logger = logging.getLogger(__name__)

# References of messages whose text is a secret (a one-time sign-in code): no backend
# writes their text anywhere but to the phone.
CODE_REFERENCE_PREFIX = "signin-"


class SmsError(Exception):
    """The message may not have been sent; the caller retries later."""


class SmsBackend:
    def send(self, *, mobile: str, text: str, reference: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """For laptops and tests: writes the message to the log, nothing is sent.

    The number is masked, and so is the token of any link in the text: a citizen's
    message carries their secret tracking link, which opens their case to whoever
    reads it (the log filter would mask both too; this does not rely on it).
    """

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        if reference.startswith(CODE_REFERENCE_PREFIX):
            # A sign-in code opens an account: the line says that one went out, not what.
            logger.info("SMS %s to %s: (one-time code, not logged)", reference, redact(mobile))
            return
        logger.info("SMS %s to %s: %s", reference, redact(mobile), redact(text))


@dataclass(frozen=True)
class RecordedSms:
    mobile: str
    text: str
    reference: str


class RecordingSmsBackend(SmsBackend):
    """For tests and browser tests: keeps every message in ``outbox`` (like Django's
    ``mail.outbox``), in this process's memory, and logs nothing."""

    outbox: list[RecordedSms] = []

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        RecordingSmsBackend.outbox.append(RecordedSms(mobile, text, reference))


class HttpGatewaySmsBackend(SmsBackend):
    """POSTs JSON {mobile, text, reference, client_msg_id} to SMS_GATEWAY_URL with a
    bearer token and an ``Idempotency-Key`` header.

    Delivery is at least once (docs/reliability.md): a worker killed after the
    gateway accepted a message, before the outbox row was marked sent, sends it
    again. ``reference`` is the outbox row's stable key (``delivery-<id>``,
    ``citizen-<id>``), the same on every attempt; the gateway must drop a message
    whose key it has already accepted. It goes in the header and, for gateways
    that read only the body, as ``client_msg_id``. Timeouts and 5xx raise SmsError
    (retried by the caller with back-off); 4xx is final and raises too, with the
    reason. Nothing of the text is logged here.
    """

    timeout_seconds = 10

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {"mobile": mobile, "text": text, "reference": reference, "client_msg_id": reference}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc.__class__.__name__}") from None


@cache
def _backend(path: str) -> SmsBackend:
    backend: SmsBackend = import_string(path)()
    return backend


def get_sms_backend() -> SmsBackend:
    return _backend(settings.SMS_BACKEND)
