"""Keeping search current: the typo vocabulary, and a rebuild of everything.

The search vectors themselves need no upkeep: they are generated columns that
PostgreSQL recomputes on every write (see `search_schema.py`). The vocabulary that
typos are corrected to (`SearchWord`) is kept here: each saved public record adds its
words, and `search_index_rebuild()` (the `rebuild_search_index` command) recomputes
vectors and vocabulary from scratch, e.g. after a bulk import that bypassed `save()`
or after PostgreSQL's dictionaries changed.

Only public records give words, so a suggestion or correction never hints at a draft.
On databases other than PostgreSQL there is nothing to keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models.signals import post_save

from resource_portal.models import SearchWord
from resource_portal.search import SearchQuerySet, is_translated

VOCABULARY_CONFIGURATION = "public.rp_simple"
# Shorter words are not corrected; longer ones are not words.
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 40

_ADD_WORDS_SQL = f"""
INSERT INTO {SearchWord._meta.db_table} (word)
SELECT DISTINCT lexeme FROM unnest(to_tsvector('{VOCABULARY_CONFIGURATION}', %s))
WHERE char_length(lexeme) BETWEEN {MIN_WORD_LENGTH} AND {MAX_WORD_LENGTH}
  AND lexeme !~ '[0-9_]'
ON CONFLICT DO NOTHING
"""


def searchable_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model._default_manager._queryset_class, SearchQuerySet)
        and model._default_manager._queryset_class.search_fields
    ]


def _text_columns(model: type[models.Model]) -> list[str]:
    search_fields = model._default_manager._queryset_class.search_fields
    languages = [language for language, _label in settings.LANGUAGES]
    return [
        column
        for name, _weight in search_fields
        for column in (
            [f"{name}_{language}" for language in languages]
            if is_translated(model, name)
            else [name]
        )
    ]


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def search_words_add(*, record: models.Model, using: str = "default") -> None:
    """Add the words of a public record to the vocabulary."""
    if not _is_postgresql(using) or not getattr(record, "is_public", True):
        return
    text = " ".join(
        getattr(record, column) or "" for column in _text_columns(type(record))
    )
    with connections[using].cursor() as cursor:
        cursor.execute(_ADD_WORDS_SQL, [text])


def _record_saved(sender, instance, using, raw=False, **kwargs) -> None:
    if raw or not _is_postgresql(using):
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
) -> SearchRebuildReport | None:
    """Recompute every search vector and the vocabulary; None where not PostgreSQL.

    Rewriting each row makes PostgreSQL recompute its generated vector columns
    with the current dictionaries; `vectors=False` skips that when only the
    vocabulary is stale (after a bulk import, say).
    """
    using = using or router.db_for_write(SearchWord)
    if not _is_postgresql(using):
        return None
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
            text = ", ".join(quote(column) for column in _text_columns(model))
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
