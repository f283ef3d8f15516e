"""One exception handler: domain errors become {"code", "message"} JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congress.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "message": str(exc.message)}, status=exc.status)
    if isinstance(exc, TooManyFieldsSent | RequestDataTooBig | RawPostDataException):
        # Django's limits on a request's body (DATA_UPLOAD_MAX_NUMBER_FIELDS, …_MEMORY_SIZE)
        # are bad input like any other: a JSON 400, not its HTML error page. A multipart
        # body over the limit is first read (and refused) by the form's own parse before
        # the API's parser, which then finds the stream spent (RawPostDataException).
        message = _("请求内容超出限制（字段过多或数据过大），未作任何更改。")
        return Response({"code": "invalid", "message": message}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "message": str(_first_message(exc.detail)),
            "errors": exc.detail,
        }
    elif isinstance(exc, exceptions.APIException):
        response.data = {"code": exc.get_codes(), "message": _message(exc)}
        if isinstance(response.data["code"], dict | list):
            response.data["code"] = "error"
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response


def _message(exc: exceptions.APIException) -> str:
    """Our own words for the answers every client meets; DRF's for the rest."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("请先登录，或在 Authorization 头中提供 API 令牌。")
    if isinstance(exc, exceptions.AuthenticationFailed):
        # One answer for a wrong, expired or revoked token: which it was is no
        # business of whoever holds it.
        return _("API 令牌无效、已过期或已被撤销。")
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        if wait is None:
            return _("请求过于频繁，请稍后再试。")
        seconds = max(1, round(wait))
        return _("请求过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": seconds}
    return str(exc.detail)


def _first_message(detail: Any) -> Any:
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = _first_message(value)
            return message if key == "non_field_errors" else f"{key}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return detail
