"""The roster API: a platform files its identity roster with rows (Order 117
Art. 9) and reads its rosters with their errors; provincial market supervision
reads those of its jurisdiction. Out of scope answers 404."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api import HasPerm

from ..models import RosterChannel, RosterStatus
from ..rosters.selectors import rosters_visible_to
from ..rosters.services import roster_file, roster_period_of
from . import serializers as s

ROSTER_EXAMPLE = {
    "year": 2026,
    "half": 1,
    "rows": [
        {
            "kind": "operator",
            "name": "杭州西子优选电子商务有限公司",
            "uscc": "91330106MA00000218",
            "live_room_account": "xh-10086",
            "business_region": "330106",
            "home_region": "330106",
            "contact": "0571-88888888",
        },
        {
            "kind": "marketer",
            "name": "李佳怡",
            "id_number": "330106199611200628",
            "live_room_account": "xh-10086",
            "home_region": "330106",
            "contact": "13800000000",
        },
    ],
}


@extend_schema(tags=["identity rosters"])  # every operation of the viewset
class RosterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Identity rosters of live room operators and marketers (Order 117 Art. 9, 48)."""

    def get_permissions(self):
        if self.action == "create":
            return [HasPerm("accounts.file_platform_reports")()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return rosters_visible_to(self.request.user).order_by("-uploaded_at", "-pk")

    def get_serializer_class(self):
        return s.RosterDetailSerializer if self.action == "retrieve" else s.RosterSerializer

    @extend_schema(
        summary="File the identity roster",
        description=(
            "Every row is checked (identifiers by checksum, regions by GB/T 2260 code). "
            "With no error the roster is filed at once (201) and replaces the one filed "
            "before for the half-year (the web page previews an upload first; an "
            "integrator sends the whole roster on purpose). The answer counts what "
            "changed (`diff`: joined, left, changed against the roster filed before) and "
            "says whether it was filed after the half-year's last day (`late`, with "
            "`deadline_article`). With errors it is kept, not filed, and answered 422 "
            "with the rows in error: correct them and send the whole roster again."
        ),
        request=s.RosterInput,
        responses={
            201: OpenApiResponse(s.RosterDetailSerializer, description="filed"),
            422: OpenApiResponse(s.RosterDetailSerializer, description="rows with errors"),
        },
        examples=[OpenApiExample("A roster", value=ROSTER_EXAMPLE, request_only=True)],
        tags=["identity rosters"],
    )
    def create(self, request):
        serializer = s.RosterInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        platform = getattr(request.user, "platform", None)
        if platform is None:
            raise ValidationError({"detail": "Only a platform files a roster."})
        year, half = roster_period_of(timezone.localdate())
        data = serializer.validated_data
        roster = roster_file(
            platform=platform,
            year=data.get("year") or year,
            half=int(data.get("half") or half),
            rows=[{**row, "row_number": i} for i, row in enumerate(data["rows"], start=1)],
            channel=RosterChannel.API,
            actor=request.user,
        )
        filed = roster.status == RosterStatus.FILED
        return Response(
            s.RosterDetailSerializer(roster).data,
            status=status.HTTP_201_CREATED if filed else status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
