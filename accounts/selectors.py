"""Reads of accounts data, scoped by :mod:`accounts.scoping`."""

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Department, Platform, Region, Role, User
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


# --- a department's staff ------------------------------------------------------


def staff_visible_to(user) -> QuerySet[User]:
    """The staff accounts ``user`` manages: a department admin, their own department's
    (site administrators' and platform accounts left out); a site administrator, every
    department's; anybody else, none. Each row carries ``two_factor_set_up``."""
    queryset = (
        User.objects.filter(department__isnull=False)
        .select_related("department")
        .prefetch_related("groups")
        .annotate(
            two_factor_set_up=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("-is_active", "department__name", "last_name", "first_name", "username")
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role == Role.SITE_ADMIN:
        return queryset
    if user.department_id and user.has_perm("accounts.manage_department_staff"):
        return queryset.filter(
            department_id=user.department_id, is_superuser=False, is_staff=False
        ).exclude(groups__name__in=[Role.SITE_ADMIN, Role.PLATFORM_OFFICER])
    return queryset.none()


def department_admins_of(user) -> list[User]:
    """The active administrators of ``user``'s department (not ``user``), whom staff
    ask about their account."""
    if not getattr(user, "department_id", None):
        return []
    return list(
        User.objects.filter(
            department_id=user.department_id,
            is_active=True,
            groups__name=Role.DEPARTMENT_ADMIN,
        )
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
    )
