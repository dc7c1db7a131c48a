"""The filings and notices API: platforms file disposal measures (one or a batch
of up to 1,000) and answer notices; staff read what reached their jurisdiction.
Out of scope answers 404 (the selectors of ``filings.selectors``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api import HasPerm

from ..filters import FilingFilter, NoticeFilter
from ..models import FilingChannel, PlatformNotice
from ..selectors import filings_visible_to, notices_visible_to
from ..services.filings import filing_submit, filing_submit_batch
from ..services.notices import notice_reply
from . import serializers as s

FILING_EXAMPLE = {
    "external_id": "XH-2026-000123",
    "party_kind": "marketer",
    "party_name": "李佳怡",
    "party_id_number": "330106199611200628",
    "live_room_account": "xh-10086",
    "category": "false-information",
    "measures": ["warning", "term_suspension"],
    "suspended_until": "2026-04-30",
    "conduct_at": "2026-03-01T20:15:00+08:00",
    "acted_at": "2026-03-02T10:00:00+08:00",
    "facts": "直播中宣称普通食品具有治疗糖尿病功效，已警示并暂停直播30日。",
    "evidence_links": ["https://evidence.example.com/xh/2026/000123.mp4"],
}
BLACKLISTING_EXAMPLE = {
    "external_id": "XH-2026-000124",
    "party_kind": "operator",
    "party_name": "杭州某某电子商务有限公司",
    "party_uscc": "91330106MA00000218",
    "live_room_account": "xh-20417",
    "category": "fake-traffic",
    "measures": ["account_closure", "reregistration_ban", "blacklisting"],
    "blacklisted_until": "2029-03-02",
    "appeal_route": "平台申诉中心 https://appeal.example.com ，15日内提出。",
    "conduct_at": "2026-02-20T00:00:00+08:00",
    "acted_at": "2026-03-02T10:00:00+08:00",
    "facts": "组织刷单虚构销量，关闭账号、禁止重新注册并列入平台黑名单。",
}


def _platform_of(request):
    platform = getattr(request.user, "platform", None)
    if platform is None:
        raise ValidationError({"detail": _("Only a platform files.")})
    return platform


@extend_schema(tags=["platform filings"])  # every operation of the viewset
class FilingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disposal filings (Order 117 Art. 12; Trial Art. 9, 10, 14). A platform (its
    officers, or its API key) sees and files its own; departments see the filings
    routed to them and to the departments below them of their type."""

    serializer_class = s.FilingSerializer
    filterset_class = FilingFilter

    def get_permissions(self):
        if self.action in ("create", "batch"):
            return [HasPerm("accounts.file_platform_reports")()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return (
            filings_visible_to(self.request.user)
            .prefetch_related("route__recipients__department")
            .order_by("-received_at", "-pk")
        )

    @extend_schema(
        summary="File one disposal filing",
        request=s.FilingItemSerializer,
        responses={
            201: OpenApiResponse(s.FilingAnswerSerializer, description="created"),
            200: OpenApiResponse(
                s.FilingAnswerSerializer,
                description="duplicate: this external_id was filed before; the filing "
                "that exists is returned and nothing is created",
            ),
            400: OpenApiResponse(s.FilingAnswerSerializer, description="invalid: field errors"),
        },
        examples=[
            OpenApiExample("A marketer warned and suspended", value=FILING_EXAMPLE),
            OpenApiExample("An operator closed and blacklisted", value=BLACKLISTING_EXAMPLE),
            OpenApiExample(
                "Invalid",
                response_only=True,
                status_codes=["400"],
                value={
                    "status": "invalid",
                    "errors": {"party_id_number": ["The check digit … is wrong."]},
                },
            ),
        ],
        tags=["platform filings"],
    )
    def create(self, request):
        try:
            item = request.data
        except ParseError as error:  # answered in the documented shape of a refusal
            return Response(
                {"status": "invalid", "errors": {"non_field_errors": [str(error.detail)]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = filing_submit(
            platform=_platform_of(request),
            item=item,
            channel=FilingChannel.API,
            actor=request.user,
        )
        if result.status == "invalid":
            return Response(
                {"status": "invalid", "errors": result.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        filing = self.get_queryset().get(pk=result.id)
        return Response(
            {"status": result.status, "filing": s.FilingSerializer(filing).data},
            status=status.HTTP_201_CREATED if result.status == "created" else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="File up to 1,000 disposal filings",
        description=(
            "Each item is validated on its own and answered in `results`, in the order "
            "sent: `created` (with its `id`), `duplicate` (the `id` of the filing this "
            "platform already filed under that `external_id`, or sent earlier in the "
            "same batch; nothing is created) or `invalid` (with `errors` by field). One "
            "bad item does not stop the others. Sending the same batch twice creates "
            'nothing the second time. The body is `{"items": [...]}` or the list itself.'
        ),
        request=s.FilingBatchSerializer,
        responses={200: s.BatchResultSerializer},
        examples=[
            OpenApiExample(
                "A batch",
                request_only=True,
                value={"items": [FILING_EXAMPLE, BLACKLISTING_EXAMPLE]},
            ),
            OpenApiExample(
                "Answer",
                response_only=True,
                value={
                    "created": 1,
                    "duplicate": 1,
                    "invalid": 1,
                    "results": [
                        {
                            "index": 0,
                            "external_id": "XH-2026-000123",
                            "status": "duplicate",
                            "id": 812,
                        },
                        {
                            "index": 1,
                            "external_id": "XH-2026-000124",
                            "status": "created",
                            "id": 913,
                        },
                        {
                            "index": 2,
                            "external_id": "XH 125",
                            "status": "invalid",
                            "errors": {"external_id": ["1–128 letters, digits, “_” or “-”."]},
                        },
                    ],
                },
            ),
        ],
        tags=["platform filings"],
    )
    @action(detail=False, methods=["post"])
    def batch(self, request):
        items = request.data.get("items") if isinstance(request.data, dict) else request.data
        if not isinstance(items, list):
            raise ValidationError({"items": [_("Send a list of filings.")]})
        results = filing_submit_batch(
            platform=_platform_of(request),
            items=items,
            channel=FilingChannel.API,
            actor=request.user,
        )
        counts = dict.fromkeys(("created", "duplicate", "invalid"), 0)
        for result in results:
            counts[result.status] += 1
        return Response({**counts, "results": [r.as_dict() for r in results]})


@extend_schema(tags=["notices"])  # every operation of the viewset
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notices from departments to platforms (Order 117 Art. 12 ¶2, 22, 50): the
    platform sees those sent to it, a department those it or the departments of its
    type below it sent. ``reply_state``: awaiting, overdue, replied, replied_late."""

    serializer_class = s.NoticeSerializer
    filterset_class = NoticeFilter

    def get_permissions(self):
        if self.action == "reply":
            return [HasPerm("accounts.answer_platform_requests")()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs no query
            return PlatformNotice.objects.none()
        return notices_visible_to(self.request.user).order_by("-asked_at", "-pk")

    @extend_schema(
        summary="Reply to a notice",
        request=s.NoticeReplyInput,
        responses={200: s.NoticeSerializer, 404: None, 409: None},
        examples=[
            OpenApiExample(
                "Reply",
                request_only=True,
                value={"reply": "已于3月3日向该经营者发送提醒并限制其直播功能。"},
            )
        ],
        tags=["notices"],
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        notice = self.get_object()
        serializer = s.NoticeReplyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice_reply(notice=notice, actor=request.user, reply=serializer.validated_data["reply"])
        return Response(s.NoticeSerializer(self.get_queryset().get(pk=notice.pk)).data)
