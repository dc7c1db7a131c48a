"""Jurisdiction: the one rule every selector applies to decide what a user sees.

- A department's staff see their department's region and every region below
  it, and only the matters of their department's type (DESIGN.md,
  "Jurisdiction and roles"; Order 117 Art. 47 places each matter in a region).
- A platform officer sees only their own platform's data.
- A site administrator sees everything; anybody else sees nothing.

Each model family has one selector that calls :func:`scope_queryset` with the
lookups that lead from its rows to a region path, a department type and a
platform; pages, API, exports and PDFs all go through those selectors.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Role


@dataclass(frozen=True)
class Jurisdiction:
    everything: bool = False
    region_path: str | None = None
    department_type: str | None = None
    platform_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.region_path or self.platform_id)


def jurisdiction_of(user) -> Jurisdiction:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Jurisdiction()
    if user.is_superuser or user.role == Role.SITE_ADMIN:
        return Jurisdiction(everything=True)
    if user.department_id:
        department = user.department
        return Jurisdiction(region_path=department.region.path, department_type=department.type)
    if user.platform_id:
        return Jurisdiction(platform_id=user.platform_id)
    return Jurisdiction()


def scope_queryset(
    queryset: QuerySet,
    user,
    *,
    region_path: str | None,
    department_type: str | None = None,
    platform: str | None = None,
) -> QuerySet:
    """Filter ``queryset`` to what ``user`` may see.

    ``region_path`` is the lookup from a row to the ``Region.path`` it lies in;
    ``department_type`` the lookup to the department type(s) whose matter it is
    (None: every type's); ``platform`` the lookup to its platform id (None: no
    platform officer sees this family).
    """
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        if platform is None:
            return queryset.none()
        return queryset.filter(**{platform: jurisdiction.platform_id})
    if jurisdiction.region_path and region_path:
        condition = Q(**{f"{region_path}__startswith": jurisdiction.region_path})
        if department_type is not None:
            condition &= Q(**{department_type: jurisdiction.department_type})
        return queryset.filter(condition)
    return queryset.none()
