"""The PostgreSQL schema behind search, as migration operations.

Search vectors are stored generated columns (`search_en`, `search_de`, …), one per
language, each built from that language's translated columns with the language's
text-search configuration and the field weights. PostgreSQL computes them itself on
every insert and update — through the ORM, `bulk_create`, `QuerySet.update()`, the
admin, COPY or raw SQL alike — so a saved or translated record is searchable at once
and no code path can forget to refresh them.

They are deliberately not Django model fields: a tsvector column selected by every
list, admin page and API response would cost far more than it gives, and SQLite has
no use for them. Every operation here does nothing on other databases, so the same
migrations run on SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import migrations

# Bytes a row may take before its long texts are moved out of it (default 2032).
TOAST_TUPLE_TARGET = 256
# Most common words tracked per vector column (default 100).
VECTOR_STATISTICS_TARGET = 1000


def _is_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """`RunSQL` that only runs on PostgreSQL (extensions, configurations, indexes)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _is_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _is_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def text_search_configuration_sql(name: str, stemmer: str) -> tuple[str, str]:
    """A configuration that strips accents before the language's dictionary.

    The unaccent filter runs first so that "Salgotarjan" and "Salgótarján" give the
    same lexeme in documents, queries and highlighted snippets alike.
    """
    create = (
        f"CREATE TEXT SEARCH CONFIGURATION public.{name} (COPY = pg_catalog.simple);"
        f" ALTER TEXT SEARCH CONFIGURATION public.{name}"
        f" ALTER MAPPING FOR asciiword, asciihword, hword_asciipart"
        f" WITH {stemmer};"
        f" ALTER TEXT SEARCH CONFIGURATION public.{name}"
        f" ALTER MAPPING FOR word, hword, hword_part"
        f" WITH public.unaccent, {stemmer};"
    )
    return create, f"DROP TEXT SEARCH CONFIGURATION IF EXISTS public.{name};"


def search_vector_column(language: str) -> str:
    return f"search_{language}"


def search_vector_sql(
    fields: Sequence[tuple[str, str]],
    language: str,
    configuration: str,
    quote,
    untranslated: Sequence[str] = (),
) -> str:
    """The generation expression of one language's search vector."""
    parts = [
        f"setweight(to_tsvector('public.{configuration}'::regconfig,"
        f" coalesce({quote(field if field in untranslated else f'{field}_{language}')},"
        f" '')), '{weight}')"
        for field, weight in fields
    ]
    return " || ".join(parts)


class _PerLanguageOperation(migrations.operations.base.Operation):
    """Schema of a model's translated fields, one part per language, frozen in the
    migration: adding a language or a field is a new migration."""

    reduces_to_sql = True
    reversible = True

    def __init__(
        self,
        model_name: str,
        fields: Sequence,
        configurations: Mapping[str, str],
        untranslated: Sequence[str] = (),
    ) -> None:
        self.model_name = model_name
        self.fields = [self._field(field) for field in fields]
        self.configurations = dict(configurations)
        self.untranslated = list(untranslated)

    @staticmethod
    def _field(field):
        return field

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {
                "model_name": self.model_name,
                "fields": self.fields,
                "configurations": self.configurations,
                **({"untranslated": self.untranslated} if self.untranslated else {}),
            },
        )

    #: Names a subclass gives: its indexes' infix, what it adds, its migration's.
    index_infix: str
    adds: str
    name_fragment: str

    def state_forwards(self, app_label, state) -> None:
        # Not model fields: the ORM reaches them through search.py.
        pass

    def index_name(self, model, language: str) -> str:
        return f"{model._meta.db_table[:40]}_{self.index_infix}_{language}_gin"

    def describe(self) -> str:
        return (
            f"Add {self.adds} ({', '.join(self.configurations)}) to {self.model_name}"
        )

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_{self.name_fragment}"


class AddSearchVectors(_PerLanguageOperation):
    """Generated search-vector columns, one per language, each with a GIN index.

    `fields` are the translated fields with their weights ("A" titles, "B"
    summaries, "C" bodies), and `untranslated` names those of them that are not
    translated (an acronym), found from every language; `configurations` maps each
    language code to its text-search configuration.
    """

    index_infix = "search"
    adds = "search vectors"
    name_fragment = "search_vectors"

    @staticmethod
    def _field(field):
        return tuple(field)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        quote = schema_editor.quote_name
        for language, configuration in self.configurations.items():
            column = search_vector_column(language)
            expression = search_vector_sql(
                self.fields, language, configuration, quote, self.untranslated
            )
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {quote(column)} tsvector"
                f" GENERATED ALWAYS AS ({expression}) STORED"
            )
            # Kept in the row (compressed if need be): ranking reads the vector of
            # every match, and a vector moved out to the TOAST table costs an
            # index lookup each time.
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {quote(column)} SET STORAGE MAIN"
            )
            # Finer statistics of the words, so that the planner knows a rare word
            # from a common one (and reads a rare one's few rows by the index).
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {quote(column)}"
                f" SET STATISTICS {VECTOR_STATISTICS_TARGET}"
            )
            schema_editor.execute(
                f"CREATE INDEX {quote(self.index_name(model, language))}"
                f" ON {table} USING gin ({quote(column)})"
            )
        # Long texts go to the TOAST table early instead, so that a row is mostly
        # its keys and vectors and a search reads few pages per match.
        schema_editor.execute(
            f"ALTER TABLE {table} SET (toast_tuple_target = {TOAST_TUPLE_TARGET})"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} RESET (toast_tuple_target)")
        for language in self.configurations:
            # The index goes with its column.
            schema_editor.execute(
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS"
                f" {schema_editor.quote_name(search_vector_column(language))}"
            )


def prefix_vector_sql(columns: Sequence[str], configuration: str) -> str:
    """The words of a record's title (its weight-A columns) in one language.

    The expression of the suggestion indexes (`AddPrefixIndexes`) and of the
    suggestion query alike (`search.PrefixVector`): PostgreSQL uses an expression
    index only for the same expression.
    """
    text = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"to_tsvector('public.{configuration}'::regconfig, {text})"


def prefix_vector_columns(
    fields: Sequence[str], language: str, untranslated: Sequence[str] = ()
) -> list[str]:
    return [
        field if field in untranslated else f"{field}_{language}" for field in fields
    ]


class AddPrefixIndexes(_PerLanguageOperation):
    """GIN indexes of the words of titles, one per language, for suggestions.

    Suggestions look for titles with words starting with what was typed. The
    search vectors hold a title's words beside the other texts' (weighted "A");
    asking them for titles makes PostgreSQL read every record whose texts have
    such a word and then drop those whose title has none, and it cannot tell
    how many that will be. An index of the titles alone answers directly. It is
    an expression index: no column is added to the table. `fields` are the
    title fields (weight "A"), `untranslated` those of them not translated.
    """

    index_infix = "prefix"
    adds = "suggestion indexes"
    name_fragment = "prefix_indexes"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        for language, configuration in self.configurations.items():
            columns = prefix_vector_columns(self.fields, language, self.untranslated)
            expression = prefix_vector_sql(
                [quote(column) for column in columns], configuration
            )
            schema_editor.execute(
                f"CREATE INDEX {quote(self.index_name(model, language))}"
                f" ON {quote(model._meta.db_table)} USING gin (({expression}))"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if not _is_postgresql(schema_editor):
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        for language in self.configurations:
            schema_editor.execute(
                "DROP INDEX IF EXISTS"
                f" {schema_editor.quote_name(self.index_name(model, language))}"
            )
