"""The cases' figures per department and month, kept in summary tables.

``summary_refresh`` (the Celery beat task ``oversight.tasks.summary_refresh_task``,
every ``SUMMARY_REFRESH_SECONDS``) rebuilds them in one transaction: a ``DELETE``
and an ``INSERT … SELECT … GROUP BY`` each (a case received years ago can still be
decided or merged, so every month is counted again; at 1,000,000 cases that
takes seconds, bench/pages.py):

- ``CaseMonthFigures``, the cases by every field of ``GROUP_FIELDS`` together,
  read when the statistics are filtered by category or platform;
- ``CaseMonthBreakdown``, summed from it: the cases by department, month and
  kind and one breakdown at a time (``BREAKDOWNS``), a few rows where the first
  has one per combination, read by the dashboard and the unfiltered statistics;
- ``ForwardMonthFigures``, the complaints forwarded to platforms by their case's
  department, month, kind, category and platform, the platform forwarded to and
  the whole days to answer.

The intake and the case services write nothing here.

The staff dashboard and statistics page sum the summaries' rows of the
departments in scope (:class:`CaseGroups`), so they cost the same whatever the
number of cases, and show the time of the refresh beside the figures. Until a
first refresh (a fresh install) the same figures are counted from the cases
themselves, by the very same grouping (:func:`live_case_groups`), and the page
says so.

Days to decision (to answer) are whole calendar days, from the day of receipt
(of forwarding) to the day of decision (of the answer), local dates: the
summaries hold how many took each number of days, and the median is read from
those counts exactly as ``percentile_cont`` would read it from the rows (the mean
of the middle two for an even number).
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
    Value,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from complaints.models import Complaint, PlatformForward
from portal.models import Deadline
from portal.requests import with_answer_due

from .models import CaseMonthBreakdown, CaseMonthFigures, FiguresRefresh, ForwardMonthFigures

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


#: The fields a group of forwarded complaints is told apart by, in the summary
#: (``ForwardMonthFigures``) and as ``forward_groups`` names them.
FORWARD_GROUPS = {
    "department": "case_department",
    "month": "case_month",
    "kind": "case_kind",
    "category": "case_category",
    "case_platform": "case_platform",
    "platform": "platform_id",
    "days": "days",
}


def forward_groups(forwards: QuerySet) -> QuerySet:
    """``forwards`` (their merged duplicates' left out) with what their case is
    told apart by (``FORWARD_GROUPS``), whole days to answer and the answer's due
    day (``answer_due``)."""
    return with_answer_due(
        forwards.exclude(complaint__status=Complaint.Status.MERGED).order_by()
    ).annotate(
        case_department=F("complaint__department_id"),
        case_month=TruncMonth("complaint__received_at", output_field=DateField()),
        case_kind=F("complaint__kind"),
        case_category=F("complaint__category_id"),
        case_platform=F("complaint__platform_id"),
        days=DaysBetweenDates(TruncDate("answered_at"), TruncDate("asked_at")),
    )


def _forward_counts() -> dict:
    return {
        "n": Count("pk"),
        "answered_on_time": Count("pk", filter=Q(answered_at__date__lte=F("answer_due"))),
    }


def _live_sums(rows: QuerySet, fields) -> QuerySet:
    return rows.values(*fields).annotate(**_live_counts())


def _summary_counts() -> dict:
    return {"n": Sum("cases"), "met": Sum("clocks_met"), "on_time": Sum("clocks_on_time")}


#: The narrow summary's breakdowns (``CaseMonthBreakdown``): the fields each counts
#: by, besides the department, month and kind that every row has.
BREAKDOWNS = {
    CaseMonthBreakdown.Breakdown.TOTAL: (),
    CaseMonthBreakdown.Breakdown.CATEGORY: ("category_id",),
    CaseMonthBreakdown.Breakdown.PLATFORM: ("platform_id",),
    CaseMonthBreakdown.Breakdown.OUTCOME: ("status", "outcome"),
    CaseMonthBreakdown.Breakdown.DAYS: ("days",),
}
#: What every row of the narrow summary is told apart by.
BREAKDOWN_KEYS = ("department_id", "month", "kind")
#: The filters the narrow summary can answer (the others need every combination).
BREAKDOWN_FILTERS = {"kind"}


@dataclass
class CaseGroups:
    """The cases of a scope and period as groups: from the summaries (``live``
    false) or counted from the cases. ``sums(*fields)`` gives one dict per value of
    ``fields`` with ``n`` cases, ``met`` decision clocks met and ``on_time``;
    ``split`` several such breakdowns at once. ``narrow``: the rows of the narrow
    summary of the same scope, period and filters, when it can answer them."""

    rows: QuerySet
    live: bool
    refreshed_at: datetime | None
    forwards: QuerySet
    narrow: QuerySet | None = None

    def _source(self, fields) -> QuerySet:
        if self.narrow is not None:
            wanted = set(fields) - {"month", "kind"}
            for breakdown, keys in BREAKDOWNS.items():
                if wanted <= set(keys):
                    return self.narrow.filter(breakdown=breakdown)
        return self.rows

    def _counts(self) -> dict:
        return _live_counts() if self.live else _summary_counts()

    def sums(self, *fields: str) -> list[dict]:
        return list(self._source(fields).values(*fields).annotate(**self._counts()).order_by())

    def split(self, *breakdowns: tuple[str, ...]) -> list[list[dict]]:
        """The sums by each tuple of fields of ``breakdowns``: from the narrow summary
        one small read each; else one grouped read by all their fields, summed up
        here."""
        if self.narrow is not None:
            return [self.sums(*fields) for fields in breakdowns]
        rows = self.sums(*dict.fromkeys(f for fields in breakdowns for f in fields))
        return [_summed_by(rows, fields) for fields in breakdowns]

    def clocks_kept(self) -> dict:
        totals = self._source(()).order_by().aggregate(**self._counts())
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

    def answers(self) -> list[dict]:
        """The complaints of these cases forwarded to platforms: one dict per
        platform and whole days to answer (``days``, ``None`` if unanswered) with
        ``forwards`` and ``on_time`` (answered by the day set); one query."""
        if self.live:
            counts = _forward_counts()
        else:
            counts = {"n": Sum("forwards"), "answered_on_time": Sum("on_time")}
        return [
            {
                "platform_id": r["platform_id"],
                "days": r["days"],
                "forwards": r["n"],
                "on_time": r["answered_on_time"],
            }
            for r in self.forwards.values("platform_id", "days").annotate(**counts).order_by()
        ]


def live_case_groups(received: QuerySet) -> CaseGroups:
    """The groups of the cases ``received``, and of their forwards, counted from
    them (no summary)."""
    return CaseGroups(
        live_groups(received),
        live=True,
        refreshed_at=None,
        forwards=forward_groups(PlatformForward.objects.filter(complaint__in=received)),
    )


def _summed_by(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    """``rows`` of grouped sums, summed again by ``fields`` alone."""
    summed: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[f] for f in fields)
        into = summed.setdefault(
            key, {**dict(zip(fields, key, strict=True)), "n": 0, "met": 0, "on_time": 0}
        )
        for count in ("n", "met", "on_time"):
            into[count] += row[count] or 0
    return list(summed.values())


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
    ``GROUP_FIELDS``), and of those of them forwarded to platforms: summed from the
    summaries once refreshed, else counted from ``cases`` (the same cases, as the
    user may see them). ``refreshed``: the time of the refresh if the caller has
    read it already."""
    at = refreshed_at() if refreshed is ASK else refreshed
    if at is None:
        return live_case_groups(
            cases.filter(
                received_at__gte=_aware(first), received_at__lt=_aware(_next_month(last))
            ).filter(**filters)
        )
    period = Q(scope.q("department"), month__gte=first, month__lte=last)
    narrow = None
    if set(filters) <= BREAKDOWN_FILTERS:
        narrow = CaseMonthBreakdown.objects.filter(period, **filters)
    forward_filters = {
        {"platform_id": "case_platform_id"}.get(name, name): value
        for name, value in filters.items()
    }
    return CaseGroups(
        CaseMonthFigures.objects.filter(period, **filters),
        live=False,
        refreshed_at=at,
        narrow=narrow,
        forwards=ForwardMonthFigures.objects.filter(period, **forward_filters),
    )


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def summary_refresh() -> dict:
    """Rebuild the summaries from every case and forward, in one transaction
    (readers see the old rows until it commits; two refreshes at once wait for
    each other): the wide one from the cases, the narrow one's breakdowns from the
    wide one, the forwards' from the forwards."""
    started = time.monotonic()
    FiguresRefresh.objects.get_or_create(name=REFRESH_NAME)
    cases = _live_sums(live_groups(Complaint.objects.all()), GROUP_FIELDS)
    wide = CaseMonthFigures.objects.order_by()
    counts = {"cases": "n", "clocks_met": "met", "clocks_on_time": "on_time"}
    # The narrow summary's breakdowns, each summed from the wide one; the text
    # fields a breakdown leaves out are written empty.
    blank = {f"blank_{name}": Value("") for name in ("status", "outcome")}
    breakdowns = [
        (
            {
                "breakdown": "breakdown",
                **{f: f for f in (*BREAKDOWN_KEYS, *keys)},
                **{a[6:]: a for a in blank if a[6:] not in keys},
                **counts,
            },
            wide.values(*BREAKDOWN_KEYS, *keys).annotate(
                n=Sum("cases"),
                met=Sum("clocks_met"),
                on_time=Sum("clocks_on_time"),
                breakdown=Value(breakdown),
                **blank,
            ),
        )
        for breakdown, keys in BREAKDOWNS.items()
    ]
    forwards = (
        forward_groups(PlatformForward.objects.all())
        .values(*FORWARD_GROUPS.values())
        .annotate(**_forward_counts())
    )
    with transaction.atomic():
        refresh = FiguresRefresh.objects.select_for_update().get(name=REFRESH_NAME)
        now = timezone.now()
        for model in (CaseMonthBreakdown, CaseMonthFigures, ForwardMonthFigures):
            _delete_all(model)
        rows = _insert_select(
            CaseMonthFigures,
            dict(zip(SUMMARY_FIELDS, (*GROUP_FIELDS, *counts.values()), strict=True)),
            cases,
        )
        narrow = sum(_insert_select(CaseMonthBreakdown, c, select) for c, select in breakdowns)
        forwarded = _insert_select(
            ForwardMonthFigures,
            {**FORWARD_GROUPS, "forwards": "n", "on_time": "answered_on_time"},
            forwards,
        )
        refresh.refreshed_at = now
        refresh.seconds = time.monotonic() - started
        refresh.rows = rows
        refresh.save(update_fields=["refreshed_at", "seconds", "rows"])
    return {
        "rows": rows,
        "breakdown_rows": narrow,
        "forward_rows": forwarded,
        "seconds": refresh.seconds,
        "refreshed_at": now,
    }


def _delete_all(model) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a summary's own table)


def _insert_select(model, columns: dict[str, str], rows: QuerySet) -> int:
    """Write ``rows`` (a grouped query) into ``model``'s table in one
    ``INSERT … SELECT``: ``columns`` maps each field to the alias of ``rows`` it
    takes. The number of rows written."""
    quote = connection.ops.quote_name
    select, params = rows.order_by().query.sql_with_params()
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    picked = ", ".join(quote(alias) for alias in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {picked} FROM ({select}) AS groups",  # noqa: S608
            params,
        )
        return cursor.rowcount
