"""The SQL helpers the apps' fast paths share (their ``_sql.py`` modules).

``field = ANY(…)`` for long lists of values, shared by the apps that look up
hundreds or thousands of values at once (filings, screening).

Django's ``__in`` prepares each value on its own, and psycopg, binding on the
client, quotes each element of an array parameter with a regular expression:
several milliseconds for a thousand values. Here the values go as **one** text
parameter, a JSON array, unpacked and cast to the column's type by PostgreSQL;
the index plans are those of ``= ANY(array)``. Elsewhere (SQLite) it is ``IN``.
"""

import json
from functools import cache

from django.db import connection, connections
from django.db.models import BooleanField, Field, Lookup, Model, Q, QuerySet
from django.db.models.expressions import RawSQL

to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, built once


class AnyOf(Lookup):
    """``field__any_of=<JSON array text>``: the column equals one of the array's
    values (PostgreSQL). Made by :func:`among`, which encodes the values."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        db_type = self.lhs.output_field.cast_db_type(connection)
        return (
            f"{lhs} = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))::{db_type}[])",
            [*params, self.rhs],
        )


Field.register_lookup(AnyOf)


def among(name: str, values) -> Q:
    """``name`` is one of ``values``: one JSON array parameter on PostgreSQL,
    Django's ``IN`` list elsewhere."""
    if connection.vendor == "postgresql":
        return Q(**{f"{name}__any_of": to_json(list(values))})
    return Q(**{f"{name}__in": list(values)})


def on_postgresql(using: str = "default") -> bool:
    """Whether the hand-written SQL of the fast paths runs: PostgreSQL. Elsewhere
    (SQLite in the demo) each fast path takes its portable ORM branch."""
    return connections[using].vendor == "postgresql"


@cache
def _columns(model) -> list[tuple]:
    """The concrete fields of ``model`` and their quoted columns (computed once)."""
    return [
        (field, connection.ops.quote_name(field.column)) for field in model._meta.concrete_fields
    ]


def insert_parts(
    obj: Model, *, expressions: dict[str, str] | None = None
) -> tuple[list[str], list[str], list]:
    """Columns, value placeholders and parameters that insert ``obj`` as ``save`` would
    (defaults, ``auto_now_add``, each value prepared by its field). A primary key not
    yet set is left to the sequence; the fields named in ``expressions`` take that SQL
    (another row's id from the same ``WITH``) instead of a parameter."""
    expressions = expressions or {}
    columns, values, params = [], [], []
    for field, column in _columns(type(obj)):
        if field.primary_key and getattr(obj, field.attname) is None:
            continue
        columns.append(column)
        if field.name in expressions:
            values.append(expressions[field.name])
            continue
        values.append("%s")
        params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    return columns, values, params


def mark_saved(obj: Model, pk, using: str = "default") -> None:
    """``obj`` as ``save`` leaves it, once a statement of ours has inserted it as ``pk``."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


def with_pks(queryset: QuerySet, ids) -> QuerySet:
    """``queryset`` limited to the primary keys ``ids``. On PostgreSQL the keys go as
    one array parameter (``pk = ANY(%s)``, which the index walks in key order): a
    sweep names tens of thousands of cases, which as an ``IN (%s, %s, …)`` list took
    a second to bind, parse and plan, and another to fetch (bench/sweep.py)."""
    ids = list(ids)
    if not on_postgresql(queryset.db):
        return queryset.filter(pk__in=ids)
    qn = connection.ops.quote_name
    meta = queryset.model._meta
    column = f"{qn(meta.db_table)}.{qn(meta.pk.column)}"
    # The column comes from the model, the keys are a parameter.
    condition = RawSQL(f"{column} = ANY(%s)", [ids], output_field=BooleanField())  # noqa: S611
    return queryset.filter(condition)
