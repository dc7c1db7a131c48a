"""The staff queue filters (django-filter), applied on top of a scoped queue."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform, Region, User
from registry.models import ViolationCategory

from .models import Complaint


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Complaint.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Complaint.Kind.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ViolationCategory.objects.all()
    )
    platform = django_filters.ModelChoiceFilter(
        label=_("Platform"), queryset=Platform.objects.all()
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region (and below)"),
        queryset=Region.objects.all(),
        method="filter_region",
    )
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=User.objects.none())
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_at", lookup_expr="date__lte"
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("received_at", "received"), ("next_due", "due"), ("status", "status")),
        field_labels={"received": _("received"), "due": _("due date"), "status": _("status")},
    )

    class Meta:
        model = Complaint
        fields = ["status", "kind", "category", "platform", "region", "assignee"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.department_id:
            self.filters["assignee"].queryset = User.objects.filter(
                department_id=user.department_id
            )

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)
