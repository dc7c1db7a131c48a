"""The screening benchmark's list: entries with realistic Chinese names and valid
identifiers, written by ``COPY`` from worker processes, and their name keys
(used by ``bench/screening.py``)."""

import io
import multiprocessing
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

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


def bench_today() -> date:
    from django.utils import timezone

    return timezone.localdate()  # the calendar day of the services (TIME_ZONE)


def _copy_escape(value) -> str:
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _line(values) -> str:
    return "\t".join(_copy_escape(v) for v in values) + "\n"


def entry_ric(n: int) -> str:
    """Entry ``n``'s resident ID number: unique, a valid check digit (python-stdnum cn.ric)."""
    from demo.data import demo_ric

    birth = date(1955, 1, 1) + timedelta(days=(n // 1000) * 17)
    return demo_ric(REGION_CODES[n % len(REGION_CODES)], birth, n % 1000)


def entry_uscc(n: int) -> str:
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
    listed_on = bench_today() - timedelta(days=rng.randint(1, 700))
    term_ends_on = (
        bench_today() - timedelta(days=1) if ended else listed_on + timedelta(days=3 * 365)
    )
    if is_org:
        name, kind = names.organisation(), "organisation"
        uscc, hashed, masked_id = entry_uscc(n), "", ""
    else:
        name, kind = names.person(), "person"
        number = entry_ric(n)
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


def generate_entries(count: int, seed: int, workers: int) -> None:
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
        f"{load_average()})"
    )


def rebuild_name_keys(workers: int) -> None:
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


def load_average() -> str:
    """The load average, printed beside the figures: the machine may be shared."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
