"""The staff queue filters (django-filter), applied on top of a scoped queue."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform, Region, User
from portal import dates
from portal.search import MAX_QUERY_LENGTH, query_length_validator
from registry.models import ViolationCategory

from .forms import StaffChoiceField
from .models import Complaint
from .selectors import case_search


class PortalOrderingFilter(django_filters.OrderingFilter):
    """Sort choices in the portal's words ("…, newest first"), not django-filter's
    "(descending)", which has no Chinese."""

    descending_fmt = _("%s, descending")

    def build_choices(self, fields, labels):
        # Built once, at import: a label formatted there would keep the language the
        # process started in, so each stays lazy until a page shows it.
        choices = []
        for field, param in fields.items():
            label = labels.get(field, _(pretty_name(param)))
            choices.append((param, label))
            choices.append((f"-{param}", labels.get(f"-{param}", _descending(label))))
        return choices


def _descending_label(label) -> str:
    return gettext("%s, descending") % label


_descending = lazy(_descending_label, str)


class StaffFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        validators=[query_length_validator],
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
        help_text=_(
            "Tracking code, consumer's name or phone, live room, order number, or words of "
            "the description (three characters or more)."
        ),
    )
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
    assignee = StaffFilter(label=_("Assignee"), queryset=User.objects.none())
    received_from = django_filters.DateFilter(
        label=_("Received from"), method="filter_received", validators=[dates.validate_day]
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), method="filter_received", validators=[dates.validate_day]
    )
    order = PortalOrderingFilter(
        label=_("Sort by"),
        fields=(("received_at", "received"), ("next_due", "due"), ("status", "status")),
        field_labels={
            "received_at": _("date received"),
            "next_due": _("due date"),
            "status": _("status"),
        },
        empty_label=_("— choose —"),
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
            ).order_by("last_name", "first_name", "username")

    def filter_received(self, queryset, name, value):
        """Whole local days, as bounds on ``received_at`` itself: ``received_at__date``
        casts every row's timestamp and can use no index (a provincial "last 30
        days" count went from 19 ms to 250 ms whenever PostgreSQL planned it so)."""
        if name == "received_from":
            return queryset.filter(received_at__gte=_local_midnight(value))
        return queryset.filter(received_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_q(self, queryset, name, value):
        return case_search(queryset, value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)


def _local_midnight(day: date) -> datetime:
    """The start of ``day`` in the current time zone (Asia/Shanghai by default)."""
    return timezone.make_aware(datetime.combine(day, time.min))
