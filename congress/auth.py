"""Login defences: lockout after repeated failures, an optional TOTP second factor,
and a password that someone else chose is changed at the first sign-in.

Lockout is django-axes (settings: AXES_*), keyed on username + client address,
with a cool-off, so a guesser is slowed down and nobody is locked out for good.
The second factor is django-otp's TOTP device: staff and administrators may
turn it on at /accounts/otp/setup/; from then on every login of theirs passes
the one-time-code step (/accounts/otp/) before any other page answers.
A user whose password was set by staff (``User.must_change_password``) is sent
to /accounts/password/ before any other page (the API token page included).
"""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import segno
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from congress.audit import audit_record
from congress.errors import OutOfJurisdiction
from congress.models import AuditAction, User
from congress.scoping import acting_user, is_staff_or_admin

OTP_ENABLED = AuditAction.OTP_ENABLED
PASSWORD_CHANGED = AuditAction.PASSWORD_CHANGED
OTP_DISABLED = AuditAction.OTP_DISABLED

# Session key: does this login still owe a one-time code? Decided once at login,
# so that ordinary requests cost no query.
OTP_REQUIRED_KEY = "congress_otp_required"
OTP_FAILURES_KEY = "congress_otp_failures"
MAX_OTP_FAILURES = 5  # then the half-finished login is thrown away


# --- lockout ---------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, tolerant of ``authenticate()`` without a request.

    Every login form (ours, the admin's) passes the request. Only programmatic
    calls (the test client's ``login()``, a shell) do not; they have no client
    address to lock out, so they pass on to the model backend unchecked.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """What a locked-out login sees: when to try again, never whether the name exists."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


# --- second factor ---------------------------------------------------------


# TOTP is offered to staff and administrators (``is_staff_or_admin``): they hold the
# most (docs/architecture.md, 'The cast').


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    return django_otp.DEVICE_ID_SESSION_KEY in request.session


@receiver(user_logged_in)
def _remember_whether_a_code_is_owed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[OTP_REQUIRED_KEY] = has_second_factor(user)
        request.session.pop(OTP_FAILURES_KEY, None)


class SecondFactorMiddleware:
    """Until a login that owes a one-time code has given it, only the code step answers.

    HTML requests are sent to the code step; API requests made with the session
    get 403 {"code": "otp_required"}. Token-authenticated API calls are not
    session logins and are not affected: a token is issued only to a login that
    has given its code (congress/api/tokens.py).
    """

    # The code step itself, and what a half-finished login may still do: leave, or
    # switch language. (Not the setup page: it is for finished logins.)
    ALLOWED_PREFIXES = ("/accounts/logout/", "/static/", "/i18n/")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = request.path == reverse("login_otp") or request.path.startswith(
            self.ALLOWED_PREFIXES
        )
        if not allowed and self._owes_code(request):
            if request.path.startswith("/api/"):
                message = _("请先完成两步验证。")
                return JsonResponse({"code": "otp_required", "message": message}, status=403)
            return redirect(f"{reverse('login_otp')}?next={request.get_full_path()}")
        response: HttpResponse = self.get_response(request)
        return response

    @staticmethod
    def _owes_code(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(request):
            return False
        owed = request.session.get(OTP_REQUIRED_KEY)
        if owed is None:  # a session from before this middleware: decide once
            owed = request.session[OTP_REQUIRED_KEY] = has_second_factor(user)
        return bool(owed)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("验证码是 6 位数字。"))
        return token


def totp_login_verify(*, request: HttpRequest, token: str) -> bool:
    """The second login step: a code from one of the user's confirmed devices."""
    user = acting_user(request)
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if django_otp.verify_token(user, device.persistent_id, token):
            django_otp.login(request, device)
            request.session.pop(OTP_FAILURES_KEY, None)
            audit_record(
                action=AuditAction.LOGIN, actor=user, request=request, detail={"step": "totp"}
            )
            return True
    request.session[OTP_FAILURES_KEY] = request.session.get(OTP_FAILURES_KEY, 0) + 1
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        username=user.get_username(),
        request=request,
        detail={"step": "totp"},
    )
    return False


def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Turn the second factor on: the first code from the new device proves it is set up."""
    user = acting_user(request)
    if device.user_id != user.pk or not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        audit_record(action=OTP_ENABLED, actor=user, request=request)
    device.confirmed = True
    django_otp.login(request, device)
    request.session[OTP_REQUIRED_KEY] = True
    return True


def totp_device_remove(*, request: HttpRequest, token: str) -> bool:
    """Turn the second factor off; a current code is required, so a borrowed session cannot."""
    user = acting_user(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(action=OTP_DISABLED, actor=user, request=request)
    request.session[OTP_REQUIRED_KEY] = False
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    return True


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The login step after the password, for users who turned the second factor on."""
    if is_verified(request) or not has_second_factor(request.user):  # type: ignore[arg-type]
        request.session[OTP_REQUIRED_KEY] = False
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_login_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        if request.session.get(OTP_FAILURES_KEY, 0) >= MAX_OTP_FAILURES:
            logout(request)
            messages.error(request, _("验证码错误次数过多，请重新登录。"))
            return redirect(settings.LOGIN_URL)
        form.add_error("token", _("验证码不正确或已过期。"))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)}
    )


def _qr_data_uri(url: str) -> str:
    # An inline data: image: the page loads nothing from elsewhere (CSP img-src allows data:).
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Turn the TOTP second factor on or off (staff and administrators only; others 404)."""
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and form.is_valid():
            if totp_device_remove(request=request, token=form.cleaned_data["token"]):
                messages.success(request, _("已停用两步验证。"))
                return redirect("otp_setup")
            form.add_error("token", _("验证码不正确或已过期。"))
        return render(request, "registration/otp_setup.html", {"enabled": True, "form": form})
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "TOTP"}
    )
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("已启用两步验证，以后登录时需输入验证码。"))
            return redirect("otp_setup")
        form.add_error("token", _("验证码不正确或已过期。"))
    context = {
        "enabled": False,
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "registration/otp_setup.html", context)


# --- passwords ---------------------------------------------------------------


class PasswordChangeRequiredMiddleware:
    """A user whose password someone else chose changes it before using anything else.

    HTML requests go to the password page; API requests made with the session get
    403 {"code": "password_change_required"}. Calls with an API token are not session
    logins and pass; the page that issues tokens is one of the pages held back, so no
    token is issued before the change.
    Runs after the second factor: a login that owes a code gives it first.
    """

    ALLOWED_PREFIXES = ("/accounts/logout/", "/static/", "/i18n/")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            page = reverse("password_change")
            if request.path != page and not request.path.startswith(self.ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    message = _("请先修改初始密码。")
                    body = {"code": "password_change_required", "message": message}
                    return JsonResponse(body, status=403)
                return redirect_to_login(request.get_full_path(), login_url=page)
        response: HttpResponse = self.get_response(request)
        return response


def end_api_tokens(user: User) -> int:
    """A new password ends every API token the user holds: a token issued under the
    old password must not outlive it (whoever changed the password because it leaked
    must not find a copy of it still working). Returns how many ended."""
    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


def user_change_password(*, user: User, new_password: str, by: User, request: HttpRequest) -> None:
    """A user sets their own password; an initial one (set by staff) stops being owed.

    Only the user may: staff reset a password in the admin, which makes it owed again.
    The session stays signed in (its hash is renewed); other sessions of the user end,
    since Django ties each session to the password it was opened with, and so do the
    user's API tokens (``end_api_tokens``).
    """
    if by.pk != user.pk:
        raise OutOfJurisdiction
    was_required = user.must_change_password
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        end_api_tokens(user)
        audit_record(
            action=PASSWORD_CHANGED,
            actor=user,
            obj=user,
            request=request,
            detail={"initial": was_required},
        )
    update_session_auth_hash(request, user)


class NewPasswordChangeForm(PasswordChangeForm):
    """Django's form, and the new password must differ from the old one: a password
    staff chose (and saw) is changed only when the user picks another."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or self.cleaned_data
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(_("新密码不能与旧密码相同。"), code="password_unchanged"),
            )
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = NewPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_password = form.cleaned_data["new_password1"]
        user_change_password(user=user, new_password=new_password, by=user, request=request)
        messages.success(request, _("密码已修改。"))
        return redirect(_safe_next(request))
    context = {
        "form": form,
        "next": _safe_next(request),
        "required": user.must_change_password,
        "may_use_second_factor": is_staff_or_admin(user),
    }
    return render(request, "registration/password_change_form.html", context)
