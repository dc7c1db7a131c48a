from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department
from portal.api import UploadsSerializer

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
        source="asked_at", required=False, label=_("requested at")
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


class RectificationOrderSerializer(serializers.ModelSerializer):
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
        ]

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


class ClueTransferSerializer(serializers.ModelSerializer):
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
        ]

    def get_overdue(self, obj) -> list[str]:
        return clue_flags(obj)

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
