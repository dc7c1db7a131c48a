"""The statistics' database functions: days between two times and their median,
``percentile_cont`` on PostgreSQL and the middle rows elsewhere (the two held equal
by ``tests/dashboards/test_figures.py``)."""

from django.db.models import Aggregate, F, FloatField, Func, QuerySet

from portal.sql import on_postgresql


class DaysBetween(Func):
    """Days (with fractions) from ``start`` to ``end``, in the database."""

    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, connection, **extra):  # SQLite and others
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"(julianday({end}) - julianday({start}))", (*end_params, *start_params)

    def as_postgresql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return (
            f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)",
            (*end_params, *start_params),
        )


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_days(queryset: QuerySet, end: str, start: str) -> float | None:
    """The median of the days from ``start`` to ``end`` over ``queryset``'s rows
    that have both, computed in the database: ``percentile_cont`` on PostgreSQL;
    elsewhere (SQLite has no percentile function) the middle row(s) of the rows
    sorted by that number, read with ``LIMIT``/``OFFSET`` after a count: two
    queries instead of one, the same median."""
    rows = queryset.order_by().filter(**{f"{end}__isnull": False, f"{start}__isnull": False})
    days = DaysBetween(F(end), F(start))
    if on_postgresql(queryset.db):
        return median_in_sql(rows, days)
    return median_by_rows(rows, days)


def median_in_sql(rows: QuerySet, days) -> float | None:
    """The median of ``days`` over ``rows`` by ``percentile_cont`` (PostgreSQL)."""
    value = rows.aggregate(median=Median(days))["median"]
    return None if value is None else round(value, 1)


def median_by_rows(rows: QuerySet, days) -> float | None:
    """The median of ``days`` over ``rows`` from the middle row(s), on any database."""
    n = rows.count()
    if not n:
        return None
    middle = list(
        rows.annotate(days=days)
        .order_by("days")
        .values_list("days", flat=True)[(n - 1) // 2 : n // 2 + 1]
    )
    return round(sum(middle) / len(middle), 1)
