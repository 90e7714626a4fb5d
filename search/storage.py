"""How PostgreSQL stores the searchable tables: settings that a Django schema has no
words for, applied after every `migrate` to each searchable model.

- Each search vector is kept in its row (compressed if need be): ranking reads
  the vector of every match, and a vector moved out to the TOAST table costs an
  index lookup each time.
- Long texts go to the TOAST table early instead (`toast_tuple_target`), so that
  a row is mostly its keys and vectors and a search reads few pages per match.
- Finer statistics of the vectors' words, so that the planner tells a rare word
  from a common one (and reads a rare one's few rows by the index).

Only what differs is changed, so a `migrate` with nothing to do takes no locks.
"""

from __future__ import annotations

from django.db import connections

from search.fields import vector_column

# Bytes a row may take before its long texts are moved out of it (default 2032).
TOAST_TUPLE_TARGET = 256
# Most common words tracked per vector column (default 100).
VECTOR_STATISTICS_TARGET = 1000

_COLUMNS_SQL = """
SELECT attname, attstorage, attstattarget
FROM pg_attribute
WHERE attrelid = %s::regclass AND attname = ANY(%s) AND NOT attisdropped
"""
_TABLE_SQL = "SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = %s::regclass"


def search_storage_tune(*, models, languages, using: str = "default") -> list[str]:
    """Give the searchable tables their storage settings; the statements run."""
    connection = connections[using]
    quote = connection.ops.quote_name
    statements = []
    with connection.cursor() as cursor:
        # A `migrate` back to an earlier state leaves some models without a table.
        existing = set(connection.introspection.table_names(cursor))
        for model in models:
            table = model._meta.db_table
            if table not in existing:
                continue
            names = [vector_column(language) for language in languages]
            cursor.execute(_COLUMNS_SQL, [table, names])
            for name, storage, statistics in cursor.fetchall():
                if storage != "m":
                    statements.append(
                        f"ALTER TABLE {quote(table)}"
                        f" ALTER COLUMN {quote(name)} SET STORAGE MAIN"
                    )
                if statistics != VECTOR_STATISTICS_TARGET:
                    statements.append(
                        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(name)}"
                        f" SET STATISTICS {VECTOR_STATISTICS_TARGET}"
                    )
            cursor.execute(_TABLE_SQL, [table])
            (options,) = cursor.fetchone()
            if f"toast_tuple_target={TOAST_TUPLE_TARGET}" not in options:
                statements.append(
                    f"ALTER TABLE {quote(table)}"
                    f" SET (toast_tuple_target = {TOAST_TUPLE_TARGET})"
                )
        for statement in statements:
            cursor.execute(statement)
    return statements
