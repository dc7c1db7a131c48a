"""Screening's fast paths on PostgreSQL give what their portable twins give: the same
candidates for a single name, the same hits' related rows, and the same rows for a
logged screening (blacklist/screening/_sql.py)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import Department, Platform
from blacklist.models import Entry, ScreeningLog, ScreeningLogDepartment
from blacklist.screening import _sql
from blacklist.screening.names import normalise, query_keys
from blacklist.selectors import screening_pool
from portal.models import AuditEvent
from registry.models import ViolationCategory

from .factories import ListedEntryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast paths are PostgreSQL's"),
]


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def entries(world):
    xihu, yuhang = world.departments["xihu_market"], world.departments["yuhang_market"]
    return [
        ListedEntryFactory(department=xihu, name="张伟"),
        ListedEntryFactory(department=yuhang, name="張偉"),
        ListedEntryFactory(department=yuhang, name="Zhang Wei"),
        ListedEntryFactory(department=xihu, name="张伟伟"),
        ListedEntryFactory(department=xihu, name="李娜"),
    ]


def test_a_single_name_finds_the_same_candidates_by_semi_join_as_by_two_reads(world, entries):
    lean = screening_pool(world.handler).select_related(None).order_by()
    keys = sorted(query_keys(normalise("张伟")))

    fast_facts, fast = _sql.one_name_candidates(lean, keys, 0)
    slow_facts, slow = _sql.keyed_candidates(lean, {key: [0] for key in keys})

    assert fast == slow
    assert {e.name for e in Entry.objects.filter(pk__in=fast[0])} >= {"张伟", "張偉", "Zhang Wei"}
    assert "李娜" not in {e.name for e in Entry.objects.filter(pk__in=fast[0])}
    assert fast_facts == slow_facts
    assert {name for name, _form, _department in fast_facts.values()} >= {"张伟", "Zhang Wei"}


def test_the_hits_related_rows_read_in_one_statement_equal_those_read_by_model(world, entries):
    wanted = {
        ViolationCategory: {e.category_id for e in entries},
        Department: {e.department_id for e in entries},
        Platform: {world.platform.pk},
    }

    fast = _sql.related_rows(wanted, "default")

    assert set(fast) == set(wanted)
    for model, ids in wanted.items():
        portable = model._base_manager.in_bulk(ids)
        assert sorted(fast[model]) == sorted(portable)
        for pk, obj in portable.items():
            assert _fields(fast[model][pk]) == _fields(obj)


def _log(world) -> ScreeningLog:
    return ScreeningLog(
        actor=world.officer,
        actor_label="风控系统",
        platform=world.platform,
        channel=ScreeningLog.Channel.API,
        queries=2,
        queries_with_hits=1,
        hits=3,
        asked=[{"name": "张伟"}, {"name": "李娜"}],
        found=[[[1, 1.0, ["name"]]], []],
    )


def test_a_logged_screening_writes_the_same_rows_in_one_statement_as_by_model(world):
    departments = sorted(world.departments[k].pk for k in ("xihu_market", "yuhang_market"))
    data = {"by": "风控系统", "queries": 2, "queries_with_hits": 1, "hits": 3}
    fast, slow = _log(world), _log(world)

    _sql._log_in_one_statement(fast, departments, actor=world.officer, data=data)
    _sql._log_by_orm(slow, departments, actor=world.officer, data=data)

    stored = {log.pk: ScreeningLog.objects.get(pk=log.pk) for log in (fast, slow)}
    ignore = {"id", "at"}
    assert {k: v for k, v in _fields(stored[fast.pk]).items() if k not in ignore} == {
        k: v for k, v in _fields(stored[slow.pk]).items() if k not in ignore
    }
    assert not fast._state.adding and fast.at is not None
    for log in (fast, slow):
        linked = ScreeningLogDepartment.objects.filter(log=log).values_list("department_id")
        assert sorted(pk for (pk,) in linked) == departments
    log_type = ContentType.objects.get_for_model(ScreeningLog)
    events = {
        log.pk: AuditEvent.objects.get(content_type=log_type, object_id=str(log.pk))
        for log in (fast, slow)
    }
    ignore = {"id", "at", "object_id", "object_repr"}
    assert {k: v for k, v in _fields(events[fast.pk]).items() if k not in ignore} == {
        k: v for k, v in _fields(events[slow.pk]).items() if k not in ignore
    }
    assert events[fast.pk].subject == stored[fast.pk]
    assert events[fast.pk].action == "blacklist.screened"
