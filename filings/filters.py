"""Filters of the filings list (pages, CSV export and API alike), on top of the scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform, Region
from portal import dates
from registry.models import ViolationCategory

from .models import DisposalFiling, FilingParty, Measure, NoticeKind, PlatformNotice
from .selectors import measure_condition


class FilingFilter(django_filters.FilterSet):
    platform = django_filters.ModelChoiceFilter(
        label=_("Platform"), queryset=Platform.objects.all()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Violation"),
        queryset=ViolationCategory.objects.all(),
        to_field_name="code",
    )
    measure = django_filters.ChoiceFilter(
        label=_("Measure"), choices=Measure.choices, method="filter_measure"
    )
    party_kind = django_filters.ChoiceFilter(label=_("Party"), choices=FilingParty.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("Platform's domicile (and below)"),
        queryset=Region.objects.all(),
        field_name="platform__domicile",
        method="filter_region",
    )
    acted_from = django_filters.DateFilter(
        label=_("Acted from"),
        field_name="acted_at",
        lookup_expr="date__gte",
        validators=[dates.validate_day],
    )
    acted_to = django_filters.DateFilter(
        label=_("Acted to"),
        field_name="acted_at",
        lookup_expr="date__lte",
        validators=[dates.validate_day],
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"),
        field_name="received_at",
        lookup_expr="date__gte",
        validators=[dates.validate_day],
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"),
        field_name="received_at",
        lookup_expr="date__lte",
        validators=[dates.validate_day],
    )
    external_id = django_filters.CharFilter(label=_("Platform's id"))

    class Meta:
        model = DisposalFiling
        fields = ["platform", "category", "measure", "party_kind", "region", "external_id"]

    def filter_measure(self, queryset, name, value):
        return queryset.filter(measure_condition(value))

    def filter_region(self, queryset, name, value):
        return queryset.filter(platform__domicile__path__startswith=value.path)


class NoticeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NoticeKind.choices)
    replied = django_filters.BooleanFilter(
        label=_("Replied"), field_name="answered_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = PlatformNotice
        fields = ["kind", "replied"]
