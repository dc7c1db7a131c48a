"""The deadlines' fast path: clocks changed and reported by one ``UPDATE … RETURNING``,
with their audit events written in the same statement on PostgreSQL
(``tests/portal/test_deadline_sql.py`` holds it equal to the bulk insert)."""

from datetime import date

from django.db import connection
from django.utils import timezone

from .models import AuditEvent, Deadline
from .sql import on_postgresql


def update_returning(
    *,
    set_sql,
    set_params,
    where_sql,
    where_params,
    content_types=None,
    audit_action=None,
    audit_in_sql: bool | None = None,
):
    """One ``UPDATE … RETURNING`` on the deadlines (PostgreSQL and SQLite both have
    it): rows are changed and reported in a single statement, whatever their number.

    With ``audit_action``, each changed clock also gets an audit event on its subject
    (``{"clock", "due_on"}``): on PostgreSQL in the same statement (a data-modifying
    ``WITH``: the rows never travel to Python and back), elsewhere by a bulk insert
    (or when ``audit_in_sql`` is false: the two write the same events).
    """
    qn = connection.ops.quote_name
    table = qn(Deadline._meta.db_table)
    # The fragments are the services' own constants; every value is a parameter.
    sql = f"UPDATE {table} SET {set_sql} WHERE {where_sql}"  # noqa: S608
    params = [*set_params, *where_params]
    if content_types is not None:
        ids = [getattr(ct, "pk", ct) for ct in content_types]
        sql += f" AND content_type_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    sql += " RETURNING id, content_type_id, object_id, clock, due_on"
    if audit_in_sql is None:
        audit_in_sql = on_postgresql()
    in_sql = audit_action is not None and audit_in_sql
    if in_sql:
        column = {f.name: qn(f.column) for f in AuditEvent._meta.concrete_fields}
        sql = (
            f"WITH changed AS ({sql}), audited AS ("  # noqa: S608
            f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({column['at']}, {column['action']},"
            f" {column['content_type']}, {column['object_id']}, {column['object_repr']},"
            f" {column['reason']}, {column['data']})"
            " SELECT %s, %s, content_type_id, object_id::text, '', '',"
            " jsonb_build_object('clock', clock, 'due_on', to_char(due_on, 'YYYY-MM-DD'))"
            " FROM changed)"
            " SELECT id, content_type_id, object_id, clock, due_on FROM changed"
        )
        params += [timezone.now(), audit_action]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [
            (pk, ct, oid, clock, due if isinstance(due, date) else date.fromisoformat(due))
            for pk, ct, oid, clock, due in cursor.fetchall()
        ]
    if audit_action is not None and not in_sql and rows:
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action=audit_action,
                content_type_id=ct,
                object_id=str(oid),
                data={"clock": clock, "due_on": due.isoformat()},
            )
            for _pk, ct, oid, clock, due in rows
        )
    return rows
