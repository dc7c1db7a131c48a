from rest_framework.routers import SimpleRouter

from .views import ClueTransferViewSet, DocumentRequestViewSet, RectificationOrderViewSet

router = SimpleRouter()
router.register(
    "inspections/document-requests", DocumentRequestViewSet, basename="document-request"
)
router.register(
    "inspections/rectification-orders", RectificationOrderViewSet, basename="rectification-order"
)
router.register("clues", ClueTransferViewSet, basename="clue")

urlpatterns = router.urls
