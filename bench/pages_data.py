"""The data bench/pages.py times its pages over, generated in PostgreSQL.

The data (all in ``INSERT … SELECT … generate_series`` statements, with the
secondary indexes dropped during the load and built again afterwards, then
``VACUUM ANALYZE``):

- 11 Zhejiang cities and 4 districts in each, every one with a market
  supervision department (added to the demo's: 57 in Zhejiang in all);
- ``--cases`` complaints (60 %) and reports (40 %) received over the last 24
  months, more of them recently (growth) and fewer in February (Spring
  Festival); 70 % to the Zhejiang market supervision departments, the rest
  spread over every other department; categories, platforms (10 % on another
  platform) and consumers' regions spread by ``random()``;
- statuses by age: cases older than 45 days are finished but 0.5 %, newer
  ones are open for 55 %; finished ones carry their outcome, their decision
  clock (7 or 15 working days, as calendar days × 7/5) met on time for 85 %;
  open ones carry the clock still running (overdue when its day is past);
  accepted complaints have a second, mediation clock;
- about 6 % of the complaints on a known platform forwarded to it (26,778 of
  1,000,000 cases): the closed ones answered, half of those still waiting;
- 200,000 platform disposal filings routed to the Zhejiang departments;
- 3,000 blacklist entries (a fifth of them removed since), 40 inspection
  campaigns of the 3 demo platforms;
- the provincial department's handler (``bench-prov-handler``) holds a third
  of its cases, its supervisor (``bench-prov-supervisor``) another third.
"""

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
DATABASE = "portal_bench_pages"

# Zhejiang's 11 cities (GB/T 2260) and four districts each (codes of the form
# CCCC01–04 for the bench: real codes for the cities, generated ones below).
ZJ_CITIES = [
    ("330100", "杭州市", "Hangzhou"),
    ("330200", "宁波市", "Ningbo"),
    ("330300", "温州市", "Wenzhou"),
    ("330400", "嘉兴市", "Jiaxing"),
    ("330500", "湖州市", "Huzhou"),
    ("330600", "绍兴市", "Shaoxing"),
    ("330700", "金华市", "Jinhua"),
    ("330800", "衢州市", "Quzhou"),
    ("330900", "舟山市", "Zhoushan"),
    ("331000", "台州市", "Taizhou"),
    ("331100", "丽水市", "Lishui"),
]
BENCH_DISTRICTS = ("81", "82", "83", "84")


# The consumers' phones the generator writes (one per case), as an SQL expression.
BENCH_PHONE = "('139' || lpad((b.g %% 100000000)::text, 8, '0'))"


def bench_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{DATABASE}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
        DJANGO_ALLOWED_HOSTS="testserver",
        # The bench signs in with force_login; two-factor sign-in is another page's cost.
        OTP_REQUIRED="false",
        PRIVATE_STORAGE_ROOT=str(ROOT / "var" / "bench-pages-private"),
    )
    return env


def prepare_database(keep: bool, env: dict) -> None:
    pg = ["-h", HOST, "-U", "postgres"]

    def run(cmd, **kwargs):
        """Run one of this script's own commands (fixed arguments, no shell)."""
        return subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=900, **kwargs)

    if not keep:
        run(["dropdb", *pg, "--if-exists", DATABASE], stderr=subprocess.DEVNULL)
    exists = run(
        ["psql", *pg, "-At", "-v", f"name={DATABASE}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'name'",
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        run(["createdb", *pg, DATABASE])
    started = time.monotonic()
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"])
    if not exists:  # the demo data once; the generated rows replace some of its tables
        run([str(PYTHON), "manage.py", "seed_demo"], stdout=subprocess.DEVNULL)
    print(f"database ready: {DATABASE} ({time.monotonic() - started:.1f} s migrate+seed)")


def setup_django(env: dict) -> None:
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- generation -------------------------------------------------------------------


def bench_departments():
    """The Zhejiang cities and districts, each with a market supervision department,
    and the provincial department's handler and supervisor."""
    from django.contrib.auth.models import Group

    from accounts.models import Department, DepartmentType, Region, Role, User

    province = Region.objects.get(code="330000")
    ms = DepartmentType.MARKET_SUPERVISION
    for code, name, name_en in ZJ_CITIES:
        city, _ = Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": Region.Level.CITY,
                "parent": province,
            },
        )
        Department.objects.get_or_create(
            region=city, type=ms, defaults={"name": f"{name}市场监督管理局", "name_en": name_en}
        )
        for suffix in BENCH_DISTRICTS:
            county, _ = Region.objects.get_or_create(
                code=code[:4] + suffix,
                defaults={
                    "name": f"{name}第{suffix}区",
                    "name_en": f"{name_en} district {suffix}",
                    "level": Region.Level.COUNTY,
                    "parent": city,
                },
            )
            Department.objects.get_or_create(
                region=county,
                type=ms,
                defaults={"name": f"{county.name}市场监督管理局", "name_en": county.name_en},
            )
    provincial = Department.objects.get(region=province, type=ms)
    users = {}
    for username, role in (
        ("bench-prov-handler", Role.HANDLER),
        ("bench-prov-supervisor", Role.SUPERVISOR),
    ):
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"department": provincial, "first_name": username},
        )
        user.groups.set([Group.objects.get(name=role.value)])
        users[role] = user
    return provincial, users


def count_cases() -> int:
    from django.db import connection

    from complaints.models import Complaint

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {Complaint._meta.db_table}")
        return cursor.fetchone()[0]


def _secondary_indexes(cursor, models) -> list[tuple[str, str]]:
    indexes = []
    for model in models:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [model._meta.db_table],
        )
        indexes += cursor.fetchall()
    return indexes


def _literal(default) -> str | None:
    """``default`` as an SQL literal, when it is an empty text, a flag or a number."""
    if default == "" and isinstance(default, str):
        return "''"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, int):
        return str(default)
    return None


def _insert(cursor, model, values: dict, source: str, params) -> None:
    """INSERT INTO model's table SELECT values FROM source; every NOT NULL column given."""
    from django.db import connection

    qn = connection.ops.quote_name
    # Columns not generated take their model default where it is a plain constant
    # (the seals of texts that hold no identity number, empty labels, flags).
    values = {
        **{
            f.name: _literal(f.default)
            for f in model._meta.concrete_fields
            if f.has_default() and _literal(f.default) is not None
        },
        **values,
    }
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in values]
    missing = [f.name for f in fields if f.name not in values and not f.null]
    if missing:
        raise SystemExit(f"generator misses NOT NULL columns of {model.__name__}: {missing}")
    fields = [f for f in fields if f.name in values]
    cursor.execute(
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"SELECT {', '.join(values[f.name] for f in fields)} FROM {source}",
        params,
    )


#: Descriptions of the generated cases (one in 14 each), searched by bench/pages.py.
SEARCH_PHRASES = (
    "主播宣称治疗糖尿病功效",
    "承诺七天无理由退货，收货后拒绝退货",
    "虚假宣传减肥效果",
    "直播间销售假冒名牌包",
    "价格先涨后降虚构原价",
    "诱导私下转账交易",
    "未成年人打赏无法退款",
    "商品质量与描述不符",
    "客服长期不予答复",
    "保健食品宣称预防癌症",
    "化妆品夸大美白功效",
    "发货延迟超过承诺时间",
    "赠品未按约定发放",
    "直播间抽奖活动未兑现",
)


def generate(n: int, today: date, provincial, users) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from accounts.models import Department, DepartmentType, Platform, Region, Role
    from complaints.models import Complaint, Outcome, PlatformForward
    from filings.models import DisposalFiling, FilingRoute, RecipientReason, RouteRecipient
    from portal.identity import PHONE_HASH_SQL, hash_key
    from portal.models import AuditEvent, Deadline
    from registry.models import ViolationCategory

    qn = connection.ops.quote_name
    ms = DepartmentType.MARKET_SUPERVISION
    zj = list(
        Department.objects.filter(region__path__startswith=provincial.region.path, type=ms)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    others = list(Department.objects.exclude(pk__in=zj).order_by("pk").values_list("pk", flat=True))
    categories = list(ViolationCategory.objects.order_by("pk").values_list("pk", flat=True))
    platforms = list(Platform.objects.order_by("pk").values_list("pk", flat=True))
    regions = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", flat=True))
    sources = _clock_sources()
    outcomes = list(Outcome.values)
    complaint_type = ContentType.objects.get_for_model(Complaint)
    forward_type = ContentType.objects.get_for_model(PlatformForward)
    handler, supervisor = users[Role.HANDLER], users[Role.SUPERVISOR]
    # One route per Zhejiang market supervision department: each filing reaches one.
    routes = []
    for department in zj:
        signature = FilingRoute.signature_of([(department, RecipientReason.DOMICILE)])
        route, made = FilingRoute.objects.get_or_create(signature=signature)
        if made:
            RouteRecipient.objects.create(
                route=route, department_id=department, reason=RecipientReason.DOMICILE
            )
        routes.append(route.pk)
    params = {
        "zj": zj,
        "routes": routes,
        "n_zj": len(zj),
        "others": others,
        "n_others": len(others),
        "categories": categories,
        "n_categories": len(categories),
        "platforms": platforms,
        "n_platforms": len(platforms),
        "regions": regions,
        "n_regions": len(regions),
        "outcomes": outcomes,
        # the descriptions the search pages of bench/pages.py look words up in
        "phrases": list(SEARCH_PHRASES),
        "n_phrases": len(SEARCH_PHRASES),
        "n_outcomes": len(outcomes),
        "provincial": provincial.pk,
        "handler": handler.pk,
        "supervisor": supervisor.pk,
        "today": today,
        "n": n,
        "n_draw": int(n * 1.05),
        "ct": complaint_type.pk,
        "src_accept": sources["complaint-accept"],
        "src_verify": sources["report-verify"],
        "src_mediation": sources["complaint-mediation"],
        "ct_forward": forward_type.pk,
        "src_platform": sources["platform-answer"],
        "phone_key": hash_key(),
    }
    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '10min'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Every key is read from the database above: skip the per-row FK triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")  # the phones' keyed hash
        tables = [Complaint, Deadline, PlatformForward, DisposalFiling, AuditEvent]
        cursor.execute(
            f"TRUNCATE {', '.join(qn(m._meta.db_table) for m in tables)} RESTART IDENTITY CASCADE"
        )
        indexes = _secondary_indexes(cursor, tables[:-1])
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SELECT setseed(0.42)")
        started = time.monotonic()
        # One row per case: its age, kind, department, state and the dates of its clock.
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_raw AS
            WITH r AS (
                SELECT g, random() AS r_age, random() AS r_kind, random() AS r_dept,
                       random() AS r_open, random() AS r_late, random() AS r_fin,
                       random() AS r_min, random() AS r_fwd, random() AS r_cat
                FROM generate_series(1, %(n_draw)s) AS g
            ), a AS (
                SELECT r.*, floor(730 * power(r_age, 1.4))::int AS age,
                       CASE WHEN r_kind < 0.6 THEN 'complaint' ELSE 'report' END AS kind
                FROM r
            ), b AS (
                SELECT a.*, (%(today)s::date - age) AS received_on,
                       CASE WHEN kind = 'complaint' THEN 9 ELSE 21 END AS clock_days,
                       CASE WHEN age > 45 THEN r_open < 0.005 ELSE r_open < 0.55 END AS is_open
                FROM a
                -- fewer cases during the Spring Festival month
                WHERE NOT (extract(month FROM %(today)s::date - age) = 2 AND r_min < 0.25)
            )
            SELECT b.*,
                   CASE WHEN r_dept < 0.7
                        THEN (%(zj)s::bigint[])[1 + g %% %(n_zj)s]
                        ELSE (%(others)s::bigint[])[1 + g %% %(n_others)s] END AS department,
                   received_on + clock_days AS due_on,
                   CASE WHEN r_late < 0.85 THEN 1 + floor(r_fin * clock_days)::int
                        ELSE clock_days + 1 + floor(r_fin * 10)::int END AS decided_after
            FROM b
            ORDER BY g
            LIMIT %(n)s
            """,
            params,
        )
        # Numbered in the order received, as a live table fills: the ids and the
        # rows' physical order follow received_at (what its index scans rely on).
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_case AS SELECT row_number() OVER"
            " (ORDER BY received_on, r_min, g) AS ng, * FROM bench_raw"
        )
        cursor.execute("ALTER TABLE bench_case DROP COLUMN g")
        cursor.execute("ALTER TABLE bench_case RENAME COLUMN ng TO g")
        cursor.execute("DROP TABLE bench_raw")
        cursor.execute("ALTER TABLE bench_case ADD PRIMARY KEY (g)")
        cursor.execute("SELECT count(*) FROM bench_case")
        made = cursor.fetchone()[0]
        received = (
            "((b.received_on + time '08:00' + make_interval(secs => floor(b.r_min * 43200)))"
            " AT TIME ZONE 'Asia/Shanghai')"
        )
        decided = f"({received} + make_interval(days => b.decided_after))"
        status = (
            "CASE WHEN b.is_open THEN (CASE WHEN b.kind = 'report' THEN 'received'"
            " WHEN b.r_fwd < 0.06 THEN 'forwarded' WHEN b.r_fin < 0.5 THEN 'received'"
            " ELSE 'accepted' END)"
            " WHEN b.kind = 'report' THEN (CASE WHEN b.r_fin < 0.4 THEN 'case_opened'"
            " WHEN b.r_fin < 0.8 THEN 'not_opened' ELSE 'closed' END)"
            " ELSE (CASE WHEN b.r_fin < 0.2 THEN 'declined' ELSE 'closed' END) END"
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_status AS SELECT g, {status} AS status"
            " FROM bench_case b",
            params,
        )
        cursor.execute("ALTER TABLE bench_status ADD PRIMARY KEY (g)")
        source = "bench_case b JOIN bench_status s USING (g)"
        ordered = f"{source} ORDER BY b.g"
        assignee = (
            "CASE WHEN b.department = %(provincial)s THEN (CASE b.g %% 3 WHEN 0 THEN %(handler)s"
            " WHEN 1 THEN %(supervisor)s END) END"
        )
        finished = "s.status NOT IN ('received', 'accepted', 'forwarded', 'awaiting_material')"
        _insert(
            cursor,
            Complaint,
            {
                "id": "b.g",
                "tracking_code": "'LMP' || lpad(upper(to_hex(b.g)), 9, '0')",
                "kind": "b.kind",
                "category": "(%(categories)s::bigint[])"
                "[1 + floor(b.r_cat * %(n_categories)s)::int]",
                "platform": "CASE WHEN b.r_min < 0.1 THEN NULL"
                " ELSE (%(platforms)s::bigint[])[1 + b.g %% %(n_platforms)s] END",
                "platform_other": "CASE WHEN b.r_min < 0.1 THEN '其他平台' ELSE '' END",
                "live_room_account": "'room' || (b.g %% 5000)",
                "live_room_name": "''",
                "live_room_url": "''",
                "marketer_name": "''",
                "occurred_on": "b.received_on - 2",
                "order_number": "''",
                "description": "(%(phrases)s::text[])[1 + b.g %% %(n_phrases)s]"
                " || '，bench case ' || b.g",
                "consumer_region": "(%(regions)s::bigint[])[1 + b.g %% %(n_regions)s]",
                "anonymous": "false",
                "contact_name": "''",
                "contact_phone": BENCH_PHONE,
                "contact_phone_hash": PHONE_HASH_SQL.format(phone=BENCH_PHONE),
                "contact_email": "''",
                "access_key": "''",
                "language": "'zh-hans'",
                "department": "b.department",
                "routing_basis": "'consumer_region'",
                "in_triage": "false",
                "assignee": assignee,
                "status": "s.status",
                "received_at": received,
                "decided_at": f"CASE WHEN s.status <> 'received' THEN {decided} END",
                "closed_at": f"CASE WHEN {finished} THEN {decided} END",
                "decline_reason": "''",
                "outcome": "CASE WHEN s.status = 'closed' AND b.kind = 'complaint'"
                " THEN (%(outcomes)s::text[])[1 + b.g %% %(n_outcomes)s] ELSE '' END",
                "outcome_text": "''",
                "extension_state": "''",
                "rating_comment": "''",
            },
            ordered,
            params,
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{Complaint._meta.db_table}', 'id'), %s)",
            [n + 1],
        )
        timings["complaints_s"] = time.monotonic() - started

        started = time.monotonic()
        deadline = {
            "content_type": "%(ct)s",
            "object_id": "b.g",
            "clock": "CASE b.kind WHEN 'complaint' THEN 'complaint-accept'"
            " ELSE 'report-verify' END",
            "source": "CASE b.kind WHEN 'complaint' THEN %(src_accept)s ELSE %(src_verify)s END",
            "started_on": "b.received_on",
            "working_days": "CASE b.kind WHEN 'complaint' THEN 7 ELSE 15 END",
            "paused_working_days": "0",
            "unit": "'working'",
            "excluded_days": "0",
            "due_on": "b.due_on",
            "provisional": "false",
            "state": "CASE WHEN s.status IN ('received', 'awaiting_material') THEN 'running'"
            " ELSE 'met' END",
            "overdue_since": "CASE WHEN s.status = 'received' AND b.due_on < %(today)s"
            " THEN b.due_on + 1 END",
            "closed_at": "CASE WHEN s.status NOT IN ('received', 'awaiting_material')"
            f" THEN {decided} END",
        }
        _insert(cursor, Deadline, deadline, source, params)
        mediation = {
            **deadline,
            "clock": "'complaint-mediation'",
            "source": "%(src_mediation)s",
            "started_on": f"({decided})::date",
            "working_days": "45",
            "due_on": f"({decided})::date + 63",
            "state": "CASE WHEN s.status = 'accepted' THEN 'running' ELSE 'met' END",
            "overdue_since": "CASE WHEN s.status = 'accepted'"
            f" AND ({decided})::date + 63 < %(today)s"
            f" THEN ({decided})::date + 64 END",
            "closed_at": f"CASE WHEN s.status = 'closed' THEN {decided} + interval '20 days' END",
        }
        _insert(
            cursor,
            Deadline,
            mediation,
            f"{source} WHERE b.kind = 'complaint' AND s.status IN ('accepted', 'closed')",
            params,
        )
        timings["deadlines_s"] = time.monotonic() - started

        started = time.monotonic()
        answered = "s.status <> 'forwarded' OR b.r_late < 0.5"
        _insert(
            cursor,
            PlatformForward,
            {
                "complaint": "b.g",
                "platform": "(%(platforms)s::bigint[])[1 + b.g %% %(n_platforms)s]",
                "asked_at": decided,
                "asked_by": "%(handler)s",
                "question": "'请平台核查处理并反馈'",
                "answered_at": f"CASE WHEN {answered}"
                f" THEN {decided} + make_interval(days => 1 + floor(b.r_cat * 15)::int) END",
                "answer": "''",
                "answered_by_label": "''",
                "answered_via": f"CASE WHEN {answered} THEN 'web' ELSE '' END",
            },
            f"{source} WHERE b.kind = 'complaint' AND b.r_min >= 0.1 AND (s.status = 'forwarded'"
            " OR (s.status = 'closed' AND b.r_fwd < 0.06))",
            params,
        )
        # Each forward's answer clock, as complaint_forward starts it.
        forward_due = "(f.asked_at)::date + 14"
        _insert(
            cursor,
            Deadline,
            {
                "content_type": "%(ct_forward)s",
                "object_id": "f.id",
                "clock": "'platform-answer'",
                "source": "%(src_platform)s",
                "started_on": "(f.asked_at)::date",
                "working_days": "10",
                "paused_working_days": "0",
                "unit": "'working'",
                "excluded_days": "0",
                "due_on": forward_due,
                "provisional": "false",
                "state": "CASE WHEN f.answered_at IS NULL THEN 'running' ELSE 'met' END",
                "overdue_since": f"CASE WHEN f.answered_at IS NULL AND {forward_due} < %(today)s"
                f" THEN {forward_due} + 1 END",
                "closed_at": "f.answered_at",
            },
            f"{PlatformForward._meta.db_table} f",
            params,
        )
        timings["forwards_s"] = time.monotonic() - started

        started = time.monotonic()
        filings = 200_000
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_filing AS SELECT row_number() OVER (ORDER BY r1 DESC)"
            " AS g, r1, r2 FROM (SELECT random() AS r1, random() AS r2"
            " FROM generate_series(1, %s)) AS f",
            [filings],
        )
        acted = (
            "(((%(today)s::date - floor(730 * power(f.r1, 1.4))::int) + time '10:00')"
            " AT TIME ZONE 'Asia/Shanghai')"
        )
        _insert(
            cursor,
            DisposalFiling,
            {
                "id": "f.g",
                "id_number_encrypted": "''",
                "id_number_hash": "''",
                "id_number_masked": "''",
                "platform": "(%(platforms)s::bigint[])[1 + f.g %% %(n_platforms)s]",
                "external_id": "'BENCH-' || f.g",
                "party_kind": "'organisation'",
                "party_name": "'基准测试商户' || (f.g %% 20000)",
                "party_uscc": "''",
                "live_room_account": "'room' || (f.g %% 5000)",
                "category": "(%(categories)s::bigint[])[1 + floor(f.r2 * %(n_categories)s)::int]",
                "measures": "CASE WHEN f.r2 < 0.3 THEN '[\"warning\"]'::jsonb"
                ' ELSE \'["takedown", "warning"]\'::jsonb END',
                "appeal_route": "''",
                "conduct_at": f"{acted} - interval '2 days'",
                "acted_at": acted,
                "facts": "'基准测试处置记录'",
                "evidence_links": "'[]'::jsonb",
                "received_at": f"{acted} + interval '1 day'",
                "channel": "'api'",
                "submitted_by_label": "'bench'",
                "route": "(%(routes)s::bigint[])[1 + f.g %% %(n_zj)s]",
            },
            "bench_filing f ORDER BY f.g",
            params,
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{DisposalFiling._meta.db_table}', 'id'), %s)",
            [filings + 1],
        )
        timings["filings_s"] = time.monotonic() - started
        for table in ("bench_case", "bench_status", "bench_filing"):
            cursor.execute(f"DROP TABLE {table}")
        started = time.monotonic()
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        for model in (Complaint, Deadline, PlatformForward, DisposalFiling):
            cursor.execute(f"VACUUM ANALYZE {qn(model._meta.db_table)}")
    timings["vacuum_s"] = time.monotonic() - started
    timings["cases"] = made
    return timings


def generate_small(today: date, provincial, users) -> None:
    """Blacklist entries and inspection campaigns (thousands, not millions)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Platform, Role
    from blacklist.models import Entry, EntryState, ListKind, Status
    from blacklist.services.common import masked_name
    from demo.data import demo_uscc
    from inspections.models import Campaign, PlatformInspection
    from registry.models import PartyKind, ViolationCategory

    if Entry.objects.filter(reference__startswith="BP").exists():
        return
    handler = users[Role.HANDLER]
    categories = list(ViolationCategory.objects.all())
    platforms = list(Platform.objects.order_by("pk"))
    with transaction.atomic():
        entries = []
        for i in range(3000):
            listed_on = today - timedelta(days=(i * 7) % 700)
            name = f"基准测试商户{i}"
            entries.append(
                Entry(
                    list=ListKind.DEPARTMENTS,
                    reference=f"BP{i:08d}",
                    party_kind=PartyKind.ORGANISATION,
                    uscc=demo_uscc("330106", 2_000_000 + i),
                    name=name,
                    name_masked=masked_name(name, PartyKind.ORGANISATION),
                    department=provincial,
                    category=categories[i % len(categories)],
                    facts="基准测试数据",
                    legal_basis="《网络直播营销管理办法（试行）》第十四条",
                    term_months=36,
                    listed_on=listed_on,
                    term_ends_on=listed_on + timedelta(days=3 * 365),
                )
            )
        Entry.objects.bulk_create(entries, batch_size=1000)
        states = [EntryState(entry=e, status=Status.LISTED, actor_label="bench") for e in entries]
        removed = [
            EntryState(entry=e, status=Status.REVOKED, actor_label="bench", reason="bench")
            for i, e in enumerate(entries)
            if i % 5 == 0
        ]
        EntryState.objects.bulk_create(states + removed, batch_size=1000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE blacklist_entry e SET current_id = s.id FROM (SELECT DISTINCT ON (entry_id)"
                " entry_id, id FROM blacklist_entrystate ORDER BY entry_id, id DESC) s"
                " WHERE s.entry_id = e.id"
            )
            # The states' "at" spread like the listings (auto_now_add gave them now).
            cursor.execute(
                "UPDATE blacklist_entrystate s SET at = (e.listed_on + time '10:00')"
                " AT TIME ZONE 'Asia/Shanghai' + CASE WHEN s.status = 'revoked'"
                " THEN interval '90 days' ELSE interval '0' END"
                " FROM blacklist_entry e WHERE e.id = s.entry_id AND e.reference LIKE 'BP%%'"
            )
        now = timezone.now()
        for i in range(40):
            start = today - timedelta(days=18 * i + 30)
            campaign = Campaign.objects.create(
                lead_department=provincial,
                theme=f"基准测试专项检查 {i}",
                legal_basis="《网络直播营销管理办法（试行）》第二十六条",
                period_start=start,
                period_end=start + timedelta(days=30),
                created_by=handler,
                created_at=now - timedelta(days=18 * i + 30),
            )
            PlatformInspection.objects.bulk_create(
                PlatformInspection(campaign=campaign, platform=p, opened_by=handler)
                for p in platforms
            )


def _clock_sources() -> dict:
    """Each clock's article under the rule sets in force today (complaints, reports)."""
    from django.utils import timezone

    from portal.rules import clocks_of, rule_set_for

    return {c.code: c.source for c in clocks_of(rule_set_for("complaint", timezone.localdate()))}
