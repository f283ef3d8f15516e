from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from suggestions.formal import api

router = SimpleRouter()
router.register("suggestions", api.SuggestionViewSet, basename="formal-suggestion")
router.register(
    "suggestion-assignments", api.SuggestionAssignmentViewSet, basename="formal-assignment"
)
router.register(
    "public/suggestions", api.PublicSuggestionViewSet, basename="formal-public-suggestion"
)

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "suggestion-reports/<int:session_id>/",
        api.SessionReportView.as_view(),
        name="formal-suggestion-report",
    ),
    *router.urls,
]
