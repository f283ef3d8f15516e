"""API tokens (django-rest-knox): issued to their owner, listed and revoked by them.

A token is shown once, when it is issued; the database keeps its SHA-512 digest
and its first characters (to find the row), never the token, so a backup holds
no live credential. Tokens expire after ``API_CREDENTIALS_TTL_DAYS``. A user who has
turned the second factor on gets one only from a login that has given the code:
a token is a login of its own, it must not be a way round the second factor.
Nor round an initial password: a user who must still change the password staff
chose (``User.must_change_password``) gets no token until they have.
Administrators see and revoke anybody's tokens in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from congress.audit import audit_record
from congress.auth import has_second_factor, is_verified
from congress.errors import DomainError
from congress.models import AuditAction, User
from congress.scoping import acting_user

PREFIX_SHOWN = 8  # characters of the token that name it on the page and in the audit trail


class SecondFactorRequired(DomainError):
    code = "otp_required"
    status = 403
    default_message = gettext_lazy("签发 API 令牌前，请先用两步验证码完成登录。")


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    status = 403
    default_message = gettext_lazy("签发 API 令牌前，请先修改初始密码。")


def visible_api_tokens(user: User) -> QuerySet[AuthToken]:
    """The user's own tokens that still work (an expired one is removed on its next use)."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def api_token_create(*, request: HttpRequest, by: User) -> tuple[AuthToken, str]:
    """Issue a token to ``by``; returns the row and the token, which is never seen again."""
    if has_second_factor(by) and not is_verified(request):
        raise SecondFactorRequired()
    # The page is held back by PasswordChangeRequiredMiddleware too; the service
    # refuses whichever interface (a shell, a future API route) calls it.
    if by.must_change_password:
        raise PasswordChangeRequired()
    token, secret = AuthToken.objects.create(user=by)
    audit_record(
        action=AuditAction.API_TOKEN_CREATED,
        actor=by,
        request=request,
        detail={"token": token.token_key[:PREFIX_SHOWN], "expiry": token.expiry.isoformat()},
    )
    return token, secret


def api_token_revoke(*, token: AuthToken, by: User) -> None:
    """The owner (or an administrator) ends a token; its next use answers 401."""
    if token.user_id != by.pk and not by.is_superuser:
        raise Http404
    prefix, owner = token.token_key[:PREFIX_SHOWN], token.user
    token.delete()
    audit_record(
        action=AuditAction.API_TOKEN_REVOKED,
        actor=by,
        username=by.get_username(),
        detail={"token": prefix, "owner": owner.get_username()},
    )


# --- the "API 令牌" page -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    """List one's tokens; POST issues a new one and shows it, this once."""
    user = acting_user(request)
    issued = ""
    if request.method == "POST":
        try:
            _token, issued = api_token_create(request=request, by=user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
    response = render(
        request,
        "congress/api_tokens.html",
        {
            "tokens": visible_api_tokens(user),
            "issued": issued,
            "prefix_length": PREFIX_SHOWN,
            "ttl_days": settings.API_CREDENTIALS_TTL_DAYS,
        },
    )
    response["Cache-Control"] = "no-store"  # the page may carry a new token
    return response


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    # The digest names the row: a hash, so neither the form nor the URL carries the token.
    token = get_object_or_404(visible_api_tokens(user), digest=request.POST.get("token", ""))
    api_token_revoke(token=token, by=user)
    messages.success(request, _("已撤销该令牌，使用它的程序将无法再访问。"))
    return redirect("api_tokens")
