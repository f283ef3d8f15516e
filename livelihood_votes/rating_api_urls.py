"""The livelihood year's rating routes under /api/v1/ (included by congress/urls.py)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from livelihood_votes.ratings import api

router = SimpleRouter()
router.register(
    "livelihood-ratings/cycles", api.RatingCycleViewSet, basename="livelihood-rating-cycle"
)
router.register("livelihood-ratings", api.RatingViewSet, basename="livelihood-rating")
router.register(
    "public/livelihood-ratings", api.PublicRatingViewSet, basename="livelihood-rating-public"
)

urlpatterns: list[URLPattern | URLResolver] = list(router.urls)
