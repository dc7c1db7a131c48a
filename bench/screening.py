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

Targets (issue 5): single screening p95 < 20 ms; at least 100× faster than
brute force; recall 100 % on identifiers and at least 98 % on name variants.
The machine is shared: the load average is printed next to every figure.
"""

import argparse
import functools
import io
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from itertools import compress
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Surnames with their share of the population in per mille (census 2020, rounded):
# weighted, so that 王, 李, 张 and 刘 make a fifth of all names, as they do.
SURNAMES = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 46, "杨": 31, "黄": 24, "赵": 23,
    "吴": 20, "周": 19, "徐": 15, "孙": 15, "马": 13, "朱": 13, "胡": 12, "郭": 12,
    "何": 11, "林": 10, "高": 10, "罗": 9, "郑": 9, "梁": 8, "谢": 7, "宋": 6,
    "唐": 6, "许": 6, "韩": 6, "冯": 5, "邓": 5, "曹": 5, "彭": 5, "曾": 5,
    "肖": 4, "田": 4, "董": 4, "袁": 4, "潘": 4, "于": 4, "蒋": 4, "蔡": 4,
    "余": 4, "杜": 4, "叶": 4, "程": 3, "苏": 3, "魏": 3, "吕": 3, "丁": 3,
    "任": 3, "沈": 3, "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3,
    "陆": 3, "汪": 2, "范": 2, "金": 2, "石": 2, "廖": 2, "贾": 2, "夏": 2,
    "韦": 2, "付": 2, "方": 2, "白": 2, "邹": 2, "孟": 2, "熊": 2, "秦": 2,
    "邱": 2, "江": 2, "尹": 2, "薛": 2, "闫": 2, "段": 2, "雷": 2, "侯": 2,
    "龙": 2, "史": 2, "陶": 1, "黎": 1, "贺": 1, "顾": 1, "毛": 1, "郝": 1,
    "龚": 1, "邵": 1, "万": 1, "钱": 1, "严": 1, "覃": 1, "武": 1, "戴": 1,
    "莫": 1, "孔": 1, "向": 1, "汤": 1, "单": 1, "欧阳": 1, "司马": 1, "诸葛": 1,
}  # fmt: skip
# Given-name characters, most frequent first (weights fall off with the rank).
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏飞宇浩凯俊帆婷雪琳晨欣怡"
    "佳琪梓涵子轩一诺雨桐思远博天佑墨若曦紫萱可馨嘉晓梅海燕志永庆国栋春生秋菊冬德立新玮炜斌彬"
    "毅睿哲泽昊然瑞祥豪家乐东小龙宏振卫淑珍凤金林波成荣云峰亮宁欢丹倩颖慧莉娇佳楠玲健斌鑫磊"
)
CITIES = [
    "杭州",
    "宁波",
    "温州",
    "义乌",
    "金华",
    "北京",
    "上海",
    "广州",
    "深圳",
    "成都",
    "武汉",
    "南京",
    "苏州",
    "厦门",
    "长沙",
    "西安",
    "郑州",
    "临沂",
]
BRAND = (
    "星河光明华夏东方瑞丰恒达锦绣云帆鼎盛汇通博远鑫源嘉禾宏图长城万象天成新元卓越美佳优品"
    "聚合顺利兴隆富贵吉祥安康福满金玉银泰中正和信永辉宝利德胜春秋四海五洲百川千禧红蓝绿"
)
INDUSTRIES = [
    "电子商务",
    "文化传媒",
    "贸易",
    "网络科技",
    "食品",
    "服饰",
    "直播",
    "供应链",
    "化妆品",
    "农产品",
    "珠宝",
    "家居",
]
SUFFIXES = ("有限公司",) * 6 + ("有限责任公司", "商行", "工作室", "电子商务经营部")
REGION_CODES = ("330106", "330110", "330203", "110105", "440106", "440305", "310104", "320102")
BATCH_WRITE = 20_000  # entries per COPY transaction of a worker


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()  # the calendar day of the services (TIME_ZONE)


def _copy_escape(value) -> str:
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _line(values) -> str:
    return "\t".join(_copy_escape(v) for v in values) + "\n"


def _ric(n: int) -> str:
    """Entry ``n``'s resident ID number: unique, a valid check digit (python-stdnum cn.ric)."""
    from demo.data import demo_ric

    birth = date(1955, 1, 1) + timedelta(days=(n // 1000) * 17)
    return demo_ric(REGION_CODES[n % len(REGION_CODES)], birth, n % 1000)


def _uscc(n: int) -> str:
    """Entry ``n``'s USCC: unique, a valid check character (python-stdnum cn.uscc)."""
    from demo.data import demo_uscc

    return demo_uscc(REGION_CODES[n % len(REGION_CODES)], 1_000_000 + n)


class Names:
    """Realistic names: weighted surnames and given-name characters."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames = list(SURNAMES)
        self.surname_weights = list(SURNAMES.values())
        chars = list(dict.fromkeys(GIVEN))
        self.given = chars
        # The most frequent character is about 1.3 % of one-character given names: 张伟
        # is then 0.025 % of all names, as in the census (about 300,000 of 1.4 billion).
        self.given_weights = [1 / (rank + 50) for rank in range(len(chars))]

    def person(self) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, self.surname_weights)[0]
        length = 1 if rng.random() < 0.3 else 2
        return surname + "".join(rng.choices(self.given, self.given_weights, k=length))

    def organisation(self) -> str:
        rng = self.rng
        brand = "".join(rng.choice(BRAND) for _ in range(2))
        return f"{rng.choice(CITIES)}{brand}{rng.choice(INDUSTRIES)}{rng.choice(SUFFIXES)}"


def _entry_row(n: int, rng: random.Random, names: Names, context: dict):
    """Entry ``n`` (0-based): its columns, its state row and its name."""
    from blacklist.screening.names import name_form_text
    from blacklist.services.common import masked_name
    from portal.identity import identity_hash, mask_ric

    is_org = rng.random() < 0.15
    on_platform_list = rng.random() < 0.1
    ended = rng.random() < 0.02  # term over: not on the list any more
    listed_on = _today() - timedelta(days=rng.randint(1, 700))
    term_ends_on = _today() - timedelta(days=1) if ended else listed_on + timedelta(days=3 * 365)
    if is_org:
        name, kind = names.organisation(), "organisation"
        uscc, hashed, masked_id = _uscc(n), "", ""
    else:
        name, kind = names.person(), "person"
        number = _ric(n)
        uscc, hashed, masked_id = "", identity_hash(number), mask_ric(number)
    pk = n + 1
    entry = (
        pk,
        "platforms" if on_platform_list else "departments",
        f"B{n:09d}",
        kind,
        name,
        masked_name(name, kind),
        name_form_text(name),  # what Entry.save() stores
        hashed,
        masked_id,
        uscc,
        None,  # party_id
        "all",
        "",
        "基准测试数据",
        "《网络直播营销管理办法（试行）》第十四条",
        "",
        None,
        "",
        None if on_platform_list else 36,
        "申诉中心" if on_platform_list else "",
        listed_on,
        term_ends_on,
        "",
        context["now"],
        context["categories"][n % len(context["categories"])],
        None,
        None if on_platform_list else context["department"],
        None,
        context["platform"] if on_platform_list else None,
        None,
        pk,  # current_id: the state row below
        "",  # facts_sealed: the bench's facts hold no identity number
    )
    state = (pk, "listed", context["now"], "bench", "", "{}", None, pk)
    return entry, state, name


ENTRY_COLUMNS = (
    "id, list, reference, party_kind, name, name_masked, name_form, id_number_hash, "
    "id_number_masked, uscc, party_id, share_scope, share_region_path, facts, legal_basis, "
    "decision_number, "
    "decision_date, decision_document, term_months, appeal_route, listed_on, term_ends_on, "
    "source_id, created_at, category_id, created_by_id, department_id, party_type_id, "
    "platform_id, source_type_id, current_id, facts_sealed"
)
STATE_COLUMNS = "id, status, at, actor_label, reason, data, actor_id, entry_id"


def _generate_chunk(args) -> tuple[int, int]:
    """A worker: entries ``start`` to ``stop`` written with COPY, keys by the services' code."""
    import psycopg

    from blacklist.screening.names import entry_keys_for

    start, stop, seed, dsn, context = args
    rng = random.Random(seed * 1_000_003 + start)
    names = Names(rng)
    keys = 0
    with psycopg.connect(dsn) as conn:
        for low in range(start, stop, BATCH_WRITE):
            entries, states, key_rows = io.StringIO(), io.StringIO(), io.StringIO()
            for n in range(low, min(stop, low + BATCH_WRITE)):
                entry, state, name = _entry_row(n, rng, names, context)
                entries.write(_line(entry))
                states.write(_line(state))
                for key in sorted(entry_keys_for(name)):
                    key_rows.write(_line((entry[0], key)))
                    keys += 1
            with conn.transaction(), conn.cursor() as cursor:
                for table, columns, buffer in (
                    ("blacklist_entrystate", STATE_COLUMNS, states),
                    ("blacklist_entry", ENTRY_COLUMNS, entries),
                    ("blacklist_entrynamekey", "entry_id, key", key_rows),
                ):
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        copy.write(buffer.getvalue())
    return stop - start, keys


TABLES = ("blacklist_entry", "blacklist_entrystate", "blacklist_entrynamekey")


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the three tables' constraints and indexes other than primary keys; give back the
    statements that recreate them (one pass over the loaded rows is much faster)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u') "
        "ORDER BY contype DESC",
        [list(TABLES)],
    )
    constraints = cursor.fetchall()
    restore = []
    for table, name, _definition, _type in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT LIKE '%%_pkey'",
        [list(TABLES)],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        restore.append(definition)
    # Unique constraints (their index) first, foreign keys last.
    restore += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, _type in sorted(constraints, key=lambda c: c[3] == "f")
    ]
    return restore


def _generate(count: int, seed: int, workers: int) -> None:
    from django.db import connection

    from accounts.models import Department, DepartmentType, Platform, Region
    from blacklist.models import EntryNameKey
    from demo.data import demo_uscc
    from registry.models import ViolationCategory

    started = time.perf_counter()
    nation, _ = Region.objects.get_or_create(
        code="100000", defaults={"name": "全国", "level": Region.Level.NATIONAL}
    )
    zj, _ = Region.objects.get_or_create(
        code="330000", defaults={"name": "浙江省", "level": Region.Level.PROVINCE, "parent": nation}
    )
    department, _ = Department.objects.get_or_create(
        name="基准测试市场监督管理局",
        defaults={"type": DepartmentType.MARKET_SUPERVISION, "region": zj},
    )
    platform, _ = Platform.objects.get_or_create(
        uscc=demo_uscc("330106", 9_999_001), defaults={"name": "基准测试平台", "domicile": zj}
    )
    context = {
        "now": time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime()),
        "categories": list(ViolationCategory.objects.values_list("pk", flat=True)),
        "department": department.pk,
        "platform": platform.pk,
    }
    settings_dict = connection.settings_dict
    dsn = (
        f"host={settings_dict['HOST']} port={settings_dict['PORT'] or 5432} "
        f"dbname={settings_dict['NAME']} user={settings_dict['USER']}"
        + (f" password={settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE blacklist_entrynamekey, blacklist_entrystate, blacklist_entry CASCADE"
        )
        restore = _drop_secondary_indexes(cursor)
    connection.close()  # no shared connection across the fork

    step = 50_000
    chunks = [
        (start, min(count, start + step), seed, dsn, context) for start in range(0, count, step)
    ]
    entries = keys = 0
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for done, done_keys in pool.imap_unordered(_generate_chunk, chunks):
            entries += done
            keys += done_keys
            print(
                f"  {entries:>9,} entries, {keys:>10,} name keys: "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cursor.execute("VACUUM ANALYZE blacklist_entry")
        cursor.execute("VACUUM ANALYZE blacklist_entrystate")
        cursor.execute("VACUUM ANALYZE blacklist_entrynamekey")
    print(
        f"generated {entries:,} entries and {EntryNameKey.objects.count():,} name keys in "
        f"{time.perf_counter() - started:.0f} s (load {loaded - started:.0f} s, indexes "
        f"{time.perf_counter() - loaded:.0f} s; {workers} workers; load average "
        f"{_load()})"
    )


def _rebuild_keys(workers: int) -> None:
    """The name-key index and the stored name forms are derived data: recompute them (after
    a change of the key scheme or of the normalisation)."""
    from django.db import connection

    from blacklist.screening.names import entry_keys_for, name_form_text

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE blacklist_entrynamekey")
        restore = _drop_secondary_indexes(cursor)
        cursor.execute("SELECT id, name FROM blacklist_entry ORDER BY id")
        rows = cursor.fetchall()
        buffer = io.StringIO()
        for pk, name in rows:
            for key in sorted(entry_keys_for(name)):
                buffer.write(_line((pk, key)))
        with cursor.cursor.copy("COPY blacklist_entrynamekey (entry_id, key) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("CREATE TEMPORARY TABLE bench_forms (id bigint, form text)")
        with cursor.cursor.copy("COPY bench_forms (id, form) FROM STDIN") as copy:
            copy.write("".join(_line((pk, name_form_text(name))) for pk, name in rows))
        cursor.execute(
            "UPDATE blacklist_entry e SET name_form = f.form FROM bench_forms f "
            "WHERE e.id = f.id AND e.name_form IS DISTINCT FROM f.form"
        )
        cursor.execute("DROP TABLE bench_forms")
        for statement in restore:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE blacklist_entrynamekey")
        cursor.execute("VACUUM ANALYZE blacklist_entry")
    print(f"rebuilt the name keys and forms in {time.perf_counter() - started:.0f} s")


# --- queries ----------------------------------------------------------------------


def _entry_sample(count: int, rng: random.Random, kind: str | None = None):
    """``count`` entries on the list: (n, name, kind, uscc)."""
    from blacklist.models import Entry

    queryset = Entry.objects.active(_today())
    if kind:
        queryset = queryset.filter(party_kind=kind)
    top = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked, seen = [], set()
    while len(picked) < count:
        ids = [rng.randint(1, top) for _ in range(count * 2)]
        rows = queryset.filter(pk__in=ids).values_list("pk", "name", "party_kind", "uscc")
        for pk, name, party_kind, uscc in rows:
            if pk not in seen and len(picked) < count:
                seen.add(pk)
                picked.append((pk - 1, name, party_kind, uscc))
    return picked


def _full_width(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


@functools.lru_cache(maxsize=1)
def _s2t():
    """OpenCC's simplified-to-traditional converter, loaded once (50 ms a load)."""
    import opencc

    return opencc.OpenCC("s2t")


def name_variants(name: str, kind: str) -> list[tuple[str, str]]:
    """The forms a listed name takes on a platform: (label, form)."""
    from pypinyin import Style, lazy_pinyin

    s2t = _s2t()
    forms = [
        ("simplified", name),
        ("traditional", s2t.convert(name)),
        ("middle dot", "·".join(name) if kind == "person" else name[:2] + " " + name[2:]),
    ]
    if kind == "person":
        family_length = 2 if name[:2] in SURNAMES else 1
        plain = lazy_pinyin(name, style=Style.NORMAL)
        toned = lazy_pinyin(name, style=Style.TONE)
        family, given = "".join(plain[:family_length]), "".join(plain[family_length:])
        family_t, given_t = "".join(toned[:family_length]), "".join(toned[family_length:])
        forms += [
            ("pinyin", " ".join(p.title() for p in plain)),
            ("pinyin, tones", " ".join(p.title() for p in toned)),
            ("pinyin, given name first", f"{given.title()} {family.upper()}"),
            ("pinyin, tones, given name first", f"{given_t} {family_t}"),
            ("passport form", f"{family.upper()} {given.title()}"),
            ("pinyin joined", family + given),
            ("full-width pinyin", _full_width(f"{family.upper()} {given.upper()}")),
        ]
    return forms


def _timing_queries(count: int, rng: random.Random, names: Names):
    """A realistic mix for the timings: listed names in other forms, unknown names,
    identifiers listed or not."""
    from blacklist.screening.matching import ScreeningQuery

    sample = _entry_sample(max(1, count // 2), rng)
    queries = []
    for i in range(count):
        n, name, kind, uscc = sample[i % len(sample)]
        roll = rng.random()
        if roll < 0.4:
            forms = name_variants(name, kind)
            queries.append(ScreeningQuery(name=rng.choice(forms)[1]))
        elif roll < 0.7:
            queries.append(ScreeningQuery(name=names.person()))
        elif roll < 0.9:
            listed = kind == "person" and rng.random() < 0.5
            number = _ric(n) if listed else _ric(5_000_000 + rng.randint(0, 999_999))
            queries.append(ScreeningQuery(name=names.person(), id_number=number))
        else:
            queries.append(ScreeningQuery(uscc=uscc or _uscc(3_000_000 + i)))
    return queries


# --- brute force ------------------------------------------------------------------


class BruteForce:
    """Every name on the list in memory, in the forms ``score_names`` compares; a query is
    compared with all of them (rapidfuzz ``process.extract``, cut-offs below which the score
    cannot reach the threshold), then scored by ``score_names`` exactly as screening does."""

    def __init__(self, rows):
        from blacklist.screening.names import _orders, normalise, scored_syllables

        started = time.perf_counter()
        by_name: dict[str, list[int]] = {}
        self.hashes: list[str] = []
        self.usccs: list[str] = []
        self.ids: list[int] = []
        for pk, name, hashed, uscc in rows:
            by_name.setdefault(name, []).append(pk)
            self.ids.append(pk)
            self.hashes.append(hashed)
            self.usccs.append(uscc)
        self.names = list(by_name)
        self.owners = [by_name[name] for name in self.names]
        self.forms = [normalise.__wrapped__(name) for name in self.names]
        self.han, self.cores = [], []
        # Every order of every syllable sequence the scorer compares, joined: the scorer's
        # similarity of two names is never above the ratio of their joined syllables in the
        # order it aligned them, so a cut-off on that ratio drops no hit.
        self.all_joined, self.all_joined_owner = [], []
        self.latin_joined, self.latin_joined_owner = [], []
        for index, form in enumerate(self.forms):
            self.han.append(form.han)
            self.cores.append(form.org_core or form.han)
            for syllables in scored_syllables(form):
                for order in _orders(syllables):
                    joined = "".join(order)
                    self.all_joined.append(joined)
                    self.all_joined_owner.append(index)
                    if not form.han:
                        self.latin_joined.append(joined)
                        self.latin_joined_owner.append(index)
        print(
            f"brute force: {len(self.ids):,} entries on the list, {len(self.names):,} distinct "
            f"names, {len(self.all_joined):,} pinyin forms in memory "
            f"({time.perf_counter() - started:.0f} s)"
        )

    def match(self, query) -> set[int]:
        from rapidfuzz import fuzz, process

        from blacklist.screening.names import (
            HIT_THRESHOLD,
            normalise,
            score_names,
            scored_syllables,
        )
        from portal.identity import identity_hash

        found: set[int] = set()
        # Identifiers: every entry's compared, in C (map of str.__eq__), not in a Python loop.
        if query.id_number.strip():
            hashed = identity_hash(query.id_number)
            found.update(compress(self.ids, map(hashed.__eq__, self.hashes)))
        if query.uscc.strip():
            uscc = query.uscc.strip().upper()
            found.update(compress(self.ids, map(uscc.__eq__, self.usccs)))
        if not query.name.strip():
            return found
        form = normalise(query.name)
        if not form.variants:
            return found
        candidates: set[int] = set()
        if form.han:
            # Both in characters: 0.7 × h + 0.3 × p ≥ 0.85 needs h ≥ 0.786 (p ≤ 1), where h
            # is the ratio of the characters or 0.95 × the ratio of the organisation cores.
            for _c, _s, index in process.extract(
                form.han, self.han, scorer=fuzz.ratio, score_cutoff=78, limit=None
            ):
                candidates.add(index)
            for _c, _s, index in process.extract(
                form.org_core or form.han,
                self.cores,
                scorer=fuzz.ratio,
                score_cutoff=82,
                limit=None,
            ):
                candidates.add(index)
            # Against names in Latin letters: 0.95 × p ≥ 0.85.
            joined_list, joined_owner = self.latin_joined, self.latin_joined_owner
        else:
            joined_list, joined_owner = self.all_joined, self.all_joined_owner
        # Pinyin: p ≥ 0.85 at least in every case, and p is at most the ratio of the query's
        # joined syllables to the entry's in the order the scorer aligned them.
        for syllables in scored_syllables(form):
            for _c, _s, index in process.extract(
                "".join(syllables), joined_list, scorer=fuzz.ratio, score_cutoff=84, limit=None
            ):
                candidates.add(joined_owner[index])
        for index in candidates:
            if score_names(form, self.forms[index]).score >= HIT_THRESHOLD:
                found.update(self.owners[index])
        return found


# --- roster job -------------------------------------------------------------------


def _roster_rows(count: int, rng: random.Random, names: Names) -> list[dict]:
    """A roster: the timings' mix of parties, each with the platform's reference, and one
    row in 500 with a resident ID number whose check digit is wrong (the only rows in
    error)."""
    from demo.data import demo_ric
    from portal.identity import ric_fast

    rows, today = [], _today()
    for i, query in enumerate(_timing_queries(count, rng, names)):
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
            good = _ric(5_000_000 + i)
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
    print(f"  upload streamed to a file and counted: {upload:.2f} s   (load average {_load()})")
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
        f"loaded, before the job){traced}   (load average {_load()})"
    )
    job_hits: dict[str, set] = {}
    for reference, entry, score, fields in job.hit_rows.values_list(
        "reference", "entry_id", "score", "matched_fields"
    ).iterator(chunk_size=10_000):
        job_hits.setdefault(reference, set()).add((entry, score, tuple(fields)))
    from blacklist.screening.jobs import records, row_query

    valid = []
    today = _today()
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
                    (m.entry.pk, m.score, tuple(m.matched_fields)) for m in answer.matches
                }
    batch_time = time.perf_counter() - started
    single_hits: dict[str, set] = {}
    sample = rng.sample(valid, min(args.roster_single, len(valid)))
    started = time.perf_counter()
    for query in sample:
        (answer,) = screening_match(actor=actor, queries=[query])
        if answer.matches:
            single_hits[query.ref] = {
                (m.entry.pk, m.score, tuple(m.matched_fields)) for m in answer.matches
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


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _report(label: str, values: list[float], unit: str, digits: int) -> None:
    print(
        f"{label}: p50 {statistics.median(values):.{digits}f} {unit} · "
        f"p95 {_percentile(values, 95):.{digits}f} {unit} · max {max(values):.{digits}f} {unit}"
        f"   (load average {_load()})",
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
    from blacklist.screening.matching import ScreeningQuery, screening_match
    from blacklist.selectors import screening_pool

    print(f"load average at the start: {_load()} on {os.cpu_count()} cores")
    seed = 2026
    if Entry.objects.count() != args.entries:
        _generate(args.entries, seed, args.workers)
    elif args.rebuild_keys:
        _rebuild_keys(args.workers)
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
    queries = _timing_queries(args.queries, rng, names)
    screening_run(actor=actor, queries=queries[:50], channel="api")  # warm up
    if args.roster:
        _roster_job(args, actor, random.Random(seed + 3), names)
    if args.roster_only:
        return

    single, single_hits, hit_counts = [], 0, []
    for query in queries:
        started = time.perf_counter()
        result = screening_run(actor=actor, queries=[query], channel="api")
        single.append((time.perf_counter() - started) * 1000)
        single_hits += bool(result.answers[0].matches)
        hit_counts.append(len(result.answers[0].matches))
    relaxed = []
    settings.BLACKLIST_SCREENING_ASYNC_COMMIT = True
    for query in queries:
        started = time.perf_counter()
        screening_run(actor=actor, queries=[query], channel="api")
        relaxed.append((time.perf_counter() - started) * 1000)
    settings.BLACKLIST_SCREENING_ASYNC_COMMIT = False
    match_only = []
    for query in queries:
        started = time.perf_counter()
        screening_match(actor=actor, queries=[query])
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
        screening_run(actor=actor, queries=chunk, channel="api")
        batches.append(time.perf_counter() - started)
    print(f"batch of {args.batch} in one screening_run ({len(batches)} batches):")
    _report("  screened, logged, audited, committed", batches, "s", 2)

    # Recall and speed against brute force.
    pool = screening_pool(actor)
    brute = BruteForce(pool.values_list("pk", "name", "id_number_hash", "uscc").iterator(10_000))
    recall_queries: list[tuple[str, ScreeningQuery]] = []
    for n, name, kind, uscc in _entry_sample(args.variants, rng):
        recall_queries += [
            (f"name: {label}", ScreeningQuery(name=form))
            for label, form in name_variants(name, kind)
        ]
        recall_queries.append(
            ("identifier", ScreeningQuery(uscc=uscc) if uscc else ScreeningQuery(id_number=_ric(n)))
        )
    for _i in range(args.variants):
        recall_queries.append(("name: unknown", ScreeningQuery(name=names.person())))
        recall_queries.append(
            ("identifier", ScreeningQuery(id_number=_ric(5_000_000 + rng.randint(0, 999_999))))
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
        got = {m.entry.pk for m in answer.matches}
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
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
