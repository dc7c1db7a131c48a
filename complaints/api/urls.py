from django.urls import path
from rest_framework.routers import SimpleRouter

from .filing_views import FilingViewSet, NoticeViewSet
from .views import ComplaintViewSet, ForwardViewSet, IntakeView, TrackView

router = SimpleRouter()
router.register("complaints/cases", ComplaintViewSet, basename="complaint")
router.register("forwards", ForwardViewSet, basename="forward")
router.register("filings", FilingViewSet, basename="filing")
router.register("notices", NoticeViewSet, basename="notice")

urlpatterns = [
    path("complaints/", IntakeView.as_view(), name="complaint-intake"),
    path("complaints/track/", TrackView.as_view(), name="complaint-track"),
    *router.urls,
]
