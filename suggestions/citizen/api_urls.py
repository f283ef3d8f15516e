from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from suggestions.citizen import api

router = SimpleRouter()
router.register("citizen-issues", api.CitizenIssueViewSet, basename="citizen-issue")
router.register("appointments", api.AppointmentViewSet, basename="appointment")

urlpatterns: list[URLPattern | URLResolver] = [
    path("citizen/categories/", api.PublicCategoryList.as_view(), name="api-citizen-categories"),
    path("citizen/issues/", api.PublicIssueSubmit.as_view(), name="api-citizen-submit"),
    path("citizen/track/<str:token>/", api.PublicIssueTrack.as_view(), name="api-citizen-track"),
    path("citizen/track/<str:token>/rate/", api.PublicIssueRate.as_view(), name="api-citizen-rate"),
    *router.urls,
]
