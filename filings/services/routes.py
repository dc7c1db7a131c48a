"""Where a filing goes (Order 117 Art. 12 ¶3): the departments of the platform's
domicile, and for the three gravest measures the provincial ones too, kept as
a shared route row per set of departments and reasons.
"""

from django.db import IntegrityError, transaction

from accounts.models import Department, Platform, Region

from ..models import (
    FilingRoute,
    RecipientReason,
    RouteRecipient,
)
from .validation import FILING_TYPES


def filing_recipients(platform: Platform) -> tuple[list[Department], list[Department]]:
    """The departments every filing of ``platform`` reaches, and those the gravest
    measures reach in addition (Order 117 Art. 12 ¶3; the rule is this module's
    docstring). One query."""
    codes = [c for c in platform.domicile.path.split("/") if c]  # national … domicile
    candidates = sorted(
        Department.objects.filter(is_active=True, type__in=FILING_TYPES, region_id__in=codes)
        .select_related("region")
        .order_by("pk"),
        key=lambda d: -d.region.level,  # nearest first (sorted() keeps pk order on ties)
    )
    every, grave = [], []
    for dtype in FILING_TYPES:
        of_type = [d for d in candidates if d.type == dtype]
        nearest = next((d for d in of_type if d.region.level > Region.Level.NATIONAL), None)
        if nearest is not None:
            every.append(nearest)
        grave += [d for d in of_type if d.region.level == Region.Level.PROVINCE and d != nearest]
    return every, grave


def filing_routes(platform: Platform, gravities=(False, True)) -> dict[bool, int]:
    """The ids of the routes of ``platform``'s filings, by gravity: ``False`` the
    route of every filing, ``True`` that of the gravest (:func:`filing_recipients`).
    Each set of departments has one route, made the first time a filing takes it;
    two queries when the routes exist."""
    every, grave = filing_recipients(platform)
    domicile = [(d.pk, RecipientReason.DOMICILE) for d in every]
    pairs = {
        False: domicile,
        True: domicile + [(d.pk, RecipientReason.PROVINCIAL) for d in grave],
    }
    wanted = {gravity: FilingRoute.signature_of(pairs[gravity]) for gravity in gravities}
    ids = dict(
        FilingRoute.objects.filter(signature__in=set(wanted.values())).values_list(
            "signature", "pk"
        )
    )
    for gravity, signature in wanted.items():
        if signature not in ids:
            ids[signature] = _route_create(signature, pairs[gravity])
    return {gravity: ids[signature] for gravity, signature in wanted.items()}


def _route_create(signature: str, pairs) -> int:
    """Make the route of ``pairs``; a concurrent batch that made it first wins (the
    unique signature), and its route is returned."""
    try:
        with transaction.atomic():
            route = FilingRoute.objects.create(signature=signature)
            RouteRecipient.objects.bulk_create(
                RouteRecipient(route=route, department_id=pk, reason=reason) for pk, reason in pairs
            )
            return route.pk
    except IntegrityError:
        return FilingRoute.objects.get(signature=signature).pk
