"""Django's own 404 and 500 answers, in the API's shape under /api/.

A path under /api/ that matches no route (``/api/v1/assignments/0.05/``: the
converter wants an integer), or a crash, never reaches DRF's exception handler;
without these an API client would get the HTML error page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "message": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        message = _("服务器出错，请稍后再试。")
        return JsonResponse({"code": "server_error", "message": message}, status=500)
    return defaults.server_error(request)
