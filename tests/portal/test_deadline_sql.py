"""The deadlines' ``UPDATE … RETURNING`` writes the same audit events in the same
statement on PostgreSQL as by a bulk insert after it (portal/_sql.py)."""

from datetime import date

import pytest
from django.db import connection

from portal._sql import update_returning
from portal.models import AuditEvent, Deadline
from portal.services import deadline_start

from .test_workdays import _case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's"),
]


def _mark_overdue(deadline: Deadline, *, audit_in_sql: bool) -> list[tuple]:
    return update_returning(
        set_sql="overdue_since = %s",
        set_params=[date(2026, 11, 12)],
        where_sql="id = %s AND overdue_since IS NULL",
        where_params=[deadline.pk],
        audit_action="deadline.overdue",
        audit_in_sql=audit_in_sql,
    )


def test_overdue_clocks_get_the_same_audit_events_in_one_statement_as_by_bulk_insert():
    case = _case()
    clocks = [
        deadline_start(
            subject=case, clock="complaint-accept", started_on=date(2026, 11, 2), actor=None
        )
        for _ in range(2)
    ]

    in_sql = _mark_overdue(clocks[0], audit_in_sql=True)
    in_bulk = _mark_overdue(clocks[1], audit_in_sql=False)

    assert [row[1:] for row in in_sql] == [row[1:] for row in in_bulk]
    assert [row[0] for row in in_sql + in_bulk] == [c.pk for c in clocks]
    events = list(AuditEvent.objects.filter(action="deadline.overdue").order_by("id"))
    assert len(events) == 2
    keep = ("action", "content_type_id", "object_id", "object_repr", "reason", "data", "actor_id")
    first, second = ({name: getattr(e, name) for name in keep} for e in events)
    assert first == second
    assert first["data"] == {"clock": "complaint-accept", "due_on": "2026-11-11"}
    assert events[0].subject == case
    assert _mark_overdue(clocks[0], audit_in_sql=True) == []
