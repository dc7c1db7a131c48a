"""The cases' figures per department and month, kept in a summary table.

``summary_refresh`` (the Celery beat task ``oversight.tasks.summary_refresh_task``,
every ``SUMMARY_REFRESH_SECONDS``) rebuilds ``CaseMonthFigures`` in one
transaction: one ``DELETE`` and one ``INSERT … SELECT … GROUP BY`` over every case
(a case received years ago can still be decided or merged, so every month is
counted again; at 1,000,000 cases that takes seconds, bench/pages.py). The
intake and the case services write nothing here.

The staff dashboard and statistics page sum the summary's rows of the departments
in scope (:class:`CaseGroups`), so they cost the same whatever the number of
cases, and show the time of the refresh beside the figures. Until a first refresh
(a fresh install) the same figures are counted from the cases themselves, by
the very same grouping (:func:`live_groups`), and the page says so.

Days to decision are whole calendar days, from the day of receipt to the day of
decision (local dates): the summary holds how many cases took each number of
days, and the median is read from those counts exactly as ``percentile_cont``
would read it from the cases (the mean of the middle two for an even number).
"""

import time
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from complaints.models import Complaint
from portal.models import Deadline

from .models import CaseMonthFigures, FiguresRefresh

#: The decision clocks whose keeping the figures count (one of them per case).
DECISION_CLOCKS = ("complaint-accept", "report-verify")
REFRESH_NAME = "cases"
#: How often the beat rebuilds the summary (seconds, setting ``SUMMARY_REFRESH_SECONDS``).
REFRESH_SECONDS = 300


def refresh_minutes() -> int:
    """The beat's interval in minutes, as the pages say it."""
    return max(1, getattr(settings, "SUMMARY_REFRESH_SECONDS", REFRESH_SECONDS) // 60)


#: The fields a group of cases is told apart by, in the summary and live alike.
GROUP_FIELDS = (
    "department_id",
    "month",
    "kind",
    "category_id",
    "platform_id",
    "status",
    "outcome",
    "days",
)


#: The summary's fields, in the order the rebuild writes them: the groups, then
#: the counts.
SUMMARY_FIELDS = (
    "department",
    "month",
    "kind",
    "category",
    "platform",
    "status",
    "outcome",
    "days",
    "cases",
    "clocks_met",
    "clocks_on_time",
)


class DaysBetweenDates(Func):
    """Whole days from the date ``start`` to the date ``end``."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):  # SQLite
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(julianday({end}) - julianday({start}) AS INTEGER)",
            (*end_params, *start_params),
        )

    def as_postgresql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"({end} - {start})", (*end_params, *start_params)


def live_groups(cases: QuerySet) -> QuerySet:
    """``cases`` (merged duplicates left out) with the fields of ``GROUP_FIELDS``
    and the join to their decision clocks met (``decision``)."""
    return (
        cases.exclude(status=Complaint.Status.MERGED)
        .order_by()
        .annotate(
            month=TruncMonth("received_at", output_field=DateField()),
            days=DaysBetweenDates(TruncDate("decided_at"), TruncDate("received_at")),
            decision=FilteredRelation(
                "deadlines",
                condition=Q(
                    deadlines__clock__in=DECISION_CLOCKS,
                    deadlines__state=Deadline.State.MET,
                ),
            ),
        )
    )


def _live_counts() -> dict:
    return {
        "n": Count("pk", distinct=True),
        "met": Count("decision"),
        "on_time": Count(
            "decision", filter=Q(decision__closed_at__date__lte=F("decision__due_on"))
        ),
    }


def _live_sums(rows: QuerySet, fields) -> QuerySet:
    return rows.values(*fields).annotate(**_live_counts())


def _summary_counts() -> dict:
    return {"n": Sum("cases"), "met": Sum("clocks_met"), "on_time": Sum("clocks_on_time")}


@dataclass
class CaseGroups:
    """The cases of a scope and period as groups: from the summary (``live`` false)
    or counted from the cases. ``sums(*fields)`` gives one dict per value of
    ``fields`` with ``n`` cases, ``met`` decision clocks met and ``on_time``."""

    rows: QuerySet
    live: bool
    refreshed_at: datetime | None

    def sums(self, *fields: str) -> list[dict]:
        counts = _live_counts() if self.live else _summary_counts()
        return list(self.rows.values(*fields).annotate(**counts).order_by())

    def clocks_kept(self) -> dict:
        counts = _live_counts() if self.live else _summary_counts()
        totals = self.rows.order_by().aggregate(**counts)
        met, on_time = totals["met"] or 0, totals["on_time"] or 0
        return {
            "met": met,
            "on_time": on_time,
            "percent": round(100 * on_time / met) if met else None,
        }

    def median_days(self) -> float | None:
        """The median whole days to decision, from how many cases took each."""
        counts = sorted(
            (r["days"], r["n"]) for r in self.sums("days") if r["days"] is not None and r["n"]
        )
        return median_of_counts(counts)


def median_of_counts(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many) sorted by value: the middle
    value, or the mean of the middle two (``percentile_cont(0.5)``)."""
    total = sum(n for _v, n in counts)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, n in counts:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return round(sum(found) / len(found), 1)


def refreshed_at() -> datetime | None:
    """When the summary was last rebuilt, or ``None`` if never: one query."""
    return (
        FiguresRefresh.objects.filter(name=REFRESH_NAME)
        .values_list("refreshed_at", flat=True)
        .first()
    )


#: ``case_groups``' default: read the time of the last refresh.
ASK = object()


def case_groups(
    scope, cases: QuerySet, *, first: date, last: date, refreshed=ASK, **filters
) -> CaseGroups:
    """The groups of the cases of ``scope`` received in the months ``first`` to
    ``last`` (first days of months), narrowed by ``filters`` (fields of
    ``GROUP_FIELDS``): summed from the summary once refreshed, else counted from
    ``cases`` (the same cases, as the user may see them). ``refreshed``: the time
    of the refresh if the caller has read it already."""
    at = refreshed_at() if refreshed is ASK else refreshed
    if at is None:
        rows = live_groups(cases).filter(
            received_at__gte=_aware(first), received_at__lt=_aware(_next_month(last))
        )
        return CaseGroups(rows.filter(**filters), live=True, refreshed_at=None)
    rows = CaseMonthFigures.objects.filter(
        scope.q("department"), month__gte=first, month__lte=last, **filters
    )
    return CaseGroups(rows, live=False, refreshed_at=at)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def summary_refresh() -> dict:
    """Rebuild the summary from every case, in one transaction (readers see the
    old rows until it commits; two refreshes at once wait for each other)."""
    started = time.monotonic()
    FiguresRefresh.objects.get_or_create(name=REFRESH_NAME)
    select, params = (
        _live_sums(live_groups(Complaint.objects.all()), GROUP_FIELDS)
        .order_by()
        .query.sql_with_params()
    )
    table = connection.ops.quote_name(CaseMonthFigures._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(CaseMonthFigures._meta.get_field(name).column)
        for name in SUMMARY_FIELDS
    )
    picked = ", ".join(
        connection.ops.quote_name(name) for name in (*GROUP_FIELDS, "n", "met", "on_time")
    )
    with transaction.atomic():
        refresh = FiguresRefresh.objects.select_for_update().get(name=REFRESH_NAME)
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the model's own table)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {picked} FROM ({select}) AS groups",  # noqa: S608
                params,
            )
            rows = cursor.rowcount
        refresh.refreshed_at = now
        refresh.seconds = time.monotonic() - started
        refresh.rows = rows
        refresh.save(update_fields=["refreshed_at", "seconds", "rows"])
    return {"rows": rows, "seconds": refresh.seconds, "refreshed_at": now}
