"""Reads of accounts data, scoped by :mod:`accounts.scoping`."""

from django.db.models import QuerySet

from .models import Department, Platform, Region
from .scoping import jurisdiction_of, scope_queryset


def departments_visible_to(user) -> QuerySet[Department]:
    """Staff see the departments of their region and below, of every type
    (they transfer clues to and consult with all of them: Trial Art. 4)."""
    return scope_queryset(
        Department.objects.select_related("region"), user, region_path="region__path"
    )


def platforms_visible_to(user) -> QuerySet[Platform]:
    """Platforms sell nationwide, so every department sees every platform;
    a platform officer sees only their own."""
    queryset = Platform.objects.select_related("domicile")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything or jurisdiction.region_path:
        return queryset
    return scope_queryset(queryset, user, region_path=None, platform="pk")


def regions_within(region: Region) -> QuerySet[Region]:
    """The region and every region below it."""
    return Region.objects.filter(path__startswith=region.path)
