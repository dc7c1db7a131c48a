"""Reads of disposal filings and notices to platforms, scoped by jurisdiction.

- A filing is the platform's own (its officers and its API keys see it) and
  reaches the departments of its route (``FilingRoute``); departments
  of the same type above a recipient see it too. Nobody else does: 404.
- A notice is seen by the platform it was sent to and by the sending
  department and the departments of its type above it.
"""

from django.db.models import Count, Q, QuerySet

from accounts.scoping import jurisdiction_of
from portal.requests import with_answer_due

from .models import DisposalFiling, Measure, PlatformNotice, RouteRecipient


def filings_visible_to(user) -> QuerySet[DisposalFiling]:
    queryset = DisposalFiling.objects.select_related("platform", "category")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(platform_id=jurisdiction.platform_id)
    if jurisdiction.region_path:
        # The few routes that reach a department in the jurisdiction, then the
        # filings on them (Order 117 Art. 12 ¶3).
        routes = RouteRecipient.objects.filter(
            department__type=jurisdiction.department_type,
            department__region__path__startswith=jurisdiction.region_path,
        ).values("route_id")
        return queryset.filter(route_id__in=routes)
    return queryset.none()


def measure_condition(code: str) -> Q:
    """Filings whose measures include ``code`` (the JSON list's text holds ``"code"``;
    codes are not substrings of each other in quotes). Works on SQLite and PostgreSQL."""
    return Q(measures__icontains=f'"{code}"')


def filing_counts(queryset: QuerySet[DisposalFiling]) -> dict:
    """Counts by platform and by measure of what ``queryset`` holds: two queries."""
    by_platform = list(
        queryset.order_by()
        .values("platform__name", "platform__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "platform__name")
    )
    totals = queryset.order_by().aggregate(
        total=Count("pk"),
        **{f"m_{code}": Count("pk", filter=measure_condition(code)) for code in Measure.values},
    )
    by_measure = [(code, label, totals[f"m_{code}"]) for code, label in Measure.choices]
    return {"total": totals["total"], "by_platform": by_platform, "by_measure": by_measure}


def notices_visible_to(user) -> QuerySet[PlatformNotice]:
    """Notices in scope, each annotated with ``answer_due`` (its clock's due date)."""
    queryset = with_answer_due(
        PlatformNotice.objects.select_related(
            "department", "department__region", "platform", "asked_by"
        )
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(platform_id=jurisdiction.platform_id)
    if jurisdiction.region_path:
        return queryset.filter(
            department__type=jurisdiction.department_type,
            department__region__path__startswith=jurisdiction.region_path,
        )
    return queryset.none()


def notices_awaiting(user) -> QuerySet[PlatformNotice]:
    return notices_visible_to(user).filter(answered_at__isnull=True).order_by("answer_due", "pk")
