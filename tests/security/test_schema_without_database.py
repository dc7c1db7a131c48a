"""Schema generation runs against a fresh, unmigrated PostgreSQL database without a
warning and without one query: an operator can build the API documentation (or run
``check --deploy``) before the first migration."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, warnings
import django
django.setup()
from django.db import connection
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

queries = []
def record(execute, sql, params, many, context):
    queries.append(sql)
    return execute(sql, params, many, context)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with connection.execute_wrapper(record):
        schema = SchemaGenerator().get_schema(request=None, public=True)
print(json.dumps({
    "queries": queries,
    "warnings": sorted(set(GENERATOR_STATS._warn_cache)),
    "errors": sorted(set(GENERATOR_STATS._error_cache)),
    "python_warnings": [str(w.message) for w in caught],
    "paths": len(schema["paths"]),
}))
"""


def _empty_database():
    """A PostgreSQL database with no tables at all, next to the test database."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    name = f"{db['NAME'].removeprefix('test_')}_empty"
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, params


def test_schema_generation_on_an_unmigrated_database_warns_of_nothing_and_queries_nothing():
    name, params = _empty_database()
    url = f"postgres://{params['user']}@{params['host']}:{params['port']}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["paths"] > 0
    assert report["warnings"] == []
    assert report["errors"] == []
    assert report["queries"] == []
