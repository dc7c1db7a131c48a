"""Screening parties against the lists (Order 117 Art. 8, 14; Trial Art. 8 ¶3):
the set-wise match and the logged run."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.sql.constants import MULTI
from django.utils.translation import gettext as _

from accounts.models import Department, Platform, User
from portal.audit import actor_label, actor_user, audit_event, audit_record
from portal.errors import DomainError
from portal.identity import identity_hash, mask_ric
from portal.models import AuditEvent
from portal.sql import among
from registry.models import ViolationCategory

from ..models import (
    Entry,
    EntryNameKey,
    EntryState,
    ScreeningLog,
    ScreeningLogDepartment,
)
from ..screening import (
    HIT_THRESHOLD,
    NameScore,
    normalise,
    query_keys,
    score_names,
    stored_form,
)
from .common import _require

# --- screening (Order 117 Art. 8, 14) --------------------------------------------


@dataclass(frozen=True)
class ScreeningQuery:
    """One party to screen. ``id_number`` is hashed at once and never stored or logged."""

    name: str = ""
    id_number: str = ""
    uscc: str = ""
    ref: str = ""


@dataclass
class Match:
    entry: Entry
    score: float
    matched_fields: list[str]
    why: list[str]


@dataclass
class Answer:
    index: int
    ref: str
    matches: list[Match] = field(default_factory=list)


@dataclass
class ScreeningResult:
    log: ScreeningLog
    answers: list[Answer]


KEY_CHUNK = 2000  # values of one IN (…): within SQLite's and PostgreSQL's limits


def _chunks(items: list, size: int = KEY_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _instance(model, attributes: dict, db: str, cached: dict | None = None):
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


# The relations of a hit that its answer shows (grounds, lister), attached to every hit.
_HIT_RELATED = (
    ("category", ViolationCategory),
    ("department", Department),
    ("platform", Platform),
)


class _Rows:
    """Whole rows of entries with their current state (``select_related("current")``),
    converted by the fields' converters but not yet made into instances: a candidate that
    does not score is never built. ``id``, ``name``, … are the columns' places in a row."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.db = queryset.db
        self.rows = list(compiler.results_iter(_fetch(compiler), tuple_expected=True))
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
        # The places of the related objects' ids, in the order of ``_HIT_RELATED``.
        self.related = [
            entry_cut.start + entry_names.index(Entry._meta.get_field(name).attname)
            for name, _model in _HIT_RELATED
        ]


def _fetch(compiler) -> list[list[tuple]]:
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


def _sharing_a_key(queryset, keys: list[str]):
    """``queryset``'s entries having one of ``keys`` (PostgreSQL): ``id IN`` the (key,
    entry) index's entries for those keys, one array parameter."""
    quote = connection.ops.quote_name
    entry_table, key_table = quote(Entry._meta.db_table), quote(EntryNameKey._meta.db_table)
    condition = (
        f"{entry_table}.{quote('id')} IN (SELECT {key_table}.{quote('entry_id')} "  # noqa: S608
        f"FROM {key_table} WHERE {key_table}.{quote('key')} = ANY(%s))"
    )
    return queryset.extra(where=[condition], params=[list(keys)])  # noqa: S610


def _candidates(queryset) -> _Rows:
    return _Rows(queryset.select_related("current"))


def _related_rows(wanted: dict[type, set[int]], db: str) -> dict[type, dict[int, object]]:
    """The grounds, departments and platforms of the hits, by primary key: on PostgreSQL in
    one read (each row as JSON, converted by its fields' ``to_python``), elsewhere one read
    per model. A common name hits hundreds of entries sharing a handful of these: they are
    read once each, not joined and sent again with every entry."""
    found: dict[type, dict[int, object]] = {model: {} for model in wanted}
    wanted = {model: ids for model, ids in wanted.items() if ids}
    if not wanted:
        return found
    if connection.vendor != "postgresql":
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
        instance = _instance(model, attributes, db)
        found[model][instance.pk] = instance
    return found


def _build_hits(reads: list[_Rows], hit_ids: set[int]) -> dict[int, Entry]:
    """The hits, complete: their row and current state from the candidates' rows, built
    without ``Model.__init__`` (a common name hits hundreds of entries), their grounds
    and lister read once each (``_related_rows``) and attached to every hit."""
    hits: dict[int, tuple[_Rows, tuple]] = {}
    for read in reads:  # an entry found by its name and by an identifier comes twice
        for row in read.rows:
            if row[read.id] in hit_ids:
                hits.setdefault(row[read.id], (read, row))
    if not hits:
        return {}
    db = reads[0].db
    cache_names = [Entry._meta.get_field(name).cache_name for name, _model in _HIT_RELATED]
    wanted = {model: set() for _name, model in _HIT_RELATED}
    for read, row in hits.values():
        for column, (_name, model) in zip(read.related, _HIT_RELATED, strict=True):
            if row[column] is not None:
                wanted[model].add(row[column])
    related = _related_rows(wanted, db)
    by_relation = [related[model] for _name, model in _HIT_RELATED]
    current = Entry._meta.get_field("current").cache_name
    entries: dict[int, Entry] = {}
    for pk, (read, row) in hits.items():
        (_entry, entry_names, entry_cut), (_state, state_names, state_cut) = read.parts
        cached = {
            current: _instance(EntryState, dict(zip(state_names, row[state_cut], strict=True)), db)
        }
        for cache_name, column, objects in zip(cache_names, read.related, by_relation, strict=True):
            value = row[column]
            cached[cache_name] = objects[value] if value is not None else None
        attributes = dict(zip(entry_names, row[entry_cut], strict=True))
        entries[pk] = _instance(Entry, attributes, db, cached)
    return entries


def screening_match(*, actor, queries: Sequence[ScreeningQuery], pool=None) -> list[Answer]:
    """Match parties against the entries on the list today that ``actor`` may see: a
    read only, no log (``screening_run`` logs it).

    Candidates come from the blocking index (name keys) and the identifier
    indexes only; they are then scored (``blacklist.screening``). ``pool`` is
    the visible queryset (``blacklist.selectors.screening_pool``).
    """
    from ..selectors import screening_pool

    prepared = []
    for query in queries:
        hashed = identity_hash(query.id_number) if query.id_number.strip() else ""
        form = normalise(query.name) if query.name.strip() else None
        keys = query_keys(form) if form else frozenset()
        prepared.append((hashed, query.uscc.strip().upper(), form, keys))

    # Candidates: entries sharing a name key, or an identifier, with some query. Each
    # read is bounded by an index (never a scan) and runs on the visible pool only.
    pool = screening_pool(actor) if pool is None else pool
    lean = pool.select_related(None).order_by()
    key_queries: dict[str, list[int]] = {}
    hash_queries: dict[str, list[int]] = {}
    uscc_queries: dict[str, list[int]] = {}
    for index, (hashed, uscc, _form, keys) in enumerate(prepared):
        for key in keys:
            key_queries.setdefault(key, []).append(index)
        if hashed:
            hash_queries.setdefault(hashed, []).append(index)
        if uscc:
            uscc_queries.setdefault(uscc, []).append(index)

    names: dict[int, tuple[str, str]] = {}  # the name and its stored form
    by_name: dict[int, set[int]] = {}
    reads: list[_Rows] = []
    # One read per 2,000 keys: the (key, entry) index joined to the visible entries by
    # primary key, each candidate's whole row and current state read once (the row is
    # almost always a hit: nine candidates in ten are), with the keys that matched, so
    # that the entries' own keys are not computed again.
    named = {index for indexes in key_queries.values() for index in indexes}
    if len(named) == 1 and connection.vendor == "postgresql":
        # One name screened (a single screening): every candidate is its, so the entries
        # are read in one statement, a semi-join on the (key, entry) index.
        (index,) = named
        for chunk in _chunks(sorted(key_queries), KEY_CHUNK):
            read = _candidates(_sharing_a_key(lean, chunk))
            reads.append(read)
            by_name.setdefault(index, set()).update(row[read.id] for row in read.rows)
    else:
        # Several: two reads whose plans cannot go astray however many keys a batch has,
        # the (key, entry) index alone (an index-only scan), then the visible entries
        # among those found, by primary key. The key that matched tells which queries
        # share the candidate, so the entries' own keys are not computed again.
        keyed: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(key_queries), KEY_CHUNK):
            found = EntryNameKey.objects.filter(among("key", chunk)).values_list("key", "entry_id")
            for key, pk in found:
                keyed.setdefault(pk, []).append(key)
        for chunk in _chunks(sorted(keyed), KEY_CHUNK):
            read = _candidates(lean.filter(among("id", chunk)))
            reads.append(read)
            for row in read.rows:
                for key in keyed[row[read.id]]:
                    for index in key_queries[key]:
                        by_name.setdefault(index, set()).add(row[read.id])
    for read in reads:
        for row in read.rows:
            names[row[read.id]] = row[read.name], row[read.name_form]
    by_identifier: dict[int, dict[int, list[str]]] = {}
    hashes, usccs = sorted(hash_queries), sorted(uscc_queries)
    for start in range(0, max(len(hashes), len(usccs)), KEY_CHUNK):
        chunk_h, chunk_u = hashes[start : start + KEY_CHUNK], usccs[start : start + KEY_CHUNK]
        condition = Q(id_number_hash__in=chunk_h) if chunk_h else Q(pk__in=[])
        if chunk_u:
            condition |= Q(uscc__in=chunk_u)
        read = _candidates(lean.filter(condition))
        reads.append(read)
        for row in read.rows:
            pk, hashed, uscc = row[read.id], row[read.id_number_hash], row[read.uscc]
            names[pk] = row[read.name], row[read.name_form]
            matched = [("id_number", i) for i in hash_queries.get(hashed, ())]
            matched += [("uscc", i) for i in uscc_queries.get(uscc, ())]
            for field_name, index in matched:
                by_identifier.setdefault(index, {}).setdefault(pk, []).append(field_name)

    scored: list[list[tuple[int, float, list[str], list[str]]]] = []
    for index, (_hashed, _uscc, form, _keys) in enumerate(prepared):
        identified = by_identifier.get(index, {})
        hits = []
        name_scores: dict[str, NameScore] = {}  # namesakes are scored once
        for pk in sorted(by_name.get(index, set()) | set(identified)):
            fields, why, score = list(identified.get(pk, [])), [], 0.0
            if "id_number" in fields:
                why.append(str(_("resident ID number matches (keyed hash): exact")))
                score = 1.0
            if "uscc" in fields:
                why.append(str(_("unified social credit code matches: exact")))
                score = 1.0
            if form is not None:
                name, name_form = names[pk]
                name_score = name_scores.get(name)
                if name_score is None:
                    # Scored once per distinct name, its reason worded once too, from the
                    # form stored with the entry (not normalised again).
                    name_score = score_names(form, stored_form(name_form, name))
                    name_score = name_scores[name] = NameScore(
                        name_score.score, str(_("name: %(why)s") % {"why": name_score.why})
                    )
                if name_score.score >= HIT_THRESHOLD:
                    fields.append("name")
                    why.append(name_score.why)
                    score = max(score, name_score.score)
            if score >= HIT_THRESHOLD:
                hits.append((pk, round(score, 4), fields, why))
        scored.append(hits)

    entries = _build_hits(reads, {pk for hits in scored for pk, *_rest in hits})
    answers = []
    for index, (query, hits) in enumerate(zip(queries, scored, strict=True)):
        matches = [Match(entries[pk], score, fields, why) for pk, score, fields, why in hits]
        matches.sort(key=lambda m: (-m.score, m.entry.pk))
        answers.append(Answer(index=index, ref=query.ref, matches=matches))
    return answers


def _maybe_asynchronous_commit() -> None:
    """Opt-in (``BLACKLIST_SCREENING_ASYNC_COMMIT``, off by default): on PostgreSQL the
    screening log's transaction does not wait for its WAL flush. The log is still written
    in the same transaction as its audit event; a crash of the database server may lose
    the last fraction of a second of screening logs, never corrupt them. The flush is
    most of a logged single screening's time on a busy server."""
    if (
        getattr(settings, "BLACKLIST_SCREENING_ASYNC_COMMIT", False)
        and connection.vendor == "postgresql"
    ):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _asked(query: ScreeningQuery) -> dict[str, str]:
    """What was asked about one party, for the log: the name and USCC as given, the
    resident ID number masked (``mask_ric``), never in clear; empty parts left out."""
    asked = {"name": query.name.strip(), "uscc": query.uscc.strip(), "ref": query.ref}
    if query.id_number.strip():
        asked["id_number"] = mask_ric(query.id_number)
    return {key: value for key, value in asked.items() if value}


@transaction.atomic
def screening_run(
    *, actor, queries: Sequence[ScreeningQuery], channel: str, pool=None
) -> ScreeningResult:
    """Screen parties (``screening_match``) and log it: who, when, what was asked (the
    resident ID number masked, never in clear) and what was found (entry ids, scores and
    matched fields), and which departments' entries were hit (Order 117 Art. 8, 14)."""
    _require(actor, "blacklist.screen_parties")
    if not queries:
        raise DomainError(_("Give at least one party to screen."), code="empty")
    answers = screening_match(actor=actor, queries=queries, pool=pool)
    _maybe_asynchronous_commit()
    jurisdiction_department = getattr(actor, "department", None)
    log = ScreeningLog(
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        department=jurisdiction_department if isinstance(actor, User) else None,
        platform_id=getattr(actor, "platform_id", None),
        channel=channel,
        queries=len(answers),
        queries_with_hits=sum(1 for a in answers if a.matches),
        hits=sum(len(a.matches) for a in answers),
        asked=[_asked(query) for query in queries],
        found=[
            [[m.entry.pk, m.score, m.matched_fields] for m in answer.matches] for answer in answers
        ],
    )
    # The actor, department and platform come from the authenticated caller, not from
    # input, and what was asked and found is built here: validating them would cost a
    # query (or another JSON encoding of hundreds of hits) per screening for nothing.
    log.full_clean(exclude=["actor", "department", "platform", "asked", "found"])
    # The departments whose entries were hit (usually none to three), from the hits
    # already built, so that each reads the screenings that hit its entries.
    hit_departments = sorted({m.entry.department_id for a in answers for m in a.matches} - {None})
    data = {
        "by": actor_label(actor),
        "queries": log.queries,
        "queries_with_hits": log.queries_with_hits,
        "hits": log.hits,
    }
    if connection.vendor == "postgresql":
        _log_in_one_statement(log, hit_departments, actor=actor, data=data)
        return ScreeningResult(log=log, answers=answers)
    log.save()
    if hit_departments:
        ScreeningLogDepartment.objects.bulk_create(
            ScreeningLogDepartment(log=log, department_id=pk) for pk in hit_departments
        )
    audit_record(actor=actor_user(actor), action="blacklist.screened", subject=log, data=data)
    return ScreeningResult(log=log, answers=answers)


def _insert_values(instance, skip=()) -> tuple[list[str], list[str], list]:
    """The columns, placeholders and parameters that insert ``instance`` (as ``save``
    would: ``auto_now_add`` set, each value prepared by its field), but for the primary
    key and ``skip``."""
    columns, placeholders, params = [], [], []
    for model_field in instance._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skip:
            continue
        value = model_field.pre_save(instance, True)
        columns.append(connection.ops.quote_name(model_field.column))
        placeholders.append("%s")
        params.append(model_field.get_db_prep_save(value, connection))
    return columns, placeholders, params


def _log_in_one_statement(log: ScreeningLog, departments: list[int], *, actor, data) -> None:
    """The screening log, the departments it hit and its audit event in one statement
    (PostgreSQL, a data-modifying ``WITH``): one round trip before the commit instead of
    three. What is written is what ``save``, ``bulk_create`` and ``audit_record`` write."""
    quote = connection.ops.quote_name
    log_columns, log_values, params = _insert_values(log)  # sets ``at``, which str(log) shows
    event = audit_event(
        actor=actor_user(actor), action="blacklist.screened", subject=log, data=data
    )
    event_columns, event_values, event_params = _insert_values(event, skip={"object_id"})
    link = ScreeningLogDepartment._meta
    # Table and column names from the models' meta; every value is a parameter.
    sql = (
        f"WITH log AS (INSERT INTO {quote(ScreeningLog._meta.db_table)} "  # noqa: S608
        f"({', '.join(log_columns)}) VALUES ({', '.join(log_values)}) RETURNING id), "
        f"departments AS (INSERT INTO {quote(link.db_table)} "
        f"({quote(link.get_field('log').column)}, {quote(link.get_field('department').column)}) "
        "SELECT log.id, department FROM log, unnest(%s::bigint[]) AS department), "
        f"audited AS (INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(event_columns)}, {quote(AuditEvent._meta.get_field('object_id').column)}) "
        f"SELECT {', '.join(event_values)}, log.id::text FROM log) "
        "SELECT id FROM log"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, departments, *event_params])
        (log.pk,) = cursor.fetchone()
    log._state.adding, log._state.db = False, connection.alias
