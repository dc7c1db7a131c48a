"""Screening benchmark: 1,000,000 entries, indexed screening against a brute-force baseline.

Run it against PostgreSQL, in a database of its own (``bench/intake.py`` drops
and recreates ``portal_bench``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_screening \\
        .venv/bin/python bench/screening.py --keep-db

What it does:

1. **Generates** ``--entries`` entries (default 1,000,000) unless ``--keep-db``
   finds them already there: realistic Chinese names (surnames weighted by how
   common they are, frequent given-name characters, so that there are many
   namesakes and near-namesakes), 15 % organisations with a valid USCC
   (python-stdnum ``cn.uscc`` check character), persons with a valid resident
   ID number (``cn.ric`` check digit; only its keyed hash is stored, as the
   services store it), 10 % on the platforms' list, 2 % whose term has ended.
   Rows are written with ``COPY`` by ``--workers`` processes, the name keys
   computed by ``blacklist.screening.names.entry_keys_for`` (what the services write
   when an entry is saved); the indexes are built after the load.
2. **Single screenings**: ``--queries`` queries (listed names in their own,
   traditional and pinyin forms, unknown names, ID numbers, USCCs), each
   through ``blacklist.screening.log.screening_run`` exactly as the API runs it for
   a platform's key (screening log and audit event written and committed), and
   through ``screening_match`` alone.
3. **Batches** of ``--batch`` queries in one ``screening_run`` call.
4. **Roster job** (``--roster``, 100,000 parties by default; 0 skips it): the
   timings' mix of parties as JSON lines, one row in 500 with a bad check digit,
   uploaded through ``screening_job_submit`` and run by ``screening_job_run`` in a
   spawned worker process of its own: wall time, rows a second, the worker's peak
   memory (``ru_maxrss``; ``tracemalloc`` too with ``--tracemalloc``); then its
   hits against ``screening_match`` of ``--roster-single`` of the same rows one by
   one and, for ``--roster-batched`` rows, in batches of 1,000 (they must be
   identical). ``--roster-only`` runs this section alone.
5. **Brute force and recall**: for ``--variants`` listed parties, every form
   their name takes (simplified, traditional, spaces and middle dots,
   full-width, pinyin with and without tones, in either order, passport form,
   joined) and their identifiers, plus as many unknown parties: the hits of
   the indexed screening against the hits of a rapidfuzz pass over **every**
   name on the list (the same normalisation, ``normalise``; rapidfuzz
   ``process.extract`` over all the names' forms with cut-offs the score cannot
   pass below; then the same scorer, ``score_names``, on what is left) and an
   equality test over every identifier. Recall = hits found by both / hits
   found by brute force; the time per query of both.

Targets: single screening p95 < 20 ms; at least 100× faster than
brute force; recall 100 % on identifiers and at least 98 % on name variants.
The machine is shared: the load average is printed next to every figure.
"""

import argparse
import io
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from screening_data import (  # noqa: E402
    Names,
    bench_today,
    entry_ric,
    generate_entries,
    load_average,
    rebuild_name_keys,
)
from screening_recall import BruteForce, entry_sample, name_variants, timing_queries  # noqa: E402


def _roster_rows(count: int, rng: random.Random, names: Names) -> list[dict]:
    """A roster: the timings' mix of parties, each with the platform's reference, and one
    row in 500 with a resident ID number whose check digit is wrong (the only rows in
    error)."""
    from demo.data import demo_ric
    from portal.identity import ric_fast

    rows, today = [], bench_today()
    for i, query in enumerate(timing_queries(count, rng, names)):
        row = {"reference": f"m-{i:07d}"}
        row.update({k: v for k, v in (("name", query.name), ("uscc", query.uscc)) if v})
        if query.id_number:
            # The timings' unknown numbers may carry a birth date to come or a division
            # not in use that year: a roster's unknown numbers are valid ones.
            valid = ric_fast(query.id_number, today)
            row["id_number"] = valid or demo_ric(
                "110105", date(1980, 1, 1) + timedelta(days=i % 9000), i % 1000
            )
        if i % 500 == 499:
            good = entry_ric(5_000_000 + i)
            row["id_number"] = good[:-1] + ("0" if good[-1] != "0" else "1")
        rows.append(row)
    return rows


def _run_job_in_child(job_id: int, chunk: int, traced: bool, out) -> None:
    """The worker: a fresh process (spawned, not forked from the bench), so that its peak
    memory is a worker's and the job's alone."""
    import resource
    import tracemalloc

    import django

    django.setup()
    from django.conf import settings

    from blacklist.screening.jobs import screening_job_run

    settings.BLACKLIST_SCREENING_JOB_CHUNK_ROWS = chunk
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    screening_job_run(job_id=job_id)
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    out.send((wall, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, peak))


def _roster_job(args, actor, rng: random.Random, names: Names) -> None:
    """A roster job of ``--roster`` parties: upload, run in a worker process of its own
    (wall time, rows a second, peak memory), then its hits against screenings of the same
    rows (``screening_match``): ``--roster-single`` rows one by one, ``--roster-batched``
    rows in batches of 1,000."""
    import json
    import resource
    import tempfile

    from django.db import connections

    from blacklist import tasks
    from blacklist.models import ScreeningJob
    from blacklist.screening.jobs import screening_job_submit
    from blacklist.screening.matching import screening_match

    rows = _roster_rows(args.roster, rng, names)
    with tempfile.TemporaryFile() as roster:
        for row in rows:
            roster.write(json.dumps(row, ensure_ascii=False).encode() + b"\n")
        size = roster.tell()
        roster.seek(0)
        enqueued = []
        delay = tasks.screening_job_run_task.delay
        tasks.screening_job_run_task.delay = enqueued.append  # the bench runs the worker
        try:
            started = time.perf_counter()
            job = screening_job_submit(
                actor=actor,
                body=iter(lambda: roster.read(64 * 1024), b""),
                content_type="application/x-ndjson",
                channel="api",
            )
            upload = time.perf_counter() - started
        finally:
            tasks.screening_job_run_task.delay = delay
    print(
        f"roster job of {args.roster:,} parties ({size / 1024 / 1024:.1f} MB of JSON lines), "
        f"chunks of {args.roster_chunk:,} rows:"
    )
    print(
        f"  upload streamed to a file and counted: {upload:.2f} s   (load average {load_average()})"
    )
    connections.close_all()
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_run_job_in_child, args=(job.pk, args.roster_chunk, args.tracemalloc, send)
    )
    worker.start()
    wall, before_kb, max_rss_kb, traced_peak = receive.recv()
    worker.join()
    job = ScreeningJob.objects.get(pk=job.pk)
    print(
        f"  job {job.status}: {job.rows_done:,}/{job.rows_total:,} rows, {job.queries:,} "
        f"screened, {job.error_count:,} in error, {job.queries_with_hits:,} with a hit, "
        f"{job.hits:,} hits"
    )
    traced = (
        f", {traced_peak / 1024 / 1024:.0f} MB Python allocations (tracemalloc)"
        if args.tracemalloc
        else ""
    )
    print(
        f"  worker: {wall:.1f} s wall, {job.rows_total / wall:,.0f} rows/s; peak memory "
        f"{max_rss_kb / 1024:.0f} MB resident (ru_maxrss; {before_kb / 1024:.0f} MB with Django "
        f"loaded, before the job){traced}   (load average {load_average()})"
    )
    job_hits: dict[str, set] = {}
    for reference, entry, score, fields in job.hit_rows.values_list(
        "reference", "entry_id", "score", "matched_fields"
    ).iterator(chunk_size=10_000):
        job_hits.setdefault(reference, set()).add((entry, score, tuple(fields)))
    from blacklist.screening.jobs import records, row_query

    valid = []
    today = bench_today()
    text = io.StringIO("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    for record in records(text, "application/x-ndjson"):
        query, _reference, _errors = row_query(record, today)
        if query is not None:
            valid.append(query)
    started = time.perf_counter()
    batch_hits: dict[str, set] = {}
    batched = valid[: args.roster_batched]
    for start in range(0, len(batched), 1000):
        chunk = batched[start : start + 1000]
        for query, answer in zip(chunk, screening_match(actor=actor, queries=chunk), strict=True):
            if answer.matches:
                batch_hits[query.ref] = {
                    (m.entry_id, m.score, tuple(m.matched_fields)) for m in answer.matches
                }
    batch_time = time.perf_counter() - started
    single_hits: dict[str, set] = {}
    sample = rng.sample(valid, min(args.roster_single, len(valid)))
    started = time.perf_counter()
    for query in sample:
        (answer,) = screening_match(actor=actor, queries=[query])
        if answer.matches:
            single_hits[query.ref] = {
                (m.entry_id, m.score, tuple(m.matched_fields)) for m in answer.matches
            }
    single_time = time.perf_counter() - started

    def compare(label, expected, refs):
        want = {(ref, hit) for ref in refs for hit in expected.get(ref, ())}
        got = {(ref, hit) for ref in refs for hit in job_hits.get(ref, ())}
        recall = 100 * len(want & got) / len(want) if want else 100.0
        print(
            f"  job against {label}: {len(want & got):,}/{len(want):,} hits = {recall:.2f} % "
            f"recall, {len(got - want):,} extra; identical: {want == got}"
        )

    if batched:
        print(f"  {len(batched):,} rows in batches of 1,000 (screening_match): {batch_time:.1f} s")
        compare("batches of 1,000", batch_hits, [q.ref for q in batched])
    print(f"  {len(sample):,} rows screened one by one (screening_match): {single_time:.1f} s")
    compare("single screenings", single_hits, [q.ref for q in sample])
    print(
        "  this process's peak memory (ru_maxrss, the bench itself): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


# --- measuring --------------------------------------------------------------------


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _report(label: str, values: list[float], unit: str, digits: int) -> None:
    print(
        f"{label}: p50 {statistics.median(values):.{digits}f} {unit} · "
        f"p95 {_percentile(values, 95):.{digits}f} {unit} · max {max(values):.{digits}f} {unit}"
        f"   (load average {load_average()})",
        flush=True,
    )


def _setup_database(keep: bool) -> None:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("Give DATABASE_URL=postgres://…/portal_bench_screening: the bench uses COPY.")
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000, help="single screenings timed")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--variants", type=int, default=40, help="listed parties for recall")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse the database and its entries when it has them (else drop and regenerate)",
    )
    parser.add_argument("--rebuild-keys", action="store_true")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--roster", type=int, default=100_000, help="parties of the roster job (0: none)"
    )
    parser.add_argument("--roster-chunk", type=int, default=10_000, help="rows a chunk")
    parser.add_argument(
        "--roster-single", type=int, default=2000, help="roster rows also screened one by one"
    )
    parser.add_argument(
        "--roster-batched",
        type=int,
        default=0,
        help="roster rows also screened in batches of 1,000 (slow: minutes a batch)",
    )
    parser.add_argument(
        "--roster-only", action="store_true", help="only the roster job (no other section)"
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="trace the worker's Python allocations too"
    )
    args = parser.parse_args()

    _setup_database(args.keep_db)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "blacklist", verbosity=0)  # and what it depends on
    from accounts.authentication import PlatformKeyUser
    from accounts.models import Platform
    from accounts.services import api_key_issue
    from blacklist.models import Entry, EntryNameKey
    from blacklist.screening.log import screening_run
    from blacklist.screening.matching import ScreeningQuery, first_name_only, screening_match
    from blacklist.selectors import screening_pool

    print(f"load average at the start: {load_average()} on {os.cpu_count()} cores")
    seed = 2026
    if Entry.objects.count() != args.entries:
        generate_entries(args.entries, seed, args.workers)
    elif args.rebuild_keys:
        rebuild_name_keys(args.workers)
    print(
        f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}; "
        f"entries: {Entry.objects.count():,}; name keys: {EntryNameKey.objects.count():,}"
    )

    if args.generate_only:
        return
    platform = Platform.objects.get(name="基准测试平台")
    key, _raw = api_key_issue(platform=platform, name="bench", actor=None)
    actor = PlatformKeyUser(key)
    rng = random.Random(seed + 1)
    names = Names(random.Random(seed + 2))
    queries = timing_queries(args.queries, rng, names)
    screening_run(actor=actor, queries=queries[:50], channel="api")  # warm up
    if args.roster:
        _roster_job(args, actor, random.Random(seed + 3), names)
    if args.roster_only:
        return

    def shown(answers) -> None:
        """Build the entries an API answer shows (every identifier hit and the first 50
        name-only hits of each party), as the API's serialiser reads them."""
        for answer in answers:
            for match in first_name_only(answer.matches)[0]:
                match.entry  # noqa: B018

    single, single_hits, hit_counts = [], 0, []
    for query in queries:
        started = time.perf_counter()
        result = screening_run(actor=actor, queries=[query], channel="api")
        shown(result.answers)
        single.append((time.perf_counter() - started) * 1000)
        single_hits += bool(result.answers[0].matches)
        hit_counts.append(len(result.answers[0].matches))
    relaxed = []
    settings.BLACKLIST_SCREENING_ASYNC_COMMIT = True
    for query in queries:
        started = time.perf_counter()
        shown(screening_run(actor=actor, queries=[query], channel="api").answers)
        relaxed.append((time.perf_counter() - started) * 1000)
    settings.BLACKLIST_SCREENING_ASYNC_COMMIT = False
    match_only = []
    for query in queries:
        started = time.perf_counter()
        shown(screening_match(actor=actor, queries=[query]))
        match_only.append((time.perf_counter() - started) * 1000)
    print(
        f"single screening ({len(single)} queries, {single_hits} with a hit; hits per query "
        f"p50 {statistics.median(hit_counts):.0f}, p95 {_percentile(hit_counts, 95):.0f}, "
        f"max {max(hit_counts)}), target p95 < 20 ms:"
    )
    _report("  screened, logged, audited, committed", single, "ms", 1)
    _report("  the same, BLACKLIST_SCREENING_ASYNC_COMMIT", relaxed, "ms", 1)
    _report("  matching only (screening_match)     ", match_only, "ms", 1)
    few = [t for t, h in zip(single, hit_counts, strict=True) if h <= 50]
    _report(f"  logged, the {len(few)} queries with at most 50 hits", few, "ms", 1)

    batches = []
    for start in range(0, args.batch * args.batches, args.batch):
        chunk = (queries * (1 + args.batch * args.batches // len(queries)))[
            start : start + args.batch
        ]
        started = time.perf_counter()
        shown(screening_run(actor=actor, queries=chunk, channel="api").answers)
        batches.append(time.perf_counter() - started)
    print(f"batch of {args.batch} in one screening_run ({len(batches)} batches):")
    _report("  screened, logged, audited, committed", batches, "s", 2)

    # Recall and speed against brute force.
    pool = screening_pool(actor)
    brute = BruteForce(pool.values_list("pk", "name", "id_number_hash", "uscc").iterator(10_000))
    recall_queries: list[tuple[str, ScreeningQuery]] = []
    for n, name, kind, uscc in entry_sample(args.variants, rng):
        recall_queries += [
            (f"name: {label}", ScreeningQuery(name=form))
            for label, form in name_variants(name, kind)
        ]
        recall_queries.append(
            (
                "identifier",
                ScreeningQuery(uscc=uscc) if uscc else ScreeningQuery(id_number=entry_ric(n)),
            )
        )
    for _i in range(args.variants):
        recall_queries.append(("name: unknown", ScreeningQuery(name=names.person())))
        recall_queries.append(
            ("identifier", ScreeningQuery(id_number=entry_ric(5_000_000 + rng.randint(0, 999_999))))
        )
    totals: dict[str, list[int]] = {}
    brute_times, indexed_times = [], []
    for label, query in recall_queries:
        started = time.perf_counter()
        expected = brute.match(query)
        brute_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answer = screening_match(actor=actor, queries=[query])[0]
        indexed_times.append((time.perf_counter() - started) * 1000)
        got = {m.entry_id for m in answer.matches}
        group = "identifiers" if label == "identifier" else label
        counts = totals.setdefault(group, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += len(expected)
        counts[2] += len(expected & got)
        counts[3] += len(got - expected)
    print(f"brute force against indexed screening ({len(recall_queries)} queries):")
    _report("  brute force, per query ", brute_times, "ms", 1)
    _report("  indexed (screening_match)", indexed_times, "ms", 1)
    by_group: dict[str, tuple[list[float], list[float]]] = {}
    for (label, _query), brute_ms, indexed_ms in zip(
        recall_queries, brute_times, indexed_times, strict=True
    ):
        group = (
            "identifiers"
            if label == "identifier"
            else "unknown names"
            if label == "name: unknown"
            else "listed names, every form"
        )
        times = by_group.setdefault(group, ([], []))
        times[0].append(brute_ms)
        times[1].append(indexed_ms)
    for group, (brute_ms, indexed_ms) in sorted(by_group.items()):
        print(
            f"  {group:<26} {len(brute_ms):>4} queries: brute force p50 "
            f"{statistics.median(brute_ms):.1f} ms, indexed p50 {statistics.median(indexed_ms):.1f}"
            f" ms, {statistics.median(brute_ms) / statistics.median(indexed_ms):.0f}× (medians)"
        )
    print(
        f"  indexed is {statistics.median(brute_times) / statistics.median(indexed_times):.0f}× "
        f"faster (medians), {statistics.fmean(brute_times) / statistics.fmean(indexed_times):.0f}× "
        "(means); target ≥ 100×"
    )
    print("recall (hits of both / hits of brute force); extra = indexed hits brute force lacks:")
    names_found = names_expected = 0
    for group, (count, expected, found, extra) in sorted(totals.items()):
        recall = 100 * found / expected if expected else 100.0
        print(
            f"  {group:<38} {count:>4} queries {found:>6}/{expected:<6} {recall:6.2f} % "
            f" extra {extra}"
        )
        if group.startswith("name"):
            names_found += found
            names_expected += expected
    print(
        f"  name variants, all: {names_found}/{names_expected} = "
        f"{100 * names_found / max(1, names_expected):.2f} % (target ≥ 98 %); "
        f"identifiers: {totals['identifiers'][2]}/{totals['identifiers'][1]} (target 100 %)"
    )
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
