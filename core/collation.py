"""Ordering text the way a reader of each language expects: Polish "Łużycka…"
before "Uprawa", German "Ölsnitz" among the O's, Finnish "Äänekoski" after Z.

PostgreSQL sorts by a collation. A server built with ICU has one for every language
(`pl-x-icu`); a server without it (the embedded PostgreSQL wheel) has only the libc
locales the machine had when its cluster was made, often just "C". So which
collation to use is looked up in the database, once per process and database, and
without a fitting one, text is ordered by a key that ignores accents and case
(`lower(unaccent(text))`), which is right for most languages and never "C"'s
upper-case-first, accents-last order.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from core.languages import active_language, localised

# A libc locale a server may have for a language, after its ICU collation.
_LIBC_LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en_GB", "en_US", "en_IE"),
    "de": ("de_DE", "de_AT", "de_CH"),
    "pl": ("pl_PL",),
    "cs": ("cs_CZ",),
    "hu": ("hu_HU",),
    "sl": ("sl_SI",),
    "fi": ("fi_FI",),
    "sk": ("sk_SK",),
}
# The Unicode root order: right for letters no language-specific collation covers.
_ROOT_ICU = "und-x-icu"

_available: dict[tuple, frozenset[str]] = {}


def _candidates(language: str) -> list[str]:
    libc = [
        f"{locale}.{suffix}"
        for locale in _LIBC_LOCALES.get(language, ())
        for suffix in ("utf8", "UTF-8")
    ]
    return [f"{language}-x-icu", *libc, _ROOT_ICU]


def _server_collations(connection: BaseDatabaseWrapper) -> frozenset[str]:
    """The collations (and whether `unaccent` exists) of the database behind
    `connection`: its server's build does not change while a process runs."""
    settings = connection.settings_dict
    key = (connection.alias, settings.get("NAME"), settings.get("HOST"))
    found = _available.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collname FROM pg_collation"
                " WHERE collencoding IN (-1, pg_char_to_encoding('UTF8'))"
                r" AND collname ~ '(-x-icu|\.utf8|\.UTF-8)$'"
                " UNION ALL SELECT 'extension:' || extname FROM pg_extension"
                " WHERE extname = 'unaccent'"
            )
            found = frozenset(row[0] for row in cursor.fetchall())
        _available[key] = found
    return found


def collation_for(language: str, connection: BaseDatabaseWrapper) -> str | None:
    """The best collation the database has for `language`, or None."""
    if connection.vendor != "postgresql":
        return None
    names = _server_collations(connection)
    return next((name for name in _candidates(language) if name in names), None)


def has_unaccent(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database has the `unaccent` function."""
    return (
        connection.vendor == "postgresql"
        and "extension:unaccent" in _server_collations(connection)
    )


class Collated(models.Func):
    """`expression` as a text sorted in `language`'s order, on any server."""

    output_field = models.TextField()

    def __init__(self, expression, language: str):
        super().__init__(expression)
        self.language = language

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        collation = collation_for(self.language, connection)
        if collation:
            return f"({sql}) COLLATE {connection.ops.quote_name(collation)}", params
        if "extension:unaccent" in _server_collations(connection):
            return f"lower(unaccent({sql}))", params
        return f"lower({sql})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def in_reader_order(
    field: str, language: str | None = None, *, translated: bool = True
) -> models.Expression:
    """The text a reader sees of `field` (see `localised`), in their language's
    alphabetical order: `queryset.order_by(in_reader_order("title"), "slug")`."""
    language = language or active_language()
    return Collated(localised(field, language, translated=translated), language)


# Letters that Unicode does not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae"})


def text_sort_key(text: str) -> tuple[str, str]:
    """A sort key for a few texts sorted in Python (names from a package): each
    letter as its base letter first, accents and case deciding only ties."""
    lowered = text.casefold()
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", lowered.translate(_BASE_LETTERS))
        if not unicodedata.combining(c)
    )
    return base, lowered


def reader_sort(field: str) -> Callable[[Any], tuple[str, str]]:
    """A key sorting a few records in Python by `field` as the reader sees it
    (a translated field gives the active language's text): for records picked
    in an order an index serves, shown in alphabetical order."""
    return lambda record: text_sort_key(str(getattr(record, field) or ""))


def reader_order_indexes(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> dict[str, str]:
    """CREATE INDEX statements, by index name, that serve
    `order_by(in_reader_order(field, language), "slug")` for each of the model's
    `reader_order_index` fields (`(field, condition)`: a partial index where the
    lists read only the rows matching `condition`, such as published records) in
    every language of the site.

    The planner uses an expression index only for the very expression a query
    orders by, and that expression depends on the server's collations and on
    the model's translated fields: so the statements are compiled from the same
    `in_reader_order()` the pages use, in the database they are for, and named
    by a digest of the expression, so that a changed one gets a new index.
    """
    from django.conf import settings
    from django.db.models.sql import Query

    indexes = {}
    table = model._meta.db_table
    for field, condition in getattr(model, "reader_order_index", ()):
        for language, _name in settings.LANGUAGES:
            if collation_for(language, connection) is None:
                # The fallback order (lower(unaccent(…))) cannot be indexed:
                # unaccent is not immutable. Such a server (the embedded one)
                # sorts without an index.
                continue
            query = Query(model, alias_cols=False)
            compiler = query.get_compiler(connection=connection)
            expression = in_reader_order(field, language).resolve_expression(query)
            sql, params = expression.as_sql(compiler, connection)
            ordered = connection.ops.compose_sql(sql, params)
            where = ""
            if condition is not None:
                sql, params = query.build_where(condition).as_sql(compiler, connection)
                where = f" WHERE {connection.ops.compose_sql(sql, params)}"
            digest = hashlib.blake2b(
                (ordered + where).encode(), digest_size=4
            ).hexdigest()
            name = f"{READER_ORDER_PREFIX}{table}_{field}_{language}_{digest}"[:63]
            indexes[name] = (
                f"CREATE INDEX IF NOT EXISTS {connection.ops.quote_name(name)} "
                f"ON {connection.ops.quote_name(table)} (({ordered}), slug){where}"
            )
    return indexes


READER_ORDER_PREFIX = "ro_"
logger = logging.getLogger(__name__)


def install_reader_order_indexes(using: str = "default", **kwargs) -> None:
    """Create the reader-order indexes of every model that asks for them, and drop
    the ones no longer wanted: idempotent, run after every migrate (a language
    added in the settings gets its indexes there)."""
    from django.apps import apps

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        existing_tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            table = model._meta.db_table
            if not hasattr(model, "reader_order_index") or table not in existing_tables:
                continue
            wanted = reader_order_indexes(model, connection)
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s"
                " AND indexname LIKE %s",
                [table, f"{READER_ORDER_PREFIX}{table}_%"],
            )
            for (name,) in cursor.fetchall():
                if name not in wanted:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            for name, statement in wanted.items():
                try:
                    with transaction.atomic(using=using):
                        cursor.execute(statement)
                except DatabaseError as error:
                    # A schema migrated back to before a column the expression
                    # reads; the lists then sort without the index.
                    logger.warning("Reader-order index %s not made: %s", name, error)
