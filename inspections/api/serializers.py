from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department
from portal.api import IssuedDocumentSerializer, UploadsSerializer
from portal.documents import documents_attach, documents_of

from ..links import LINK_KINDS
from ..models import Attachment, ClueLink, ClueTransfer, DocumentRequest, RectificationOrder
from ..selectors import clue_flags


class FileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("inspections:file", args=[obj.pk])


class IssuedDocumentsList(serializers.ListSerializer):
    """A list whose rows' issued documents are read in one query for all of them."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        documents_attach(rows)
        return super().to_representation(rows)


class WithIssuedDocuments(serializers.Serializer):
    """The number (文号) of the document a record is issued as, and every document
    issued for it with its verification code and address. A document is issued
    the first time its PDF is fetched: until then the number is null."""

    document_kind = ""  # the portal.DocumentKind code of the record's own document

    document_number = serializers.SerializerMethodField(
        help_text=_(
            "The document number (文号) of the document in force, null until the "
            "document is first issued (its PDF first fetched)."
        )
    )
    documents = serializers.SerializerMethodField(
        help_text=_(
            "The documents issued for it, revoked ones included, newest first: "
            "number, type, date, verification code and address, SHA-256."
        )
    )

    def _issued(self, obj) -> list:
        if not hasattr(obj, "issued_documents"):  # one record: its own query
            obj.issued_documents = documents_of(obj)
        return obj.issued_documents

    def get_document_number(self, obj) -> str | None:
        for document in self._issued(obj):
            if document.kind.code == self.document_kind and document.revoked_at is None:
                return document.number
        return None

    @extend_schema_field(IssuedDocumentSerializer(many=True))
    def get_documents(self, obj) -> list[dict]:
        return IssuedDocumentSerializer(self._issued(obj), many=True).data


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "name_en", "type"]


class DocumentRequestSerializer(serializers.ModelSerializer):
    inspection_number = serializers.CharField(source="inspection.number", read_only=True)
    campaign = serializers.CharField(source="inspection.campaign.theme", read_only=True)
    department = serializers.CharField(
        source="inspection.campaign.lead_department.name", read_only=True
    )
    platform = serializers.CharField(source="inspection.platform.uscc", read_only=True)
    requested = serializers.CharField(
        source="question", max_length=5000, label=_("what is requested")
    )
    requested_at = serializers.DateTimeField(
        source="asked_at", required=False, label=pgettext_lazy("document request", "requested at")
    )
    due_on = serializers.DateField(read_only=True, allow_null=True)
    due_provisional = serializers.BooleanField(read_only=True, allow_null=True)
    state = serializers.CharField(
        source="answer_state",
        read_only=True,
        help_text="awaiting, overdue, answered or answered_late (both sides see the same).",
    )
    files = FileSerializer(many=True, read_only=True)

    class Meta:
        model = DocumentRequest
        fields = [
            "id",
            "inspection",
            "inspection_number",
            "campaign",
            "department",
            "platform",
            "requested",
            "requested_at",
            "due_on",
            "due_provisional",
            "state",
            "answered_at",
            "answer",
            "answered_by_label",
            "files",
        ]


class AnswerInput(UploadsSerializer):
    answer = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReportInput(UploadsSerializer):
    text = serializers.CharField(max_length=10000)


class OrderItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    article = serializers.CharField()
    note = serializers.CharField()


class RectificationReportSerializer(serializers.Serializer):
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    files = FileSerializer(many=True)


class RectificationOrderSerializer(WithIssuedDocuments, serializers.ModelSerializer):
    document_kind = "rectification-order"
    number = serializers.CharField(read_only=True)
    department = serializers.CharField(
        source="inspection.campaign.lead_department.name", read_only=True
    )
    campaign = serializers.CharField(source="inspection.campaign.theme", read_only=True)
    items = OrderItemSerializer(many=True, read_only=True)
    report = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "number",
            "inspection",
            "campaign",
            "department",
            "requirements",
            "due_on",
            "issued_at",
            "items",
            "report",
            "pdf",
            "document_number",
            "documents",
        ]
        list_serializer_class = IssuedDocumentsList

    @extend_schema_field(RectificationReportSerializer(allow_null=True))
    def get_report(self, obj):
        report = getattr(obj, "report", None) if getattr(obj, "reported", True) else None
        return RectificationReportSerializer(report).data if report else None

    def get_pdf(self, obj) -> str:
        return reverse("inspections:order-pdf", args=[obj.pk])


class LinkSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ClueLink
        fields = ["kind", "object_id", "label", "summary"]


class ClueTransferSerializer(WithIssuedDocuments, serializers.ModelSerializer):
    document_kind = "transfer-letter"
    number = serializers.CharField(read_only=True)
    from_department = DepartmentRefSerializer(read_only=True)
    to_department = DepartmentRefSerializer(read_only=True)
    acknowledge_due = serializers.DateField(read_only=True, allow_null=True)
    outcome_due = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text="What is overdue: acknowledgement, outcome (both sides see the same)."
    )
    links = LinkSerializer(many=True, read_only=True)
    files = FileSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(
        help_text=_("The transfer letter (PDF): fetching it first issues its number.")
    )

    class Meta:
        model = ClueTransfer
        fields = [
            "id",
            "number",
            "from_department",
            "to_department",
            "suspected_crime",
            "facts",
            "reason",
            "status",
            "sent_at",
            "acknowledge_days",
            "outcome_days",
            "acknowledge_due",
            "outcome_due",
            "overdue",
            "acknowledged_at",
            "decided_at",
            "return_reason",
            "handled_at",
            "outcome",
            "links",
            "files",
            "allowed_actions",
            "pdf",
            "document_number",
            "documents",
        ]
        list_serializer_class = IssuedDocumentsList

    def get_overdue(self, obj) -> list[str]:
        return clue_flags(obj)

    def get_pdf(self, obj) -> str:
        return reverse("inspections:clue-letter", args=[obj.pk])

    def get_allowed_actions(self, obj) -> list[str]:
        from ..permissions import clue_actions

        request = self.context.get("request")
        return sorted(clue_actions(request.user, obj)) if request else []


class LinkInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(LINK_KINDS))
    reference = serializers.CharField(
        max_length=64,
        help_text="Tracking code of a complaint, or the number of a filing or finding.",
    )


class ClueTransferInput(serializers.Serializer):
    to_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True)
    )
    suspected_crime = serializers.BooleanField(required=False, default=False)
    facts = serializers.CharField(max_length=10000)
    reason = serializers.CharField(max_length=5000)
    acknowledge_days = serializers.IntegerField(min_value=1, max_value=120, required=False)
    outcome_days = serializers.IntegerField(min_value=1, max_value=120, required=False)
    links = LinkInput(many=True, required=False, default=list)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class OutcomeInput(serializers.Serializer):
    outcome = serializers.CharField(max_length=10000)


class EmptyInput(serializers.Serializer):
    pass
