"""Move the test database to given migrations and back, for the upgrade tests."""

from dataclasses import dataclass

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` and return the historical apps there. A target
    ``(app, None)`` unapplies all of that app's migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def head():
    """The leaf migration of every app: the schema the code expects."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@dataclass
class OldWorld:
    """What an upgrade test's rows hang from, in the historical models."""

    region: object
    department: object
    platform: object | None


def old_world(apps, code: str, *, region: str, department: str, platform: str | None = None):
    """A district ``code`` named ``region``, its market department ``department``
    and, if named, a platform domiciled there, made with the historical ``apps``:
    the ground each upgrade test builds its old rows on."""
    made = apps.get_model("accounts", "Region").objects.create(
        code=code, name=region, level=3, path=f"/{code}/"
    )
    office = apps.get_model("accounts", "Department").objects.create(
        name=department, type="market", region=made
    )
    host = None
    if platform is not None:
        host = apps.get_model("accounts", "Platform").objects.create(
            name=platform, uscc=f"91{code}MA0000000X", domicile=made
        )
    return OldWorld(made, office, host)
