"""Routes of the registry API (identity rosters), included under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from .views import RosterViewSet

router = SimpleRouter()
router.register("rosters", RosterViewSet, basename="roster")

urlpatterns = [*router.urls]
