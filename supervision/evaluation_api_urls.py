"""The department evaluation's routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from supervision.evaluation import api

router = SimpleRouter()
router.register("evaluations", api.EvaluationViewSet, basename="evaluation")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
