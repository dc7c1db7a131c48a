"""The complaints API: anonymous intake and tracking; the staff's scoped list,
detail and one endpoint per workflow action; the platform's forwarded cases."""

from django.conf import settings
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import HasPerm

from ..actions import perform_action
from ..filters import ComplaintFilter
from ..models import Complaint
from ..permissions import allowed_actions
from ..selectors import (
    QUEUES,
    deadlines_of,
    find_tracked,
    forwards_for_platform,
    queue,
)
from ..services.forwards import forward_answer
from ..services.intake import Intake, store_evidence, submission_create
from . import serializers as s
from .throttling import PublicRateThrottle


class IntakeView(APIView):
    """File a complaint or report (no account needed)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "complaint-intake"

    @extend_schema(
        request=s.IntakeSerializer,
        responses={201: s.IntakeResultSerializer},
        examples=[
            OpenApiExample(
                "A complaint",
                request_only=True,
                value={
                    "kind": "complaint",
                    "category": "consumer-dispute",
                    "platform": "91330110MA00000017",
                    "live_room_account": "xh-10086",
                    "description": "直播间承诺七天无理由退货，收货后拒绝退货。",
                    "consumer_region": "330106",
                    "contact_name": "陈女士",
                    "contact_phone": "13800000001",
                },
            )
        ],
        tags=["complaints (public)"],
    )
    def post(self, request):
        serializer = s.IntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        submission = submission_create(intake=Intake(**data))
        complaint, due = submission.complaint, submission.decision_clock
        result = {
            "tracking_code": complaint.tracking_code,
            "kind": complaint.kind,
            "status": complaint.status,
            "received_at": complaint.received_at,
            "decision_due": due.due_on if due else None,
            "decision_due_provisional": bool(due and due.provisional),
            "department": complaint.department.label,
            "access_key": complaint.access_key,
        }
        return Response(s.IntakeResultSerializer(result).data, status=status.HTTP_201_CREATED)


class TrackView(APIView):
    """The consumer's view of their case, by tracking code and contact."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "complaint-track"

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True),
            OpenApiParameter(
                "contact",
                str,
                required=True,
                description="Phone, email or access key given when filing.",
            ),
        ],
        responses={200: s.TrackResultSerializer, 404: None},
        tags=["complaints (public)"],
    )
    def get(self, request):
        complaint = find_tracked(
            request.query_params.get("code", ""), request.query_params.get("contact", "")
        )
        if complaint is None:
            raise Http404
        result = {
            "tracking_code": complaint.tracking_code,
            "kind": complaint.kind,
            "status": complaint.status,
            "status_label": complaint.get_status_display(),
            "department": complaint.department.label,
            "outcome": complaint.outcome,
            "outcome_text": complaint.outcome_text,
            "rule_set": complaint.rule_set,
            "deadlines": [d for d in deadlines_of(complaint) if d.clock != "platform-answer"],
            "events": complaint.events.filter(public=True),
        }
        return Response(s.TrackResultSerializer(result).data)


ACTION_INPUTS = {
    "take": s.EmptyInput,
    "assign": s.AssignInput,
    "accept": s.MessageInput,
    "decline": s.DeclineInput,
    "request_material": s.MaterialRequestInput,
    "transfer": s.TransferInput,
    "forward": s.ForwardInput,
    "close": s.CloseInput,
    "note": s.NoteInput,
    "request_extension": s.ExtensionRequestInput,
    "approve_extension": s.ExtensionDecisionInput,
    "decide_report": s.ReportDecisionInput,
    "merge": s.EmptyInput,
    "exclude_period": s.ExcludePeriodInput,
}


class ComplaintViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases in the user's scope; ``?queue=`` one of mine, unassigned, due_soon,
    overdue, open (default), triage, all; plus the page's filters."""

    permission_classes = [HasPerm("accounts.view_jurisdiction_cases")]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ComplaintFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs no query
            return Complaint.objects.none()
        name = self.request.query_params.get("queue", "open")
        return queue(self.request.user, name if name in QUEUES else "open")

    def get_serializer_class(self):
        return s.ComplaintDetailSerializer if self.action == "retrieve" else s.ComplaintSerializer

    def _act(self, request, pk, name):
        complaint = self.get_object()
        if name not in allowed_actions(request.user, complaint):
            raise PermissionDenied()
        serializer = ACTION_INPUTS[name](data=request.data, context={"complaint": complaint})
        serializer.is_valid(raise_exception=True)
        perform_action(name, complaint, request.user, dict(serializer.validated_data))
        complaint = self.get_queryset().filter(pk=complaint.pk).first()
        if complaint is None:  # transferred out of the user's scope
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ComplaintDetailSerializer(complaint, context={"request": request}).data)


def _make_action(name):
    @extend_schema(
        request=ACTION_INPUTS[name],
        responses={200: s.ComplaintDetailSerializer, 204: None},
        summary=name.replace("_", " "),
    )
    def handler(self, request, pk=None):
        return self._act(request, pk, name)

    handler.__name__ = name
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)


for _name in ACTION_INPUTS:
    setattr(ComplaintViewSet, _name, _make_action(_name))


class ForwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases forwarded to the caller's platform (session or API key)."""

    permission_classes = [HasPerm("accounts.answer_platform_requests")]
    serializer_class = s.ForwardSerializer

    def get_queryset(self):
        return (
            forwards_for_platform(self.request.user)
            .select_related("complaint__department")
            .order_by("answered_at", "answer_due")
        )

    @extend_schema(
        description=(
            "The platform answers, as JSON or as multipart with files (the field `files` "
            "repeated), each checked by content."
        ),
        request={
            "application/json": s.ForwardAnswerInput,
            "multipart/form-data": s.ForwardAnswerInput,
        },
        responses={200: s.ForwardSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        forward = self.get_object()
        serializer = s.ForwardAnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Files not claimed by an answer (it was refused) are discarded by the
        # evidence sweep, as the public form's are.
        files = [store_evidence(upload=upload, actor=request.user) for upload in data["files"]]
        forward = forward_answer(
            forward=forward, actor=request.user, answer=data["answer"], files=files
        )
        return Response(s.ForwardSerializer(forward).data)


__all__ = ["settings"]
