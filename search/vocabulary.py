"""Keeping search current: the typo vocabulary, and a rebuild of everything.

The search vectors themselves need no upkeep: they are generated columns that
PostgreSQL recomputes on every write (see `search.fields`). The vocabulary that
typos are corrected to (`SearchWord`) is kept here: each saved public record adds its
words, and `search_index_rebuild()` (the `rebuild_search_index` command) recomputes
vectors and vocabulary from scratch, e.g. after a bulk import that bypassed `save()`
or after PostgreSQL's dictionaries changed.

Only public records give words, so a suggestion or correction never hints at a draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save

from search.fields import searchable_models
from search.models import SearchWord

VOCABULARY_CONFIGURATION = "public.rp_simple"
# Shorter words are not corrected; longer ones are not words.
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 40

# The words of several texts in one statement.
_ADD_WORDS_SQL = f"""
INSERT INTO {SearchWord._meta.db_table} (word)
SELECT DISTINCT lexeme
FROM unnest(%s::text[]) AS record(words),
    unnest(to_tsvector('{VOCABULARY_CONFIGURATION}', record.words))
WHERE char_length(lexeme) BETWEEN {MIN_WORD_LENGTH} AND {MAX_WORD_LENGTH}
  AND lexeme !~ '[0-9_]'
ON CONFLICT DO NOTHING
"""


def search_words_add(*, record: models.Model, using: str = "default") -> None:
    """Add the words of a public record to the vocabulary."""
    search_words_add_many([record], using=using)


def search_words_add_many(
    records: Iterable[models.Model], *, using: str = "default"
) -> None:
    """Add the words of the public ones of `records` to the vocabulary, in one
    query."""
    texts = [
        " ".join(
            getattr(record, column) or ""
            for column in type(record).search_spec.text_columns()
        )
        for record in records
        if getattr(record, "is_public", True)
    ]
    if not texts:
        return
    with connections[using].cursor() as cursor:
        cursor.execute(_ADD_WORDS_SQL, [texts])


def _record_saved(sender, instance, using, raw=False, **kwargs) -> None:
    if raw:
        return
    # After the commit: a rolled-back save adds nothing, and the write itself
    # costs no extra query.
    transaction.on_commit(
        lambda: search_words_add(record=instance, using=using), using=using
    )


def connect_search_signals() -> None:
    for model in searchable_models():
        post_save.connect(
            _record_saved, sender=model, dispatch_uid=f"search-words-{model._meta}"
        )


@dataclass(frozen=True)
class SearchRebuildReport:
    records: dict[str, int]
    words: int

    def __str__(self) -> str:
        lines = [f"{name}: {count} records" for name, count in self.records.items()]
        return "\n".join([*lines, f"vocabulary: {self.words} words"])


def search_index_rebuild(
    *, vectors: bool = True, using: str | None = None
) -> SearchRebuildReport:
    """Recompute every search vector and the vocabulary.

    Rewriting each row makes PostgreSQL recompute its generated vector columns
    with the current dictionaries; `vectors=False` skips that when only the
    vocabulary is stale (after a bulk import, say).
    """
    using = using or router.db_for_write(SearchWord)
    connection = connections[using]
    quote = connection.ops.quote_name
    records: dict[str, int] = {}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quote(SearchWord._meta.db_table)}")
        for model in searchable_models():
            table = quote(model._meta.db_table)
            if vectors:
                # Assigning a column to itself rewrites the row: every stored
                # generated column is computed afresh.
                cursor.execute(
                    f"UPDATE {table} SET {quote(model._meta.pk.column)}"
                    f" = {quote(model._meta.pk.column)}"
                )
            # Fresh statistics first: after a bulk load the planner would take the
            # table for empty and join it to itself row by row (hours, not seconds).
            cursor.execute(f"ANALYZE {table}")
            public = model._default_manager.using(using).public().values("pk")
            public_sql, params = public.query.get_compiler(using=using).as_sql()
            text = ", ".join(
                quote(column) for column in model.search_spec.text_columns()
            )
            cursor.execute(
                f"INSERT INTO {quote(SearchWord._meta.db_table)} (word)"
                f" SELECT DISTINCT lexeme FROM {table},"
                f" unnest(to_tsvector('{VOCABULARY_CONFIGURATION}',"
                f" concat_ws(' ', {text})))"
                f" WHERE {quote(model._meta.pk.column)} IN ({public_sql})"
                f" AND char_length(lexeme) BETWEEN {MIN_WORD_LENGTH}"
                f" AND {MAX_WORD_LENGTH} AND lexeme !~ '[0-9_]'"
                f" ON CONFLICT DO NOTHING",
                params,
            )
            records[model._meta.label] = model._default_manager.using(using).count()
        words = SearchWord.objects.using(using).count()
    with connection.cursor() as cursor:
        for model in [*searchable_models(), SearchWord]:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
    return SearchRebuildReport(records, words)
