"""SMS backends. The console backend logs a masked line; the HTTP adapter talks to a gateway."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from congress.logging import redact

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message may not have been sent; the caller retries later."""


class SmsBackend:
    def send(self, *, mobile: str, text: str, reference: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """For laptops and tests: writes the message to the log with the number masked.

    A citizen's message carries their secret tracking link, so the text itself is
    logged only with DEBUG on (a demo); otherwise only that a message was sent.
    """

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        if settings.DEBUG:
            logger.info("SMS %s to %s: %s", reference, redact(mobile), text)
        else:
            logger.info("SMS %s to %s (%s characters)", reference, redact(mobile), len(text))


class HttpGatewaySmsBackend(SmsBackend):
    """POSTs JSON {mobile, text, reference} to SMS_GATEWAY_URL with a bearer token.

    ``reference`` is our delivery id: a gateway that deduplicates on it makes a
    retry after a timeout harmless. Timeouts and 5xx raise SmsError (retried by
    the caller with back-off); 4xx is final and raises too, with the reason.
    """

    timeout_seconds = 10

    def send(self, *, mobile: str, text: str, reference: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        body = json.dumps({"mobile": mobile, "text": text, "reference": reference}).encode()
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
