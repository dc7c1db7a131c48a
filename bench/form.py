"""Benchmark: the public HTML form against the JSON API, in one run.

What it measures
    The consumer's form as a browser drives it: ``GET /complaints/new/`` (the CSRF
    cookie, the session, the form's hidden fields), then ``POST`` with the CSRF
    token, the fill-time stamp, the empty honeypot and the fields, answered by a
    302 to the receipt page. In the same run, the JSON intake
    (``POST /api/v1/complaints/``) with the same cases. Both give a contact email,
    so both owe a confirmation email; Celery is eager, so the email is rendered
    and sent in the request, as a simple desk would. For each it prints
    submissions per second, the POST's p50 and p95 latency, the CPU milliseconds
    per submission of gunicorn's workers and of their PostgreSQL connections, and
    the queries one POST makes.

Targets
    The form POST makes at most the API's queries plus 2 (the session's read and
    write); its CPU per submission is at most 1.2 times the API's.

How to run (from the project root; PostgreSQL on 127.0.0.1:5432, Redis on
127.0.0.1:6379)::

    .venv/bin/python bench/form.py                    # 1,000 of each, 20 clients
    .venv/bin/python bench/form.py --requests 3000 --keep-db

It makes its own database (``portal_bench_form``), migrates it and loads the
demo data, serves it with gunicorn (2 sync workers, dev settings with DEBUG
off, ``COMPLAINT_MIN_FILL_SECONDS=0`` and rate limits out of the way, Redis db
5), runs a warm-up and then the two measured rounds one after the other, and
always stops gunicorn. The queries per POST are counted in a separate process
with Django's test client against the same database, after a warm-up
submission of each kind, so that they are those of a running server.
"""

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import (
    HOST,
    PYTHON,
    ROOT,
    backend_pids,
    bench_env,
    build_payloads,
    free_port,
    percentile,
    prepare_database,
    process_cpu,
    start_gunicorn,
    stop_gunicorn,
    worker_pids,
)

FORM = "/complaints/new/"
API = "/api/v1/complaints/"
STAMP = re.compile(rb'name="stamp" value="([^"]+)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

COUNT_QUERIES = """
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import Platform, Region
from registry.models import ViolationCategory

case = json.loads({case!r})
category = ViolationCategory.objects.get(code=case["category"])
platform = Platform.objects.get(uscc=case["platform"])

def statements(seen):
    # Queries, not transaction control (BEGIN, COMMIT, savepoints).
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return sum(1 for q in seen if not q["sql"].startswith(control))

def form_post(client, phone):
    page = client.get("/complaints/new/")
    stamp = page.content.decode().split('name="stamp" value="')[1].split('"')[0]
    data = dict(case, category=category.pk, platform=platform.pk, stamp=stamp,
                contact_phone=phone, website="", pending="")
    with CaptureQueriesContext(connection) as seen:
        answer = client.post("/complaints/new/", data)
    assert answer.status_code == 302, answer.status_code
    return statements(seen)

def api_post(client, phone):
    with CaptureQueriesContext(connection) as seen:
        answer = client.post("/api/v1/complaints/", dict(case, contact_phone=phone),
                             content_type="application/json")
    assert answer.status_code == 201, answer.content
    return statements(seen)

form, api = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
form_post(form, "13900000001"); api_post(api, "13900000002")  # the kept lookups filled
print(json.dumps({{"form": form_post(form, "13900000003"), "api": api_post(api, "13900000004")}}))
"""


def form_fields(body: dict, data: dict) -> dict:
    """The API body as the form's fields (ids for the category and platform)."""
    fields = {k: v for k, v in body.items() if k not in ("category", "platform", "anonymous")}
    fields["category"] = data["category_ids"][body["category"]]
    if "platform" in body:
        fields["platform"] = data["platform_ids"][body["platform"]]
    if body.get("anonymous"):
        fields["anonymous"] = "on"
    return fields


class FormRound:
    """Clients that each GET the form and POST it, as a browser does."""

    def __init__(self, cases, port, clients, *, api: bool, stop_at: float, get_only=False):
        self.cases, self.port, self.clients, self.api = cases, port, clients, api
        self.get_only = get_only
        self.stop_at = stop_at
        self.next = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.done = 0

    def take(self):
        with self.lock:
            if self.next >= len(self.cases) or time.monotonic() > self.stop_at:
                return None
            self.next += 1
            return self.cases[self.next - 1]

    def one_form(self, conn, cookies: dict, fields: dict) -> tuple[int, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        conn.request("GET", FORM, headers=headers)
        page = conn.getresponse()
        html = page.read()
        for header, value in page.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        token = CSRF.search(html).group(1).decode()
        stamp = STAMP.search(html).group(1).decode()
        body = urlencode(
            dict(fields, csrfmiddlewaretoken=token, stamp=stamp, website="", pending="")
        )
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{FORM}",
        }
        started = time.perf_counter()
        conn.request("POST", FORM, body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - started

    def one_api(self, conn, body: dict) -> tuple[int, float]:
        started = time.perf_counter()
        conn.request(
            "POST",
            API,
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        answer = conn.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - started

    def one_get(self, conn, cookies: dict) -> tuple[int, float]:
        started = time.perf_counter()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        conn.request("GET", FORM, headers=headers)
        page = conn.getresponse()
        page.read()
        return page.status, time.perf_counter() - started

    def client(self):
        cookies: dict = {}
        latencies, errors = [], []
        while (case := self.take()) is not None:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                if self.get_only:
                    status, elapsed = self.one_get(conn, cookies)
                    wanted = 200
                elif self.api:
                    status, elapsed = self.one_api(conn, case[0])
                    wanted = 201
                else:
                    status, elapsed = self.one_form(conn, cookies, case[1])
                    wanted = 302
            except (OSError, http.client.HTTPException, AttributeError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            finally:
                conn.close()
            latencies.append(elapsed)
            if status != wanted:
                errors.append(f"HTTP {status}")
        with self.lock:
            self.latencies += latencies
            self.errors += errors
            self.done += len(latencies)

    def run(self) -> float:
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started


def measured(round_: FormRound, proc, env, database) -> dict:
    workers, backends = worker_pids(proc.pid), backend_pids(env, database)
    w0, b0 = process_cpu(workers), process_cpu(backends)
    seconds = round_.run()
    ok = round_.done - len(round_.errors)
    lat = sorted(x * 1000 for x in round_.latencies)
    return {
        "ok": ok,
        "errors": round_.errors,
        "per_second": ok / seconds,
        "p50": percentile(lat, 50),
        "p95": percentile(lat, 95),
        "cpu_workers": (process_cpu(workers) - w0) * 1000 / max(ok, 1),
        "cpu_pg": (process_cpu(backends) - b0) * 1000 / max(ok, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="submissions of each kind")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--database", default="portal_bench_form")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--deadline", type=float, default=900)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    args.conn_max_age, args.rate = 60, "1000000/s"
    args.worker_class, args.workers, args.threads = "sync", 2, 1
    env = bench_env(args)
    env.update(
        COMPLAINT_MIN_FILL_SECONDS="0",
        COMPLAINT_RATE_LIMIT="1000000/s",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    data = prepare_database(args, env)
    ids = (
        subprocess.run(
            [
                str(PYTHON),
                "manage.py",
                "shell",
                "-c",
                "import json; from accounts.models import Platform; "
                "from registry.models import ViolationCategory as V; print(json.dumps({"
                "'c': dict(V.objects.values_list('code', 'pk')), "
                "'p': dict(Platform.objects.values_list('uscc', 'pk'))}))",
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    ids = json.loads(ids)
    data["category_ids"], data["platform_ids"] = ids["c"], ids["p"]
    rng = random.Random(args.seed)

    def cases(n):
        bodies = [json.loads(b) for b in build_payloads(n, data, rng)]
        for i, body in enumerate(bodies):  # every case owes an email
            body.pop("anonymous", None)
            body.setdefault("contact_phone", f"139{i:08d}")
            body["contact_email"] = f"consumer{i}@example.com"
            body.setdefault("contact_name", "陈女士")
        return [(body, form_fields(body, data)) for body in bodies]

    warm, form_cases, api_cases = cases(args.warmup), cases(args.requests), cases(args.requests)
    sample = dict(api_cases[0][0])
    sample.setdefault("platform", data["platforms"][0])
    counted = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", COUNT_QUERIES.format(case=json.dumps(sample))],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if counted.returncode:
        print(counted.stderr[-3000:])
        return 1
    counts = json.loads(counted.stdout.strip().splitlines()[-1])

    port = free_port()
    proc = None
    load_before = os.getloadavg()
    with tempfile.NamedTemporaryFile(prefix="bench-form-", suffix=".log", delete=False) as log:
        try:
            proc = start_gunicorn(args, env, port, log)
            stop_at = time.monotonic() + args.deadline
            FormRound(warm, port, args.clients, api=False, stop_at=stop_at).run()
            FormRound(warm, port, args.clients, api=True, stop_at=stop_at).run()
            form = measured(
                FormRound(form_cases, port, args.clients, api=False, stop_at=stop_at),
                proc,
                env,
                args.database,
            )
            api = measured(
                FormRound(api_cases, port, args.clients, api=True, stop_at=stop_at),
                proc,
                env,
                args.database,
            )
            # What the GET before each form POST costs, to tell the POST's own CPU.
            get = measured(
                FormRound(
                    form_cases, port, args.clients, api=False, stop_at=stop_at, get_only=True
                ),
                proc,
                env,
                args.database,
            )
        finally:
            if proc is not None:
                stop_gunicorn(proc)
    load_after = os.getloadavg()

    print(f"clients: {args.clients}; submissions of each kind: {args.requests}")
    print(
        "load average before/after: "
        + " ".join(f"{x:.2f}" for x in load_before)
        + " / "
        + " ".join(f"{x:.2f}" for x in load_after)
    )
    for name, r, queries in (("form", form, counts["form"]), ("api", api, counts["api"])):
        cpu = r["cpu_workers"] + r["cpu_pg"]
        print(
            f"{name}: {r['per_second']:.1f} submissions/s, POST p50 {r['p50']:.1f} ms,"
            f" p95 {r['p95']:.1f} ms, CPU {cpu:.2f} ms per submission (workers"
            f" {r['cpu_workers']:.2f}, PostgreSQL {r['cpu_pg']:.2f}), {queries} queries per POST,"
            f" errors {len(r['errors'])}"
        )
        for error in r["errors"][:3]:
            print(f"  {name} error: {error}")
    get_cpu = get["cpu_workers"] + get["cpu_pg"]
    print(
        f"form GET: p50 {get['p50']:.1f} ms, p95 {get['p95']:.1f} ms, CPU {get_cpu:.2f} ms,"
        f" errors {len(get['errors'])}"
    )
    form_cpu = form["cpu_workers"] + form["cpu_pg"] - get_cpu
    print(f"form POST alone: CPU {form_cpu:.2f} ms per submission (GET and POST less the GET)")
    api_cpu = api["cpu_workers"] + api["cpu_pg"]
    ratio = form_cpu / api_cpu if api_cpu else float("nan")
    print(f"form CPU / API CPU: {ratio:.2f} (target at most 1.2)")
    print(f"form queries - API queries: {counts['form'] - counts['api']} (target at most 2)")
    print(f"gunicorn log: {log.name}")
    return 0 if not form["errors"] and not api["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
