"""Screening benchmark: 100,000 entries, 10,000 queries, p50/p95 per query and per batch.

Run it against PostgreSQL (it creates and migrates the database named in
``DATABASE_URL`` if missing, then generates the entries in bulk the first time;
later runs reuse them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_screening \\
        .venv/bin/python bench/screening.py

Give it a database of its own: ``bench/intake.py`` drops and recreates
``portal_bench`` when it runs.

Without ``DATABASE_URL`` it uses SQLite in ``var/bench.sqlite3``. Options:
``--entries N`` (default 100000), ``--queries N`` (default 10000),
``--batch N`` (default 1000), ``--rebuild-keys`` (recompute the name-key index
of the generated entries, after a change of the key scheme). To start afresh,
drop the database.

Each query goes through ``blacklist.services.screening_run`` exactly as the
API does for a platform's API key (normalise, key lookup, identifier lookup,
scoring, the screening log and its audit event), so the figures include the
two writes of the log. Targets (issue 5): a single query p95 under 20 ms; a
batch of 1,000 under 2 s.
"""

import argparse
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容"]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏飞宇浩凯俊帆婷雪琳晨欣怡佳琪"
    "梓涵子轩一诺雨桐思远博文天佑子墨若曦紫萱可馨嘉怡晓梅海燕志强永庆国栋春生秋菊冬梅德华立新玮炜"
    "斌彬刚毅睿哲泽宇昊然瑞祥嘉豪家乐晓东小龙小燕宏伟振华建国建军卫东红梅丽娟淑珍秀英桂兰凤英"
)
ORG_WORDS = "星河光明华夏东方瑞丰恒达锦绣云帆鼎盛汇通博远鑫源嘉禾宏图长城万象天成新元卓越"
INDUSTRIES = ["电子商务", "文化传媒", "贸易", "网络科技", "食品", "服饰", "直播"]
SUFFIXES = ["有限公司", "有限责任公司", "商行", "工作室"]
REGION_CODES = ["330106", "330110", "110105", "440106", "310104", "320102"]


def _setup_database() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.environ["DATABASE_URL"] = f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}"
        return
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    length = 1 if rng.random() < 0.35 else 2
    return surname + "".join(rng.choice(GIVEN) for _ in range(length))


def _org_name(rng: random.Random) -> str:
    words = "".join(rng.choice(ORG_WORDS) for _ in range(2))
    return f"杭州{words}{rng.choice(INDUSTRIES)}{rng.choice(SUFFIXES)}"


def _generate(count: int, rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Department, DepartmentType, Platform, Region
    from blacklist.models import Entry, EntryNameKey, EntryState, ListKind, Status
    from blacklist.screening import entry_keys_for
    from blacklist.services import masked_name
    from portal.demo import demo_ric, demo_uscc
    from portal.identity import identity_hash, mask_ric
    from registry.models import PartyKind, ViolationCategory

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
    categories = list(ViolationCategory.objects.all())
    today = timezone.localdate()
    entries = []
    for n in range(count):
        is_org = rng.random() < 0.15
        on_platform_list = rng.random() < 0.1
        listed_on = today - timedelta(days=rng.randint(1, 700))
        if is_org:
            name, kind = _org_name(rng), PartyKind.ORGANISATION
            uscc, hashed, masked_id = demo_uscc(rng.choice(REGION_CODES), 1_000_000 + n), "", ""
        else:
            name, kind = _person_name(rng), PartyKind.PERSON
            birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 16000))
            number = demo_ric(rng.choice(REGION_CODES), birth, rng.randint(0, 999))
            uscc, hashed, masked_id = "", identity_hash(number), mask_ric(number)
        entries.append(
            Entry(
                list=ListKind.PLATFORMS if on_platform_list else ListKind.DEPARTMENTS,
                reference=f"B{n:09d}",
                party_kind=kind,
                name=name,
                name_masked=masked_name(name, kind),
                id_number_hash=hashed,
                id_number_masked=masked_id,
                uscc=uscc,
                department=None if on_platform_list else department,
                platform=platform if on_platform_list else None,
                category=rng.choice(categories),
                facts="基准测试数据",
                legal_basis="《网络直播营销管理办法（试行）》第十四条",
                term_months=None if on_platform_list else 36,
                appeal_route="申诉中心" if on_platform_list else "",
                listed_on=listed_on,
                term_ends_on=listed_on + timedelta(days=3 * 365),
            )
        )
    print(f"  built {count} entries in {time.perf_counter() - started:.1f} s")
    with transaction.atomic():
        Entry.objects.bulk_create(entries, batch_size=5000)
        print(f"  inserted entries: {time.perf_counter() - started:.1f} s")
        EntryState.objects.bulk_create(
            (EntryState(entry=e, status=Status.LISTED, actor_label="bench") for e in entries),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "UPDATE blacklist_entry e SET current_id = s.id FROM blacklist_entrystate s "
                    "WHERE s.entry_id = e.id AND e.current_id IS NULL"
                )
            else:
                cursor.execute(
                    "UPDATE blacklist_entry SET current_id = (SELECT s.id FROM "
                    "blacklist_entrystate s WHERE s.entry_id = blacklist_entry.id) "
                    "WHERE current_id IS NULL"
                )
        print(f"  inserted states: {time.perf_counter() - started:.1f} s")
        keys = []
        for entry in entries:
            keys.extend(EntryNameKey(entry_id=entry.pk, key=k) for k in entry_keys_for(entry.name))
        print(f"  computed {len(keys)} name keys: {time.perf_counter() - started:.1f} s")
        EntryNameKey.objects.bulk_create(keys, batch_size=10000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated {count} entries in {time.perf_counter() - started:.1f} s")


def _rebuild_keys() -> None:
    """The name-key index is derived data: drop and recompute it for the bench entries."""
    from django.db import transaction

    from blacklist.models import Entry, EntryNameKey
    from blacklist.screening import entry_keys_for

    started = time.perf_counter()
    with transaction.atomic():
        EntryNameKey.objects.filter(entry__reference__startswith="B").delete()
        rows = Entry.objects.filter(reference__startswith="B").values_list("pk", "name")
        EntryNameKey.objects.bulk_create(
            (EntryNameKey(entry_id=pk, key=k) for pk, name in rows for k in entry_keys_for(name)),
            batch_size=10000,
        )
    print(f"rebuilt the name keys in {time.perf_counter() - started:.1f} s")


def _queries(count: int, rng: random.Random):
    """A realistic mix: listed names in other written forms, unknown names, identifiers."""
    import opencc
    from pypinyin import Style, lazy_pinyin

    from blacklist.models import Entry
    from blacklist.services import ScreeningQuery
    from portal.demo import demo_ric, demo_uscc

    s2t = opencc.OpenCC("s2t")
    sample = list(
        Entry.objects.order_by("?")[: count // 2].values_list("name", "party_kind", "uscc")
    )
    queries = []
    for n in range(count):
        roll = rng.random()
        name, kind, uscc = sample[n % len(sample)]
        if roll < 0.15:
            queries.append(ScreeningQuery(name=name))
        elif roll < 0.25:
            queries.append(ScreeningQuery(name=s2t.convert(name)))
        elif roll < 0.4 and kind == "person":
            syllables = lazy_pinyin(name, style=Style.NORMAL)
            family, given = syllables[0], "".join(syllables[1:])
            form = (
                f"{given.title()} {family.upper()}" if rng.random() < 0.5 else f"{family} {given}"
            )
            queries.append(ScreeningQuery(name=form))
        elif roll < 0.7:
            queries.append(ScreeningQuery(name=_person_name(rng)))
        elif roll < 0.9:
            birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 16000))
            number = demo_ric(rng.choice(REGION_CODES), birth, rng.randint(0, 999))
            queries.append(ScreeningQuery(name=_person_name(rng), id_number=number))
        else:
            queries.append(
                ScreeningQuery(uscc=uscc or demo_uscc("330106", rng.randint(0, 999_999)))
            )
    return queries


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--rebuild-keys", action="store_true")
    args = parser.parse_args()

    _setup_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from accounts.authentication import PlatformKeyUser
    from accounts.models import Platform
    from accounts.services import api_key_issue
    from blacklist.models import Entry, EntryNameKey
    from blacklist.services import screening_match, screening_run

    rng = random.Random(2026)  # the same data and queries on every run
    existing = Entry.objects.count()
    if existing < args.entries:
        _generate(args.entries - existing, rng)
    elif args.rebuild_keys:
        _rebuild_keys()
    print(
        f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}; "
        f"entries: {Entry.objects.count()}; name keys: {EntryNameKey.objects.count()}"
    )

    platform = Platform.objects.get(name="基准测试平台")
    key, _raw = api_key_issue(platform=platform, name="bench", actor=None)
    actor = PlatformKeyUser(key)
    queries = _queries(args.queries, rng)
    screening_run(actor=actor, queries=queries[:50], channel="api")  # warm up

    single, hits = [], 0
    for query in queries:
        started = time.perf_counter()
        result = screening_run(actor=actor, queries=[query], channel="api")
        single.append((time.perf_counter() - started) * 1000)
        hits += bool(result.answers[0].matches)
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
    batches, batches_match = [], []
    for start in range(0, len(queries), args.batch):
        chunk = queries[start : start + args.batch]
        started = time.perf_counter()
        screening_run(actor=actor, queries=chunk, channel="api")
        batches.append(time.perf_counter() - started)
        started = time.perf_counter()
        screening_match(actor=actor, queries=chunk)
        batches_match.append(time.perf_counter() - started)

    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} cores")
    print(f"single query ({len(single)} queries, {hits} with a hit), target p95 < 20 ms:")
    _report("  screened and logged ", single, "ms", 1)
    _report("  logged, async commit", relaxed, "ms", 1)
    _report("  matching only       ", match_only, "ms", 1)
    print(f"batch of {args.batch} ({len(batches)} batches), target < 2 s:")
    _report("  screened and logged ", batches, "s", 2)
    _report("  matching only       ", batches_match, "s", 2)


def _report(label: str, values: list[float], unit: str, digits: int) -> None:
    print(
        f"{label}: p50 {statistics.median(values):.{digits}f} {unit} · "
        f"p95 {_percentile(values, 95):.{digits}f} {unit} · max {max(values):.{digits}f} {unit}"
    )


if __name__ == "__main__":
    main()
