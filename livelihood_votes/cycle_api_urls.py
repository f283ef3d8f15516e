"""The livelihood year's cycle routes under /api/v1/ (included by congress/urls.py):
the cycles and proposals (scoped) and the public counts of the open calls."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from livelihood_votes.cycles import api

router = SimpleRouter()
router.register("livelihood-cycles", api.LivelihoodCycleViewSet, basename="livelihood-cycle")
router.register(
    "livelihood-proposals", api.LivelihoodProposalViewSet, basename="livelihood-proposal"
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("livelihood-calls/", api.PublicCallList.as_view(), name="livelihood_public_calls"),
    path(
        "livelihood-calls/<int:pk>/",
        api.PublicCallCounts.as_view(),
        name="livelihood_public_call",
    ),
    *router.urls,
]
