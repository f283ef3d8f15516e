"""The meetings' routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from supervision.meetings import api

router = SimpleRouter()
router.register("supervision/meetings", api.MeetingViewSet, basename="supervision-meeting")
router.register(
    "supervision/agenda-items", api.AgendaItemViewSet, basename="supervision-agenda-item"
)
router.register("supervision/opinions", api.OpinionViewSet, basename="supervision-opinion")

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
