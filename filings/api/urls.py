from rest_framework.routers import SimpleRouter

from .views import FilingViewSet, NoticeViewSet

router = SimpleRouter()
router.register("filings", FilingViewSet, basename="filing")
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns = router.urls
