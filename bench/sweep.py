"""Benchmark: the periodic complaints sweep over many open cases.

What it measures
    ``complaints.services.complaints_sweep(today=...)`` (reminders 2 working
    days before a due date, overdue marks with their audit events, and the
    digest emails owed to staff, recorded as ``portal.Notification`` rows in
    the sweep's transaction and sent after commit, eagerly here) over
    generated open cases, each with one running clock (``portal.Deadline``):
    about 5 % already overdue on the sweep day, about 5 % due within the
    2-working-day reminder window and the rest due later. For each size it
    prints the wall time, the number of SQL queries
    (``django.test.utils.CaptureQueriesContext``, which includes the queries
    of the sending after commit), how many clocks were reminded and marked
    overdue, how many emails were sent (locmem backend) and whether the
    emails tell the right clocks; then it runs the sweep a second time, which
    must remind and mark nothing (idempotence) and send no email. The wall
    time is split into time in SQL and time in composing and recording the
    digests (``notifications.digests_notify``, wrapped in-process to time it
    and to see the clocks it was given). The three slowest queries of each
    first sweep are printed too; ``--queries`` prints every query. A failed
    check is printed as ``CHECK FAILED: …`` and the exit status is then 1.

    Sizes: 100,000 cases first, then ``--cases`` (default 1,000,000), so
    that the query counts of both sizes can be compared.

Target
    Under 10 s for 1,000,000 cases, and a query count that does not depend
    on the number of cases.

How to run (from the project root; PostgreSQL 15 on 127.0.0.1:5432 with
trust auth)::

    .venv/bin/python bench/sweep.py                    # 100,000 then 1,000,000 cases
    .venv/bin/python bench/sweep.py --cases 300000     # 100,000 then 300,000
    .venv/bin/python bench/sweep.py --sizes 1000000    # one size only
    .venv/bin/python bench/sweep.py --today 2026-12-01 # another sweep day

What it does: drops and recreates the database ``portal_bench_sweep``
(``--keep-db`` reuses it), runs ``manage.py migrate`` and ``manage.py
seed_demo`` in subprocesses, gives the demo handler and supervisor an email
address, and then for each size: empties the case, clock, audit and
notification tables, generates the cases and their clocks in two ``INSERT … SELECT`` statements
over ``generate_series`` (table and column names from the models' ``_meta``;
every NOT NULL column of the complaint is given a value, the script stops if
a new one appears) in one transaction that drops the secondary indexes of
both tables and builds them again after the load, with the per-row
foreign-key triggers off (``session_replication_role = replica``, as
pg_restore does; every key is read from the database), then runs ``VACUUM
ANALYZE`` on both tables (as autovacuum would after such a load), sweeps
twice and prints plain ``name: value`` lines. 1,000,000 cases and clocks
take about 45 to 60 s to generate here. A third of the Hangzhou market
supervision department's cases are assigned to ``demo-handler``; the others'
reminders go to the supervisors, as ``complaints.notifications`` does.

Environment: DJANGO_SETTINGS_MODULE=config.settings.dev, DJANGO_DEBUG=false,
DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_sweep,
EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend (sending costs a
copy in memory), no REDIS_URL (local-memory cache, eager Celery; the sweep
uses neither). It touches only PostgreSQL on 127.0.0.1. Bounded: two sizes,
each one generation, one VACUUM ANALYZE and two sweeps; the statement
timeout of the generating connection is 10 minutes.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
SHARE_OVERDUE = 0.05
SHARE_DUE_SOON = 0.05
# Which clock each generated case runs, and the share of cases on it.
CLOCK_MIX = [  # (clock, kind, status, share)
    ("report-verify", "report", "received", 0.25),
    ("complaint-accept", "complaint", "received", 0.35),
    ("complaint-mediation", "complaint", "accepted", 0.40),
]


# The consumers' phones the generator writes (one per case), as an SQL expression.
BENCH_PHONE = "('139' || lpad((b.g %% 100000000)::text, 8, '0'))"


def bench_env(database: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{database}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare_database(database: str, keep: bool, env: dict) -> None:
    pg = ["-h", HOST, "-U", "postgres"]

    def run(cmd, **kwargs):
        """Run one of this script's own commands (fixed arguments, no shell)."""
        return subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=600, **kwargs)

    if not keep:
        run(["dropdb", *pg, "--if-exists", database], stderr=subprocess.DEVNULL)
    query = "SELECT 1 FROM pg_database WHERE datname = :'name'"
    exists = run(
        ["psql", *pg, "-At", "-v", f"name={database}"],
        input=query,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        run(["createdb", *pg, database])
    started = time.monotonic()
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"])
    run([str(PYTHON), "manage.py", "seed_demo"], stdout=subprocess.DEVNULL)
    print(f"database ready: {database} ({time.monotonic() - started:.1f} s migrate+seed)")


def setup_django(env: dict) -> None:
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- generation -------------------------------------------------------------


def clock_picks(today: date, soon: date) -> dict:
    """For each clock: start dates (and their due dates) putting a clock started on
    them overdue (0), due within the reminder window (1) or due later (2) on ``today``."""
    from portal.rules import clock_for
    from portal.workdays import WorkingCalendar, due_date

    calendar = WorkingCalendar()
    picks = {}
    for clock, _kind, _status, _share in CLOCK_MIX:
        days = clock_for(clock, on=today).days
        buckets = {0: [], 1: [], 2: []}
        for back in range(0, 200):
            start = today - timedelta(days=back)
            due = due_date(start, days, calendar=calendar)
            if due.on < today:
                if due.on >= today - timedelta(days=60):  # overdue by up to two months
                    buckets[0].append((start, due.on, due.provisional))
            elif due.on <= soon:
                buckets[1].append((start, due.on, due.provisional))
            else:
                buckets[2].append((start, due.on, due.provisional))
        for bucket, rows in buckets.items():
            if not rows:
                raise SystemExit(f"no start date puts {clock} in bucket {bucket} on {today}")
        picks[clock] = (days, buckets)
    return picks


def quoted(model, *names) -> tuple[str, ...]:
    from django.db import connection

    return tuple(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)


def _has_model(name: str) -> bool:
    from django.apps import apps

    return any(m.__name__ == name for m in apps.get_app_config("portal").get_models())


def generate(n: int, today: date, soon: date, seed: float) -> dict:
    """Insert ``n`` open cases, each with one running clock; returns what was made."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from accounts.models import Department, DepartmentType, Platform, Region, User
    from complaints.models import Complaint
    from portal.identity import PHONE_HASH_SQL, hash_key
    from portal.models import AuditEvent, Deadline
    from registry.models import LiveRoom, ViolationCategory

    qn = connection.ops.quote_name
    complaint_table, deadline_table = qn(Complaint._meta.db_table), qn(Deadline._meta.db_table)
    hz = Department.objects.get(region__code="330100", type=DepartmentType.MARKET_SUPERVISION)
    handler = User.objects.get(username="demo-handler")
    active = Department.objects.filter(is_active=True).order_by("pk")
    departments = list(active.values_list("pk", flat=True))
    categories = list(ViolationCategory.objects.order_by("pk").values_list("pk", flat=True))
    platforms = list(Platform.objects.order_by("pk").values_list("pk", flat=True))
    accounts = list(LiveRoom.objects.order_by("pk").values_list("account_id", flat=True))
    regions = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", flat=True))
    sources = _clock_sources()
    complaint_type = ContentType.objects.get_for_model(Complaint)

    # One transaction: if anything fails, the tables and their indexes are as before.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '10min'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # The rows are consistent by construction (every key is read from the database
        # above): skip the per-row foreign-key triggers while loading, as pg_restore does.
        cursor.execute("SET LOCAL session_replication_role = replica")
        # Start from empty tables (this database is the bench's own), the emails
        # owed by earlier runs included: a digest is owed once per day and content.
        owed = apps.get_model("portal", "Notification") if _has_model("Notification") else None
        cursor.execute(
            f"TRUNCATE {complaint_table}, {deadline_table}, "
            f"{qn(AuditEvent._meta.db_table)}"
            + (f", {qn(owed._meta.db_table)}" if owed else "")
            + " RESTART IDENTITY CASCADE"
        )

        # Load without the secondary indexes and build them afterwards (much faster
        # than maintaining them row by row); those backing constraints stay.
        indexes = []
        for model in (Complaint, Deadline):
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [model._meta.db_table],
            )
            indexes += cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")

        # The picked start and due dates of every case, in a temporary table.
        picks = clock_picks(today, soon)
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_pick (clock text, bucket int, idx int, started_on date,"
            " due_on date, provisional bool, PRIMARY KEY (clock, bucket, idx))"
        )
        rows = [
            (clock, bucket, i, start, due, prov)
            for clock, (_days, buckets) in picks.items()
            for bucket, dates in buckets.items()
            for i, (start, due, prov) in enumerate(dates)
        ]
        cursor.executemany("INSERT INTO bench_pick VALUES (%s, %s, %s, %s, %s, %s)", rows)
        mix_sql, bound = [], 0.0
        for clock, _kind, _status, share in CLOCK_MIX:
            bound += share
            mix_sql.append(f"WHEN rk < {bound:.6f} THEN '{clock}'")
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE bench_case AS
            WITH r AS (
                SELECT g, random() AS rk, random() AS rb, random() AS ri
                FROM generate_series(1, %s) AS g
            ), k AS (
                SELECT g, ri,
                       CASE {" ".join(mix_sql[:-1])} ELSE '{CLOCK_MIX[-1][0]}' END AS clock,
                       CASE WHEN rb < %s THEN 0 WHEN rb < %s THEN 1 ELSE 2 END AS bucket
                FROM r
            ), sizes AS (
                SELECT clock, bucket, count(*) AS n FROM bench_pick GROUP BY clock, bucket
            )
            SELECT k.g, k.clock, p.started_on, p.due_on, p.provisional
            FROM k
            JOIN sizes s USING (clock, bucket)
            JOIN bench_pick p
              ON p.clock = k.clock AND p.bucket = k.bucket AND p.idx = floor(k.ri * s.n)::int
            """,
            [n, SHARE_OVERDUE, SHARE_OVERDUE + SHARE_DUE_SOON],
        )

        # Complaint: one expression for every column; NOT NULL ones must all be here.
        kind_sql = (
            "CASE b.clock "
            + " ".join(f"WHEN '{c}' THEN '{k}'" for c, k, _s, _sh in CLOCK_MIX)
            + " END"
        )
        status_sql = (
            "CASE b.clock "
            + " ".join(f"WHEN '{c}' THEN '{s}'" for c, _k, s, _sh in CLOCK_MIX)
            + " END"
        )
        dept_sql = "(%(departments)s::bigint[])[1 + b.g %% %(n_departments)s]"
        received_sql = "((b.started_on + time '09:30') AT TIME ZONE 'Asia/Shanghai')"
        values = {
            "id": "b.g",
            "tracking_code": "'LMZ' || lpad(upper(to_hex(b.g)), 9, '0')",
            "kind": kind_sql,
            "category": "(%(categories)s::bigint[])[1 + b.g %% %(n_categories)s]",
            "platform": "(%(platforms)s::bigint[])[1 + b.g %% %(n_platforms)s]",
            "platform_other": "''",
            "live_room": "NULL",
            "live_room_account": "(%(accounts)s::text[])[1 + b.g %% %(n_accounts)s]",
            "live_room_name": "''",
            "live_room_url": "''",
            "marketer_name": "''",
            "occurred_on": "b.started_on - 3",
            "order_number": "''",
            "amount": "NULL",
            "description": "'bench case ' || b.g",
            "consumer_region": "(%(regions)s::text[])[1 + b.g %% %(n_regions)s]",
            "anonymous": "false",
            "contact_name": "''",
            "contact_phone": BENCH_PHONE,
            "contact_phone_hash": PHONE_HASH_SQL.format(phone=BENCH_PHONE),
            "contact_email": "''",
            "access_key": "''",
            "language": "'zh-hans'",
            "department": dept_sql,
            "region": "NULL",
            "routing_basis": "'consumer_region'",
            "in_triage": "false",
            "assignee": f"CASE WHEN {dept_sql} = %(hz)s AND b.g %% 3 = 0 THEN %(handler)s END",
            "status": status_sql,
            "received_at": received_sql,
            "decided_at": f"CASE WHEN b.clock = 'complaint-mediation' THEN {received_sql} END",
            "closed_at": "NULL",
            "decline_reason": "''",
            "outcome": "''",
            "outcome_text": "''",
            "extension_state": "''",
            "possible_duplicate_of": "NULL",
            "merged_into": "NULL",
            "rating": "NULL",
            "rating_comment": "''",
            "rated_at": "NULL",
        }
        fields = Complaint._meta.concrete_fields
        missing = [f.name for f in fields if f.name not in values and not f.null]
        if missing:
            raise SystemExit(f"generator misses NOT NULL complaint columns: {missing}")
        columns = [f for f in fields if f.name in values]
        params = {
            "departments": departments,
            "n_departments": len(departments),
            "categories": categories,
            "n_categories": len(categories),
            "platforms": platforms,
            "n_platforms": len(platforms),
            "accounts": accounts,
            "n_accounts": len(accounts),
            "regions": regions,
            "n_regions": len(regions),
            "hz": hz.pk,
            "handler": handler.pk,
            "phone_key": hash_key(),
        }
        started = time.monotonic()
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")  # the phones' keyed hash
        cursor.execute(
            f"INSERT INTO {complaint_table} ({', '.join(qn(f.column) for f in columns)}) "
            f"SELECT {', '.join(values[f.name] for f in columns)} FROM bench_case b",
            params,
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{Complaint._meta.db_table}', 'id'), %s)",
            [n],
        )
        complaints_seconds = time.monotonic() - started

        # Deadline: one running clock per case.
        clock_days = {clock: days for clock, (days, _b) in picks.items()}
        deadline_values = {
            "content_type": str(complaint_type.pk),
            "object_id": "b.g",
            "clock": "b.clock",
            "source": "CASE b.clock "
            + " ".join(f"WHEN '{c}' THEN %(src_{i})s" for i, (c, *_r) in enumerate(CLOCK_MIX))
            + " END",
            "started_on": "b.started_on",
            "working_days": "CASE b.clock "
            + " ".join(f"WHEN '{c}' THEN {clock_days[c]}" for c, *_r in CLOCK_MIX)
            + " END",
            "paused_working_days": "0",
            "unit": "'working'",
            "excluded_days": "0",
            "due_on": "b.due_on",
            "provisional": "b.provisional",
            "state": f"'{Deadline.State.RUNNING}'",
        }
        dfields = [f for f in Deadline._meta.concrete_fields if f.name in deadline_values]
        dmissing = [
            f.name
            for f in Deadline._meta.concrete_fields
            if f.name not in deadline_values and not f.null and not f.primary_key
        ]
        if dmissing:
            raise SystemExit(f"generator misses NOT NULL deadline columns: {dmissing}")
        started = time.monotonic()
        cursor.execute(
            f"INSERT INTO {deadline_table} ({', '.join(qn(f.column) for f in dfields)}) "
            f"SELECT {', '.join(deadline_values[f.name] for f in dfields)} FROM bench_case b "
            f"ORDER BY b.g",
            {f"src_{i}": sources[c] for i, (c, *_r) in enumerate(CLOCK_MIX)},
        )
        deadlines_seconds = time.monotonic() - started
        cursor.execute("DROP TABLE bench_case")
        cursor.execute("DROP TABLE bench_pick")
        started = time.monotonic()
        for _name, definition in indexes:
            cursor.execute(definition)
        index_seconds = time.monotonic() - started

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {complaint_table}")
        cursor.execute(f"VACUUM ANALYZE {deadline_table}")
    vacuum_seconds = time.monotonic() - started
    return {
        "complaints_seconds": complaints_seconds,
        "deadlines_seconds": deadlines_seconds,
        "index_seconds": index_seconds,
        "indexes": len(indexes),
        "vacuum_seconds": vacuum_seconds,
        "hz": hz.pk,
    }


# --- the sweep --------------------------------------------------------------

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def expected(today: date, soon: date) -> dict:
    """What the sweep should find: running clocks not yet marked or reminded."""
    from portal.models import Deadline

    running = Deadline.objects.filter(state=Deadline.State.RUNNING)
    return {
        "overdue": running.filter(due_on__lt=today, overdue_since__isnull=True).count(),
        "due_soon": running.filter(
            due_on__gte=today, due_on__lte=soon, reminder_sent_at__isnull=True
        ).count(),
    }


def hz_counts(today: date, hz: int) -> tuple[int, int]:
    """Clocks of the department with email recipients reminded / marked overdue so far."""
    from django.db import connection

    from complaints.models import Complaint
    from portal.models import Deadline

    qn = connection.ops.quote_name
    d, c = qn(Deadline._meta.db_table), qn(Complaint._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE d.reminder_sent_at IS NOT NULL),"
            f" count(*) FILTER (WHERE d.overdue_since IS NOT NULL)"
            f" FROM {d} d JOIN {c} c ON c.id = d.object_id WHERE c.department_id = %s",
            [hz],
        )
        return cursor.fetchone()


class Timed:
    """Wraps ``notifications.digests_notify`` (the digests the sweep owes, composed
    and recorded in its transaction) to time it and keep the rows it got."""

    def __init__(self, module, name: str):
        self.module, self.name = module, name
        self.original = getattr(module, name)
        self.seconds = {False: 0.0, True: 0.0}
        self.calls = {False: [], True: []}

    def __call__(self, rows, *args, overdue: bool, **kwargs):
        started = time.perf_counter()
        try:
            return self.original(rows, *args, overdue=overdue, **kwargs)
        finally:
            self.seconds[overdue] += time.perf_counter() - started
            if rows:
                self.calls[overdue].append(list(rows))

    def __enter__(self):
        setattr(self.module, self.name, self)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.original)


def sweep_once(
    label: str, cases: int, today: date, soon: date, hz: int, first: bool, show: bool
) -> int:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from complaints import notifications
    from complaints.services.sweep import complaints_sweep

    want = expected(today, soon)
    mail.outbox = []
    # Every sweep starts as in a fresh worker process: no content types cached yet.
    ContentType.objects.clear_cache()
    with (
        Timed(notifications, "digests_notify") as digests,
        CaptureQueriesContext(connection) as ctx,
    ):
        started = time.perf_counter()
        result = complaints_sweep(today=today)
        seconds = time.perf_counter() - started
    sql_seconds = sum(float(q["time"]) for q in ctx.captured_queries)
    with translation.override(settings.LANGUAGE_CODE):
        reminder_subject = translation.gettext("Due within 2 working days")
        overdue_subject = translation.gettext("Overdue")
    lines = {"reminder": [], "overdue": [], "other": []}
    for message in mail.outbox:
        kinds = {reminder_subject: "reminder", overdue_subject: "overdue"}
        key = kinds.get(message.subject, "other")
        lines[key] += message.body.splitlines()

    def due_of(line):
        m = DATE.search(line)
        return date.fromisoformat(m.group()) if m else None

    reminder_past = sum(1 for x in lines["reminder"] if (d := due_of(x)) and d < today)
    reminder_soon = sum(1 for x in lines["reminder"] if (d := due_of(x)) and today <= d <= soon)
    overdue_past = sum(1 for x in lines["overdue"] if (d := due_of(x)) and d < today)
    hz_reminded, hz_overdue = hz_counts(today, hz)

    print(f"[{label}] cases: {cases}")
    print(
        f"[{label}] seconds: {seconds:.2f} (of which in SQL {sql_seconds:.2f} s;"
        f" composing and recording the digests: reminders {digests.seconds[False]:.2f} s,"
        f" overdue notices {digests.seconds[True]:.2f} s, their SQL included)"
    )
    print(f"[{label}] queries: {len(ctx.captured_queries)}")
    print(f"[{label}] reminded: {result.reminded} (expected {want['due_soon']})")
    print(f"[{label}] overdue: {result.overdue} (expected {want['overdue']})")
    print(
        f"[{label}] emails sent: {len(mail.outbox)}"
        f" (reminders {sum(m.subject == reminder_subject for m in mail.outbox)},"
        f" overdue notices {sum(m.subject == overdue_subject for m in mail.outbox)})"
    )
    print(
        f"[{label}] reminder email lines: {len(lines['reminder'])}"
        f" (due within the window: {reminder_soon};"
        f" already overdue, should be 0: {reminder_past})"
    )
    print(f"[{label}] overdue email lines: {len(lines['overdue'])} (overdue: {overdue_past})")
    for overdue, calls in digests.calls.items():
        for rows in calls:
            past = sum(1 for _is_case, _oid, _clock, due in rows if due < today)
            print(
                f"[{label}] digests_notify(overdue={overdue}) called with {len(rows)} clocks,"
                f" {past} of them due before the sweep day"
            )
    if show:
        for q in ctx.captured_queries:
            sql = " ".join(q["sql"].split())
            print(f"[{label}] query {float(q['time']):.3f} s: {sql[:100]}")
    if first:
        print(
            f"[{label}] clocks of the department with recipients: reminded {hz_reminded},"
            f" overdue {hz_overdue} (one email line each is expected)"
        )
        slow = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:3]
        for q in slow:
            sql = " ".join(q["sql"].split())
            print(f"[{label}] slow query {float(q['time']):.2f} s: {sql[:110]}")
    problems = []
    if (result.reminded, result.overdue) != (want["due_soon"], want["overdue"]):
        problems.append("counts differ from what was due")
    if not first and (result.reminded or result.overdue or mail.outbox):
        problems.append("second sweep was not a no-op")
    if reminder_past:
        problems.append("reminder emails name overdue clocks")
    if first and reminder_soon != hz_reminded:
        problems.append("not every clock reminded on is in a reminder email")
    return len(ctx.captured_queries), problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="the large size")
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="sizes to run (default 100000 and --cases)"
    )
    parser.add_argument("--today", type=date.fromisoformat, help="sweep day (default: today)")
    parser.add_argument("--database", default="portal_bench_sweep")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=float, default=0.42)
    parser.add_argument("--queries", action="store_true", help="print every query of the sweeps")
    args = parser.parse_args()
    sizes = args.sizes or sorted({100_000, args.cases})
    if any(not 1_000 <= s <= 5_000_000 for s in sizes):
        parser.error("sizes must be between 1,000 and 5,000,000")

    env = bench_env(args.database)
    prepare_database(args.database, args.keep_db, env)
    setup_django(env)

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.workdays import WorkingCalendar

    for name in ("demo-handler", "demo-supervisor"):
        get_user_model().objects.filter(username=name).update(email=f"{name}@bench.invalid")

    today = args.today or timezone.localdate()
    soon = WorkingCalendar().add_working_days(today, 2)
    print(f"sweep day: {today} (reminder window up to {soon})")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    counts, problems = {}, []
    for size in sizes:
        started = time.monotonic()
        made = generate(size, today, soon, args.seed)
        print(
            f"[{size}] generated: {size} cases and clocks in {time.monotonic() - started:.1f} s"
            f" (complaints {made['complaints_seconds']:.1f} s,"
            f" deadlines {made['deadlines_seconds']:.1f} s,"
            f" {made['indexes']} secondary indexes rebuilt {made['index_seconds']:.1f} s,"
            f" vacuum analyze {made['vacuum_seconds']:.1f} s)"
        )
        first = sweep_once(f"{size} first", size, today, soon, made["hz"], True, args.queries)
        second = sweep_once(f"{size} second", size, today, soon, made["hz"], False, args.queries)
        counts[size] = (first[0], second[0])
        problems += [f"{size} cases, first sweep: {p}" for p in first[1]]
        problems += [f"{size} cases, second sweep: {p}" for p in second[1]]
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size, (first, second) in counts.items():
        print(f"query count at {size} cases: first sweep {first}, second sweep {second}")
    firsts = {first for first, _s in counts.values()}
    print(f"query count independent of the number of cases: {'yes' if len(firsts) == 1 else 'NO'}")
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems or len(firsts) != 1 else 0


if __name__ == "__main__":
    sys.exit(main())


def _clock_sources() -> dict:
    """Each clock's article under the rule sets in force today (complaints, reports)."""
    from django.utils import timezone

    from portal.rules import clocks_of, rule_set_for

    return {c.code: c.source for c in clocks_of(rule_set_for("complaint", timezone.localdate()))}
