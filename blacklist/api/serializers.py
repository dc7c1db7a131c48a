"""Serializers of the blacklist API: input validation and the shapes of answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal import dates
from portal.api import IssuedDocumentSerializer
from portal.documents import documents_of_all
from registry.models import PartyKind, ViolationCategory

from ..forms import validate_screening_identifiers
from ..models import Entry, EntryState, Measure, MeasureImplementation, PlatformAppeal
from ..selectors import may_see_full_name

MAX_BATCH = 1000


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label")
    articles = serializers.CharField(source="articles_label")

    class Meta:
        model = ViolationCategory
        fields = ["code", "name", "articles"]


class MeasureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label")
    basis = serializers.CharField(source="basis_label")

    class Meta:
        model = Measure
        fields = ["code", "name", "basis"]


class EntrySummarySerializer(serializers.ModelSerializer):
    """An entry as a screening hit or a list row: the name is masked unless the viewer
    may see it (staff; the listing platform)."""

    name = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    grounds = CategorySerializer(source="category")
    listed_by = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "reference",
            "list",
            "status",
            "party_kind",
            "name",
            "id_number_masked",
            "uscc",
            "grounds",
            "legal_basis",
            "listed_by",
            "listed_on",
            "term_ends_on",
            "appeal_route",
        ]

    def get_name(self, entry) -> str:
        user = self.context["request"].user
        return entry.name if may_see_full_name(user, entry) else entry.name_masked

    def get_listed_by(self, entry) -> str:
        return str(entry.lister)


class EntryStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntryState
        fields = ["status", "at", "actor_label", "reason"]


class EntryDetailSerializer(EntrySummarySerializer):
    states = EntryStateSerializer(many=True, read_only=True)
    measures = MeasureSerializer(source="proposed_measures", many=True, read_only=True)
    documents = serializers.SerializerMethodField(
        help_text=_("The notice, decision and repair decisions issued, with their numbers.")
    )

    class Meta(EntrySummarySerializer.Meta):
        fields = [*EntrySummarySerializer.Meta.fields, "facts", "measures", "states", "documents"]

    @extend_schema_field(IssuedDocumentSerializer(many=True))
    def get_documents(self, entry) -> list[dict]:
        return IssuedDocumentSerializer(
            documents_of_all([entry, *entry.repairs.all()]), many=True
        ).data


class ScreeningQuerySerializer(serializers.Serializer):
    """One party: any of name, resident ID number, USCC. ``ref`` is echoed back."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    uscc = serializers.CharField(required=False, allow_blank=True, max_length=32)
    ref = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate(self, attrs):
        try:
            cleaned = validate_screening_identifiers(
                attrs.get("name", ""), attrs.get("id_number", ""), attrs.get("uscc", "")
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return {**cleaned, "ref": attrs.get("ref", "")}


class ScreeningBatchSerializer(serializers.Serializer):
    queries = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_BATCH
    )


class MatchSerializer(serializers.Serializer):
    entry = EntrySummarySerializer()
    score = serializers.FloatField(help_text=_("0 to 1; 1.0 for an identifier match."))
    matched_fields = serializers.ListField(child=serializers.CharField())
    why = serializers.ListField(child=serializers.CharField())


class ScreeningAnswerSerializer(serializers.Serializer):
    screening = serializers.IntegerField(help_text=_("Number of the screening log record."))
    hit = serializers.BooleanField()
    count = serializers.IntegerField(help_text=_("Every hit, those not shown included."))
    name_only_count = serializers.IntegerField(help_text=_("Hits by the name alone."))
    next = serializers.URLField(
        allow_null=True, help_text=_("The next 50 name-only hits, when there are more.")
    )
    matches = MatchSerializer(
        many=True, help_text=_("Every identifier hit, and the first 50 name-only hits by score.")
    )


class ScreeningMatchPageSerializer(serializers.Serializer):
    screening = serializers.IntegerField()
    count = serializers.IntegerField(help_text=_("Name-only hits in all."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MatchSerializer(many=True)


class BatchItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    ref = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(
        required=False, help_text=_("Every hit on this party, those not shown included.")
    )
    name_only_count = serializers.IntegerField(
        required=False, help_text=_("Hits by the name alone.")
    )
    next = serializers.URLField(
        required=False,
        allow_null=True,
        help_text=_("The next 50 name-only hits on this party, when there are more."),
    )
    matches = MatchSerializer(
        many=True,
        required=False,
        help_text=_("Every identifier hit, and the first 50 name-only hits by score."),
    )
    errors = serializers.DictField(required=False)


class ScreeningBatchAnswerSerializer(serializers.Serializer):
    screening = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    queries_with_hits = serializers.IntegerField()
    results = BatchItemSerializer(many=True)


class PlatformEntrySerializer(serializers.Serializer):
    """The platform's own blacklisting (Order 117 Art. 14)."""

    name = serializers.CharField(max_length=200)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices, default=PartyKind.PERSON)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    uscc = serializers.CharField(required=False, allow_blank=True, max_length=32)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ViolationCategory.objects.filter(is_active=True)
    )
    facts = serializers.CharField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=300)
    term_ends_on = serializers.DateField(validators=[dates.validate_day])
    appeal_route = serializers.CharField()
    measures = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Measure.objects.filter(is_active=True, for_platforms=True),
    )
    listed_on = serializers.DateField(required=False, validators=[dates.validate_past_day])


class MeasureRecordSerializer(serializers.Serializer):
    measures = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=Measure.objects.filter(is_active=True, for_departments=True),
    )
    applied_on = serializers.DateField(validators=[dates.validate_past_day])
    note = serializers.CharField(required=False, allow_blank=True)


class MeasureImplementationSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.label")
    measure = MeasureSerializer()

    class Meta:
        model = MeasureImplementation
        fields = ["department", "measure", "applied_on", "note"]


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformAppeal
        fields = ["id", "received_on", "grounds", "upheld", "reason", "decided_on"]
        # What happened: not after tomorrow, beyond the fields' fixed window.
        extra_kwargs = {
            "received_on": {"validators": [dates.validate_past_day]},
            "decided_on": {"required": False, "validators": [dates.validate_past_day]},
        }


class ScreeningJobErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text=_(
            "Row of the file: a line of JSON lines, a record of a CSV file (its header "
            "line is row 1)."
        )
    )
    reference = serializers.CharField(allow_blank=True)
    field = serializers.CharField()
    message = serializers.CharField(help_text=_("In the reader's language."))


class ScreeningJobSerializer(serializers.Serializer):
    """A roster screening job: how far it has got, its counts and its rows in error."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    rows_total = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    queries = serializers.IntegerField(help_text=_("Rows screened (rows without errors)."))
    queries_with_hits = serializers.IntegerField()
    hits = serializers.IntegerField()
    errors_count = serializers.IntegerField(source="error_count")
    errors = ScreeningJobErrorSerializer(
        many=True, help_text=_("The first 1,000 rows in error; every one of them at errors_url.")
    )
    errors_url = serializers.CharField(
        help_text=_("Every row in error, 1,000 a page (screening/jobs/{id}/errors/).")
    )
    failure = serializers.ChoiceField(
        choices=["retries_exhausted", "unreadable", "error"],
        allow_null=True,
        help_text=_("Why the job failed, as a code (null unless it failed)."),
    )
    failure_reason = serializers.CharField(
        allow_null=True, help_text=_("Why the job failed, in your language.")
    )
    screening = serializers.IntegerField(source="log_id", allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    result_csv = serializers.CharField(allow_null=True)
    result_json = serializers.CharField(allow_null=True)
