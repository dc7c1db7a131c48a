"""Filters of the filings list (pages, CSV export and API alike), on top of the scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform, Region
from portal import dates
from portal.search import (
    MAX_QUERY_LENGTH,
    query_length_validator,
    search_words,
    substring_searchable,
)
from registry.models import ViolationCategory

from .models import DisposalFiling, FilingParty, Measure, NoticeKind, PlatformNotice
from .selectors import measure_condition


class FilingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        validators=[query_length_validator],
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
        help_text=_("The party's name (three characters or more, or whole), or the platform's id."),
    )
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

    def filter_q(self, queryset, name, value):
        """Each word: the platform's id whole, or the party's name (whole, or inside
        it from three characters on: trigram index ``filing_search_party_name``)."""
        for word in search_words(value):
            matches = Q(external_id=word) | Q(party_name__iexact=word)
            if substring_searchable(word):
                matches |= Q(party_name__icontains=word)
            queryset = queryset.filter(matches)
        return queryset

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
