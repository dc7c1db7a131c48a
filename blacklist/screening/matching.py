"""Matching parties against the lists (Order 117 Art. 8, 14; Trial Art. 8 ¶3): the
candidates from the name-key and identifier indexes, scored by ``names.score_names``.
A read only; ``log.screening_run`` logs it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Q

from portal.identity import identity_hash
from portal.sql import among

from ..models import (
    Entry,
    EntryState,
)
from ._sql import (
    HIT_RELATED,
    KEY_CHUNK,
    CandidateRows,
    candidate_rows,
    chunks,
    instance_from,
    name_candidates,
    related_rows,
    roster_candidates,
)
from .names import (
    HIT_THRESHOLD,
    NameForm,
    NameScore,
    Reason,
    normalise,
    query_keys,
    score_names,
    stored_form,
)

NAME_PAGE_SIZE = 50  # name-only hits an answer shows first, and a page of the rest


@dataclass(frozen=True)
class ScreeningQuery:
    """One party to screen. ``id_number`` is hashed at once and never stored or logged."""

    name: str = ""
    id_number: str = ""
    uscc: str = ""
    ref: str = ""


class Match:
    """A hit of a screened party: the entry (built when first read: a common name hits
    hundreds of entries and an answer shows 50 of them), its department, the score, the
    matched fields and why (worded when read, in the reader's language)."""

    __slots__ = ("_entries", "department_id", "entry_id", "matched_fields", "reasons", "score")

    def __init__(self, entries, entry_id, department_id, score, matched_fields, reasons):
        self._entries, self.entry_id, self.department_id = entries, entry_id, department_id
        self.score, self.matched_fields, self.reasons = score, matched_fields, reasons

    @classmethod
    def of(cls, entry: Entry, score: float, matched_fields: list[str], reasons: list) -> "Match":
        """A hit whose entry is built already."""
        return cls({entry.pk: entry}, entry.pk, entry.department_id, score, matched_fields, reasons)

    @property
    def entry(self) -> Entry:
        return self._entries[self.entry_id]

    @property
    def why(self) -> list[str]:
        return [str(reason) for reason in self.reasons]


@dataclass
class Answer:
    index: int
    ref: str
    matches: list[Match] = field(default_factory=list)


class HitEntries:
    """The hits' entries by id, read and built when first asked for, together with the
    others of their kind: the hits an answer shows first (``first``: every identifier
    hit and the first 50 name-only hits of each party), or the rest when one of those is
    asked for (a download of every hit). Matching itself reads only the candidates'
    names and departments: a common name has hundreds of candidates."""

    def __init__(self, lean, hit_ids: set[int], first: set[int]):
        self._lean, self._built = lean, {}
        self._hit_ids, self._first = hit_ids, first & hit_ids

    def __getitem__(self, pk: int) -> Entry:
        entry = self._built.get(pk)
        if entry is None:
            if pk not in self._hit_ids:
                raise KeyError(pk)
            wanted = (self._first if pk in self._first else self._hit_ids) - set(self._built)
            reads = [
                candidate_rows(self._lean.filter(among("id", chunk)))
                for chunk in chunks(sorted(wanted))
            ]
            self._built.update(_build_hits(reads, wanted))
            entry = self._built[pk]
        return entry


def _build_hits(reads: list[CandidateRows], hit_ids: set[int]) -> dict[int, Entry]:
    """The entries ``hit_ids``, complete: their row and current state from the candidates'
    rows, built without ``Model.__init__``, their grounds and lister read once each
    (``_related_rows``) and attached to every hit."""
    hits: dict[int, tuple[CandidateRows, tuple]] = {}
    for read in reads:  # an entry found by its name and by an identifier comes twice
        for row in read.rows:
            if row[read.id] in hit_ids:
                hits.setdefault(row[read.id], (read, row))
    if not hits:
        return {}
    db = reads[0].db
    cache_names = [Entry._meta.get_field(name).cache_name for name, _model in HIT_RELATED]
    wanted = {model: set() for _name, model in HIT_RELATED}
    for read, row in hits.values():
        for column, (_name, model) in zip(read.related, HIT_RELATED, strict=True):
            if row[column] is not None:
                wanted[model].add(row[column])
    related = related_rows(wanted, db)
    by_relation = [related[model] for _name, model in HIT_RELATED]
    current = Entry._meta.get_field("current").cache_name
    entries: dict[int, Entry] = {}
    for pk, (read, row) in hits.items():
        (_entry, entry_names, entry_cut), (_state, state_names, state_cut) = read.parts
        cached = {
            current: instance_from(
                EntryState, dict(zip(state_names, row[state_cut], strict=True)), db
            )
        }
        for cache_name, column, objects in zip(cache_names, read.related, by_relation, strict=True):
            value = row[column]
            cached[cache_name] = objects[value] if value is not None else None
        attributes = dict(zip(entry_names, row[entry_cut], strict=True))
        entries[pk] = instance_from(Entry, attributes, db, cached)
    return entries


Prepared = tuple[str, str, "NameForm | None", frozenset[str]]
Scored = tuple[int, float, list[str], list[Reason]]  # entry id, score, matched fields, why


def prepare(queries: Sequence[ScreeningQuery]) -> list[Prepared]:
    """Each query's keyed ID-number hash, USCC, normalised name and name keys."""
    prepared = []
    for query in queries:
        hashed = identity_hash(query.id_number) if query.id_number.strip() else ""
        form = normalise(query.name) if query.name.strip() else None
        keys = query_keys(form) if form else frozenset()
        prepared.append((hashed, query.uscc.strip().upper(), form, keys))
    return prepared


def looked_up(
    prepared: list[Prepared],
) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]:
    """The name keys, ID-number hashes and USCCs asked, each with the queries asking it."""
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
    return key_queries, hash_queries, uscc_queries


def score_candidates(
    prepared: list[Prepared],
    by_name: dict[int, set[int]],
    by_identifier: dict[int, dict[int, list[str]]],
    names: dict[int, tuple[str, str]],
) -> list[list[Scored]]:
    """Each query's hits among its candidates (those sharing a name key, ``by_name``, and
    those sharing an identifier, ``by_identifier``, with the fields matched), scored by
    ``names.score_names`` from the entries' stored forms (``names``), by score then
    entry. The one scoring of single screenings, batches and roster jobs.

    A name is scored once a call against each name asked (``_Scorer``), and the name hits
    of a name asked twice (namesakes in a roster: the same keys find the same
    candidates) are found once; namesakes on the list share one score."""
    scorer = _Scorer(names)
    name_hits: dict[NameForm, list[Scored]] = {}
    scored: list[list[Scored]] = []
    for index, (_hashed, _uscc, form, _keys) in enumerate(prepared):
        identified = by_identifier.get(index)
        found: list[Scored] = []
        if form is not None:
            found = name_hits.get(form)
            if found is None:
                found = name_hits[form] = scorer.name_hits(form, by_name.get(index, ()))
        if not identified:
            scored.append(list(found))
            continue
        hits = [hit for hit in found if hit[0] not in identified]
        for pk, matched in identified.items():
            fields, why = list(matched), []
            if "id_number" in fields:
                why.append(Reason("id_number"))
            if "uscc" in fields:
                why.append(Reason("uscc"))
            score = 1.0
            if form is not None:
                name_score = scorer.score(form, pk)
                if name_score.score >= HIT_THRESHOLD:
                    fields.append("name")
                    why.append(name_score.why)
            hits.append((pk, round(score, 4), fields, why))
        scored.append(_by_score(hits))
    return scored


def _by_score(hits: list[Scored]) -> list[Scored]:
    """``hits`` by score, highest first, then by entry."""
    hits.sort(key=itemgetter(0))
    hits.sort(key=itemgetter(1), reverse=True)
    return hits


class _Scorer:
    """Name scores of one matching call: each entry's stored form decoded once, each pair
    of a name asked and a name listed scored once."""

    def __init__(self, names: dict[int, tuple[str, str]]):
        self._names = names
        self._forms: dict[str, NameForm] = {}
        self._scores: dict[tuple[NameForm, str], NameScore] = {}

    def _score_of(self, form: NameForm, name: str, stored: str) -> NameScore:
        key = (form, name)
        score = self._scores.get(key)
        if score is None:
            entry_form = self._forms.get(name)
            if entry_form is None:
                # The form stored with the entry, not normalised again.
                entry_form = self._forms[name] = stored_form(stored, name)
            score = self._scores[key] = score_names(form, entry_form)
        return score

    def score(self, form: NameForm, pk: int) -> NameScore:
        name, stored = self._names[pk]
        return self._score_of(form, name, stored)

    def name_hits(self, form: NameForm, candidates: Iterable[int]) -> list[Scored]:
        """The candidates whose name reaches the threshold, by score then entry: grouped
        by name first, so that namesakes are scored once and share their fields and why."""
        groups: dict[str, list[int]] = {}
        for pk in candidates:
            name = self._names[pk][0]
            group = groups.get(name)
            if group is None:
                groups[name] = [pk]
            else:
                group.append(pk)
        hits: list[Scored] = []
        for name, pks in groups.items():
            name_score = self._score_of(form, name, self._names[pks[0]][1])
            if name_score.score >= HIT_THRESHOLD:
                fields, why, score = ["name"], [name_score.why], round(name_score.score, 4)
                hits.extend([(pk, score, fields, why) for pk in pks])
        return _by_score(hits)


def screening_match(*, actor, queries: Sequence[ScreeningQuery], pool=None) -> list[Answer]:
    """Match parties against the entries on the list today that ``actor`` may see: a
    read only, no log (``screening_run`` logs it).

    Candidates come from the blocking index (name keys) and the identifier
    indexes only; they are then scored (``blacklist.screening``). ``pool`` is
    the visible queryset (``blacklist.selectors.screening_pool``).
    """
    from ..selectors import screening_pool

    prepared = prepare(queries)

    # Candidates: entries sharing a name key, or an identifier, with some query. Each
    # read is bounded by an index (never a scan) and runs on the visible pool only.
    pool = screening_pool(actor) if pool is None else pool
    lean = pool.select_related(None).order_by()
    if len(prepared) > 1:
        # A batch: set-wise, as a roster job; only the hits' whole rows are read.
        scored, found = set_wise_scored(lean, prepared)
        departments = {pk: department for pk, (_n, _f, department) in found.entries.items()}
        return _answers(queries, scored, lean, departments)
    key_queries, hash_queries, uscc_queries = looked_up(prepared)
    facts, by_name = name_candidates(lean, key_queries)
    by_identifier: dict[int, dict[int, list[str]]] = {}
    hashes, usccs = sorted(hash_queries), sorted(uscc_queries)
    for start in range(0, max(len(hashes), len(usccs)), KEY_CHUNK):
        chunk_h, chunk_u = hashes[start : start + KEY_CHUNK], usccs[start : start + KEY_CHUNK]
        condition = Q(id_number_hash__in=chunk_h) if chunk_h else Q(pk__in=[])
        if chunk_u:
            condition |= Q(uscc__in=chunk_u)
        read = lean.filter(condition).values_list(*IDENTIFIED)
        for pk, name, name_form, department, hashed, uscc in read:
            facts[pk] = name, name_form, department
            matched = [("id_number", i) for i in hash_queries.get(hashed, ())]
            matched += [("uscc", i) for i in uscc_queries.get(uscc, ())]
            for field_name, index in matched:
                by_identifier.setdefault(index, {}).setdefault(pk, []).append(field_name)

    names = {pk: (name, form) for pk, (name, form, _department) in facts.items()}
    scored = score_candidates(prepared, by_name, by_identifier, names)
    departments = {pk: department for pk, (_name, _form, department) in facts.items()}
    return _answers(queries, scored, lean, departments)


# An entry found by an identifier: its facts, and the identifiers that tell which.
IDENTIFIED = ("id", "name", "name_form", "department_id", "id_number_hash", "uscc")


def _answers(queries, scored: list[list[Scored]], lean, departments: dict) -> list[Answer]:
    """Each party's matches by score then entry, their entries built when first read
    (``HitEntries``): those an answer shows first together, the rest when asked for."""
    first: set[int] = set()
    for hits in scored:  # by score then entry already
        name_only = 0
        for pk, _score, fields, _why in hits:
            if fields != ["name"]:
                first.add(pk)
            elif name_only < NAME_PAGE_SIZE:
                first.add(pk)
                name_only += 1
    hit_ids = {pk for hits in scored for pk, *_rest in hits}
    entries = HitEntries(lean, hit_ids, first)
    return [
        Answer(
            index=index,
            ref=query.ref,
            matches=[
                Match(entries, pk, departments.get(pk), score, fields, why)
                for pk, score, fields, why in hits
            ],
        )
        for index, (query, hits) in enumerate(zip(queries, scored, strict=True))
    ]


def set_wise_scored(lean, prepared: list[Prepared]) -> tuple[list[list[Scored]], object]:
    """Each prepared query's hits, its keys and identifiers looked up together with all
    the others' (``_sql.roster_candidates``: on PostgreSQL ``COPY`` into a temporary
    table joined to the name-key and identifier indexes), then scored as a single
    screening scores (``score_candidates``); and what the lookup found."""
    key_queries, hash_queries, uscc_queries = looked_up(prepared)
    found = roster_candidates(
        lean, keys=list(key_queries), hashes=list(hash_queries), usccs=list(uscc_queries)
    )
    names = {pk: (name, form) for pk, (name, form, _department) in found.entries.items()}
    by_name: dict[int, set[int]] = {}
    for key, pks in found.by_key.items():
        for index in key_queries[key]:
            by_name.setdefault(index, set()).update(pks)
    by_identifier: dict[int, dict[int, list[str]]] = {}
    for field_name, lookup, asked in (
        ("id_number", found.by_hash, hash_queries),
        ("uscc", found.by_uscc, uscc_queries),
    ):
        for value, pks in lookup.items():
            for index in asked[value]:
                for pk in pks:
                    by_identifier.setdefault(index, {}).setdefault(pk, []).append(field_name)
    return score_candidates(prepared, by_name, by_identifier, names), found


def roster_match(*, pool, queries: Sequence[ScreeningQuery]) -> list[list[Scored]]:
    """The hits of a chunk of a roster, set-wise (``set_wise_scored``): each row gets the
    hits a single screening of it would get, by score then entry, as ``(entry id, score,
    matched fields, why)``; namesakes share their fields' and reasons' lists. Entries
    are not built: a job keeps the ids, and reads the entries when it shows its
    result."""
    lean = pool.select_related(None).order_by()
    scored, _found = set_wise_scored(lean, prepare(queries))
    return scored


def is_name_only(match: Match) -> bool:
    return match.matched_fields == ["name"]


def first_name_only(matches: list[Match], size: int = NAME_PAGE_SIZE) -> tuple[list[Match], int]:
    """A party's hits as an answer shows them: every identifier hit and the first
    ``size`` name-only hits by score (the order they come in), and how many name-only
    hits there are in all; the rest are on the pages of :func:`name_only_page`."""
    name_only = [m for m in matches if is_name_only(m)]
    shown = {id(m) for m in name_only[:size]}
    return [m for m in matches if not is_name_only(m) or id(m) in shown], len(name_only)


def name_only_page(
    log, page: int, size: int = NAME_PAGE_SIZE, *, item: int = 0
) -> tuple[list[Match], int]:
    """Page ``page`` (from 1) of a logged screening's name-only hits on its party
    ``item`` (0 for a single screening; a batch's index), by score as it answered them,
    and how many there are: the hits from the log's ``found``, each entry read again
    and its reason worded again from the name asked (``score_names`` on the entry's
    stored form gives what the screening gave)."""
    from ..selectors import found_entries

    asked = log.asked[item] if 0 <= item < len(log.asked) else {}
    found = log.found[item] if 0 <= item < len(log.found) else []
    name = asked.get("name", "")
    hits = [hit for hit in found if hit[2] == ["name"]]
    chosen = hits[(page - 1) * size : page * size]
    entries = found_entries(pk for pk, _score, _fields in chosen)
    form = normalise(name) if name.strip() else None
    matches = []
    for pk, score, fields in chosen:
        entry = entries.get(pk)
        if entry is None or form is None:
            continue
        why = score_names(form, stored_form(entry.name_form, entry.name)).why
        matches.append(Match.of(entry, score, list(fields), [why]))
    return matches, len(hits)
