"""The two pages of the SMS sign-in: ask for a code, then enter it (representatives/signin.py).

The number travels in the session between the two pages, never in a URL; the code
only in the POST body. Both pages are rate-limited per client address, and asking
for a code also per number (``congress.ratelimit``).

In the laptop demo only (``signin.demo_code_shown``: DEBUG on, refused by
``check --deploy``) the code the service texted waits in the session for the code
page to show, since the demo's SMS backend sends nothing; it is never logged.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congress import ratelimit
from congress.errors import DomainError
from representatives.models import mask_phone
from representatives.signin import (
    demo_code_shown,
    normalize_mobile,
    number_digest,
    signin_code_request,
    signin_code_verify,
)

NUMBER_KEY = "sms_signin_number"
NEXT_KEY = "sms_signin_next"
DEMO_CODE_KEY = "sms_signin_demo_code"
NEUTRAL = gettext_lazy("若该号码已登记为代表的登录号码，验证码已发送，请查收短信。")


class NumberForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=20)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("短信验证码"), max_length=8)


def _number_key(group: str, request: HttpRequest) -> str:
    return number_digest(normalize_mobile(request.POST.get("mobile", "")))


def _safe_next(request: HttpRequest, target: str) -> str:
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _keep_demo_code(request: HttpRequest, code: str | None) -> None:
    """The demo's code, for the code page; any earlier one goes (a new code replaces it)."""
    if code and demo_code_shown():
        request.session[DEMO_CODE_KEY] = code
    else:
        request.session.pop(DEMO_CODE_KEY, None)


@require_http_methods(["GET", "POST"])
def sms_signin(request: HttpRequest) -> HttpResponse:
    form = NumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(request, group="sms-signin-ip", rate=settings.SMS_SIGNIN_RATE_PER_IP)
            ratelimit.check(
                request,
                group="sms-signin-number",
                rate=settings.SMS_SIGNIN_RATE_PER_NUMBER,
                key=_number_key,
            )
            demo_code = signin_code_request(mobile=form.cleaned_data["mobile"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            request.session[NUMBER_KEY] = normalize_mobile(form.cleaned_data["mobile"])
            _keep_demo_code(request, demo_code)
            request.session[NEXT_KEY] = _safe_next(request, request.POST.get("next", ""))
            messages.info(request, NEUTRAL)
            return redirect("sms_signin_code")
    status = 400 if form.errors else 200
    next_url = _safe_next(request, request.GET.get("next", "") or request.POST.get("next", ""))
    return render(
        request, "registration/sms_signin.html", {"form": form, "next": next_url}, status=status
    )


@require_http_methods(["GET", "POST"])
def sms_signin_code(request: HttpRequest) -> HttpResponse:
    mobile = request.session.get(NUMBER_KEY)
    if not mobile:
        return redirect("sms_signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(
                request, group="sms-signin-verify-ip", rate=settings.SMS_SIGNIN_RATE_PER_IP
            )
            user = signin_code_verify(mobile=mobile, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", str(exc.message))
        else:
            next_url = request.session.get(NEXT_KEY) or settings.LOGIN_REDIRECT_URL
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            for key in (NUMBER_KEY, NEXT_KEY, DEMO_CODE_KEY):
                request.session.pop(key, None)
            return redirect(next_url)
    return render(
        request,
        "registration/sms_code.html",
        {
            "form": form,
            "masked_mobile": mask_phone(mobile),
            "minutes": settings.SMS_SIGNIN_CODE_MINUTES,
            "demo_code": request.session.get(DEMO_CODE_KEY) if demo_code_shown() else None,
        },
        status=400 if form.errors else 200,
    )
