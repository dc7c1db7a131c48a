"""The upgrade of a whole database: a PostgreSQL database migrated and filled
at the last release before the code moved to config/, filings/ and oversight/
(demo data plus filings, notices, forwards and document requests answered by
API key, a blacklist entry with its history, a screening log, a statistical
report, deadlines, a clock extension and audit events: see old_extras.py)
is restored from its dump and migrated to the new head. Every row is kept,
every generic relation still finds the same row, and each page the demo users
read shows what it showed before (snapshot.py compares them)."""

import gzip
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


@pytest.fixture
def restored():
    """A fresh database holding the fixture's dump; its URL."""
    server = settings.DATABASES["default"]
    if server["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the upgrade fixture is a PostgreSQL dump")
    name = f"portal_upgrade_{uuid.uuid4().hex[:8]}"
    params = {
        "host": server.get("HOST") or "127.0.0.1",
        "port": server.get("PORT") or 5432,
        "user": server.get("USER") or "postgres",
        "password": server.get("PASSWORD") or None,
    }
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    admin.execute(f'CREATE DATABASE "{name}"')
    credentials = params["user"] + (f":{params['password']}" if params["password"] else "")
    url = f"postgres://{credentials}@{params['host']}:{params['port']}/{name}"
    try:
        # psql, not a driver: a dump holds COPY blocks and psql's own commands.
        subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull, url],
            input=gzip.decompress((HERE / "before.sql.gz").read_bytes()),
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _manage(url, *args):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_a_database_of_the_last_release_migrates_with_every_row_relation_and_page_kept(restored):
    migrated = _manage(restored, "manage.py", "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert _manage(restored, "manage.py", "migrate", "--check").returncode == 0

    checked = _manage(restored, "tests/upgrade/snapshot.py", "check", "tests/upgrade/before.json")
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert checked.stdout.startswith("kept: ")
