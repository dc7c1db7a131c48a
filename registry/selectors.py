"""Reads of the register, scoped by jurisdiction (accounts.scoping).

Where a party lies follows Order 117 Art. 47: an operator on a platform
belongs to the department of its actual business place, else of its
registered domicile, else of the platform's domicile; a marketer to whoever
has the operator of their live room; an agency to its domicile.

The register is shared reference data: every type of department sees the
parties in its region (they all need them for their own matters, Trial
Art. 4); the matters themselves (cases, filings) are also scoped by type.
"""

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.scoping import jurisdiction_of, scope_queryset

from .models import Agency, LiveRoom, Marketer, Operator


def _live_room_region_path():
    # Order 117 Art. 47 ¶2: business place, else domicile, else the platform's domicile.
    return Coalesce(
        F("operator__business_region__path"),
        F("operator__domicile__path"),
        F("platform__domicile__path"),
    )


def live_rooms_visible_to(user) -> QuerySet[LiveRoom]:
    queryset = (
        LiveRoom.objects.select_related("platform", "operator")
        .annotate(jurisdiction_path=_live_room_region_path())
        .order_by("platform__name", "name")
    )
    return scope_queryset(queryset, user, region_path="jurisdiction_path", platform="platform_id")


def operators_visible_to(user) -> QuerySet[Operator]:
    jurisdiction = jurisdiction_of(user)
    queryset = Operator.objects.select_related("domicile", "business_region")
    if jurisdiction.platform_id:
        return queryset.filter(
            Exists(
                LiveRoom.objects.filter(
                    operator=OuterRef("pk"), platform_id=jurisdiction.platform_id
                )
            )
        )
    if jurisdiction.region_path:
        rooms = live_rooms_visible_to(user).filter(operator=OuterRef("pk"))
        own_place = Coalesce(F("business_region__path"), F("domicile__path"))
        return queryset.annotate(own_path=own_place).filter(
            Q(own_path__startswith=jurisdiction.region_path)
            | (Q(own_path__isnull=True) & Exists(rooms))
        )
    return scope_queryset(queryset, user, region_path=None)


def marketers_visible_to(user) -> QuerySet[Marketer]:
    """Marketers who appear in a live room the user sees (Order 117 Art. 47 ¶3)."""
    jurisdiction = jurisdiction_of(user)
    queryset = Marketer.objects.select_related("agency", "residence")
    if jurisdiction.everything:
        return queryset
    if jurisdiction.nothing:
        return queryset.none()
    rooms = live_rooms_visible_to(user).filter(marketers=OuterRef("pk"))
    return queryset.filter(Exists(rooms))


def agencies_visible_to(user) -> QuerySet[Agency]:
    jurisdiction = jurisdiction_of(user)
    queryset = Agency.objects.select_related("domicile")
    if jurisdiction.platform_id:
        return queryset.filter(
            Exists(
                Marketer.objects.filter(
                    agency=OuterRef("pk"), live_rooms__platform_id=jurisdiction.platform_id
                )
            )
        )
    return scope_queryset(queryset, user, region_path="domicile__path")
