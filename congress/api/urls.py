"""The /api/v1/ router. Feature apps add their routes through ``router`` in their own urls."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from congress.api.views import AssignmentViewSet, DepartmentViewSet, MeView, RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
router.register("assignments", AssignmentViewSet, basename="assignment")

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
