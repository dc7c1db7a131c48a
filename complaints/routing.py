"""Which department gets a new case.

Place (Order 117 Art. 47): the live room's operator's actual business place
when known, else its registered domicile, else the platform's domicile; the
consumer's own region only as the last resort. Type: the department type
that handles the category, i.e. the first of the category's
``department_types`` (data an admin edits in the taxonomy). The case goes to
the nearest active department of that type at the place or above it. A case
no rule can place goes to the triage queue of the provincial market
supervision department.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Department, DepartmentType, Region
from portal.errors import DomainError

from .models import RoutingBasis


@dataclass(frozen=True)
class Route:
    department: Department
    region: Region
    basis: str
    triage: bool = False


def _place(*, platform, live_room, consumer_region) -> tuple[Region, str]:
    operator = getattr(live_room, "operator", None)
    if operator is not None and operator.business_region_id:
        return operator.business_region, RoutingBasis.OPERATOR_BUSINESS
    if operator is not None and operator.domicile_id:
        return operator.domicile, RoutingBasis.OPERATOR_DOMICILE
    if platform is not None:
        return platform.domicile, RoutingBasis.PLATFORM_DOMICILE
    return consumer_region, RoutingBasis.CONSUMER_REGION


def _nearest(department_type: str, region: Region) -> Department | None:
    """The active department of ``department_type`` at ``region`` or the nearest above it."""
    codes = [code for code in region.path.strip("/").split("/") if code]
    return (
        Department.objects.select_related("region")
        .filter(type=department_type, is_active=True, region__code__in=codes)
        .order_by("-region__level", "pk")
        .first()
    )


def route_case(*, category, platform, live_room, consumer_region) -> Route:
    region, basis = _place(platform=platform, live_room=live_room, consumer_region=consumer_region)
    types = list(category.department_types or []) or [DepartmentType.MARKET_SUPERVISION]
    department = _nearest(types[0], region)
    if department is not None:
        return Route(department=department, region=region, basis=basis)
    # Triage: the market supervision department of the place's province.
    codes = [code for code in region.path.strip("/").split("/") if code]
    province = Region.objects.filter(code__in=codes, level=Region.Level.PROVINCE).first()
    department = _nearest(DepartmentType.MARKET_SUPERVISION, province or region)
    if department is None:
        raise DomainError(
            _("No department can take this case: no market supervision department is set up."),
            code="no_department",
        )
    return Route(department=department, region=region, basis=RoutingBasis.TRIAGE, triage=True)
