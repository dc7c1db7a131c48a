"""Filing retries: repeated batch posts with the same external ids create
no duplicates, also when they are sent at the same moment.

What it checks
    A platform's systems retry: ``--posts`` (default 10,000) calls of
    ``POST /api/v1/filings/batch/`` from ``--clients`` (default 20) concurrent
    clients with the platform's API key, every call one of ``--batches``
    (default 20) fixed batches of ``--items`` (default 5) filings, so that each
    external id is sent some 500 times, many of them at once. Afterwards:

    - no answer was a 5xx, every answer a 200 whose items are ``created`` or
      ``duplicate``, none ``invalid``;
    - across all answers each external id was ``created`` exactly once;
    - the database holds exactly one filing per external id (the unique
      constraint on platform + external id and the service's lookup agree).

How to run (from the project root; PostgreSQL on 127.0.0.1:5432 with trust
auth)::

    .venv/bin/python bench/filing_retries.py
    .venv/bin/python bench/filing_retries.py --posts 2000 --clients 10

It drops and recreates its own database ``h_rely_filings``, migrates it, loads
the demo data, issues an API key to the demo platform 星河, starts gunicorn (2
sync workers, ``config.settings.dev``, DEBUG off, Celery eager, no Redis) on
127.0.0.1, sends the posts, checks, stops gunicorn and drops the database (in
a ``finally``). It touches nothing else. Bounded by ``--deadline`` seconds.
Exit status 1 when a check fails.
"""

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
DATABASE = "h_rely_filings"
PG = ["-h", HOST, "-U", "postgres"]


def env_for(port: int) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@{HOST}:5432/{DATABASE}",
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="plain",
        OTP_REQUIRED="false",
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


ITEMS_SCRIPT = """
import json
from datetime import date, timedelta
from demo.data import demo_ric
items = []
for n in range({count}):
    items.append({{
        "external_id": f"RETRY-{{n:05d}}",
        "party_kind": "marketer",
        "party_name": f"主播{{n}}",
        "party_id_number": demo_ric("330106", date(1990, 1, 1) + timedelta(days=n), n % 900 + 1),
        "live_room_account": "xh-10086",
        "category": "false-information",
        "measures": ["warning"],
        "conduct_at": "2026-03-01T20:15:00+08:00",
        "acted_at": "2026-03-02T10:00:00+08:00",
        "facts": "直播中宣称普通食品具有治疗功效，已警示。",
    }})
print(json.dumps(items, ensure_ascii=False))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--deadline", type=int, default=1200)
    args = parser.parse_args()
    started = time.monotonic()
    env = env_for(args.port)
    gunicorn = None
    failures = []
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    try:
        subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=True)
        subprocess.run(["createdb", *PG, DATABASE], check=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", stdout=subprocess.DEVNULL)
        uscc = manage(
            env,
            "shell",
            "-c",
            "from accounts.models import Platform; "
            "print(Platform.objects.get(name='星河直播电商有限公司').uscc)",
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        key = manage(
            env, "platform_api_key", uscc, "--name", "retries", capture_output=True, text=True
        ).stdout.split()[-1]
        count = args.batches * args.items
        items = json.loads(
            manage(
                env,
                "shell",
                "-c",
                ITEMS_SCRIPT.format(count=count),
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        batches = [
            json.dumps({"items": items[b * args.items : (b + 1) * args.items]}).encode()
            for b in range(args.batches)
        ]
        before = int(
            manage(
                env,
                "shell",
                "-c",
                "from filings.models import DisposalFiling; print(DisposalFiling.objects.count())",
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
        )
        with open(ROOT / "var" / "filing_retries_gunicorn.log", "w") as log:
            gunicorn = subprocess.Popen(
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
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection(HOST, args.port, timeout=5)
                conn.request("GET", "/complaints/track/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)

        # Every client walks the batches in the same order from a random start: the
        # same external ids are in flight from several clients at once.
        rng = random.Random(8)
        order = [(rng.randrange(args.batches) + n) % args.batches for n in range(args.posts)]
        statuses: Counter = Counter()
        item_statuses: Counter = Counter()
        created: Counter = Counter()
        lock = threading.Lock()
        position = [0]
        deadline = started + args.deadline
        headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {key}"}

        def client():
            conn = None
            while True:
                with lock:
                    if position[0] >= len(order) or time.monotonic() > deadline:
                        return
                    batch = order[position[0]]
                    position[0] += 1
                try:
                    conn = conn or http.client.HTTPConnection(HOST, args.port, timeout=60)
                    conn.request("POST", "/api/v1/filings/batch/", batches[batch], headers)
                    resp = conn.getresponse()
                    body = resp.read()
                    status = resp.status
                    answer = json.loads(body) if status == 200 else {}
                    conn.close()
                    conn = None
                except (OSError, http.client.HTTPException, ValueError):
                    status, answer = -1, {}
                    conn = None
                with lock:
                    statuses[status] += 1
                    for result in answer.get("results", []):
                        item_statuses[result["status"]] += 1
                        if result["status"] == "created":
                            created[result["external_id"]] += 1

        load_started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - load_started
        after = json.loads(
            manage(
                env,
                "shell",
                "-c",
                "import json; from django.db.models import Count; "
                "from filings.models import DisposalFiling as F; "
                "q = F.objects.filter(external_id__startswith='RETRY-'); "
                "print(json.dumps({'total': F.objects.count(), 'retry': q.count(), "
                "'twice': q.values('platform', 'external_id').annotate(n=Count('pk'))"
                ".filter(n__gt=1).count()}))",
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        sent = sum(statuses.values())
        print(
            f"{sent} batch posts ({args.batches} batches of {args.items} external ids) from "
            f"{args.clients} clients in {seconds:.1f} s ({sent / seconds:.1f}/s); "
            f"load average {Path('/proc/loadavg').read_text().strip()}"
        )
        print(f"  answers: {dict(statuses)}")
        print(f"  items: {dict(item_statuses)}")
        once = sum(1 for item in items if created[item["external_id"]] == 1)
        print(f"  external ids created exactly once across all answers: {once} of {count}")
        print(
            f"  filings in the database: {after['retry']} for {count} external ids "
            f"(with the demo's: {after['total']}, before: {before}); "
            f"external ids stored twice: {after['twice']}"
        )
        if (
            sent != args.posts
            or set(statuses) != {200}
            or item_statuses.get("invalid")
            or once != count
            or after["retry"] != count
            or after["twice"]
        ):
            failures.append("filing retries")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(30)
        subprocess.run(["dropdb", *PG, "--if-exists", DATABASE], check=False)
    print(
        f"total {time.monotonic() - started:.0f} s; result: "
        + ("FAILED" if failures else "ok (no duplicates)")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
