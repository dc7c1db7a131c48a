"""What the search boxes share: the typed text made safe, and the trigram indexes.

A search box takes at most :data:`MAX_QUERY_LENGTH` characters (a longer text is
refused with a message, never cut silently). Words are matched as substrings
(``icontains``, i.e. ``UPPER(column) LIKE UPPER('%word%')``): on PostgreSQL a GIN
index on ``UPPER(column) gin_trgm_ops`` (pg_trgm) serves it, made by
:class:`TrigramIndex` in a migration; elsewhere (SQLite, the demo) the same
lookup scans, which the demo's few rows allow. docs/decisions/0004-case-search.md
says why pg_trgm rather than jieba segmentation into a ``tsvector``.

A trigram index can serve a substring only from :data:`MIN_SUBSTRING_LENGTH`
characters on (a shorter one holds no trigram, and the index would be read
whole): a shorter text is matched against whole values only (a name, an
account), never inside the prose.
"""

from django.contrib.postgres import operations as postgres_operations
from django.core.validators import MaxLengthValidator
from django.db import migrations
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 100
MIN_SUBSTRING_LENGTH = 3


query_length_validator = MaxLengthValidator(
    MAX_QUERY_LENGTH,
    message=_(
        "A search takes at most %(limit_value)d characters (this one has %(show_value)d): "
        "shorten it."
    ),
)


def search_words(q: str) -> list[str]:
    """The words of a query (split on spaces, full-width ones too), each searched."""
    return [word for word in (q or "").replace("\u3000", " ").split() if word][:5]


def substring_searchable(word: str) -> bool:
    """Whether ``word`` may be looked up inside prose (long enough for the trigram index)."""
    return len(word) >= MIN_SUBSTRING_LENGTH


class TrigramIndex(migrations.RunSQL):
    """``CREATE INDEX … USING gin (UPPER(column) gin_trgm_ops)`` on PostgreSQL; nothing
    elsewhere (the demo's SQLite). Not part of the models' state: ``makemigrations``
    neither sees nor drops it, and the models keep no vendor-specific index."""

    def __init__(self, *, table: str, column: str, name: str):
        self.table, self.column, self.name = table, column, name
        super().__init__(
            sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}") gin_trgm_ops)',
            reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
        )

    def deconstruct(self):
        kwargs = {"table": self.table, "column": self.column, "name": self.name}
        return (self.__class__.__qualname__, [], kwargs)

    def describe(self):
        return f"Trigram index {self.name} on {self.table}.{self.column} (PostgreSQL)"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtension(postgres_operations.TrigramExtension):
    """``CREATE EXTENSION pg_trgm``, kept when a migration is reversed: another
    app's trigram indexes may still need it, and it holds no data of its own."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return None
