"""``field = ANY(…)`` for long lists of values, shared by the apps that look up
hundreds or thousands of values at once (filings, screening).

Django's ``__in`` prepares each value on its own, and psycopg, binding on the
client, quotes each element of an array parameter with a regular expression:
several milliseconds for a thousand values. Here the values go as **one** text
parameter, a JSON array, unpacked and cast to the column's type by PostgreSQL;
the index plans are those of ``= ANY(array)``. Elsewhere (SQLite) it is ``IN``.
"""

import json

from django.db import connection
from django.db.models import Field, Lookup, Q

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
