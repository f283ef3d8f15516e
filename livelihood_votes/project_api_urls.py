"""The livelihood year's project routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from livelihood_votes.projects import api

router = SimpleRouter()
router.register("livelihood-projects/projects", api.ProjectViewSet, basename="livelihood-project")
router.register(
    "livelihood-projects/reports", api.ReportViewSet, basename="livelihood-project-report"
)
router.register(
    "livelihood-projects/public/projects",
    api.PublicProjectViewSet,
    basename="livelihood-public-project",
)

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
