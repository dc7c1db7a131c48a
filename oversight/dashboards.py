"""Dashboard aggregates: counted in the database, scoped by the apps' selectors.

Every figure is one query (``count``, ``aggregate`` or a grouped
``values().annotate()``), so a dashboard costs the same number of queries
whatever the number of cases. Python only fills in the months that had
nothing and turns rows into chart points.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateField,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Platform
from accounts.scoping import jurisdiction_of
from blacklist.models import REMOVED_STATUSES, EntryState, Status
from complaints.models import Complaint, Outcome
from complaints.selectors import complaints_visible_to, forwards_for_platform, queue
from filings.selectors import filings_visible_to, notices_awaiting
from inspections.models import InspectionItem, InspectionStatus, ItemResult, PlatformInspection
from inspections.selectors import (
    document_requests_visible_to,
    rectification_orders_visible_to,
)
from portal.cache import cached_figures
from portal.i18n import localised
from portal.models import Deadline
from portal.pagination import bounded_count
from registry.models import RosterStatus, ViolationCategory
from registry.rosters.selectors import rosters_visible_to
from registry.rosters.services import roster_due_on, roster_period_of

from .charts import Chart, Point
from .summary import ASK, DECISION_CLOCKS, case_groups, median_of_counts, refresh_minutes
from .summary import refreshed_at as summary_refreshed_at

#: The dashboard counts the cases needing action up to this many ("1000+" past it):
#: enough to act on, and a count that stops early stays cheap for a province.
ACTION_COUNT_LIMIT = 1000
#: "due soon" on the dashboard: within this many working days.
DUE_SOON_WORKING_DAYS = 2
MONTHS = 12
#: The public page shows no count below this (anonymisation).
PUBLIC_MIN_CELL = 10


@dataclass(frozen=True)
class Scope:
    """Whose records a figure counts: departments of ``department_type`` in the
    region ``region_path`` and below; ``None`` for both counts everything."""

    region_path: str | None
    department_type: str | None

    @classmethod
    def of_user(cls, user) -> "Scope":

        jurisdiction = jurisdiction_of(user)
        if jurisdiction.everything:
            return cls(None, None)
        return cls(jurisdiction.region_path or "/nothing/", jurisdiction.department_type)

    @classmethod
    def of_department(cls, department) -> "Scope":
        return cls(department.region.path, department.type)

    def q(self, department: str) -> Q:
        """The condition on the department reached by the lookup ``department``."""
        condition = Q()
        if self.region_path is not None:
            condition &= Q(**{f"{department}__region__path__startswith": self.region_path})
        if self.department_type is not None:
            condition &= Q(**{f"{department}__type": self.department_type})
        return condition


# --- figures beyond the cases: platforms' answers, blacklist, inspections ------------


def platform_answers(rows: list[dict]) -> dict:
    """How the platforms answered the complaints forwarded to them (Trial Art. 15;
    Order 117 Art. 20), from the forwards' groups (``CaseGroups.answers``): per
    platform, how many were forwarded, answered, answered by the day set, and the
    average whole days to answer; overall, the median days. One query (the
    platforms' names)."""
    per_platform: dict[int, dict] = {}
    answered_days = []
    for row in rows:
        into = per_platform.setdefault(
            row["platform_id"], {"forwarded": 0, "answered": 0, "on_time": 0, "days": 0}
        )
        into["forwarded"] += row["forwards"]
        into["on_time"] += row["on_time"] or 0
        if row["days"] is not None:
            into["answered"] += row["forwards"]
            into["days"] += row["days"] * row["forwards"]
            answered_days.append((row["days"], row["forwards"]))
    names = {
        p["pk"]: p
        for p in Platform.objects.filter(pk__in=per_platform).values("pk", "name", "name_en")
    }
    ordered = sorted(per_platform.items(), key=lambda i: (-i[1]["forwarded"], names[i[0]]["name"]))
    platforms = [
        {
            "platform": localised(names[pk]["name"], names[pk]["name_en"]),
            "forwarded": counts["forwarded"],
            "answered": counts["answered"],
            "on_time": counts["on_time"],
            "average_days": (
                round(counts["days"] / counts["answered"], 1) if counts["answered"] else None
            ),
        }
        for pk, counts in ordered
    ]
    return {"platforms": platforms, "median_days": median_of_counts(sorted(answered_days))}


def blacklist_figures(
    scope: Scope, *, since: datetime, until: datetime, extra: Q | None = None
) -> dict:
    """Entries of the departments' joint-punishment list of ``scope`` put on and
    taken off the list between ``since`` and ``until`` (the state rows written then;
    Trial Art. 29; SAMR list rules Art. 22 for removals): one query."""

    totals = (
        EntryState.objects.filter(
            scope.q("entry__department"), extra or Q(), at__gte=since, at__lt=until
        )
        .order_by()
        .aggregate(
            added=Count("pk", filter=Q(status=Status.LISTED)),
            expired=Count("pk", filter=Q(status=Status.EXPIRED)),
            repaired=Count("pk", filter=Q(status=Status.REPAIRED)),
            revoked=Count("pk", filter=Q(status=Status.REVOKED)),
            removed=Count("pk", filter=Q(status__in=REMOVED_STATUSES)),
        )
    )
    return totals


def inspection_figures(
    scope: Scope, *, since: datetime, until: datetime, extra: Q | None = None
) -> dict:
    """Inspections of platforms in campaigns led in ``scope`` opened between
    ``since`` and ``until`` (Trial Art. 26), and their findings: two queries."""

    inspections = PlatformInspection.objects.filter(
        scope.q("campaign__lead_department"),
        extra or Q(),
        opened_at__gte=since,
        opened_at__lt=until,
    ).order_by()
    totals = inspections.aggregate(
        opened=Count("pk"),
        closed=Count("pk", filter=Q(status=InspectionStatus.CLOSED)),
        ordered=Count(
            "pk",
            filter=Q(
                status__in=[
                    InspectionStatus.RECTIFICATION_ORDERED,
                    InspectionStatus.RECTIFICATION_REPORTED,
                    InspectionStatus.VERIFIED,
                ]
            ),
        ),
    )
    findings = (
        InspectionItem.objects.filter(inspection__in=inspections.values("pk"))
        .order_by()
        .aggregate(
            compliant=Count("pk", filter=Q(result=ItemResult.COMPLIANT)),
            non_compliant=Count("pk", filter=Q(result=ItemResult.NON_COMPLIANT)),
            inspections_with_findings=Count(
                "inspection", filter=Q(result=ItemResult.NON_COMPLIANT), distinct=True
            ),
        )
    )
    return {**totals, **findings}


@dataclass(frozen=True)
class Action:
    """One count of cases needing action, with the queue that lists them."""

    key: str
    label: str
    count: int
    href: str
    source: str = ""

    @property
    def shown(self) -> str:
        """The count, or "1000+" past the bound a count stops at."""
        return f"{ACTION_COUNT_LIMIT}+" if self.count > ACTION_COUNT_LIMIT else str(self.count)


# --- helpers ------------------------------------------------------------------


def last_months(today: date, n: int = MONTHS) -> list[date]:
    """The first days of the ``n`` months up to and including ``today``'s."""
    year, month = today.year, today.month
    months = []
    for _i in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _since(first: date) -> datetime:
    return timezone.make_aware(datetime.combine(first, time.min))


def per_month(
    queryset: QuerySet, field: str, *, today: date, extra: tuple[str, ...] = ()
) -> list[dict]:
    """``queryset`` counted per month of ``field`` over the last 12 months: one query."""
    months = last_months(today)
    return list(
        queryset.filter(**{f"{field}__gte": _since(months[0])})
        .order_by()
        .annotate(month=TruncMonth(field, output_field=DateField()))
        .values("month", *extra)
        .annotate(n=Count("pk"))
        .order_by("month")
    )


def month_points(rows: list[dict], *, today: date, suppress: bool = False) -> list[Point]:
    """One point per month of the last 12, zero for a month without rows."""
    counts: dict[date, int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime):
            month = month.date()
        counts[month] = counts.get(month, 0) + row["n"]
    return [_point(f"{m:%Y-%m}", counts.get(m, 0), suppress) for m in last_months(today)]


def _point(label: str, value: int, suppress: bool, href: str = "") -> Point:
    if suppress and value < PUBLIC_MIN_CELL:
        return Point(label=label, value=None, shown=f"<{PUBLIC_MIN_CELL}")
    return Point(label=label, value=value, href=href)


def category_points(queryset: QuerySet, *, suppress: bool = False) -> list[Point]:
    rows = (
        queryset.order_by()
        .values("category__code", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    return [
        _point(localised(r["category__name"], r["category__name_en"]), r["n"], suppress)
        for r in rows
    ]


# --- staff --------------------------------------------------------------------


def staff_actions(user, *, today: date | None = None) -> list[Action]:
    """Cases needing action now, each counted by the very queue its link opens (up
    to ``ACTION_COUNT_LIMIT``: past it the page says "1000+", portal.pagination)."""

    today = today or timezone.localdate()
    cases = reverse("complaints:list")
    forwarded = queue(user, "open", today=today).filter(status=Complaint.Status.FORWARDED)
    return [
        Action(
            "overdue",
            _("Overdue"),
            bounded_count(queue(user, "overdue", today=today), ACTION_COUNT_LIMIT),
            f"{cases}?queue=overdue",
        ),
        Action(
            "due_soon",
            _("Due within %(n)d working days") % {"n": DUE_SOON_WORKING_DAYS},
            bounded_count(
                queue(user, "due_soon", today=today, within=DUE_SOON_WORKING_DAYS),
                ACTION_COUNT_LIMIT,
            ),
            f"{cases}?queue=due_soon&within={DUE_SOON_WORKING_DAYS}",
        ),
        Action(
            "unassigned",
            _("Awaiting assignment in your department"),
            bounded_count(queue(user, "unassigned", today=today), ACTION_COUNT_LIMIT),
            f"{cases}?queue=unassigned",
        ),
        Action(
            "platform",
            _("Waiting for a platform's answer"),
            bounded_count(forwarded, ACTION_COUNT_LIMIT),
            f"{cases}?queue=open&status={Complaint.Status.FORWARDED.value}",
            _("Trial Art. 15; Order 117 Art. 20"),
        ),
    ]


def decision_clocks_kept(complaints: QuerySet) -> dict:
    """Of the decision clocks met on ``complaints``, how many were met by their due
    date (the day the clock stopped <= ``due_on``): two queries.

    The first finds the lowest and highest case number; the clocks are then read
    in that range of ``object_id`` (index ``content_type, object_id``) rather than
    all of them: case numbers grow with the day received, so a month's cases are
    a narrow range (0.38 s → see README, bench/pages.py). The range only narrows
    what is read; the cases themselves are still matched one by one."""

    bounds = complaints.order_by().aggregate(low=Min("pk"), high=Max("pk"))
    totals = {"met": 0, "on_time": 0}
    if bounds["low"] is not None:
        totals = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id__gte=bounds["low"],
            object_id__lte=bounds["high"],
            object_id__in=complaints.order_by().values("pk"),
            clock__in=DECISION_CLOCKS,
            state=Deadline.State.MET,
        ).aggregate(
            met=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__date__lte=F("due_on"))),
        )
    met, on_time = totals["met"], totals["on_time"]
    return {
        "met": met,
        "on_time": on_time,
        "percent": round(100 * on_time / met) if met else None,
    }


def staff_dashboard(user, *, today: date | None = None) -> dict:
    """What the staff home page starts with: the actions, counted now; then the
    trends of the last 12 months, summed from the summary of the last refresh
    (oversight.summary) and kept at most ``FIGURES_CACHE_SECONDS``."""
    today = today or timezone.localdate()
    scope = Scope.of_user(user)
    at = summary_refreshed_at()
    figures = cached_figures(
        ("staff-dashboard", scope.region_path, scope.department_type, today, get_language(), at),
        lambda: staff_trends(user, today=today, refreshed=at),
    )
    return {"actions": staff_actions(user, today=today), **figures}


def staff_trends(user, *, today: date, refreshed=ASK) -> dict:
    """The charts and figures of the last 12 months of the user's scope: the cases'
    from the summary (a few grouped sums), the others counted, one query each."""

    scope = Scope.of_user(user)
    months = last_months(today)
    since = _since(months[0])
    until = _since(today + timedelta(days=1))
    groups = case_groups(
        scope, complaints_visible_to(user), first=months[0], last=months[-1], refreshed=refreshed
    )
    return {
        "received_chart": Chart(
            chart_id="chart-received",
            title=_("Cases received per month (last 12 months)"),
            points=month_points(groups.sums("month"), today=today),
            kind="line",
            label_header=_("Month"),
            value_header=_("Cases received"),
        ),
        "category_chart": Chart(
            chart_id="chart-category",
            title=_("Cases by category (last 12 months)"),
            points=category_sum_points(groups.sums("category_id")),
            label_header=_("Category"),
            value_header=_("Cases"),
        ),
        "clocks_kept": groups.clocks_kept(),
        "median_decision_days": groups.median_days(),
        "answers": platform_answers(groups.answers()),
        "blacklist": blacklist_figures(scope, since=since, until=until),
        "inspections": inspection_figures(scope, since=since, until=until),
        "figures_live": groups.live,
        "figures_as_of": groups.refreshed_at,
        "figures_every": refresh_minutes(),
    }


def category_sum_points(rows: list[dict]) -> list[Point]:
    """Points of per-category sums (``category_id``, ``n``), most first, with the
    categories' names: one query."""
    names = {
        c["pk"]: c
        for c in ViolationCategory.objects.filter(pk__in=[r["category_id"] for r in rows]).values(
            "pk", "code", "name", "name_en"
        )
    }
    ordered = sorted(
        (r for r in rows if r["n"]), key=lambda r: (-r["n"], names[r["category_id"]]["code"])
    )
    return [
        Point(
            localised(names[r["category_id"]]["name"], names[r["category_id"]]["name_en"]),
            r["n"],
        )
        for r in ordered
    ]


# --- platform officers ----------------------------------------------------------


def platform_dashboard(user, *, today: date | None = None) -> dict:

    today = today or timezone.localdate()
    year, half = roster_period_of(today)
    roster_due = roster_due_on(year, half)
    roster_filed = (
        rosters_visible_to(user).filter(year=year, half=half, status=RosterStatus.FILED).exists()
    )
    roster_label = (
        _("Identity roster of this half-year not filed, late since %(date)s")
        if today > roster_due
        else _("Identity roster of this half-year not filed, due by %(date)s")
    ) % {"date": roster_due.isoformat()}
    return {
        "actions": [
            Action(
                "forwards",
                _("Forwarded complaints awaiting your answer"),
                forwards_for_platform(user).filter(answered_at__isnull=True).count(),
                reverse("complaints:forwards"),
                _("Trial Art. 15; Order 117 Art. 20"),
            ),
            Action(
                "notices",
                _("Notices awaiting your reply"),
                notices_awaiting(user).count(),
                reverse("filings:notices") + "?replied=false",
                _("Order 117 Art. 12 ¶2, Art. 22, Art. 50"),
            ),
            Action(
                "requests",
                _("Inspection document requests awaiting your answer"),
                document_requests_visible_to(user).filter(answered_at__isnull=True).count(),
                reverse("inspections:platform"),
                _("Trial Art. 26; Order 117 Art. 21, 46"),
            ),
            Action(
                "rectifications",
                _("Rectification orders awaiting your report"),
                rectification_orders_visible_to(user).filter(report__isnull=True).count(),
                reverse("inspections:platform"),
                _("Trial Art. 26"),
            ),
            Action(
                "roster",
                roster_label,
                0 if roster_filed else 1,
                reverse("rosters:list"),
                _("Order 117 Art. 9"),
            ),
        ],
        "filings_chart": Chart(
            chart_id="chart-filings",
            title=_("Disposal filings sent per month (last 12 months)"),
            points=month_points(
                per_month(filings_visible_to(user), "received_at", today=today), today=today
            ),
            kind="line",
            label_header=_("Month"),
            value_header=_("Filings"),
        ),
    }


# --- the public statistics page ---------------------------------------------------


def public_statistics(*, today: date | None = None) -> dict:
    """Anonymised counts over every case: no count below ``PUBLIC_MIN_CELL`` is
    shown, and no total is given (a total would reveal a suppressed cell)."""

    today = today or timezone.localdate()
    cases = Complaint.objects.exclude(status=Complaint.Status.MERGED)
    monthly = per_month(cases, "received_at", today=today, extra=("kind",))
    outcomes = cases.aggregate(
        declined=Count("pk", filter=Q(status=Complaint.Status.DECLINED)),
        **{f"o_{code}": Count("pk", filter=Q(outcome=code)) for code in Outcome.values},
    )
    outcome_points = [
        _point(str(Complaint.Status.DECLINED.label), outcomes["declined"], True),
        *(_point(str(label), outcomes[f"o_{code}"], True) for code, label in Outcome.choices),
    ]
    return {
        "min_cell": PUBLIC_MIN_CELL,
        "charts": [
            Chart(
                chart_id="chart-complaints",
                title=_("Complaints received per month (last 12 months)"),
                points=month_points(
                    [r for r in monthly if r["kind"] == Complaint.Kind.COMPLAINT],
                    today=today,
                    suppress=True,
                ),
                kind="line",
                label_header=_("Month"),
                value_header=_("Complaints"),
            ),
            Chart(
                chart_id="chart-reports",
                title=_("Reports received per month (last 12 months)"),
                points=month_points(
                    [r for r in monthly if r["kind"] == Complaint.Kind.REPORT],
                    today=today,
                    suppress=True,
                ),
                kind="line",
                label_header=_("Month"),
                value_header=_("Reports"),
            ),
            Chart(
                chart_id="chart-category",
                title=_("Complaints and reports by category (all time)"),
                points=category_points(cases, suppress=True),
                label_header=_("Category"),
                value_header=_("Cases"),
            ),
            Chart(
                chart_id="chart-outcome",
                title=_("Finished cases by outcome (all time)"),
                points=outcome_points,
                label_header=_("Outcome"),
                value_header=_("Cases"),
            ),
        ],
    }
