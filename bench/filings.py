"""Benchmark: ingest disposal filings through ``POST /api/v1/filings/batch/``.

What it measures
    Filings per second stored through the batch API (1,000 filings a call,
    every item validated, identity numbers encrypted and hashed, register
    parties looked up, recipients routed, one audit event per batch), served by
    gunicorn on PostgreSQL, from a few concurrent clients, each the systems of
    one platform with that platform's API key. Then, as the ceiling, the time
    PostgreSQL takes to ``COPY`` the very rows the API stored into a scratch
    table of the same shape (``CREATE TABLE … (LIKE complaints_disposalfiling
    INCLUDING ALL)``: same columns, defaults, indexes and unique constraint).
    It prints both rates and their ratio. Target: at least a quarter
    of the COPY rate. On a shared machine the wall-clock rates move with other
    people's load, so it also prints what does not: the CPU seconds per 1,000
    filings of the gunicorn processes, of the PostgreSQL backends of its database
    and of the client (read from /proc), the CPU of the COPY's backend per 1,000
    rows, and how busy the machine was while the API ran.

How to run (from the project root; PostgreSQL on 127.0.0.1:5432 with trust
auth)::

    .venv/bin/python bench/filings.py                  # 100,000 filings, 3 clients
    .venv/bin/python bench/filings.py --filings 20000 --clients 2 --workers 2

What it does, in order: drops and recreates the database
``portal_bench_filings`` (``--keep-db`` reuses it), migrates it and loads the
demo data (``manage.py seed_demo``) in subprocesses, creates one bench platform
per client (domiciled in Yuhang, so that every filing is routed to the Yuhang
market supervision and Zhejiang cyberspace departments, the gravest ones to
Zhejiang market supervision too) and issues each an API key through
``accounts.services.api_key_issue``; pre-builds every batch (valid resident ID
numbers and USCCs with their check digits, a mix of parties and measures,
``--blacklisting`` of them with blacklisting, which also lists the party on the
platforms' shared blacklist); starts gunicorn on 127.0.0.1 on a free port
(``DJANGO_SETTINGS_MODULE=config.settings.dev``, ``DJANGO_DEBUG=false``); sends
one warm-up batch per client (not counted), then the measured batches; checks
that every answer is 200 with every item ``created`` and that the database
holds the number of filings expected; stops gunicorn in a ``finally``; then
times the ``COPY``. It touches only 127.0.0.1, its own database and its own
gunicorn, and is bounded by ``--deadline`` (default 900 s).
"""

import argparse
import http.client
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PATH = "/api/v1/filings/batch/"

CATEGORIES = [
    "false-information",
    "bad-goods",
    "fake-traffic",
    "key-links",
    "review-deletion",
    "missing-information",
    "negative-catalogue",
    "prohibited-content",
]
LIGHT = [
    ["warning"],
    ["warning", "traffic_limit"],
    ["function_limit"],
    ["live_suspension"],
    ["traffic_limit", "function_limit"],
]
GRAVE = [["account_closure"], ["account_closure", "reregistration_ban"]]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰萍红"
# Division codes in use for every birth year the bench draws (python-stdnum checks it).
ID_REGIONS = ["110105", "110108", "310104"]


def bench_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{args.database}?conn_max_age=60",
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)  # local-memory cache: the bench measures the database path
    return env


def run(cmd, env, **kwargs):
    """Run one of this script's own commands (fixed arguments, no shell)."""
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=600, **kwargs)


SETUP = """
import json, sys
from accounts.models import Platform, Region
from accounts.services import api_key_issue
from demo.data import demo_uscc
out = []
yuhang = Region.objects.get(code="330110")
for i in range(1, {clients} + 1):
    platform, _ = Platform.objects.get_or_create(
        uscc=demo_uscc("330110", 90000 + i),
        defaults={{"name": f"压测平台{{i}}有限公司", "domicile": yuhang}},
    )
    key, raw = api_key_issue(platform=platform, name=f"bench {{i}}", actor=None)
    out.append({{"platform": platform.pk, "uscc": platform.uscc, "key": raw}})
print(json.dumps(out))
"""


def prepare_database(args, env) -> list[dict]:
    pg = ["-h", HOST, "-U", "postgres"]
    if not args.keep_db:
        run(["dropdb", *pg, "--if-exists", args.database], env)
        run(["createdb", *pg, args.database], env)
    started = time.monotonic()
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env)
    run([str(PYTHON), "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    out = run(
        [str(PYTHON), "manage.py", "shell", "-c", SETUP.format(clients=args.clients)],
        env,
        capture_output=True,
        text=True,
    )
    print(f"database ready: {args.database} ({time.monotonic() - started:.1f} s)")
    return json.loads(out.stdout.strip().splitlines()[-1])


def count_filings(env) -> int:
    script = "from filings.models import DisposalFiling; print(DisposalFiling.objects.count())"
    out = run(
        [str(PYTHON), "manage.py", "shell", "-c", script], env, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def ric(rng: random.Random) -> str:
    from stdnum.cn import ric as stdnum_ric

    birth = date(1970, 1, 1) + timedelta(days=rng.randrange(365 * 35))
    body = f"{rng.choice(ID_REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + stdnum_ric.calc_check_digit(body + "0")


def uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc as stdnum_uscc

    body = f"91{rng.choice(ID_REGIONS)}MA{rng.randrange(10**7):07d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body + "0")


def build_item(i: int, client: int, rng: random.Random, now: datetime, blacklisting: float):
    acted = now - timedelta(minutes=rng.randrange(60, 60 * 24 * 60))
    conduct = acted - timedelta(minutes=rng.randrange(10, 60 * 24 * 10))
    kind = rng.choices(["marketer", "live_room", "operator", "agency"], [5, 3, 2, 1])[0]
    roll = rng.random()
    item = {
        "external_id": f"C{client}-{i:07d}",
        "party_kind": kind,
        "live_room_account": f"acct-{rng.randrange(10**6):06d}",
        "category": rng.choice(CATEGORIES),
        "conduct_at": conduct.isoformat(),
        "acted_at": acted.isoformat(),
        "facts": f"直播间第{i}号处置：主播在直播中发布引人误解的商品信息，平台核实后依规处置。",
        "evidence_links": [f"https://evidence.example.com/c{client}/{i}.mp4"],
    }
    if kind in ("marketer", "live_room"):
        item["party_name"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        item["party_id_number"] = ric(rng)
    else:
        item["party_name"] = f"某某{rng.randrange(10**5)}电子商务有限公司"
        item["party_uscc"] = uscc(rng)
        if kind == "agency":
            item.pop("live_room_account")
    if roll < blacklisting:
        item["measures"] = ["account_closure", "blacklisting"]
        item["blacklisted_until"] = (now.date() + timedelta(days=365)).isoformat()
        item["appeal_route"] = "平台申诉中心，收到通知之日起15日内提出。"
        if kind == "agency":
            item["measures"] = ["blacklisting"]
    elif roll < 0.05:
        item["measures"] = rng.choice(GRAVE)
    elif roll < 0.15:
        item["measures"] = ["term_suspension"]
        item["suspended_until"] = (now.date() + timedelta(days=30)).isoformat()
    else:
        item["measures"] = rng.choice(LIGHT)
    return item


def build_batches(args, clients: list[dict]) -> tuple[list[list[bytes]], list[bytes]]:
    """Per client: its measured batches, and one warm-up batch each."""
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    per_client = -(-args.filings // len(clients))
    measured, warmups = [], []
    made = 0
    for c in range(len(clients)):
        batches = []
        for start in range(0, per_client, args.batch):
            size = min(args.batch, per_client - start, args.filings - made)
            if size <= 0:
                break
            items = [build_item(start + j, c, rng, now, args.blacklisting) for j in range(size)]
            made += size
            batches.append(json.dumps({"items": items}, ensure_ascii=False).encode())
        measured.append(batches)
        warm = [build_item(9_000_000 + j, c, rng, now, 0) for j in range(min(args.batch, 200))]
        warmups.append(json.dumps({"items": warm}, ensure_ascii=False).encode())
    return measured, warmups


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(args, env, port: int, log) -> subprocess.Popen:
    cmd = [
        str(GUNICORN),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--worker-class",
        "sync",
        "--workers",
        str(args.workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log.name}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status in (200, 503):  # 503: no broker configured, the app is up
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy within 60 s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group started for this gunicorn only
        proc.wait(timeout=10)


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(gunicorn_pgid: int, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the gunicorn processes (its process group) and of the
    PostgreSQL backends connected to the bench database, by pid."""
    snap: dict[str, dict[int, float]] = {"gunicorn": {}, "postgres": {}}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            pgid = os.getpgid(pid)
        except OSError:
            continue
        if pgid == gunicorn_pgid:
            snap["gunicorn"][pid] = _cpu_of(pid)
        elif cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            snap["postgres"][pid] = _cpu_of(pid)
    return snap


def machine_times() -> list[int]:
    """The machine's CPU time by state so far (/proc/stat: user, nice, system, idle,
    iowait, …), in clock ticks."""
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:]]


def machine_split(before: list[int], after: list[int]) -> str:
    delta = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(delta) or 1
    share = {
        "busy": sum(delta) - delta[3] - delta[4],
        "iowait": delta[4],
        "idle": delta[3],
    }
    return ", ".join(f"{name} {100 * ticks / total:.0f}%" for name, ticks in share.items())


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {
        group: sum(cpu - before[group].get(pid, 0.0) for pid, cpu in after[group].items())
        for group in after
    }


def post(port: int, key: str, body: bytes) -> tuple[int, dict | str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        conn.request(
            "POST",
            PATH,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Api-Key {key}",
            },
        )
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    try:
        return resp.status, json.loads(raw)
    except ValueError:
        return resp.status, raw[:300].decode(errors="replace")


def send_all(port, clients, batches_per_client, stop_at) -> dict:
    created = [0] * len(clients)
    errors: list[str] = []
    lock = threading.Lock()
    latencies: list[float] = []

    def client(c: int):
        for body in batches_per_client[c]:
            if time.monotonic() > stop_at:
                with lock:
                    errors.append("deadline reached")
                return
            started = time.perf_counter()
            try:
                status, answer = post(port, clients[c]["key"], body)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
            if status != 200 or not isinstance(answer, dict):
                with lock:
                    errors.append(f"HTTP {status}: {str(answer)[:300]}")
                continue
            created[c] += answer["created"]
            if answer["invalid"] or answer["duplicate"]:
                bad = [r for r in answer["results"] if r["status"] != "created"][:2]
                with lock:
                    errors.append(f"items not created: {bad}")

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(len(clients))]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "seconds": time.perf_counter() - started,
        "created": sum(created),
        "errors": errors,
        "latencies": sorted(latencies),
    }


def copy_ceiling(args) -> tuple[int, float, float]:
    """COPY the stored filings into a scratch table of the same shape; (rows, seconds,
    CPU seconds of the PostgreSQL backend that did it)."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{HOST}:5432/{args.database}") as conn:
        with conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_filings_scratch")
            cur.execute(
                "CREATE TABLE bench_filings_scratch (LIKE complaints_disposalfiling INCLUDING ALL)"
            )
            buffer = io.BytesIO()
            with cur.copy("COPY complaints_disposalfiling TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
        conn.commit()
        data = buffer.getvalue()
        with conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = cur.fetchone()[0]
        backend_cpu = _cpu_of(backend)
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_filings_scratch FROM STDIN") as copy:
            view = memoryview(data)
            for i in range(0, len(data), 1 << 20):
                copy.write(view[i : i + (1 << 20)])
        conn.commit()
        seconds = time.perf_counter() - started
        backend_cpu = _cpu_of(backend) - backend_cpu
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM bench_filings_scratch")
            rows = cur.fetchone()[0]
            cur.execute("DROP TABLE bench_filings_scratch")
        conn.commit()
    return rows, seconds, backend_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=3, help="concurrent platforms")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--blacklisting", type=float, default=0.002, help="share of filings")
    parser.add_argument("--database", default="portal_bench_filings")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--deadline", type=float, default=900)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    if not 1 <= args.batch <= 1000:
        parser.error("--batch must be between 1 and 1000")

    env = bench_env(args)
    clients = prepare_database(args, env)
    before = count_filings(env)
    measured, warmups = build_batches(args, clients)
    planned = sum(body.count(b'"external_id"') for batches in measured for body in batches)

    port = free_port()
    proc = None
    load_before = os.getloadavg()
    with tempfile.NamedTemporaryFile(
        prefix="bench-filings-gunicorn-", suffix=".log", delete=False
    ) as log:
        try:
            proc = start_gunicorn(args, env, port, log)
            stop_at = time.monotonic() + args.deadline
            warm = send_all(port, clients, [[w] for w in warmups], stop_at)
            cpu_before, client_before = cpu_snapshot(proc.pid, args.database), os.times()
            machine_before = machine_times()
            result = send_all(port, clients, measured, stop_at)
            cpu = cpu_used(cpu_before, cpu_snapshot(proc.pid, args.database))
            client_after = os.times()
            machine = machine_split(machine_before, machine_times())
            cpu["client"] = (client_after.user + client_after.system) - (
                client_before.user + client_before.system
            )
        finally:
            if proc is not None:
                stop_gunicorn(proc)
    load_after = os.getloadavg()
    after = count_filings(env)
    copy_rows, copy_seconds, copy_cpu = copy_ceiling(args)

    rate = result["created"] / result["seconds"]
    copy_rate = copy_rows / copy_seconds
    lat = result["latencies"]
    print(f"gunicorn: {args.workers} sync workers; clients (platforms): {len(clients)}")
    print(
        "load average before/after (the machine is shared): "
        + " ".join(f"{x:.2f}" for x in load_before)
        + " / "
        + " ".join(f"{x:.2f}" for x in load_after)
    )
    print(f"filings planned: {planned} in batches of {args.batch}")
    print(f"filings created: {result['created']}")
    print(f"errors: {len(result['errors']) + len(warm['errors'])}")
    for error in (warm["errors"] + result["errors"])[:5]:
        print(f"  error: {error}")
    print(f"seconds: {result['seconds']:.2f}")
    if lat:
        print(
            f"batch latency p50/p95/max s: {lat[len(lat) // 2]:.2f} / "
            f"{lat[min(len(lat) - 1, int(len(lat) * 0.95))]:.2f} / {lat[-1]:.2f}"
        )
    per_k = 1000 / max(result["created"], 1)
    print(
        "CPU s per 1,000 filings: "
        + ", ".join(f"{group} {seconds * per_k:.3f}" for group, seconds in cpu.items())
        + f" (of {result['seconds'] * per_k * (os.cpu_count() or 1):.3f} core-s available)"
    )
    print(f"machine (both cores, every user) while it ran: {machine}")
    print(f"filings in database: {after} (expected {before + warm['created'] + result['created']})")
    print(f"API filings/s: {rate:.0f}")
    print(f"COPY rows: {copy_rows} in {copy_seconds:.2f} s")
    print(f"COPY rows/s: {copy_rate:.0f}")
    api_cpu = (cpu["gunicorn"] + cpu["postgres"]) * per_k
    copy_cpu_k = copy_cpu * 1000 / max(copy_rows, 1)
    print(
        f"CPU s per 1,000 rows: API (gunicorn + postgres) {api_cpu:.3f}, "
        f"COPY (postgres) {copy_cpu_k:.3f}; ratio COPY/API {copy_cpu_k / api_cpu:.3f}"
        if api_cpu
        else "CPU: not measured"
    )
    print(f"ratio API/COPY: {rate / copy_rate:.3f} (target >= 0.25)")
    print(f"target: {'met' if rate / copy_rate >= 0.25 else 'NOT met'}")
    print(f"gunicorn log: {log.name}")
    ok = not result["errors"] and after == before + warm["created"] + result["created"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
