"""The OpenAPI schema and its documentation page, behind a login in production.

The schema names every operation, parameter and error of the API: a map for
an attacker as much as for an integrator. With ``API_DOCS_PUBLIC`` off (the
default whenever DEBUG is off) the schema answers 401 without credentials and
the documentation page sends a person to the login page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request


class SchemaView(SpectacularAPIView):
    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny() if settings.API_DOCS_PUBLIC else IsAuthenticated()]


class DocsView(SpectacularSwaggerSplitView):
    """A page for people: without a login it sends them to sign in (not a 401)."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)  # a page, not an operation (as in drf-spectacular's own)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


schema_view = SchemaView.as_view()
docs_view = DocsView.as_view(url_name="api-schema")
