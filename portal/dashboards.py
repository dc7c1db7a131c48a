"""Dashboard aggregates: counted in the database, scoped by the apps' selectors.

Every figure is one query (``count``, ``aggregate`` or a grouped
``values().annotate()``), so a dashboard costs the same number of queries
whatever the number of cases. Python only fills in the months that had
nothing and turns rows into chart points.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .charts import Chart, Point
from .models import Deadline

#: "due soon" on the dashboard: within this many working days.
DUE_SOON_WORKING_DAYS = 2
#: The decision clocks whose keeping the dashboards report.
DECISION_CLOCKS = ("complaint-accept", "report-verify")
MONTHS = 12
#: The public page shows no count below this (anonymisation).
PUBLIC_MIN_CELL = 10


@dataclass(frozen=True)
class Action:
    """One count of cases needing action, with the queue that lists them."""

    key: str
    label: str
    count: int
    href: str
    source: str = ""


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


def _bilingual(name: str, name_en: str) -> str:
    return name_en if name_en and (get_language() or "").startswith("en") else name


def category_points(queryset: QuerySet, *, suppress: bool = False) -> list[Point]:
    rows = (
        queryset.order_by()
        .values("category__code", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    return [
        _point(_bilingual(r["category__name"], r["category__name_en"]), r["n"], suppress)
        for r in rows
    ]


# --- staff --------------------------------------------------------------------


def staff_actions(user, *, today: date | None = None) -> list[Action]:
    """Cases needing action now, each counted by the very queue its link opens."""
    from complaints.models import Complaint
    from complaints.selectors import queue

    today = today or timezone.localdate()
    cases = reverse("complaints:list")
    forwarded = queue(user, "open", today=today).filter(status=Complaint.Status.FORWARDED)
    return [
        Action(
            "overdue",
            _("Overdue"),
            queue(user, "overdue", today=today).count(),
            f"{cases}?queue=overdue",
        ),
        Action(
            "due_soon",
            _("Due within %(n)d working days") % {"n": DUE_SOON_WORKING_DAYS},
            queue(user, "due_soon", today=today, within=DUE_SOON_WORKING_DAYS).count(),
            f"{cases}?queue=due_soon&within={DUE_SOON_WORKING_DAYS}",
        ),
        Action(
            "unassigned",
            _("Awaiting assignment in your department"),
            queue(user, "unassigned", today=today).count(),
            f"{cases}?queue=unassigned",
        ),
        Action(
            "platform",
            _("Waiting for a platform's answer"),
            forwarded.count(),
            f"{cases}?queue=open&status={Complaint.Status.FORWARDED.value}",
            _("Trial Art. 15; Order 117 Art. 20"),
        ),
    ]


def decision_clocks_kept(complaints: QuerySet) -> dict:
    """Of the decision clocks met on ``complaints``, how many were met by their due
    date (the day the clock stopped <= ``due_on``): one query."""
    from complaints.models import Complaint

    totals = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
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
    """What the staff home page starts with."""
    from complaints.selectors import complaints_visible_to

    today = today or timezone.localdate()
    visible = complaints_visible_to(user)
    return {
        "actions": staff_actions(user, today=today),
        "received_chart": Chart(
            chart_id="chart-received",
            title=_("Cases received per month (last 12 months)"),
            points=month_points(per_month(visible, "received_at", today=today), today=today),
            kind="line",
            label_header=_("Month"),
            value_header=_("Cases received"),
        ),
        "category_chart": Chart(
            chart_id="chart-category",
            title=_("Cases by category (all time)"),
            points=category_points(visible),
            label_header=_("Category"),
            value_header=_("Cases"),
        ),
        "clocks_kept": decision_clocks_kept(visible),
    }


# --- platform officers ----------------------------------------------------------


def platform_dashboard(user, *, today: date | None = None) -> dict:
    from complaints.filing_selectors import filings_visible_to, notices_awaiting
    from complaints.selectors import forwards_for_platform

    today = today or timezone.localdate()
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
    from complaints.models import Complaint, Outcome

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
