"""Which department gets a new case.

Place (Order 117 Art. 47 ¶2): the live room's operator's actual business
place when known; else its domicile, but only if it is a registered business
entity; else the platform operator's domicile. There is no consumer-region
fallback: a case whose operator cannot be placed goes to the platform's
domicile and is flagged for triage, and one that names no platform on record
goes to the triage queue of the provincial market supervision department
where it was filed, which places it by hand. Type: the department type
that handles the category, i.e. the first of the category's
``department_types`` (data an admin edits in the taxonomy). The case goes to
the nearest active department of that type at the place or above it. A case
no rule can place goes to the triage queue of the provincial market
supervision department.

The departments and regions are read once per process and dropped when an
admin edits them (``complaints.lookups``, ``portal.lookups``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Department, DepartmentType, Region
from portal.errors import DomainError

from .lookups import nearest_department, province_of
from .models import RoutingBasis


@dataclass(frozen=True)
class Route:
    department: Department
    region: Region
    basis: str
    triage: bool = False


@dataclass(frozen=True)
class OperatorPlaces:
    """Where the operator of the live room is: its actual business place and its
    registered domicile, each ``None`` when not on record."""

    business_region: Region | None = None
    domicile: Region | None = None
    registered_entity: bool = False


def _place(
    *, platform, operator: OperatorPlaces | None, consumer_region
) -> tuple[Region, str, bool]:
    """The place of the case, its basis, and whether it is flagged for triage."""
    if operator is not None and operator.business_region is not None:
        return operator.business_region, RoutingBasis.OPERATOR_BUSINESS, False
    if operator is not None and operator.domicile is not None and operator.registered_entity:
        return operator.domicile, RoutingBasis.OPERATOR_DOMICILE, False
    if platform is not None:
        # An operator on record whose place is unknown and who is not registered goes
        # to the platform's domicile by right; an unknown operator is flagged as well.
        return platform.domicile, RoutingBasis.PLATFORM_DOMICILE, operator is None
    return consumer_region, RoutingBasis.TRIAGE, True


def _nearest(department_type: str, region: Region) -> Department | None:
    """The active department of ``department_type`` at ``region`` or the nearest above it
    (kept per process: ``lookups.nearest_department``)."""
    return nearest_department(department_type, region)


def route_case(
    *,
    category,
    platform,
    consumer_region,
    live_room=None,
    operator: OperatorPlaces | None = None,
) -> Route:
    """Route by the live room's operator (``live_room`` on record, or its places
    given as ``operator``), else the platform, else the consumer's region."""
    if operator is None and (room_operator := getattr(live_room, "operator", None)):
        operator = OperatorPlaces(
            business_region=room_operator.business_region
            if room_operator.business_region_id
            else None,
            domicile=room_operator.domicile if room_operator.domicile_id else None,
            registered_entity=room_operator.registered_entity,
        )
    region, basis, triage = _place(
        platform=platform, operator=operator, consumer_region=consumer_region
    )
    types = list(category.department_types or []) or [DepartmentType.MARKET_SUPERVISION]
    if basis != RoutingBasis.TRIAGE and (department := _nearest(types[0], region)) is not None:
        return Route(department=department, region=region, basis=basis, triage=triage)
    # Triage: the market supervision department of the place's province.
    province = province_of(region)
    department = _nearest(DepartmentType.MARKET_SUPERVISION, province or region)
    if department is None:
        raise DomainError(
            _("No department can take this case: no market supervision department is set up."),
            code="no_department",
        )
    return Route(department=department, region=region, basis=RoutingBasis.TRIAGE, triage=True)
