"""This app's routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from representatives import accounts_api, api

router = SimpleRouter()
router.register("representatives", api.RepresentativeViewSet, basename="representative")
router.register("mandates", api.MandateViewSet, basename="mandate")
router.register("voter-delegates", api.VoterDelegateViewSet, basename="voter-delegate")
router.register("stations", api.StationViewSet, basename="station")
router.register("station-members", api.StationMemberViewSet, basename="station-member")
router.register("duty-shifts", api.DutyShiftViewSet, basename="duty-shift")
router.register("grid-assignments", api.GridAssignmentViewSet, basename="grid-assignment")
router.register("contact-logs", api.ContactLogViewSet, basename="contact-log")
router.register("activities", api.ActivityViewSet, basename="activity")

urlpatterns = [
    path("points/ranking/", api.RankingView.as_view(), name="api-points-ranking"),
    path(
        "representative-accounts/",
        accounts_api.RepresentativeAccountsView.as_view(),
        name="api-representative-accounts",
    ),
    *router.urls,
]
