"""Production settings, the Content-Security-Policy and the templates it allows."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

from accounts.models import Role
from tests.factories import DepartmentFactory, UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path, **overrides) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "IDENTITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "IDENTITY_HASH_KEY": secrets.token_urlsafe(48),
        "PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env, *args, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
@pytest.mark.parametrize("value", [None, ""])
def test_production_refuses_to_start_without(tmp_path, variable, value):
    result = manage(production_env(tmp_path, **{variable: value}), "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} is not set: production settings refuse to start without it" in (
        result.stderr
    )


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = production_env(tmp_path)
    migrated = manage(env, "migrate", "--noinput", "-v0", timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_production_puts_uploads_on_s3_when_a_bucket_is_named(tmp_path):
    code = (
        "from django.conf import settings; from django.core.files.storage import storages;"
        "print(settings.STORAGES['default']['BACKEND']);"
        "print(type(storages['default']).__name__, storages['default'].bucket_name,"
        " storages['default'].default_acl)"
    )
    env = production_env(
        tmp_path,
        AWS_STORAGE_BUCKET_NAME="portal-uploads",
        AWS_S3_ENDPOINT_URL="https://oss.example.gov.cn",
        PRIVATE_STORAGE_ROOT=None,
    )
    result = manage(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "storages.backends.s3.S3Storage" in result.stdout
    assert "S3Storage portal-uploads private" in result.stdout


# --- Content-Security-Policy ------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/login/", "/complaints/new/", "/complaints/track/", "/statistics/", "/admin/login/"],
)
def test_public_pages_carry_a_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_staff_pages_carry_the_policy(client, regions):
    handler = UserFactory(department=DepartmentFactory(region=regions["hz"]), role=Role.HANDLER)
    client.force_login(handler)
    for path in ["/complaints/cases/", "/blacklist/screening/", "/account/two-factor/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response)["script-src"] == ["'self'"], path


@pytest.mark.django_db
def test_api_docs_work_under_their_own_policy(client, regions):
    handler = UserFactory(department=DepartmentFactory(region=regions["hz"]), role=Role.HANDLER)
    client.force_login(handler)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    # Every script is a file from 'self': the bundle, the preset and the init script.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3 and all(body.strip() == "" for _attrs, body in scripts)
    init_src = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    init = client.get(init_src)
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()
    policy = directives(page)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]  # Swagger UI's own <style> only
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        response.close()  # a file response: close it, warnings are errors here


# --- templates ---------------------------------------------------------------------

TEMPLATE_ROOTS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
# Rendered to PDF by WeasyPrint, never served to a browser.
PDF_ONLY = re.compile(r"(^|/)pdf/|_pdf\.html$")
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def served_templates():
    for root in TEMPLATE_ROOTS:
        for path in root.rglob("*.html"):
            relative = path.relative_to(root).as_posix()
            if not PDF_ONLY.search(relative):
                yield path


def test_templates_are_found():
    names = {p.name for p in served_templates()}
    assert {"base.html", "login.html", "two_factor_enrol.html"} <= names


@pytest.mark.parametrize(
    "pattern",
    [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT, JAVASCRIPT_URL],
    ids=["inline-script", "on-handler", "style-attribute", "style-element", "javascript-url"],
)
def test_no_template_holds_what_the_policy_forbids(pattern):
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)[:80]}"
        for path in served_templates()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_template_scan_catches_an_offender():
    sample = '<a href="#" onclick="go()">x</a><script>alert(1)</script><p style="color:red">'
    assert EVENT_HANDLER.search(sample) and INLINE_SCRIPT.search(sample)
    assert STYLE_ATTRIBUTE.search(sample)
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
