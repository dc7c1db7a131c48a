"""Move the test database to given migrations and back, for the upgrade tests."""

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
