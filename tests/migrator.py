"""Move the test database to given migrations and back, for the upgrade tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` and return the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def head():
    """The leaf migration of every app: the schema the code expects."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
