"""Filters of the entry list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import ViolationCategory

from .models import Entry, ListKind, Status


class EntryFilter(django_filters.FilterSet):
    list = django_filters.ChoiceFilter(label=_("List"), choices=ListKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, field_name="current__status"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Grounds"),
        queryset=ViolationCategory.objects.all(),
        to_field_name="code",
    )
    q = django_filters.CharFilter(label=_("Name or reference"), method="search")

    class Meta:
        model = Entry
        fields = ["list", "status", "category", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(reference__iexact=value) | Q(uscc__iexact=value)
        )
