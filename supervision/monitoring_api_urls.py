"""API routes of monitoring points, the questionnaire's questions and its results."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from supervision import monitoring_api

router = SimpleRouter()
router.register(
    "supervision/monitoring-points",
    monitoring_api.MonitoringPointViewSet,
    basename="supervision-monitoring-point",
)
router.register(
    "supervision/monitoring-questions",
    monitoring_api.MonitoringQuestionViewSet,
    basename="supervision-monitoring-question",
)
router.register(
    "supervision/monitoring-results",
    monitoring_api.MonitoringResultsViewSet,
    basename="supervision-monitoring-results",
)

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
