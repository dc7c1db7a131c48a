"""Shapes of the roster API. Rows are checked in one place,
``registry.rosters.services.validate_roster_row`` (the uploads use it too)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Roster, RosterRow, RosterRowKind
from ..rosters.services import MAX_ROWS


class RosterRowInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RosterRowKind.choices)
    name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Resident ID number: required for a marketer (checked; stored encrypted)."),
    )
    uscc = serializers.CharField(required=False, allow_blank=True)
    live_room_account = serializers.CharField(required=False, allow_blank=True)
    business_region = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("GB/T 2260 code of the operator's actual business region (required)."),
    )
    home_region = serializers.CharField(
        required=False, allow_blank=True, help_text=_("GB/T 2260 code: domicile or residence.")
    )
    contact = serializers.CharField(required=False, allow_blank=True)
    guardian_consent = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "“yes” when a guardian consented: needed for a marketer or a natural-person "
            "operator aged 16 or 17 (Trial Art. 17); under 16 is refused."
        ),
    )


class RosterInput(serializers.Serializer):
    year = serializers.IntegerField(required=False, help_text=_("Default: the current half-year."))
    half = serializers.ChoiceField(choices=[1, 2], required=False)
    rows = serializers.ListField(child=serializers.DictField(), max_length=MAX_ROWS)


class RowErrorSerializer(serializers.ModelSerializer):
    row = serializers.IntegerField(source="row_number")
    id_number = serializers.CharField(source="id_number_masked")

    class Meta:
        model = RosterRow
        fields = ["row", "kind", "name", "id_number", "errors"]


class RosterSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform.uscc")
    due_on = serializers.DateField(read_only=True)
    late = serializers.BooleanField(
        read_only=True, help_text="Filed after the last day of its half-year (Order 117 Art. 9)."
    )
    deadline_article = serializers.SerializerMethodField(
        help_text="The article that sets the last day (from the rule sets)."
    )

    class Meta:
        model = Roster
        fields = [
            "id",
            "platform",
            "year",
            "half",
            "version",
            "status",
            "channel",
            "row_count",
            "error_count",
            "uploaded_at",
            "filed_at",
            "due_on",
            "late",
            "deadline_article",
            "supersedes",
        ]
        read_only_fields = fields

    def get_deadline_article(self, roster) -> str:
        from ..rosters.services import roster_deadline_article

        return roster_deadline_article(roster.year, roster.half)


class RosterDetailSerializer(RosterSerializer):
    errors = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta(RosterSerializer.Meta):
        fields = [*RosterSerializer.Meta.fields, "errors", "diff"]
        read_only_fields = fields

    def get_errors(self, roster) -> list[dict]:
        rows = roster.rows.exclude(errors={}).order_by("row_number")
        return RowErrorSerializer(rows, many=True).data

    def get_diff(self, roster) -> dict | None:
        from ..rosters.selectors import roster_diff

        if roster.filed_at is None:
            return None
        diff = roster_diff(roster)
        return {
            "previous": diff.previous.pk if diff.previous else None,
            "joined": len(diff.joined),
            "left": len(diff.left),
            "changed": len(diff.changed),
        }
