"""This part's routes under /api/v1/ (included by congress/urls.py)."""

from rest_framework.routers import SimpleRouter

from supervision import api

router = SimpleRouter()
router.register("supervision/plans", api.SupervisionPlanViewSet, basename="supervision-plan")
router.register("supervision/topics", api.SupervisionTopicViewSet, basename="supervision-topic")
router.register("supervision/findings", api.FindingViewSet, basename="supervision-finding")

urlpatterns = router.urls
