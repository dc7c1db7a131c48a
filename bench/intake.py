"""Benchmark: public complaint intake over HTTP (``POST /api/v1/complaints/``).

What it measures
    Submissions per second and the latency (p50, p95, p99, max, in ms) of the
    anonymous JSON intake endpoint, served by gunicorn with the dev settings
    (DEBUG off) on PostgreSQL, under 20 concurrent clients. Each client is a
    thread with one ``http.client`` connection that it keeps alive for as long
    as the server allows (gunicorn's sync workers close the connection after
    every response, gthread workers keep it). Every response must be 201 with
    a ``tracking_code``; anything else counts as an error. At the end the
    number of complaints in the database is checked against the number of
    201s.

Target
    p95 under 150 ms on this 2-core machine (the load generator, gunicorn and
    PostgreSQL all share the two cores), with 0 errors.

How to run (from the project root, PostgreSQL on 127.0.0.1:5432 with trust
auth and Redis on 127.0.0.1:6379)::

    .venv/bin/python bench/intake.py                      # 2,000 submissions, 20 clients
    .venv/bin/python bench/intake.py --requests 5000 --workers 3
    .venv/bin/python bench/intake.py --worker-class gthread --workers 2 --threads 4
    .venv/bin/python bench/intake.py --keep-db            # no drop/create (still migrates, seeds)

What it does, in order: drops and recreates the database ``portal_bench``
(``--keep-db`` reuses it), runs ``manage.py migrate`` and ``manage.py
seed_demo`` in subprocesses, reads the seeded taxonomy codes, platforms and
live rooms, pre-builds every payload, starts gunicorn on 127.0.0.1 on a free
port, sends a warm-up round (not counted), then the measured round, prints
the figures as plain ``name: value`` lines and always stops gunicorn (in a
``finally``). It touches only 127.0.0.1: PostgreSQL, Redis db 5 (the cache:
the throttle and the reference-data version token) and its own gunicorn. It
is bounded: ``--requests`` plus the warm-up, each with a 30 s socket
timeout, and a ``--deadline`` (default 600 s) after which the clients stop
and the run is reported as incomplete.

Environment given to manage.py and gunicorn: DJANGO_SETTINGS_MODULE=
config.settings.dev, DJANGO_DEBUG=false, DATABASE_URL=postgres://postgres@
127.0.0.1:5432/portal_bench?conn_max_age=60 (persistent connections, as
config.settings.production has by default; ``--conn-max-age 0`` for the dev
default of one connection per request), REDIS_URL=redis://127.0.0.1:6379/5,
CELERY_TASK_ALWAYS_EAGER=true, EMAIL_BACKEND=dummy, LOG_LEVEL=WARNING and
COMPLAINT_API_RATE=1000000/s. The throttle rate is per second rather than per
minute on purpose: DRF's SimpleRateThrottle keeps every request time of the
window in one cache entry for the client address, and all bench traffic comes
from 127.0.0.1, so a per-minute window makes that entry grow to thousands of
timestamps that are unpickled and written back on every request, a cost real
traffic (30/min per address) never has. Only contact_phone is sent, never
contact_email, so no email is owed.

The load generator
    Python threads, one ``http.client`` connection each, the bodies built
    before the clock starts. It costs about 0.3 to 0.4 ms of CPU per
    submission (printed), some 5 % of what the server side costs, so a
    compiled tool (wrk with a Lua script; Debian's ``wrk``) would change the
    figures little while losing the per-response check of the 201 and its
    tracking code; the script stays in Python.

Worker configuration
    The default is ``--worker-class sync --workers 2``. Sync workers take one
    request at a time from the shared listen queue, so 20 clients are served
    in arrival order (p95 close to p50); gunicorn closes the connection after
    each response, which costs the workers about 1 ms of CPU per submission
    more than gthread's keep-alive. gthread serves more per second, but each
    keep-alive connection stays with the worker that accepted it, so the 20
    clients are split unevenly between workers and the slow half makes the
    tail: measured on 2026-11-28 at a load average of 5 to 6 from other jobs,
    1,000 submissions each: sync x2 105.5/s p50 195 ms p95 215 ms; sync x3
    70.3/s p95 352 ms; gthread 2x4 144.1/s p50 105 ms p95 356 ms; gthread 3x2
    90.1/s p95 469 ms; gthread 4x1 151.9/s p50 25 ms p95 415 ms. A third sync
    worker only adds contention on two cores. With the machine less crowded
    (load 1.7 to 2.3) the default made 180 to 285 submissions/s with p95 111
    to 127 ms (README, "Benchmarks").

CPU lines
    ``measured round CPU ms per submission`` is read from /proc for gunicorn's
    workers and for the PostgreSQL server processes of their connections,
    during the measured round only: the figures least disturbed by other jobs
    on the machine. With 20 closed-loop clients the mean latency is
    20 / throughput, so p95 < 150 ms needs about 150 submissions/s, i.e. at
    most some 13 ms of CPU per submission for workers, PostgreSQL, the load
    generator and the kernel together on two free cores. The older
    ``gunicorn CPU ms per submission`` line also counts the workers' start-up
    and the warm-up.

Exit status 1 when a response was not a 201 with a tracking code or the
database count does not match.
"""

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PATH = "/api/v1/complaints/"
CLIENTS = 20  # the default of --clients

# County-level regions of the demo (portal/demo.py REGIONS).
REGIONS = ["330106", "330108", "330110", "330203", "440104", "440106", "440305", "110105", "110108"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
TITLES = ["女士", "先生"]
GOODS = [
    "羽绒服",
    "护肤品套装",
    "扫地机器人",
    "蓝牙耳机",
    "奶粉",
    "茶叶礼盒",
    "运动鞋",
    "保健品",
    "手机",
    "零食大礼包",
]
STORIES = [
    "直播间承诺七天无理由退货，收货后商家拒绝退货。订单号{order}，金额{amount}元。",
    "主播宣称{goods}为正品，收到后发现是仿冒品，商家拒绝提供进货凭证。",
    "购买的{goods}与直播间展示的不一致，客服一直不回复。",
    "直播间标价{amount}元，下单后被加收运费和服务费，未明码标价。",
    "主播宣称{goods}有治疗作用，属于虚假宣传。",
    "直播间观看人数和销量疑似刷量，评论区差评被删除。",
    "{goods}收到时已损坏，商家以“直播特价”为由拒绝售后。",
]


def bench_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{args.database}?conn_max_age={args.conn_max_age}",
        REDIS_URL=f"redis://{HOST}:6379/5",
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        COMPLAINT_API_RATE=args.rate,
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(cmd, env, **kwargs):
    """Run one of this script's own commands (fixed arguments, no shell)."""
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, timeout=300, **kwargs)


def prepare_database(args, env) -> dict:
    pg = ["-h", HOST, "-U", "postgres"]
    if not args.keep_db:
        run(["dropdb", *pg, "--if-exists", args.database], env)
    query = "SELECT 1 FROM pg_database WHERE datname = :'name'"
    exists = run(
        ["psql", *pg, "-At", "-v", f"name={args.database}"],
        env,
        input=query,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        run(["createdb", *pg, args.database], env)
    started = time.monotonic()
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], env)
    run([str(PYTHON), "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    print(f"database ready: {args.database} ({time.monotonic() - started:.1f} s migrate+seed)")
    script = """
import json
from accounts.models import Platform
from complaints.models import Complaint
from registry.models import LiveRoom, ViolationCategory
active = ViolationCategory.objects.filter(is_active=True)
print(json.dumps({
    "categories": list(active.values_list("code", flat=True)),
    "platforms": list(Platform.objects.filter(is_active=True).values_list("uscc", flat=True)),
    "rooms": list(LiveRoom.objects.values_list("platform__uscc", "account_id", "name")),
    "complaints": Complaint.objects.count(),
}))
"""
    out = run(
        [str(PYTHON), "manage.py", "shell", "-c", script], env, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def count_complaints(env) -> int:
    script = "from complaints.models import Complaint; print(Complaint.objects.count())"
    out = run(
        [str(PYTHON), "manage.py", "shell", "-c", script], env, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def build_payloads(n: int, data: dict, rng: random.Random) -> list[bytes]:
    rooms_by_platform: dict[str, list[tuple[str, str]]] = {}
    for uscc, account, name in data["rooms"]:
        rooms_by_platform.setdefault(uscc, []).append((account, name))
    platforms = data["platforms"]
    categories = data["categories"]
    phones: list[str] = []
    payloads = []
    today = datetime.now(UTC).date()
    for i in range(n):
        kind = "report" if rng.random() < 0.25 else "complaint"
        goods = rng.choice(GOODS)
        order = f"{rng.randrange(10**15, 10**16)}"
        amount = f"{rng.randrange(990, 999900) / 100:.2f}"
        body = {
            "kind": kind,
            "category": "consumer-dispute"
            if kind == "complaint" and rng.random() < 0.5
            else rng.choice(categories),
            "description": rng.choice(STORIES).format(order=order, amount=amount, goods=goods)
            + f"（{i}）",
            "consumer_region": rng.choice(REGIONS),
        }
        roll = rng.random()
        if roll < 0.05:  # a platform not on record
            body["platform_other"] = rng.choice(["某短视频平台", "某社交电商小程序"])
        else:
            uscc = rng.choice(platforms)
            body["platform"] = uscc
            rooms = rooms_by_platform.get(uscc, [])
            if rooms and roll < 0.85:  # a live room on record
                account, name = rng.choice(rooms)
                body["live_room_account"] = account
                body["live_room_name"] = name
            else:  # an account the registry does not know
                body["live_room_account"] = f"acct-{rng.randrange(10**6):06d}"
        if kind == "complaint" or rng.random() < 0.3:
            body["occurred_on"] = (today - timedelta(days=rng.randrange(60))).isoformat()
            body["order_number"] = order
            body["amount"] = amount
        if kind == "report" and rng.random() < 0.2:
            body["anonymous"] = True
        else:
            if phones and rng.random() < 0.05:  # the same person again: duplicate check hits
                phone = rng.choice(phones)
            else:
                phone = "1" + rng.choice("3456789") + f"{rng.randrange(10**9):09d}"
                phones.append(phone)
            body["contact_phone"] = phone
            if kind == "complaint" or rng.random() < 0.5:
                body["contact_name"] = rng.choice(SURNAMES) + rng.choice(TITLES)
        payloads.append(json.dumps(body, ensure_ascii=False).encode())
    return payloads


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
        args.worker_class,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--keep-alive",
        "5",
        "--timeout",
        "60",
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
            if resp.status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy within 60 s")


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pids) -> float:
    """CPU seconds (user + system) used so far by the processes ``pids``, from /proc."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the children of its master."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == master:
            pids.append(int(entry))
    return pids


def backend_pids(env, database: str) -> list[int]:
    """The PostgreSQL server processes connected to the bench's database (they stay
    for the whole run: CONN_MAX_AGE keeps each worker's connection)."""
    query = "SELECT pid FROM pg_stat_activity WHERE datname = :'name' AND pid <> pg_backend_pid()"
    out = run(
        ["psql", "-h", HOST, "-U", "postgres", "-At", "-v", f"name={database}"],
        env,
        input=query,
        capture_output=True,
        text=True,
    ).stdout
    return [int(x) for x in out.split()]


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group started for this gunicorn only
        proc.wait(timeout=10)


class Round:
    """One round of submissions shared by the client threads."""

    def __init__(self, payloads: list[bytes], port: int, stop_at: float, clients: int):
        self.payloads = payloads
        self.clients = clients
        self.port = port
        self.stop_at = stop_at
        self.next = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.codes: set[str] = set()
        self.connections = 0
        self.sent = 0

    def take(self) -> int | None:
        with self.lock:
            if self.next >= len(self.payloads) or time.monotonic() > self.stop_at:
                return None
            self.next += 1
            return self.next - 1

    def client(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        latencies, errors, codes, connections = [], [], [], 0
        try:
            while (i := self.take()) is not None:
                if conn.sock is None:
                    connections += 1
                started = time.perf_counter()
                try:
                    conn.request("POST", PATH, body=self.payloads[i], headers=headers)
                    resp = conn.getresponse()
                    raw = resp.read()
                    elapsed = time.perf_counter() - started
                except (OSError, http.client.HTTPException) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    conn.close()
                    continue
                latencies.append(elapsed)
                if resp.status != 201:
                    errors.append(f"HTTP {resp.status}: {raw[:200]!r}")
                    continue
                try:
                    code = json.loads(raw)["tracking_code"]
                except (ValueError, KeyError, TypeError):
                    errors.append(f"no tracking_code: {raw[:200]!r}")
                    continue
                if not code:
                    errors.append("empty tracking_code")
                    continue
                codes.append(code)
        finally:
            conn.close()
            with self.lock:
                self.latencies += latencies
                self.errors += errors
                self.codes.update(codes)
                self.connections += connections
                self.sent += len(latencies) + sum(1 for e in errors if not e.startswith("HTTP"))

    def run(self) -> float:
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-p * len(sorted_values) // 100)))  # ceil(p/100 * n)
    return sorted_values[rank - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="measured submissions")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=100, help="submissions before measuring")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="CONN_MAX_AGE in seconds (0 = one DB connection per request)",
    )
    parser.add_argument("--rate", default="1000000/s", help="COMPLAINT_API_RATE for the run")
    parser.add_argument("--database", default="portal_bench")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is")
    parser.add_argument("--deadline", type=float, default=600, help="seconds for both rounds")
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    if not 1 <= args.requests <= 100_000:
        parser.error("--requests must be between 1 and 100000")
    if not 1 <= args.clients <= 200:
        parser.error("--clients must be between 1 and 200")

    env = bench_env(args)
    data = prepare_database(args, env)
    rng = random.Random(args.seed)
    warmup = build_payloads(args.warmup, data, rng)
    payloads = build_payloads(args.requests, data, rng)
    before = data["complaints"]

    port = free_port()
    proc = None
    load_before = os.getloadavg()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile(
        prefix="bench-intake-gunicorn-", suffix=".log", delete=False
    ) as log:
        try:
            proc = start_gunicorn(args, env, port, log)
            stop_at = time.monotonic() + args.deadline
            warm = Round(warmup, port, stop_at, args.clients)
            warm.run()
            if warm.errors:
                print(f"warm-up errors: {len(warm.errors)} (first: {warm.errors[0]})")
            measured = Round(payloads, port, stop_at, args.clients)
            # The steady state: CPU of the workers and of their database connections
            # during the measured round only (start-up and warm-up left out).
            workers, backends = worker_pids(proc.pid), backend_pids(env, args.database)
            workers_before, backends_before = process_cpu(workers), process_cpu(backends)
            client_before = resource.getrusage(resource.RUSAGE_SELF)
            seconds = measured.run()
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            workers_cpu = process_cpu(workers) - workers_before
            # Connections opened during the round (CONN_MAX_AGE 0) are not counted.
            backends_cpu = process_cpu(backends) - backends_before
        finally:
            if proc is not None:
                stop_gunicorn(proc)
    load_after = os.getloadavg()
    # gunicorn's master reaps its workers, so once it has exited their CPU time is ours.
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)

    def cpu(before, after):
        return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    lat = sorted(x * 1000 for x in measured.latencies)
    ok = len(measured.codes)
    after = count_complaints(env)
    workers = f"{args.workers} {args.worker_class}" + (
        f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    print(f"gunicorn workers: {workers}; CONN_MAX_AGE {args.conn_max_age}; rate {args.rate}")
    print(f"clients: {args.clients}")
    print(
        "load average before/after (the machine is shared): "
        + " ".join(f"{x:.2f}" for x in load_before)
        + " / "
        + " ".join(f"{x:.2f}" for x in load_after)
    )
    print(f"requests planned: {len(payloads)}")
    print(f"requests sent: {measured.sent}")
    print(f"responses 201 with tracking_code: {ok}")
    print(f"errors: {len(measured.errors) + len(warm.errors)}")
    for error in measured.errors[:5]:
        print(f"  error: {error}")
    if measured.sent < len(payloads):
        print(f"INCOMPLETE: --deadline {args.deadline:.0f} s reached")
    print(f"seconds: {seconds:.2f}")
    print(f"submissions/s: {ok / seconds:.1f}")
    print(f"latency p50 ms: {percentile(lat, 50):.1f}")
    print(f"latency p95 ms: {percentile(lat, 95):.1f}")
    print(f"latency p99 ms: {percentile(lat, 99):.1f}")
    print(f"latency max ms: {lat[-1] if lat else float('nan'):.1f}")
    print(f"tcp connections opened by clients: {measured.connections}")
    served = len(warm.codes) + ok
    print(
        "gunicorn CPU ms per submission (workers, incl. start-up and warm-up):"
        f" {cpu(children_before, children_after) * 1000 / max(served, 1):.1f}"
    )
    print(
        "load generator CPU ms per submission:"
        f" {cpu(client_before, client_after) * 1000 / max(ok, 1):.1f}"
    )
    print(
        "measured round CPU ms per submission: gunicorn workers"
        f" {workers_cpu * 1000 / max(ok, 1):.2f}, PostgreSQL backends"
        f" {backends_cpu * 1000 / max(ok, 1):.2f} ({len(backends)} connections)"
    )
    print(f"complaints in database: {after} (expected {before + len(warm.codes) + ok})")
    p95 = percentile(lat, 95)
    met = p95 < 150 and not measured.errors and not warm.errors
    print(f"target p95 < 150 ms and 0 errors: {'met' if met else 'NOT met'}")
    print(f"gunicorn log: {log.name}")
    return 0 if not measured.errors and after == before + len(warm.codes) + ok else 1


if __name__ == "__main__":
    sys.exit(main())
