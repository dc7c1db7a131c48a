"""Shapes of the filings and notices API.

The input serializers document the request for the OpenAPI schema; the rules
themselves are applied in one place, ``filings.services.validation.
validate_filing_item``, which the web form and the CSV upload use too.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import (
    EXTERNAL_ID_PATTERN,
    DisposalFiling,
    FilingParty,
    Measure,
    NoticeKind,
    PlatformNotice,
    RouteRecipient,
)
from ..services.validation import MAX_BATCH


class FilingItemSerializer(serializers.Serializer):
    external_id = serializers.RegexField(
        EXTERNAL_ID_PATTERN,
        help_text=_("The platform's own id for the filing: 1–128 of A–Z a–z 0–9 _ -."),
    )
    party_kind = serializers.ChoiceField(choices=FilingParty.choices)
    party_name = serializers.CharField(max_length=200)
    party_uscc = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Unified social credit code (checked).")
    )
    party_id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Resident ID number (checked; stored encrypted, shown masked)."),
    )
    live_room_account = serializers.CharField(required=False, allow_blank=True, max_length=128)
    category = serializers.CharField(help_text=_("Violation taxonomy code, e.g. fake-traffic."))
    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices))
    suspended_until = serializers.DateField(
        required=False, allow_null=True, help_text=_("Required with term_suspension.")
    )
    blacklisted_until = serializers.DateField(
        required=False, allow_null=True, help_text=_("Required with blacklisting.")
    )
    appeal_route = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Required with blacklisting.")
    )
    conduct_at = serializers.DateTimeField(help_text=_("When the conduct happened."))
    acted_at = serializers.DateTimeField(
        help_text=_("When the platform acted: not before the conduct, not in the future.")
    )
    facts = serializers.CharField(max_length=5000)
    evidence_links = serializers.ListField(child=serializers.URLField(), required=False)


class FilingBatchSerializer(serializers.Serializer):
    items = FilingItemSerializer(many=True, max_length=MAX_BATCH)


class ItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "invalid"])
    id = serializers.IntegerField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    invalid = serializers.IntegerField()
    results = ItemResultSerializer(many=True)


class RecipientSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.label")
    department_type = serializers.CharField(source="department.type")
    region = serializers.CharField(source="department.region_id")

    class Meta:
        model = RouteRecipient
        fields = ["department", "department_type", "region", "reason"]


class FilingSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform.uscc")
    category = serializers.CharField(source="category.code")
    party_id_number = serializers.CharField(source="id_number_masked")
    recipients = RecipientSerializer(source="route.recipients", many=True, read_only=True)

    class Meta:
        model = DisposalFiling
        fields = [
            "id",
            "external_id",
            "platform",
            "party_kind",
            "party_name",
            "party_uscc",
            "party_id_number",
            "live_room_account",
            "live_room",
            "operator",
            "marketer",
            "agency",
            "category",
            "measures",
            "suspended_until",
            "blacklisted_until",
            "appeal_route",
            "conduct_at",
            "acted_at",
            "facts",
            "evidence_links",
            "received_at",
            "channel",
            "recipients",
        ]
        read_only_fields = fields


class FilingAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["created", "duplicate", "invalid"])
    filing = FilingSerializer(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class _PublishedState(serializers.CharField):
    """The notices API keeps its published words: awaiting, overdue, replied,
    replied_late (the model says answered)."""

    def to_representation(self, notice) -> str:
        return notice.answer_state.replace("answered", "replied")


class NoticeSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.label")
    platform = serializers.CharField(source="platform.uscc")
    reply_due = serializers.DateField(source="due_on")
    reply_state = _PublishedState(source="*")
    replied_at = serializers.DateTimeField(
        source="answered_at", read_only=True, allow_null=True, label=_("replied at")
    )
    reply = serializers.CharField(source="answer", read_only=True, label=_("platform's reply"))
    message = serializers.CharField(
        source="question", read_only=True, label=_("what the platform is asked to do")
    )
    sent_at = serializers.DateTimeField(source="asked_at", read_only=True, label=_("sent at"))

    class Meta:
        model = PlatformNotice
        fields = [
            "id",
            "department",
            "platform",
            "kind",
            "party",
            "message",
            "sent_at",
            "reply_due",
            "reply_state",
            "replied_at",
            "reply",
        ]
        read_only_fields = fields


class NoticeReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)


__all__ = ["NoticeKind"]
