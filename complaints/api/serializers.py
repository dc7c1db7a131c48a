from django.urls import reverse
from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, Platform, Region, User
from portal import dates
from portal.api import IssuedDocumentSerializer, UploadsSerializer
from portal.documents import documents_of
from portal.models import EXCLUDED_PERIODS, Deadline
from portal.uploads import MAX_FILES
from registry.models import ViolationCategory

from .. import lookups
from ..models import CaseEvent, Complaint, Evidence, Outcome, PlatformForward


class DeadlineSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(source="working_days", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "clock",
            "started_on",
            "days",
            "unit",
            "excluded_days",
            "due_on",
            "provisional",
            "state",
            "source",
        ]


class RuleSetRefSerializer(serializers.Serializer):
    """Which instrument governs a matter."""

    code = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField(source="label")


class PublicEventSerializer(serializers.ModelSerializer):
    message = serializers.CharField(source="text", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "action", "message"]


class CachedSlugRelatedField(serializers.SlugRelatedField):
    """A ``SlugRelatedField`` that finds the row through a per-process lookup
    (``complaints.lookups``) instead of a query per request; the same errors."""

    def __init__(self, *, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        found = self.lookup(str(data))
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return found


class FreshFieldsMixin:
    """Each serializer instance gets new field objects built from the declared
    fields' arguments, which are never changed, instead of DRF's deep copy of
    every field with its querysets and choices (a tenth of an intake's CPU)."""

    def get_fields(self):
        return {
            name: field.__class__(*field._args, **field._kwargs)
            for name, field in self._declared_fields.items()
        }


class IntakeSerializer(FreshFieldsMixin, serializers.Serializer):
    """What a consumer sends; the same rules as the public form."""

    kind = serializers.ChoiceField(choices=Complaint.Kind.choices)
    category = CachedSlugRelatedField(
        slug_field="code",
        lookup=lookups.category_by_code,
        queryset=ViolationCategory.objects.filter(is_active=True),
        help_text=_("Taxonomy code, e.g. consumer-dispute."),
    )
    platform = CachedSlugRelatedField(
        slug_field="uscc",
        lookup=lookups.platform_by_uscc,
        queryset=Platform.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("The platform's unified social credit code."),
    )
    platform_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    live_room_account = serializers.CharField(max_length=128, required=False, allow_blank=True)
    live_room_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    live_room_url = serializers.URLField(required=False, allow_blank=True)
    marketer_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    occurred_on = serializers.DateField(
        required=False, allow_null=True, validators=[dates.validate_past_day]
    )
    order_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    description = serializers.CharField(max_length=5000)
    consumer_region = CachedSlugRelatedField(
        slug_field="code",
        lookup=lookups.region_by_code,
        queryset=Region.objects.all(),
        help_text=_("GB/T 2260 code."),
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=[("zh-hans", "简体中文"), ("en", "English")], required=False, default="zh-hans"
    )

    def validate_contact_phone(self, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        if (
            value
            and not (len(digits) == 11 and digits.startswith("1"))
            and not (len(digits) == 13 and digits.startswith("861"))
        ):
            raise serializers.ValidationError(_("Enter an 11-digit mobile number."))
        return value

    def validate(self, data):
        errors = {}
        if data.get("anonymous") and data["kind"] == Complaint.Kind.COMPLAINT:
            errors["anonymous"] = [
                _("A complaint cannot be anonymous: we need to reach you to settle it.")
            ]
        if not data.get("anonymous") and not (
            data.get("contact_phone") or data.get("contact_email")
        ):
            errors["contact_phone"] = [
                _(
                    "Give a mobile phone or an email, so that we can reach you "
                    "and you can follow the case."
                )
            ]
        if data["kind"] == Complaint.Kind.COMPLAINT and not data.get("contact_name"):
            errors["contact_name"] = [_("A complaint needs your name.")]
        if not data.get("platform") and not data.get("platform_other"):
            errors["platform_other"] = [_("Choose the platform, or write its name.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class IntakeResultSerializer(FreshFieldsMixin, serializers.Serializer):
    tracking_code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    decision_due = serializers.DateField(allow_null=True)
    decision_due_provisional = serializers.BooleanField()
    department = serializers.CharField()
    access_key = serializers.CharField(
        allow_blank=True, help_text=_("Only for an anonymous report: keep it to follow the case.")
    )


class TrackResultSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    department = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    outcome_text = serializers.CharField(allow_blank=True)
    rule_set = RuleSetRefSerializer(allow_null=True)
    deadlines = DeadlineSerializer(many=True)
    events = PublicEventSerializer(many=True)


class ComplaintSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    platform = serializers.CharField(source="platform_label", read_only=True)
    department = serializers.CharField(source="department.label", read_only=True)
    assignee = serializers.CharField(
        source="assignee.username", read_only=True, default=None, allow_null=True
    )
    next_due = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "kind",
            "status",
            "category",
            "platform",
            "live_room_account",
            "live_room_name",
            "department",
            "assignee",
            "received_at",
            "next_due",
            "possible_duplicate_of",
            "in_triage",
        ]


class ComplaintDetailSerializer(ComplaintSerializer):
    rule_set = RuleSetRefSerializer(read_only=True, allow_null=True)
    deadlines = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [
            *ComplaintSerializer.Meta.fields,
            "description",
            "marketer_name",
            "occurred_on",
            "order_number",
            "amount",
            "contact_name",
            "contact_phone",
            "contact_email",
            "anonymous",
            "routing_basis",
            "rule_set",
            "decline_reason",
            "outcome",
            "outcome_text",
            "rating",
            "rating_comment",
            "deadlines",
            "events",
            "allowed_actions",
            "documents",
        ]

    @extend_schema_field(IssuedDocumentSerializer(many=True))
    def get_documents(self, obj) -> list[dict]:
        return IssuedDocumentSerializer(documents_of(obj), many=True).data

    def get_deadlines(self, obj) -> list[dict]:
        return DeadlineSerializer(Deadline.objects.for_object(obj), many=True).data

    def get_events(self, obj) -> list[dict]:
        return [
            {"at": e.at, "action": e.action, "public": e.public, "message": e.text}
            for e in obj.events.all()
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        from ..permissions import allowed_actions

        return sorted(allowed_actions(self.context["request"].user, obj))


# Inputs of the workflow actions (the same fields as the page forms).


class MessageInput(serializers.Serializer):
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DeclineInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=32, help_text="A code of the decline grounds of the case's rule set."
    )
    message = serializers.CharField(max_length=5000)


class ExcludePeriodInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(EXCLUDED_PERIODS))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs):
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError(
                {"ends_on": _("The period must end on or after the day it starts.")}
            )
        return attrs


class MaterialRequestInput(serializers.Serializer):
    message = serializers.CharField(max_length=5000)


class TransferInput(serializers.Serializer):
    to_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True)
    )
    reason = serializers.CharField(max_length=2000)


class ForwardInput(serializers.Serializer):
    message = serializers.CharField(max_length=5000)
    working_days = serializers.IntegerField(min_value=1, max_value=60, required=False, default=None)


class CloseInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in Outcome.choices if c[0] not in ("case_opened", "not_opened")]
    )
    outcome_text = serializers.CharField(max_length=5000)


class NoteInput(serializers.Serializer):
    message = serializers.CharField(max_length=5000)
    public = serializers.BooleanField(default=False)


class ExtensionRequestInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ExtensionDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportDecisionInput(serializers.Serializer):
    open_case = serializers.BooleanField()
    message = serializers.CharField(max_length=5000)


class AssignInput(serializers.Serializer):
    """The handler to assign, by id. Any id that is not an active handler of the
    case's department (``context["complaint"]``) gets the one same message, so
    that the answer never tells whether a user exists elsewhere."""

    assignee = serializers.IntegerField()

    def validate_assignee(self, value):
        complaint = self.context["complaint"]
        handler = User.objects.filter(
            pk=value, is_active=True, department_id=complaint.department_id
        ).first()
        if handler is None or not handler.has_perm("accounts.handle_cases"):
            raise serializers.ValidationError(_("Assign the case to a handler of its department."))
        return handler


class EmptyInput(serializers.Serializer):
    pass


class ForwardFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("complaints:evidence", args=[obj.pk])


class ForwardSerializer(serializers.ModelSerializer):
    tracking_code = serializers.CharField(source="complaint.tracking_code", read_only=True)
    category = serializers.CharField(source="complaint.category.code", read_only=True)
    description = serializers.CharField(source="complaint.description", read_only=True)
    live_room_account = serializers.CharField(source="complaint.live_room_account", read_only=True)
    order_number = serializers.CharField(source="complaint.order_number", read_only=True)
    contact_name = serializers.CharField(source="complaint.contact_name", read_only=True)
    contact_phone = serializers.CharField(source="complaint.contact_phone", read_only=True)
    department = serializers.CharField(source="complaint.department.label", read_only=True)
    # the request's question and due date, under the names the API has always had
    message = serializers.CharField(
        source="question", read_only=True, label=_("what the platform is asked to do")
    )
    forwarded_at = serializers.DateTimeField(
        source="asked_at", read_only=True, label=_("forwarded at")
    )
    due_on = serializers.DateField(read_only=True, label=_("answer due on"))
    files = serializers.SerializerMethodField()

    class Meta:
        model = PlatformForward
        fields = [
            "id",
            "tracking_code",
            "category",
            "description",
            "live_room_account",
            "order_number",
            "contact_name",
            "contact_phone",
            "department",
            "message",
            "forwarded_at",
            "due_on",
            "answered_at",
            "answer",
            "answered_by_label",
            "files",
        ]
        read_only_fields = fields

    @extend_schema_field(ForwardFileSerializer(many=True))
    def get_files(self, obj) -> list:
        return ForwardFileSerializer(obj.files.all(), many=True).data


class ForwardAnswerInput(UploadsSerializer):
    answer = serializers.CharField(max_length=5000)


__all__ = ["MAX_FILES"]
