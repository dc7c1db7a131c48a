"""Screening parties against the lists (Order 117 Art. 8, 14; Trial Art. 8 ¶3).

- ``names``: how names are normalised, keyed and scored;
- ``matching``: the candidates of a set of parties and their hits (a read);
- ``log``: the logged screening run that the pages and the API call;
- ``_sql``: the fast paths on PostgreSQL, each with its portable twin.
"""
