"""This app's routes under /api/v1/ (included by congress/urls.py)."""

from rest_framework.routers import SimpleRouter

from livelihood_votes import api

router = SimpleRouter()
router.register("livelihood-votes", api.LivelihoodVoteViewSet, basename="livelihood-vote")

urlpatterns = router.urls
