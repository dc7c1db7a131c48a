"""Benchmark: pg_trgm against jieba → tsvector for words of a case's description.

What it measures
    ``--rows`` descriptions (default 100,000) made of Chinese phrases of
    complaints (宣称治疗糖尿病功效, 七天无理由退货…) in a table of their own, then
    for each query word: the time of a page's two statements (the first 50
    matching rows newest first, and the bounded count of portal.pagination),
    median of ``--rounds`` (default 5), with
    - pg_trgm: GIN ``UPPER(description) gin_trgm_ops``, ``UPPER(description) LIKE
      UPPER('%word%')`` (what ``icontains`` writes);
    - jieba: the description segmented by jieba (search mode) into a ``simple``
      ``tsvector`` with a GIN index, the word segmented the same way, ``@@``.
    It also prints the time to build each index and what each finds.

How to run (project root; PostgreSQL on 127.0.0.1:5432 with trust auth; jieba is no
dependency of the portal, install it aside)::

    .venv/bin/pip install --target /tmp/jieba-lib jieba==0.42.1
    PYTHONPATH=/tmp/jieba-lib .venv/bin/python bench/search_index.py --rows 100000

The database is ``portal_bench_search`` (its own, dropped and made again).
"""

import argparse
import random
import statistics
import time

import psycopg

PHRASES = [
    "主播宣称治疗糖尿病功效",
    "承诺七天无理由退货",
    "收货后拒绝退货",
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
]
WORDS = ["糖尿病", "减肥", "七天无理由", "美白功效", "预防癌症", "尿病", "不存在的词"]
BOUND = 10_001


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import jieba

    jieba.setLogLevel(60)
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS portal_bench_search")
        c.execute("CREATE DATABASE portal_bench_search")
    conn = psycopg.connect(
        "postgresql://postgres@127.0.0.1:5432/portal_bench_search", autocommit=True
    )
    conn.execute("CREATE EXTENSION pg_trgm")
    conn.execute("CREATE TABLE c (id bigint PRIMARY KEY, description text, words tsvector)")
    rng = random.Random(17)
    started = time.monotonic()
    with conn.cursor().copy("COPY c (id, description, words) FROM STDIN") as copy:
        for i in range(1, args.rows + 1):
            text = "，".join(rng.sample(PHRASES, 2)) + f"，订单{rng.randrange(10**8)}。"
            copy.write_row((i, text, " ".join(jieba.cut_for_search(text))))
    segment_s = time.monotonic() - started
    conn.execute("UPDATE c SET words = to_tsvector('simple', words::text)")
    timings = {}
    started = time.monotonic()
    conn.execute("CREATE INDEX c_trgm ON c USING gin (UPPER(description) gin_trgm_ops)")
    timings["trgm index s"] = time.monotonic() - started
    started = time.monotonic()
    conn.execute("CREATE INDEX c_words ON c USING gin (words)")
    timings["jieba index s"] = time.monotonic() - started
    conn.execute("ANALYZE c")
    size = conn.execute(
        "SELECT pg_size_pretty(pg_relation_size('c_trgm')), "
        "pg_size_pretty(pg_relation_size('c_words'))"
    ).fetchone()
    print(
        f"{args.rows} rows; load with jieba segmentation {segment_s:.1f} s; "
        f"index build: trgm {timings['trgm index s']:.1f} s ({size[0]}), "
        f"jieba tsvector {timings['jieba index s']:.1f} s ({size[1]})"
    )
    print(f"{'word':<10} {'trgm ms':>8} {'found':>7} {'jieba ms':>9} {'found':>7}")
    for word in WORDS:
        trgm = ("UPPER(description) LIKE UPPER(%s)", [f"%{word}%"])
        terms = [t for t in jieba.cut_for_search(word) if t.strip()]
        query = " & ".join(f"'{t}'" for t in terms) or "''"
        tsq = ("words @@ to_tsquery('simple', %s)", [query])
        row = [word]
        for where, params in (trgm, tsq):
            times = []
            for _ in range(args.rounds):
                started = time.monotonic()
                conn.execute(
                    f"SELECT id, description FROM c WHERE {where} ORDER BY id DESC LIMIT 50",
                    params,
                ).fetchall()
                n = conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM c WHERE {where} LIMIT {BOUND}) s",
                    params,
                ).fetchone()[0]
                times.append((time.monotonic() - started) * 1000)
            row += [f"{statistics.median(times):.1f}", n]
        print(f"{row[0]:<10} {row[1]:>8} {row[2]:>7} {row[3]:>9} {row[4]:>7}")
    conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
