from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ComplaintViewSet, ForwardViewSet, IntakeView, TrackView

router = SimpleRouter()
router.register("complaints/cases", ComplaintViewSet, basename="complaint")
router.register("forwards", ForwardViewSet, basename="forward")

urlpatterns = [
    path("complaints/", IntakeView.as_view(), name="complaint-intake"),
    path("complaints/track/", TrackView.as_view(), name="complaint-track"),
    *router.urls,
]
