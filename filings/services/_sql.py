"""The filings' bulk store: one ``COPY`` on PostgreSQL, the ids drawn from the
table's sequence first; ``bulk_create`` elsewhere. Both store the same rows
(tests/filings/test_sql.py holds the two paths together).
"""

from django.db import connection

from portal.fields import seal_row
from portal.sql import to_json

_JSON_COLUMNS = frozenset({"measures", "evidence_links"})


def copy_rows(model, rows: list[dict]) -> list[int]:
    """PostgreSQL: store ``rows`` with one ``COPY``, the fastest way in; the ids
    are drawn from the table's sequence first and returned."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = ["id", *rows[0]]
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        raw = cursor.cursor  # psycopg's own cursor, for its COPY support
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            json_at = [i for i, c in enumerate(columns) if c in _JSON_COLUMNS]
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *row.values()]
                for i in json_at:
                    values[i] = to_json(values[i])
                copy.write_row(values)
    return ids


def store_rows(model, rows: list[dict]) -> list[int]:
    """Store ``rows`` in bulk, never one query per row: ``COPY`` on PostgreSQL,
    ``bulk_create`` elsewhere (SQLite returns the ids too)."""
    if not rows:
        return []
    rows = [seal_row(model, row) for row in rows]  # COPY calls no field's pre_save
    if connection.vendor == "postgresql":
        return copy_rows(model, rows)
    return create_rows(model, rows)


def create_rows(model, rows: list[dict]) -> list[int]:
    """Any database: store ``rows`` with one ``bulk_create``."""
    objs = model.objects.bulk_create([model(**row) for row in rows])
    return [obj.pk for obj in objs]
