"""Reads of identity rosters, scoped by jurisdiction.

- A platform sees its own rosters.
- A roster goes to the provincial market supervision department of the
  platform's domicile (Order 117 Art. 9): that department and the market
  supervision departments above it (SAMR) see it.
- Rows of operators who actually do business in another province than the
  platform's domicile are shared with that province's market supervision
  department (Order 117 Art. 48), and the departments above it.

Region paths are codes of six digits: ``/100000/330000/…``; a province's path
is the first 15 characters of every path below it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone

from accounts.models import DepartmentType, Platform
from accounts.scoping import Jurisdiction, jurisdiction_of

from ..models import Roster, RosterRow, RosterRowKind, RosterStatus

PROVINCE_PATH_LENGTH = len("/100000/330000/")


def _provincial_market(jurisdiction: Jurisdiction) -> bool:
    """Market supervision at provincial level or above (the path holds at most two codes)."""
    return (
        jurisdiction.department_type == DepartmentType.MARKET_SUPERVISION
        and bool(jurisdiction.region_path)
        and jurisdiction.region_path.count("/") <= 3
    )


def rosters_visible_to(user) -> QuerySet[Roster]:
    queryset = Roster.objects.select_related("platform", "platform__domicile")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(platform_id=jurisdiction.platform_id)
    if _provincial_market(jurisdiction):
        # an upload the platform has not confirmed is not yet sent to the regulator
        return queryset.filter(
            platform__domicile__path__startswith=jurisdiction.region_path
        ).exclude(status=RosterStatus.PENDING)
    return queryset.none()


def roster_platforms_visible_to(user) -> QuerySet[Platform]:
    """The platforms whose rosters the user receives (Order 117 Art. 9)."""
    queryset = Platform.objects.filter(is_active=True).select_related("domicile")
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if jurisdiction.platform_id:
        return queryset.filter(pk=jurisdiction.platform_id)
    if _provincial_market(jurisdiction):
        return queryset.filter(domicile__path__startswith=jurisdiction.region_path)
    return queryset.none()


def platforms_not_filed(user, year: int, half: int) -> QuerySet[Platform]:
    """Platforms of the user's jurisdiction with no filed roster for the half-year."""
    filed = Roster.objects.filter(
        platform=OuterRef("pk"), year=year, half=half, status=RosterStatus.FILED
    )
    return roster_platforms_visible_to(user).filter(~Exists(filed)).order_by("name")


@dataclass
class PlatformRosterState:
    """Where one platform stands for a half-year (Order 117 Art. 9)."""

    platform: Platform
    roster: Roster | None  # the roster filed now (the latest version), if any
    first_filed_at: datetime | None  # when the platform first filed for the half-year
    late: bool  # first filed after the due date (the end of January or July)
    rejected: int  # uploads sent back for errors, for the half-year

    @property
    def filed(self) -> bool:
        return self.roster is not None


def roster_period_states(user, year: int, half: int, due: date) -> list[PlatformRosterState]:
    """Each platform of the user's jurisdiction for the half-year: filed (and whether
    by the end of the month, ``due``), or not, with its rejected uploads. Two queries."""
    platforms = list(roster_platforms_visible_to(user).order_by("name", "pk"))
    rosters = Roster.objects.filter(platform__in=platforms, year=year, half=half)
    first = {
        row["platform_id"]: row
        for row in rosters.values("platform_id").annotate(
            first_filed_at=Min("filed_at", filter=Q(filed_at__isnull=False)),
            rejected=Count("pk", filter=Q(status=RosterStatus.REJECTED)),
        )
    }
    current = {r.platform_id: r for r in rosters.filter(status=RosterStatus.FILED)}
    states = []
    for platform in platforms:
        seen = first.get(platform.pk, {})
        first_filed_at = seen.get("first_filed_at")
        states.append(
            PlatformRosterState(
                platform=platform,
                roster=current.get(platform.pk),
                first_filed_at=first_filed_at,
                late=bool(first_filed_at and timezone.localdate(first_filed_at) > due),
                rejected=seen.get("rejected", 0),
            )
        )
    return states


def cross_province_rows_visible_to(user) -> QuerySet[RosterRow]:
    """Operators on filed rosters who do business outside the platform's province,
    for the market supervision department of the province where they do (Art. 48)."""
    queryset = (
        RosterRow.objects.filter(
            roster__status=RosterStatus.FILED,
            kind=RosterRowKind.OPERATOR,
            business_region__isnull=False,
        )
        .annotate(
            business_province=Substr("business_region__path", 1, PROVINCE_PATH_LENGTH),
            platform_province=Substr("roster__platform__domicile__path", 1, PROVINCE_PATH_LENGTH),
        )
        .exclude(business_province=F("platform_province"))
        .select_related("roster", "roster__platform", "business_region", "home_region")
        .order_by("business_region__code", "roster__platform__name", "row_number")
    )
    jurisdiction = jurisdiction_of(user)
    if jurisdiction.everything:
        return queryset
    if _provincial_market(jurisdiction):
        return queryset.filter(business_region__path__startswith=jurisdiction.region_path)
    return queryset.none()


@dataclass
class RosterDiff:
    """What changed since the platform's previous filed roster."""

    previous: Roster | None
    joined: list[RosterRow] = field(default_factory=list)
    left: list[RosterRow] = field(default_factory=list)
    changed: list[tuple[RosterRow, RosterRow]] = field(default_factory=list)


_COMPARED = ("name", "business_region_id", "home_region_id", "contact")


def _key(row: RosterRow) -> tuple:
    return (row.kind, row.identity_key or row.name, row.live_room_account)


def roster_diff(roster: Roster) -> RosterDiff:
    """Rows that joined, left or changed against the roster that was filed when
    ``roster`` was sent (a pending upload: when it was uploaded): the platform's
    filed roster of the same half-year, else its latest filed roster of another.
    A party is its identifier and live room: keyed hash (never the number) or USCC,
    and account; a change is one of its name, regions or contact."""
    previous = (
        Roster.objects.filter(
            platform_id=roster.platform_id,
            status__in=[RosterStatus.FILED, RosterStatus.SUPERSEDED],
            filed_at__isnull=False,
        )
        .exclude(pk=roster.pk)
        .filter(filed_at__lt=roster.filed_at or roster.uploaded_at)
        .annotate(
            same_period=Case(
                When(year=roster.year, half=roster.half, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-same_period", "-filed_at", "-pk")
        .first()
    )
    diff = RosterDiff(previous=previous)
    if previous is None:
        return diff
    related = ("business_region", "home_region")
    now = {_key(r): r for r in roster.rows.select_related(*related).filter(errors={})}
    before = {_key(r): r for r in previous.rows.select_related(*related).filter(errors={})}
    diff.joined = [row for key, row in now.items() if key not in before]
    diff.left = [row for key, row in before.items() if key not in now]
    diff.changed = [
        (before[key], row)
        for key, row in now.items()
        if key in before and any(getattr(before[key], f) != getattr(row, f) for f in _COMPARED)
    ]
    return diff
