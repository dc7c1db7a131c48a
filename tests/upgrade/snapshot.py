"""What a database holds, as the upgrade test compares it before and after.

Runs under any release of the portal (it uses only Django and SQL), against
the database ``DATABASE_URL`` names:

    python tests/upgrade/snapshot.py write before.json   # at the old release
    python tests/upgrade/snapshot.py check before.json   # at the new head

It records every table's primary keys, where every generic relation points
(by table, so a model that moved apps but kept its table is the same target),
and which of the data's telling values each page shows to the demo users.
``check`` exits non-zero and prints each difference when a row is lost, a
generic relation no longer resolves to the same row, or a page stops showing
what it showed."""

import json
import os
import sys

import django

os.environ.setdefault("OTP_REQUIRED", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.contenttypes.fields import GenericForeignKey  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

# Tables whose rows the framework rewrites on every migrate, or that hold
# sign-in throttles and sessions: not the portal's records.
VOLATILE = ("django_migrations", "django_content_type", "auth_permission", "django_session")
VOLATILE_PREFIXES = ("axes_", "django_celery_beat_")

PAGES = {
    "demo-handler": [
        "/",
        "/complaints/cases/",
        "/complaints/cases/1/",
        "/complaints/cases/2/",
        "/filings/",
        "/filings/1/",
        "/notices/",
        "/notices/1/",
        "/blacklist/",
        "/blacklist/1/",
        "/blacklist/screenings/",
        "/inspections/",
        "/inspections/1/",
        "/inspections/clues/",
        "/statistics/reports/",
    ],
    "demo-head": ["/approvals/", "/complaints/cases/1/"],
    "demo-platform": [
        "/",
        "/filings/",
        "/filings/1/",
        "/notices/1/",
        "/complaints/forwarded/",
        "/complaints/forwarded/1/",
        "/inspections/platform/",
        "/inspections/1/",
    ],
}

# The values a reader would look for on those pages: codes, references,
# parties and the answers platforms gave.
TELLING = [
    ("complaints_complaint", "tracking_code"),
    ("complaints_disposalfiling", "external_id"),
    ("complaints_disposalfiling", "party_name"),
    ("complaints_platformnotice", "party"),
    ("complaints_platformnotice", "reply"),
    ("complaints_platformforward", "answer"),
    ("complaints_materialrequest", "message"),
    ("inspections_documentrequest", "answer"),
    ("inspections_campaign", "theme"),
    ("blacklist_entry", "reference"),
    ("blacklist_entry", "name_masked"),
    ("accounts_platform", "name"),
    ("registry_liveroom", "name"),
]


def _tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        names = sorted(row[0] for row in cursor.fetchall())
    return [t for t in names if t not in VOLATILE and not t.startswith(VOLATILE_PREFIXES)]


def _columns(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def rows():
    """Each table's primary keys (or its row count, for a table without ``id``)."""
    found = {}
    with connection.cursor() as cursor:
        for table in _tables():
            if "id" in _columns(table):
                cursor.execute(f'SELECT id FROM "{table}" ORDER BY id')  # noqa: S608 (catalogue names)
                found[table] = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
                found[table] = cursor.fetchone()[0]
    return found


def generic_relations():
    """Every row's generic relation: [its table, its pk, field, target table,
    target pk, whether the target exists]."""
    found = []
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if not isinstance(field, GenericForeignKey):
                continue
            type_field = f"{field.ct_field}_id"
            for pk, type_id, object_id in model._base_manager.values_list(
                "pk", type_field, field.fk_field
            ).order_by("pk"):
                if type_id is None:
                    continue
                target = ContentType.objects.get_for_id(type_id).model_class()
                exists = target is not None and target._base_manager.filter(pk=object_id).exists()
                found.append(
                    [
                        model._meta.db_table,
                        pk,
                        field.name,
                        target._meta.db_table if target else None,
                        str(object_id),
                        exists,
                    ]
                )
    return sorted(found)


def _telling_values():
    values = set()
    with connection.cursor() as cursor:
        for table, column in TELLING:
            cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608 (the constants above)
            values.update(v for (v,) in cursor.fetchall() if v and len(str(v)) >= 3)
    return sorted(values)


def pages(values=None):
    """For each demo user and page: its status and the telling values it shows."""
    User = apps.get_model(*os.environ.get("AUTH_USER_MODEL", "accounts.User").split("."))
    values = _telling_values() if values is None else values
    shown = {}
    for username, paths in PAGES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        for path in paths:
            response = client.get(path)
            text = response.content.decode() if response.status_code == 200 else ""
            shown[f"{username} {path}"] = {
                "status": response.status_code,
                "shows": [v for v in values if v in text],
            }
    return shown


def snapshot():
    values = _telling_values()
    return {
        "rows": rows(),
        "generic_relations": generic_relations(),
        "values": values,
        "pages": pages(values),
    }


def differences(before, after_rows, after_relations, after_pages):
    problems = []
    for table, kept in before["rows"].items():
        now = after_rows.get(table)
        if now is None:
            problems.append(f"table {table} is gone")
        elif isinstance(kept, int):
            if now < kept:
                problems.append(f"{table}: {kept} rows before, {now} after")
        else:
            lost = sorted(set(kept) - set(now))
            if lost:
                problems.append(f"{table}: rows {lost} lost")
    now_relations = {tuple(r[:3]): r for r in after_relations}
    for relation in before["generic_relations"]:
        table, pk, field, target, object_id, existed = relation
        now = now_relations.get((table, pk, field))
        if now is None:
            problems.append(f"{table} {pk}.{field}: the relation is gone")
        elif existed and (now[3], now[4], now[5]) != (target, object_id, True):
            problems.append(f"{table} {pk}.{field}: pointed at {target} {object_id}, now {now[3:]}")
    for page, was in before["pages"].items():
        now = after_pages[page]
        if was["status"] == 200 and now["status"] != 200:
            problems.append(f"{page}: answered {now['status']}, 200 before")
        missing = sorted(set(was["shows"]) - set(now["shows"]))
        if missing:
            problems.append(f"{page}: no longer shows {missing}")
    return problems


def main(argv):
    command, path = argv[1], argv[2]
    if command == "write":
        with open(path, "w", encoding="utf-8") as out:
            json.dump(snapshot(), out, ensure_ascii=False, indent=1, sort_keys=True)
        return 0
    with open(path, encoding="utf-8") as source:
        before = json.load(source)
    problems = differences(before, rows(), generic_relations(), pages(before["values"]))
    for problem in problems:
        print(problem)
    if not problems:
        print(
            f"kept: {sum(len(v) if isinstance(v, list) else v for v in before['rows'].values())}"
            f" rows in {len(before['rows'])} tables,"
            f" {len(before['generic_relations'])} generic relations,"
            f" {len(before['pages'])} pages"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
