"""Sign-in by a one-time SMS code (docs/representatives-accounts.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInCode(models.Model):
    """The one code that may be outstanding for one mobile number, and its failures.

    One row per number, so a new code replaces the old one and the failures of a
    number are counted in one place whatever code they were tried against. Neither
    the number nor the code is stored: ``number_digest`` is a keyed hash of the
    number (what the sign-in looks up) and ``code_digest`` a keyed hash of the code,
    salted with the number and the time it was issued, cleared when it is used.
    """

    number_digest = models.CharField(max_length=64, unique=True)
    # The login the code opens; null when the number is unknown, shared by two
    # representatives, or not a representative's: such a row still counts failures,
    # so trying it looks the same as trying a known number.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code_digest = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"signin-code-{self.pk}"
