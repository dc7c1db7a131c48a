"""Screening's fast paths (PostgreSQL), each behind a plain function that takes the
portable ORM path elsewhere: candidates' rows received by psycopg's own loaders and
built without ``Model.__init__``, the hits' related rows in one read, the
single-name semi-join on the (key, entry) index, and the logged screening written
in one statement. ``tests/blacklist/test_screening_sql.py`` holds each fast path
equal to its portable one."""

import json
from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import JSONField
from django.db.models.base import ModelState
from django.db.models.sql.constants import MULTI

from accounts.models import Department, Platform
from portal.audit import actor_user, audit_event, audit_record
from portal.models import AuditEvent
from portal.sql import among, insert_parts, mark_saved, on_postgresql
from registry.models import ViolationCategory

from ..models import Entry, EntryNameKey, EntryState, ScreeningLog, ScreeningLogDepartment

KEY_CHUNK = 2000  # values of one IN (…): within SQLite's and PostgreSQL's limits


def chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# The relations of a hit that its answer shows (grounds, lister), attached to every hit.
HIT_RELATED = (
    ("category", ViolationCategory),
    ("department", Department),
    ("platform", Platform),
)


class CandidateRows:
    """Whole rows of entries with their current state (``select_related("current")``),
    converted by the fields' converters but not yet made into instances: a candidate that
    does not score is never built. ``id``, ``name``, … are the columns' places in a row."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.db = queryset.db
        self.rows = list(compiler.results_iter(fetch(compiler), tuple_expected=True))
        info = compiler.klass_info
        (state_info,) = info["related_klass_infos"]
        self.parts = [
            (
                model,
                [compiler.select[i][0].target.attname for i in columns],
                slice(columns[0], columns[-1] + 1),
            )
            for model, columns in (
                (Entry, info["select_fields"]),
                (EntryState, state_info["select_fields"]),
            )
        ]
        entry_names, entry_cut = self.parts[0][1], self.parts[0][2]
        for attname in ("id", "name", "name_form", "id_number_hash", "uscc"):
            setattr(self, attname, entry_cut.start + entry_names.index(attname))
        # The places of the related objects' ids, in the order of ``HIT_RELATED``.
        self.related = [
            entry_cut.start + entry_names.index(Entry._meta.get_field(name).attname)
            for name, _model in HIT_RELATED
        ]


def candidate_rows(queryset) -> CandidateRows:
    return CandidateRows(queryset.select_related("current"))


def instance_from(model, attributes: dict, db: str, cached: dict | None = None):
    """A model instance from its attributes (every concrete field's), without
    ``Model.__init__``'s per-field work (what ``Model.from_db`` would otherwise do for every
    hit of a common name), with ``cached`` related objects (``select_related`` would put
    them in the same place). The instance is complete: no field is deferred."""
    state = ModelState()
    state.adding, state.db, state.fields_cache = False, db, cached if cached is not None else {}
    instance = model.__new__(model)
    attributes["_state"] = state
    instance.__dict__ = attributes
    return instance


def fetch(compiler) -> list[list[tuple]]:
    """The rows of ``compiler``'s query, as ``execute_sql`` gives them. On PostgreSQL with
    the connection in UTC, ``timestamptz`` values (an entry's and its state's time) are
    loaded by psycopg's own loader, in C, rather than Django's, in Python (two of them a
    row were most of the time spent receiving a few hundred candidates): both give the
    same aware datetimes in ``datetime.timezone.utc``."""
    database = compiler.connection
    if not (
        database.vendor == "postgresql"
        and database.timezone_name == "UTC"
        and database.timezone is UTC
    ):
        return compiler.execute_sql(MULTI)
    from psycopg.types.datetime import TimestamptzLoader

    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return []
    with database.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return [cursor.fetchall()]


def sharing_a_key(queryset, keys: list[str]):
    """``queryset``'s entries having one of ``keys`` (PostgreSQL): ``id IN`` the (key,
    entry) index's entries for those keys, one array parameter."""
    quote = connection.ops.quote_name
    entry_table, key_table = quote(Entry._meta.db_table), quote(EntryNameKey._meta.db_table)
    condition = (
        f"{entry_table}.{quote('id')} IN (SELECT {key_table}.{quote('entry_id')} "  # noqa: S608
        f"FROM {key_table} WHERE {key_table}.{quote('key')} = ANY(%s))"
    )
    return queryset.extra(where=[condition], params=[list(keys)])  # noqa: S610


def related_rows(wanted: dict[type, set[int]], db: str) -> dict[type, dict[int, object]]:
    """The grounds, departments and platforms of the hits, by primary key: on PostgreSQL in
    one read (each row as JSON, converted by its fields' ``to_python``), elsewhere one read
    per model. A common name hits hundreds of entries sharing a handful of these: they are
    read once each, not joined and sent again with every entry."""
    found: dict[type, dict[int, object]] = {model: {} for model in wanted}
    wanted = {model: ids for model, ids in wanted.items() if ids}
    if not wanted:
        return found
    if not on_postgresql(db):
        for model, ids in wanted.items():
            found[model] = model._base_manager.using(db).in_bulk(ids)
        return found
    models = list(wanted)
    quote = connection.ops.quote_name
    # Table and column names from the models' meta, the ids as parameters.
    sql = " UNION ALL ".join(
        f"SELECT {n}, row_to_json(t)::text FROM {quote(m._meta.db_table)} t "  # noqa: S608
        f"WHERE t.{quote(m._meta.pk.column)} = ANY(%s)"
        for n, m in enumerate(models)
    )
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [sorted(wanted[m]) for m in models])
        rows = cursor.fetchall()
    for n, text in rows:
        model = models[n]
        data = json.loads(text)
        attributes = {f.attname: f.to_python(data[f.column]) for f in model._meta.concrete_fields}
        instance = instance_from(model, attributes, db)
        found[model][instance.pk] = instance
    return found


def asynchronous_commit_if_opted() -> None:
    """Opt-in (``BLACKLIST_SCREENING_ASYNC_COMMIT``, off by default): on PostgreSQL the
    screening log's transaction does not wait for its WAL flush. The log is still written
    in the same transaction as its audit event; a crash of the database server may lose
    the last fraction of a second of screening logs, never corrupt them. The flush is
    most of a logged single screening's time on a busy server."""
    if getattr(settings, "BLACKLIST_SCREENING_ASYNC_COMMIT", False) and on_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def log_store(log: ScreeningLog, departments: list[int], *, actor, data) -> None:
    """Write the screening ``log``, the ``departments`` whose entries it hit and its
    audit event: on PostgreSQL in one statement (one round trip before the commit
    instead of three), elsewhere by ``save``, ``bulk_create`` and ``audit_record``;
    both write the same rows."""
    if on_postgresql():
        _log_in_one_statement(log, departments, actor=actor, data=data)
    else:
        _log_by_orm(log, departments, actor=actor, data=data)


def _log_by_orm(log: ScreeningLog, departments: list[int], *, actor, data) -> None:
    log.save()
    if departments:
        ScreeningLogDepartment.objects.bulk_create(
            ScreeningLogDepartment(log=log, department_id=pk) for pk in departments
        )
    audit_record(actor=actor_user(actor), action="blacklist.screened", subject=log, data=data)


def _log_in_one_statement(log: ScreeningLog, departments: list[int], *, actor, data) -> None:
    """The screening log, the departments it hit and its audit event in one statement
    (PostgreSQL, a data-modifying ``WITH``): one round trip before the commit instead of
    three. What is written is what ``save``, ``bulk_create`` and ``audit_record`` write."""
    quote = connection.ops.quote_name
    log_columns, log_values, params = insert_parts(log)  # sets ``at``, which str(log) shows
    event = audit_event(
        actor=actor_user(actor), action="blacklist.screened", subject=log, data=data
    )
    event_columns, event_values, event_params = insert_parts(
        event, expressions={"object_id": "log.id::text"}
    )
    link = ScreeningLogDepartment._meta
    # Table and column names from the models' meta; every value is a parameter.
    sql = (
        f"WITH log AS (INSERT INTO {quote(ScreeningLog._meta.db_table)} "  # noqa: S608
        f"({', '.join(log_columns)}) VALUES ({', '.join(log_values)}) RETURNING id), "
        f"departments AS (INSERT INTO {quote(link.db_table)} "
        f"({quote(link.get_field('log').column)}, {quote(link.get_field('department').column)}) "
        "SELECT log.id, department FROM log, unnest(%s::bigint[]) AS department), "
        f"audited AS (INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(event_columns)}) SELECT {', '.join(event_values)} FROM log) "
        "SELECT id FROM log"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, departments, *event_params])
        (log.pk,) = cursor.fetchone()
    mark_saved(log, log.pk, connection.alias)


# What matching reads of a candidate: its id, name, stored name form and department
# (whole rows are read for the hits an answer shows, ``matching.HitEntries``).
_FACTS = ("id", "name", "name_form", "department_id")
Facts = dict[int, tuple[str, str, int | None]]  # id: name, stored name form, department


def name_candidates(lean, key_queries: dict[str, list[int]]) -> tuple[Facts, dict[int, set[int]]]:
    """The entries of ``lean`` (the visible pool) sharing a name key with the queries
    (``key_queries``: each key and the queries' indexes having it): their facts
    (``_FACTS``) and, by query, the candidates' ids. One read per 2,000 keys."""
    named = {index for indexes in key_queries.values() for index in indexes}
    if len(named) == 1 and on_postgresql(lean.db):
        (index,) = named
        return one_name_candidates(lean, sorted(key_queries), index)
    return keyed_candidates(lean, key_queries)


def one_name_candidates(lean, keys: list[str], index: int) -> tuple[Facts, dict[int, set[int]]]:
    """One name screened (a single screening; PostgreSQL): every candidate is its, so
    the entries are read in one statement, a semi-join on the (key, entry) index."""
    facts: Facts = {}
    for chunk in chunks(keys, KEY_CHUNK):
        for pk, *rest in sharing_a_key(lean, chunk).values_list(*_FACTS):
            facts[pk] = tuple(rest)
    return facts, ({index: set(facts)} if facts else {})


def keyed_candidates(lean, key_queries: dict[str, list[int]]) -> tuple[Facts, dict[int, set[int]]]:
    """Several names (or another database): two reads whose plans cannot go astray
    however many keys a batch has, the (key, entry) index alone (an index-only scan),
    then the visible entries among those found, by primary key. The key that matched
    tells which queries share the candidate."""
    facts: Facts = {}
    by_name: dict[int, set[int]] = {}
    keyed: dict[int, list[str]] = {}
    for chunk in chunks(sorted(key_queries), KEY_CHUNK):
        found = EntryNameKey.objects.filter(among("key", chunk)).values_list("key", "entry_id")
        for key, pk in found:
            keyed.setdefault(pk, []).append(key)
    for chunk in chunks(sorted(keyed), KEY_CHUNK):
        for pk, *rest in lean.filter(among("id", chunk)).values_list(*_FACTS):
            facts[pk] = tuple(rest)
            for key in keyed[pk]:
                for index in key_queries[key]:
                    by_name.setdefault(index, set()).add(pk)
    return facts, by_name


class RosterCandidates:
    """What a chunk of a roster found: by name key, by ID-number hash and by USCC, the
    visible entries having it; and each of those entries' name, stored name form and
    department."""

    def __init__(self):
        self.by_key: dict[str, list[int]] = {}
        self.by_hash: dict[str, list[int]] = {}
        self.by_uscc: dict[str, list[int]] = {}
        self.entries: Facts = {}


# The kinds of value a roster looks up, as the temporary table holds them.
_KEY, _HASH, _USCC = 0, 1, 2


def roster_candidates(
    lean, *, keys: list[str], hashes: list[str], usccs: list[str]
) -> RosterCandidates:
    """The entries of ``lean`` (the visible pool) sharing a name key, an ID-number hash or
    a USCC with a chunk of a roster. On PostgreSQL set-wise: the values ``COPY``-ed into a
    temporary table, joined to the (key, entry) index and the identifier indexes in one
    statement, the visible entries among those found read in another; elsewhere by
    ``IN`` lists of 2,000 (:func:`roster_candidates_portable`). Both find the same."""
    if not on_postgresql(lean.db):
        return roster_candidates_portable(lean, keys=keys, hashes=hashes, usccs=usccs)
    found = RosterCandidates()
    if not (keys or hashes or usccs):
        return found
    quote = connection.ops.quote_name
    entry, key_table = Entry._meta, EntryNameKey._meta
    entry_table, key_table_name = quote(entry.db_table), quote(key_table.db_table)
    values, pairs = "blacklist_roster_values", "blacklist_roster_pairs"
    with transaction.atomic(using=lean.db), connections[lean.db].cursor() as cursor:
        # Dropped at the commit; dropped first too when an outer transaction (a test's)
        # looked up another chunk before.
        cursor.execute(f"DROP TABLE IF EXISTS {pairs}, {values}")
        # The pairs of a chunk are grouped in memory, not in files (the default 4 MB is
        # a tenth of what a chunk of 10,000 rows groups); for this transaction only.
        cursor.execute("SET LOCAL work_mem TO '64MB'")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {values} (kind smallint NOT NULL, value text NOT NULL) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {values} (kind, value) FROM STDIN") as copy:
            for kind, items in ((_KEY, keys), (_HASH, hashes), (_USCC, usccs)):
                for value in items:
                    copy.write_row((kind, value))
        cursor.execute(f"ANALYZE {values}")
        # Table and column names from the models' meta; the values are rows of the table.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {pairs} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT v.kind, v.value, k.{quote('entry_id')} AS entry_id FROM {values} v "
            f"JOIN {key_table_name} k ON k.{quote('key')} = v.value WHERE v.kind = {_KEY} "
            f"UNION ALL SELECT v.kind, v.value, e.{quote('id')} FROM {values} v "
            f"JOIN {entry_table} e ON e.{quote(entry.get_field('id_number_hash').column)} "
            f"= v.value WHERE v.kind = {_HASH} "
            f"UNION ALL SELECT v.kind, v.value, e.{quote('id')} FROM {values} v "
            f"JOIN {entry_table} e ON e.{quote(entry.get_field('uscc').column)} = v.value "
            f"WHERE v.kind = {_USCC}"
        )
        # The entries found, in the order of their ids (the order of their pages on disk,
        # more or less): tens of thousands of them are read a chunk, mostly not cached.
        visible = lean.extra(  # noqa: S610
            where=[
                f"{entry_table}.{quote('id')} = ANY(ARRAY(SELECT DISTINCT entry_id "  # noqa: S608
                f"FROM {pairs} ORDER BY entry_id))"
            ]
        ).values_list(*_FACTS)
        for pk, name, name_form, department in visible:
            found.entries[pk] = (name, name_form, department)
        cursor.execute(
            f"SELECT kind, value, array_agg(entry_id ORDER BY entry_id) FROM {pairs} "  # noqa: S608
            "GROUP BY kind, value"
        )
        lookups = {_KEY: found.by_key, _HASH: found.by_hash, _USCC: found.by_uscc}
        for kind, value, pks in cursor:
            pks = [pk for pk in pks if pk in found.entries]
            if pks:
                lookups[kind][value] = pks
        cursor.execute(f"DROP TABLE {pairs}, {values}")
    return found


def roster_candidates_portable(
    lean, *, keys: list[str], hashes: list[str], usccs: list[str]
) -> RosterCandidates:
    """:func:`roster_candidates` by ``IN`` lists of 2,000 values (any database)."""
    found = RosterCandidates()
    pairs: list[tuple[dict, str, int]] = []
    for chunk in chunks(sorted(keys)):
        rows = EntryNameKey.objects.filter(key__in=chunk).values_list("key", "entry_id")
        pairs += [(found.by_key, key, pk) for key, pk in rows]
    for lookup, field_name, values in (
        (found.by_hash, "id_number_hash", hashes),
        (found.by_uscc, "uscc", usccs),
    ):
        for chunk in chunks(sorted(values)):
            rows = Entry.objects.filter(**{f"{field_name}__in": chunk}).values_list(
                field_name, "id"
            )
            pairs += [(lookup, value, pk) for value, pk in rows]
    for chunk in chunks(sorted({pk for _lookup, _value, pk in pairs})):
        for pk, name, name_form, department in lean.filter(id__in=chunk).values_list(*_FACTS):
            found.entries[pk] = (name, name_form, department)
    for lookup, value, pk in sorted(pairs, key=lambda pair: pair[2]):
        if pk in found.entries:
            lookup.setdefault(value, []).append(pk)
    return found


def rows_write(
    model, columns: tuple[str, ...], rows: Iterable[tuple], *, encoded: tuple[str, ...] = ()
) -> int:
    """Insert ``rows`` (values of ``model``'s fields named by ``columns``, attribute names;
    ids left to the database) and say how many: on PostgreSQL by ``COPY``, the rows
    streamed as they come (a roster job writes hundreds of thousands of hits, no model
    instance made for any), elsewhere by ``bulk_create`` in batches. Both write the same
    rows.

    ``encoded`` names JSON fields whose values come as JSON text already; with them, a
    row's other values are plain integers, floats and strings, written as they are."""
    fields = [model._meta.get_field(name) for name in columns]
    if not on_postgresql():
        count, batch = 0, []
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            for name in encoded:
                values[name] = json.loads(values[name])
            batch.append(model(**values))
            if len(batch) == 5000:
                model.objects.bulk_create(batch)
                count, batch = count + len(batch), []
        model.objects.bulk_create(batch)
        return count + len(batch)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    encode = [
        (lambda value: json.dumps(value, ensure_ascii=False))
        if isinstance(f, JSONField)
        else (lambda value, f=f: f.get_db_prep_save(value, connection))
        for f in fields
    ]
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        if encoded:
            write = copy.write_row
            for row in rows:
                write(row)
                count += 1
            return count
        for row in rows:
            copy.write_row([dump(value) for dump, value in zip(encode, row, strict=True)])
            count += 1
    return count
