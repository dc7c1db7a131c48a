"""The reference rows an intake reads, kept per process (``portal.lookups``).

The taxonomy (by code), the active platforms (by unified social credit code),
the regions (by GB/T 2260 code) and, for routing (Order 117 Art. 47), the
nearest active department of a type at or above a region. Each is read from
the database once per process and dropped whenever an admin edits one of
those tables. A code nobody has is never kept, so a client cannot grow the
cache with made-up codes.
"""

from accounts.models import Department, Platform, Region
from portal.lookups import reference
from registry.models import ViolationCategory


def category_by_code(code: str) -> ViolationCategory | None:
    """An active violation category of the taxonomy."""
    return reference.get(
        ("category", code),
        lambda: ViolationCategory.objects.filter(is_active=True, code=code).first(),
        keep_none=False,
    )


def platform_by_uscc(uscc: str) -> Platform | None:
    """An active platform on record, with its domicile (a routing fallback)."""
    return reference.get(
        ("platform", uscc),
        lambda: (
            Platform.objects.select_related("domicile").filter(is_active=True, uscc=uscc).first()
        ),
        keep_none=False,
    )


def category_by_pk(pk) -> ViolationCategory | None:
    """An active violation category, by its id (the public form's choice)."""
    return reference.get(
        ("category-pk", str(pk)),
        lambda: ViolationCategory.objects.filter(is_active=True, pk=pk).first(),
        keep_none=False,
    )


def platform_by_pk(pk) -> Platform | None:
    """An active platform, by its id (the public form's choice), with its domicile."""
    return reference.get(
        ("platform-pk", str(pk)),
        lambda: Platform.objects.select_related("domicile").filter(is_active=True, pk=pk).first(),
        keep_none=False,
    )


def regions_below_national() -> list[Region]:
    """Every region but the national root, in code order: the public form's list."""
    return reference.get(
        ("regions-below-national",),
        lambda: list(Region.objects.exclude(level=Region.Level.NATIONAL).order_by("code")),
    )


def region_by_code(code: str) -> Region | None:
    return reference.get(
        ("region", code), lambda: Region.objects.filter(code=code).first(), keep_none=False
    )


def _path_codes(region: Region) -> list[str]:
    return [code for code in region.path.strip("/").split("/") if code]


def nearest_department(department_type: str, region: Region) -> Department | None:
    """The active department of ``department_type`` at ``region`` or the nearest above it."""
    return reference.get(
        ("nearest", department_type, region.code),
        lambda: (
            Department.objects.select_related("region")
            .filter(type=department_type, is_active=True, region__code__in=_path_codes(region))
            .order_by("-region__level", "pk")
            .first()
        ),
    )


def province_of(region: Region) -> Region | None:
    """The province ``region`` lies in (itself when it is one)."""
    return reference.get(
        ("province", region.code),
        lambda: Region.objects.filter(
            code__in=_path_codes(region), level=Region.Level.PROVINCE
        ).first(),
    )
