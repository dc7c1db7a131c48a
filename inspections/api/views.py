"""The inspections API.

- Platforms (their officers' sessions or ``Authorization: Api-Key …``): the
  document requests and rectification orders made of the caller's platform;
  answer a request and report a rectification, with files (multipart).
- Staff: clue transfers in scope (``?box=inbox|outbox|all``), send one, and the
  receiver's acknowledge / accept / return / outcome.

Everything is read through ``inspections.selectors``: out of scope answers 404.
Domain errors map to 400/403/409 (``portal.api.exception_handler``).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api import HasPerm
from portal.errors import Conflict, NotAllowed
from portal.parsers import JSONParser

from ..links import find_linkable
from ..models import ClueTransfer, DocumentRequest
from ..permissions import ANSWER, DECIDE, TRANSFER
from ..selectors import (
    clues_visible_to,
    document_requests_visible_to,
    rectification_orders_visible_to,
)
from ..services.clues import (
    clue_accept,
    clue_acknowledge,
    clue_record_outcome,
    clue_return,
    clue_transfer,
)
from ..services.inspections import (
    current_order,
    document_request_answer,
    rectification_report_submit,
)
from . import serializers as s

PLATFORM_TAG = ["inspections (platforms)"]
CLUE_TAG = ["clue transfers (staff)"]


@extend_schema(tags=PLATFORM_TAG)  # every operation of the viewset
class DocumentRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Document requests of special inspections (Trial Art. 26; Order 117 Art. 21, 46):
    a platform sees those made of it once requested; departments those of the
    inspections they see. Each carries its due date and state."""

    serializer_class = s.DocumentRequestSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        if self.action == "answer":
            return [HasPerm(ANSWER)()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs no query
            return DocumentRequest.objects.none()
        return (
            document_requests_visible_to(self.request.user)
            .select_related("inspection__campaign__lead_department")
            .prefetch_related("files")
        )

    @extend_schema(
        summary="Answer a document request",
        description=(
            "The inspected platform answers, with text and/or files (multipart, field "
            "`files` repeated). An answer after the due date is taken and recorded as late; "
            "a second answer is refused (409)."
        ),
        request={"multipart/form-data": s.AnswerInput, "application/json": s.AnswerInput},
        responses={200: s.DocumentRequestSerializer},
        tags=PLATFORM_TAG,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        document_request = self.get_object()
        serializer = s.AnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        document_request_answer(
            actor=request.user,
            request=document_request,
            answer=serializer.validated_data["answer"],
            files=serializer.validated_data["files"],
        )
        return Response(s.DocumentRequestSerializer(self.get_queryset().get(pk=pk)).data)


@extend_schema(tags=PLATFORM_TAG)  # every operation of the viewset
class RectificationOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Orders to rectify (责令整改通知书) and the platform's reports on them."""

    serializer_class = s.RectificationOrderSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        if self.action == "report":
            return [HasPerm(ANSWER)()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return rectification_orders_visible_to(self.request.user).prefetch_related(
            "items", "report__files"
        )

    @extend_schema(
        summary="Report the rectification",
        description=(
            "The platform reports what it rectified under the inspection's current order, "
            "with files (multipart). Only the latest order of an inspection awaiting a "
            "report takes one (else 409)."
        ),
        request={"multipart/form-data": s.ReportInput, "application/json": s.ReportInput},
        responses={201: s.RectificationOrderSerializer},
        tags=PLATFORM_TAG,
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        order = self.get_object()
        serializer = s.ReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        if current_order(order.inspection) != order:
            raise Conflict(_("A later order replaced this one."), code="superseded")
        rectification_report_submit(
            actor=request.user,
            inspection=order.inspection,
            text=serializer.validated_data["text"],
            files=serializer.validated_data["files"],
        )
        return Response(
            s.RectificationOrderSerializer(self.get_queryset().get(pk=pk)).data,
            status=status.HTTP_201_CREATED,
        )


CLUE_EXAMPLE = {
    "to_department": 12,
    "suspected_crime": False,
    "facts": "直播间销售的护肤品疑似假冒注册商标，涉及多名消费者。",
    "reason": "涉嫌商标侵权，属贵局管辖。",
    "acknowledge_days": 5,
    "outcome_days": 30,
    "links": [{"kind": "complaint", "reference": "LM0123456789"}],
}


@extend_schema(tags=CLUE_TAG)  # every operation of the viewset
class ClueTransferViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Clue transfers (Trial Art. 4; Order 117 Art. 46, 67) the caller's department
    sent or received, and those of the departments of its type below it."""

    serializer_class = s.ClueTransferSerializer

    def get_permissions(self):
        if self.action == "create":
            return [HasPerm(TRANSFER)()]
        if self.action in ("acknowledge", "accept", "return_", "outcome"):
            return [HasPerm(DECIDE)()]
        return [HasPerm("accounts.view_jurisdiction_cases")()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation runs no query
            return ClueTransfer.objects.none()
        queryset = clues_visible_to(self.request.user).prefetch_related(
            "links__content_type", "files"
        )
        box = self.request.query_params.get("box", "all")
        department_id = getattr(self.request.user, "department_id", None)
        if self.action == "list" and box == "inbox":
            queryset = queryset.filter(to_department_id=department_id)
        elif self.action == "list" and box == "outbox":
            queryset = queryset.filter(from_department_id=department_id)
        return queryset.order_by("-sent_at", "-pk")

    @extend_schema(
        parameters=[OpenApiParameter("box", str, enum=["inbox", "outbox", "all"])],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Transfer a clue",
        description=(
            "From the caller's department. Links are found in the caller's own scope "
            "(complaint tracking codes, filing and finding numbers); a suspected crime goes "
            "to a department of type `judicial` (Order 117 Art. 67). Files are attached on "
            "the page."
        ),
        request=s.ClueTransferInput,
        responses={201: s.ClueTransferSerializer},
        examples=[OpenApiExample("A clue", value=CLUE_EXAMPLE, request_only=True)],
        tags=CLUE_TAG,
    )
    def create(self, request):
        serializer = s.ClueTransferInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        links, missing = [], []
        for link in data["links"]:
            found = find_linkable(request.user, link["kind"], link["reference"])
            (links if found else missing).append(found or link["reference"])
        if missing:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"links": [_("Not found: %s") % ", ".join(missing)]})
        transfer = clue_transfer(
            actor=request.user,
            to_department=data["to_department"],
            facts=data["facts"],
            reason=data["reason"],
            suspected_crime=data["suspected_crime"],
            acknowledge_days=data.get("acknowledge_days"),
            outcome_days=data.get("outcome_days"),
            links=links,
        )
        transfer = self.get_queryset().get(pk=transfer.pk)
        return Response(
            s.ClueTransferSerializer(transfer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _received(self):
        """The transfer, in scope (else 404), acted on by its receiving department only
        (else 403): both before the body is read."""
        transfer = self.get_object()
        user = self.request.user
        if getattr(user, "department_id", None) != transfer.to_department_id:
            raise NotAllowed(
                _("Only the receiving department acts on a transfer."), code="not_receiver"
            )
        return transfer

    def _done(self, request, pk):
        transfer = self.get_queryset().get(pk=pk)
        return Response(s.ClueTransferSerializer(transfer, context={"request": request}).data)

    @extend_schema(request=s.EmptyInput, responses={200: s.ClueTransferSerializer}, tags=CLUE_TAG)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        clue_acknowledge(actor=request.user, transfer=self.get_object())
        return self._done(request, pk)

    @extend_schema(request=s.NoteInput, responses={200: s.ClueTransferSerializer}, tags=CLUE_TAG)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        transfer = self._received()
        serializer = s.NoteInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        clue_accept(actor=request.user, transfer=transfer, note=serializer.validated_data["note"])
        return self._done(request, pk)

    @extend_schema(
        summary="Send the clue back",
        request=s.ReturnInput,
        responses={200: s.ClueTransferSerializer},
        tags=CLUE_TAG,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        transfer = self._received()
        serializer = s.ReturnInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        clue_return(
            actor=request.user,
            transfer=transfer,
            reason=serializer.validated_data["reason"],
        )
        return self._done(request, pk)

    @extend_schema(request=s.OutcomeInput, responses={200: s.ClueTransferSerializer}, tags=CLUE_TAG)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        transfer = self._received()
        serializer = s.OutcomeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        clue_record_outcome(
            actor=request.user,
            transfer=transfer,
            outcome=serializer.validated_data["outcome"],
        )
        return self._done(request, pk)
