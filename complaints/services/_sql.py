"""The intake's reads and writes as plain SQL: the public intake's hot path.

An intake did twenty statements through the ORM, and building each statement
cost more CPU than PostgreSQL spent running it (about 0.7 ms against 0.06 ms
for the same SELECT sent as text; bench/intake.py). Here the two reads are
fixed SQL, and on PostgreSQL the case, its decision clock, its timeline line
and their audit events are written by one statement (data-modifying ``WITH``).
Elsewhere (SQLite in tests and the demo) the same rows are written through the
ORM. Table and column names come from the models' ``_meta``; every value is a
parameter. No model signals are sent for these rows (none are connected to
them; the services are where side effects live, STYLE.md rule 3).
"""

from datetime import datetime

from django.db import connection

from portal.models import AuditEvent, Deadline
from portal.sql import insert_parts, mark_saved, on_postgresql
from registry.models import LiveRoom, Operator

from ..models import CaseEvent, Complaint


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _qn(model._meta.db_table)


def _column(model, field: str) -> str:
    return _qn(model._meta.get_field(field).column)


def live_room_place(
    *, platform_id: int, account_id: str
) -> tuple[int, str | None, str | None, bool | None]:
    """The live room of ``platform_id`` with ``account_id``: its id, its operator's
    business place and domicile (region codes) and whether the operator is a
    registered business entity (Order 117 Art. 47 ¶2), or ``None``."""
    room, operator = LiveRoom, Operator
    sql = (
        f"SELECT r.{_column(room, 'id')}, o.{_column(operator, 'business_region')},"  # noqa: S608
        f" o.{_column(operator, 'domicile')}, o.{_column(operator, 'registered_entity')}"
        f" FROM {_table(room)} r LEFT JOIN {_table(operator)} o"
        f" ON o.{_column(operator, 'id')} = r.{_column(room, 'operator')}"
        f" WHERE r.{_column(room, 'platform')} = %s AND r.{_column(room, 'account_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [platform_id, account_id])
        return cursor.fetchone()


def earlier_case_id(
    *,
    phone_hash: str,
    email: str,
    live_room_id: int | None,
    platform_id: int | None,
    account: str,
    since: datetime,
) -> int | None:
    """The oldest unmerged case since ``since`` with the same contact (phone, by its
    keyed hash, or email whatever its case) and the same live room (on record, else the same
    account on the same platform): the possible duplicate a new case is flagged
    with, never merged by itself. ``None`` when there is nothing to compare."""
    c = Complaint
    contact, params = [], []
    if phone_hash:
        contact.append(f"{_column(c, 'contact_phone_hash')} = %s")
        params.append(phone_hash)
    if email:
        contact.append(f"UPPER({_column(c, 'contact_email')}) = UPPER(%s)")
        params.append(email)
    if not contact:
        return None
    if live_room_id:
        room = f"{_column(c, 'live_room')} = %s"
        params.append(live_room_id)
    elif platform_id and account:
        room = f"{_column(c, 'platform')} = %s AND {_column(c, 'live_room_account')} = %s"
        params += [platform_id, account]
    else:
        return None
    sql = (
        f"SELECT {_column(c, 'id')} FROM {_table(c)}"  # noqa: S608
        f" WHERE ({' OR '.join(contact)}) AND {room}"
        f" AND {_column(c, 'received_at')} >= %s AND {_column(c, 'merged_into')} IS NULL"
        f" ORDER BY {_column(c, 'received_at')} LIMIT 1"
    )
    params.append(since)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def writes_in_one_statement() -> bool:
    """Whether :func:`insert_case_rows` writes all its rows in one statement, atomic by
    itself (PostgreSQL): a case with nothing else to write then needs no transaction."""
    return on_postgresql()


def insert_case_rows(
    *, complaint: Complaint, clock: Deadline, event: CaseEvent, audit: list[AuditEvent]
) -> None:
    """Write a new case with its clock, its timeline line and the audit events
    (each of which names the case), setting their primary keys."""
    if not on_postgresql():
        complaint.save()
        clock.object_id = event.complaint_id = complaint.pk
        clock.save()
        event.save()
        for record in audit:
            record.object_id = str(complaint.pk)
        AuditEvent.objects.bulk_create(audit)
        return

    columns, values, params = insert_parts(complaint)
    sql = [
        f"WITH new_case AS (INSERT INTO {_table(Complaint)} ({', '.join(columns)})"  # noqa: S608
        f" VALUES ({', '.join(values)}) RETURNING {_column(Complaint, 'id')} AS id)"
    ]
    for name, obj, case_field in (
        ("new_clock", clock, "object_id"),
        ("new_event", event, "complaint"),
    ):
        columns, values, more = insert_parts(
            obj, expressions={case_field: "(SELECT id FROM new_case)"}
        )
        sql.append(
            f", {name} AS (INSERT INTO {_table(type(obj))} ({', '.join(columns)})"  # noqa: S608
            f" VALUES ({', '.join(values)}) RETURNING {_qn(obj._meta.pk.column)} AS id)"
        )
        params += more
    rows = []
    for record in audit:
        # AuditEvent.object_id is text.
        columns, values, more = insert_parts(
            record, expressions={"object_id": "(SELECT id::text FROM new_case)"}
        )
        rows.append(f"({', '.join(values)})")
        params += more
    if rows:
        sql.append(
            f", new_audit AS (INSERT INTO {_table(AuditEvent)} ({', '.join(columns)})"  # noqa: S608
            f" VALUES {', '.join(rows)})"
        )
    sql.append(
        " SELECT (SELECT id FROM new_case), (SELECT id FROM new_clock), (SELECT id FROM new_event)"
    )
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), params)
        case_id, clock_id, event_id = cursor.fetchone()
    mark_saved(complaint, case_id)
    clock.object_id = event.complaint_id = case_id
    mark_saved(clock, clock_id)
    mark_saved(event, event_id)
    for record in audit:
        record.object_id = str(case_id)
