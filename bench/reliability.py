"""Reliability under faults: complaint intake with a real Celery worker
on Redis, while the worker is killed and Redis and PostgreSQL are restarted.

What it checks
    Phase 1 — ``--requests`` (default 10,000) complaint submissions over HTTP
    (``POST /api/v1/complaints/``, each with its own contact email, so each owes
    one "received" email) from ``--clients`` concurrent clients against gunicorn
    on PostgreSQL, with a Celery worker and Celery beat on Redis. At 25 % of the
    submissions the worker is killed (SIGKILL, its whole process group) and
    started again 5 s later; at 50 % Redis is killed and started again (its
    queue is lost: no persistence); at 75 % the worker is killed again.
    Afterwards:

    - no response was a 5xx (every one is a 201 with a tracking code);
    - every 201 has its case in the database;
    - every case's email was sent exactly once: the file email backend's files
      are read back and each address must appear in exactly one ``To:`` line;
      and no ``Notification`` is left unsent.

    Phase 2 — ``--pg-requests`` (default 2,000) more submissions while the
    PostgreSQL server is restarted (``pg_ctl restart -m fast``) at 40 %: the
    requests during the restart may fail (5xx, counted and reported), the
    portal must recover by itself (``CONN_HEALTH_CHECKS``: no restart of
    gunicorn or the worker), i.e. the last half of the phase answers 201 only,
    every 201 has its case and its email, once.

How to run (from the project root; as root, since the private PostgreSQL
cluster is run as the ``postgres`` user)::

    .venv/bin/python bench/reliability.py                         # 10,000 + 2,000
    .venv/bin/python bench/reliability.py --requests 2000 --pg-requests 500

It never touches the shared servers: it makes a PRIVATE PostgreSQL cluster
(``initdb`` into a temporary folder, port ``--pg-port``, default 5441) and a
PRIVATE redis-server (port ``--redis-port``, default 6391), and stops and
removes both at the end (in a ``finally``), with gunicorn, the worker and beat.
Settings: ``config.settings.dev`` with DEBUG off, the broker and the cache on
the private Redis (databases 0 and 1: a Redis restart takes both away at once,
and intake must go on with the cache failing open), ``CELERY_VISIBILITY_TIMEOUT=30``
and ``NOTIFICATION_CLAIM_LEASE=30``
(a killed worker's tasks and claims come back after 30 s instead of the
production hour and ten minutes), beat's resend sweep every 15 s for emails
unsent after 20 s, the file email backend. Bounded by ``--deadline`` seconds.
Exit status 1 when a check fails.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PATH = "/api/v1/complaints/"
REGIONS = ["330106", "330108", "330110", "330203", "440104", "440106", "110105"]
STORIES = [
    "直播间承诺七天无理由退货，收货后商家拒绝退货。",
    "主播宣称商品为正品，收到后发现是仿冒品。",
    "购买的商品与直播间展示的不一致，客服一直不回复。",
    "主播宣称保健品有治疗作用，属于虚假宣传。",
]


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for version in sorted(Path("/usr/lib/postgresql").glob("*"), reverse=True):
        candidate = version / "bin" / name
        if candidate.exists():
            return str(candidate)
    raise SystemExit(f"{name} not found")


def as_postgres(cmd: list[str], **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, **kwargs)


class PrivateServers:
    """A PostgreSQL cluster and a redis-server of this run only."""

    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.pgroot = work / "pg"  # the postgres user's: the cluster and its log
        self.pgdata = self.pgroot / "data"
        self.redis: subprocess.Popen | None = None

    def start_postgres(self):
        self.work.chmod(0o755)
        self.pgroot.mkdir()
        shutil.chown(self.pgroot, "postgres", "postgres")
        as_postgres(
            [pg_bin("initdb"), "-D", str(self.pgdata), "-A", "trust", "-U", "postgres"],
            stdout=subprocess.DEVNULL,
        )
        self.pg_ctl("start")
        subprocess.run(
            ["createdb", "-h", HOST, "-p", str(self.args.pg_port), "-U", "postgres", "rely"],
            check=True,
        )

    def pg_ctl(self, action: str):
        options = f"-p {self.args.pg_port} -k /tmp -c listen_addresses={HOST}"
        as_postgres(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.pgroot / "postgres.log"),
                "-o",
                options,
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                action,
            ],
            stdout=subprocess.DEVNULL,
        )

    def start_redis(self):
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.args.redis_port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.work),
                "--logfile",
                str(self.work / "redis.log"),
            ],
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(self.args.redis_port), "ping"],
                capture_output=True,
                text=True,
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def kill_redis(self):
        if self.redis and self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait(10)

    def stop(self):
        self.kill_redis()
        if self.pgdata.exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl("stop")


def portal_env(args, work: Path) -> dict:
    env = dict(os.environ)
    env.update(
        REDIS_URL=f"redis://{HOST}:{args.redis_port}/1",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:{args.pg_port}/rely",
        DB_CONN_MAX_AGE="60",
        DB_CONN_HEALTH_CHECKS="true",
        CELERY_BROKER_URL=f"redis://{HOST}:{args.redis_port}/0",
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_VISIBILITY_TIMEOUT="30",
        NOTIFICATION_CLAIM_LEASE="30",
        NOTIFICATION_RESEND_AFTER="20",
        NOTIFICATION_RESEND_EVERY="15",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(work / "mail"),
        COMPLAINT_API_RATE="1000000/s",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="plain",
        OTP_REQUIRED="false",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [str(VENV / "python"), "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        **kwargs,
    )


def shell(env, script: str) -> dict:
    out = manage(env, "shell", "-c", script, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Process:
    """One of the portal's processes (gunicorn, worker, beat), in its own group."""

    def __init__(self, name, cmd, env, log: Path):
        self.name, self.cmd, self.env, self.log = name, cmd, env, log
        self.proc: subprocess.Popen | None = None

    def start(self):
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(
                self.cmd,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def wait_healthy(port: int, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/complaints/track/")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def payloads(n: int, start: int, data: dict, rng: random.Random) -> list[tuple[str, bytes]]:
    rooms = data["rooms"]
    out = []
    for i in range(start, start + n):
        uscc, account = rng.choice(rooms)
        email = f"rely{i}@example.com"
        body = {
            "kind": "complaint",
            "category": "consumer-dispute",
            "description": rng.choice(STORIES) + f"（{i}）",
            "consumer_region": rng.choice(REGIONS),
            "platform": uscc,
            "live_room_account": account,
            "contact_name": "陈女士",
            "contact_phone": "1" + rng.choice("3456789") + f"{rng.randrange(10**9):09d}",
            "contact_email": email,
        }
        out.append((email, json.dumps(body, ensure_ascii=False).encode()))
    return out


class Load:
    """``clients`` threads sending the bodies; answers recorded by position."""

    def __init__(self, port: int, bodies, clients: int, deadline: float):
        self.port, self.bodies, self.clients, self.deadline = port, bodies, clients, deadline
        self.results: list[tuple[int, str, float] | None] = [None] * len(bodies)
        self.next = 0
        self.done = 0
        self.lock = threading.Lock()

    def _take(self) -> int | None:
        with self.lock:
            if self.next >= len(self.bodies) or time.monotonic() > self.deadline:
                return None
            i = self.next
            self.next += 1
            return i

    def _client(self):
        conn = None
        while (i := self._take()) is not None:
            _email, body = self.bodies[i]
            status, code = 0, ""
            try:
                conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=60)
                conn.request("POST", PATH, body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                raw = resp.read()
                status = resp.status
                if status == 201:
                    code = json.loads(raw).get("tracking_code", "")
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException, ValueError):
                status = -1  # connection refused or reset: no answer at all
                if conn:
                    conn.close()
                conn = None
            self.results[i] = (status, code, time.monotonic())
            with self.lock:
                self.done += 1

    def run(self, events: dict[float, callable]):
        """Send everything; call ``events[fraction]`` once that share is done."""
        threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        pending = sorted(events.items())
        running = []
        while any(t.is_alive() for t in threads):
            while pending and self.done >= pending[0][0] * len(self.bodies):
                _share, event = pending.pop(0)
                running.append(threading.Thread(target=event))  # the load goes on meanwhile
                running[-1].start()
            time.sleep(0.05)
        seconds = time.monotonic() - started
        for thread in running:
            thread.join()
        return seconds


def sent_counts(mail_dir: Path) -> Counter:
    counts: Counter = Counter()
    to_line = re.compile(r"^To: (\S+)$", re.MULTILINE)
    for path in mail_dir.glob("*.log"):
        counts.update(to_line.findall(path.read_text(errors="replace")))
    return counts


CHECK_SCRIPT = """
import json
from complaints.models import Complaint
from portal.models import Notification
codes = json.load(open({codes!r}))
found = set(
    Complaint.objects.filter(tracking_code__in=codes).values_list("tracking_code", flat=True)
)
print(json.dumps({{
    "missing": sorted(set(codes) - found)[:20],
    "missing_count": len(set(codes) - found),
    "complaints": Complaint.objects.count(),
    "unsent": Notification.objects.filter(sent_at__isnull=True).count(),
    "notifications": Notification.objects.count(),
    "attempts_over_1": Notification.objects.filter(attempts__gt=1).count(),
}}))
"""


def wait_for_mail(env, work: Path, deadline: float) -> dict:
    """Until no Notification is left unsent (beat's resend sweep runs every 15 s)."""
    codes = work / "none.json"
    codes.write_text("[]")
    state = {}
    while time.monotonic() < deadline:
        state = shell(env, CHECK_SCRIPT.format(codes=str(codes)))
        if state["unsent"] == 0:
            return state
        time.sleep(5)
    return state


def check(env, work: Path, label: str, bodies, results) -> tuple[bool, dict]:
    statuses = Counter(r[0] if r else "not sent" for r in results)
    created = [(bodies[i][0], r[1]) for i, r in enumerate(results) if r and r[0] == 201]
    codes_file = work / f"codes-{label}.json"
    codes_file.write_text(json.dumps([code for _email, code in created]))
    state = shell(env, CHECK_SCRIPT.format(codes=str(codes_file)))
    counts = sent_counts(work / "mail")
    emails_once = sum(1 for email, _code in created if counts[email] == 1)
    emails_twice = sum(1 for email, _code in created if counts[email] > 1)
    emails_none = sum(1 for email, _code in created if counts[email] == 0)
    figures = {
        "statuses": dict(statuses),
        "created": len(created),
        "cases missing": state["missing_count"],
        "emails exactly once": emails_once,
        "emails more than once": emails_twice,
        "emails never": emails_none,
        "notifications unsent": state["unsent"],
        "notifications sent after more than one attempt": state["attempts_over_1"],
    }
    ok = state["missing_count"] == 0 and emails_twice == 0 and emails_none == 0
    return ok, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--pg-requests", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pg-port", type=int, default=5441)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--deadline", type=int, default=1800, help="seconds for the whole run")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the private PostgreSQL cluster runs as user postgres")

    started = time.monotonic()
    deadline = started + args.deadline
    work = Path(tempfile.mkdtemp(prefix="h_rely_"))
    (work / "mail").mkdir()
    servers = PrivateServers(args, work)
    env = portal_env(args, work)
    gunicorn = Process(
        "gunicorn",
        [
            str(VENV / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env,
        work / "gunicorn.log",
    )
    worker = Process(
        "worker",
        [
            str(VENV / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        work / "worker.log",
    )
    beat = Process(
        "beat",
        [
            str(VENV / "celery"),
            "-A",
            "config",
            "beat",
            "--scheduler",
            "celery.beat:PersistentScheduler",
            "--schedule",
            str(work / "beat-schedule"),
            "--loglevel",
            "WARNING",
        ],
        env,
        work / "beat.log",
    )
    failures = []
    print(f"work folder: {work}  load average: {loadavg()}")
    try:
        servers.start_postgres()
        servers.start_redis()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", stdout=subprocess.DEVNULL)
        data = shell(
            env,
            "import json\nfrom registry.models import LiveRoom\n"
            "print(json.dumps({'rooms': list(LiveRoom.objects.values_list("
            "'platform__uscc', 'account_id'))}))",
        )
        for process in (gunicorn, worker, beat):
            process.start()
        wait_healthy(args.port)
        rng = random.Random(8)

        # --- phase 1: worker killed twice, Redis restarted -----------------------
        bodies = payloads(args.requests, 0, data, rng)
        timeline = []

        def kill_worker():
            worker.kill()
            timeline.append((time.monotonic() - started, "worker killed (SIGKILL)"))
            time.sleep(5)
            worker.start()
            timeline.append((time.monotonic() - started, "worker started"))

        def restart_redis():
            servers.kill_redis()
            timeline.append((time.monotonic() - started, "redis killed (SIGKILL)"))
            time.sleep(2)
            servers.start_redis()
            timeline.append((time.monotonic() - started, "redis started (empty)"))

        load = Load(args.port, bodies, args.clients, deadline)
        seconds = load.run({0.25: kill_worker, 0.5: restart_redis, 0.75: kill_worker})
        print(
            f"phase 1: {len(bodies)} submissions in {seconds:.1f} s "
            f"({len(bodies) / seconds:.1f}/s), load average "
            f"{loadavg()}"
        )
        for at, what in timeline:
            print(f"  t={at:7.1f} s  {what}")
        state = wait_for_mail(env, work, min(deadline, time.monotonic() + 300))
        print(f"  mail drained: {state.get('unsent', '?')} unsent")
        ok, figures = check(env, work, "phase1", bodies, load.results)
        fivexx = sum(n for s, n in figures["statuses"].items() if isinstance(s, int) and s >= 500)
        no_answer = figures["statuses"].get(-1, 0)
        for name, value in figures.items():
            print(f"  {name}: {value}")
        if not ok or fivexx or no_answer or figures["created"] != len(bodies):
            failures.append("phase 1")

        # --- phase 2: PostgreSQL restarted under load -----------------------------
        if args.pg_requests:
            bodies2 = payloads(args.pg_requests, args.requests, data, rng)
            timeline.clear()

            up_at: list[float] = []

            def restart_postgres():
                timeline.append((time.monotonic() - started, "postgres restart begins"))
                servers.pg_ctl("restart")
                up_at.append(time.monotonic())
                timeline.append((time.monotonic() - started, "postgres up again"))

            load2 = Load(args.port, bodies2, args.clients, deadline)
            seconds = load2.run({0.4: restart_postgres})
            print(
                f"phase 2: {len(bodies2)} submissions in {seconds:.1f} s, load average {loadavg()}"
            )
            for at, what in timeline:
                print(f"  t={at:7.1f} s  {what}")
            state = wait_for_mail(env, work, min(deadline, time.monotonic() + 300))
            ok2, figures2 = check(env, work, "phase2", bodies2, load2.results)
            for name, value in figures2.items():
                print(f"  {name}: {value}")
            up_again = up_at[0] + 1.0 if up_at else float("inf")
            after = [r for r in load2.results if r and r[2] > up_again]
            failed_during = sum(1 for r in load2.results if r and r[0] != 201)
            recovered = bool(after) and all(r[0] == 201 for r in after)
            print(f"  failed while the database was down: {failed_during}")
            print(
                f"  answered more than 1 s after it was up: {len(after)}, all 201 "
                f"(recovered by itself, no restart of gunicorn or the worker): {recovered}"
            )
            if not ok2 or not recovered:
                failures.append("phase 2")
    finally:
        for process in (beat, worker, gunicorn):
            process.kill(signal.SIGTERM)
        servers.stop()
        if not failures and not os.environ.get("KEEP_RELY_WORK"):
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"total {time.monotonic() - started:.0f} s; result: "
        + ("FAILED " + ", ".join(failures) if failures else "ok")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
