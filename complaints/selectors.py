"""Reads of complaints and reports, scoped by jurisdiction."""

from django.db.models import QuerySet

from accounts.scoping import scope_queryset

from .models import Complaint


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """A department sees the cases held by departments of its own type in its
    region and below. Platform officers see none here: what is forwarded to
    a platform is scoped by the forwarding record (Trial Art. 15)."""
    queryset = Complaint.objects.select_related(
        "category", "platform", "department", "department__region"
    )
    return scope_queryset(
        queryset,
        user,
        region_path="department__region__path",
        department_type="department__type",
        platform=None,
    )
