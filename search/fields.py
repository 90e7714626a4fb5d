"""How a model declares that its records can be searched.

```python
@searchable(("title", "A"), ("summary", "B"), ("description", "C"))
class Potential(models.Model): ...
```

gives the model, for every language of `settings.LANGUAGES`:

- a search-vector column `search_<language>`: a stored generated column that
  PostgreSQL computes from that language's translated columns on every insert and
  update, whoever writes (the ORM, `bulk_create`, `QuerySet.update()`, COPY, raw
  SQL), each text weighted ("A" titles, "B" summaries, "C" bodies), stemmed with
  the language's text-search configuration after its accents are stripped;
- a GIN index of that column, for matching;
- a GIN expression index of the words of its titles (the fields weighted "A") in
  that language, for suggestions as the reader types (no column: the query uses
  the same expression, `SearchSpec.prefix_vector()`).

They are model fields and indexes like any other, so `makemigrations` writes them
and `makemigrations --check` notices when a language, a field or a weight changes:
adding a language is a settings change plus `makemigrations`. Texts that are not
translated (an acronym) are named in `untranslated` and found in every language.

The vectors are never loaded into a record, a `values()` row or a
`select_related()` join (see `SearchVectorColumn`): a list would otherwise carry
seven vectors of every row it shows. Queries reach them by name, `F("search_en")`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from core.languages import language_codes, language_column

# Languages that PostgreSQL stems (its Snowball dictionaries), by their code; the
# search's first migration gives each a configuration `rp_<name>` that strips
# accents, then stems. Every other language is searched word by word, without
# accents (`rp_simple`): Polish, Czech and Slovenian among them.
STEMMED_LANGUAGES = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE_CONFIGURATION = "rp_simple"


def text_search_configuration(language: str) -> str:
    """The configuration `language` is searched with, e.g. `rp_german`."""
    stemmer = STEMMED_LANGUAGES.get(language.split("-")[0])
    return f"rp_{stemmer}" if stemmer else SIMPLE_CONFIGURATION


def qualified(configuration: str) -> str:
    return f"public.{configuration}"


class SearchVectorColumn(models.GeneratedField):
    """A stored generated `tsvector` column that no record or row ever loads.

    Django selects every concrete field of a model, in `values()` rows and in
    `select_related()` joins too. This field has a column (created, altered and
    indexed by migrations like any other) but does not count as concrete, so no
    query selects it unless it names it, and no INSERT returns it.
    """

    db_returning = False

    def __init__(self, *, expression, **kwargs):
        kwargs.setdefault("output_field", SearchVectorField())
        kwargs.setdefault("db_persist", True)
        kwargs["serialize"] = False
        super().__init__(expression=expression, **kwargs)

    def set_attributes_from_name(self, name):
        super().set_attributes_from_name(name)
        self.concrete = False

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        # No value on a record: reading one is a mistake, not a query.
        setattr(cls, self.attname, _NotLoaded(self.attname))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("serialize", None)
        return name, path, args, kwargs


class _NotLoaded:
    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        raise AttributeError(
            f"{owner.__name__}.{self.name} is a search vector, which records do not "
            f'load: query it by name, e.g. filter(Matches(F("{self.name}"), …)).'
        )


@dataclass(frozen=True)
class SearchSpec:
    """A model's searchable texts: (field, weight) pairs, and which of them are
    not translated."""

    fields: tuple[tuple[str, str], ...]
    untranslated: frozenset[str] = frozenset()

    @property
    def title_fields(self) -> tuple[str, ...]:
        """The fields weighted "A": titles, names, acronyms."""
        return tuple(name for name, weight in self.fields if weight == "A")

    def column(self, field: str, language: str) -> str:
        return field if field in self.untranslated else language_column(field, language)

    def text_columns(self, languages: Iterable[str] | None = None) -> list[str]:
        """Every column of the searchable texts (in `languages`, else in all)."""
        codes = list(languages or language_codes())
        return list(
            dict.fromkeys(
                self.column(name, code)
                for name, _weight in self.fields
                for code in codes
            )
        )

    def vector(self, language: str) -> SearchVector:
        """The expression of the search-vector column of `language`."""
        config = qualified(text_search_configuration(language))
        parts = [
            SearchVector(self.column(name, language), config=config, weight=weight)
            for name, weight in self.fields
        ]
        vector = parts[0]
        for part in parts[1:]:
            vector = vector + part
        return vector

    def prefix_vector(self, language: str) -> SearchVector:
        """The words of the titles in `language`: the suggestion index's
        expression, and the suggestion query's (PostgreSQL uses an expression
        index only for the same expression)."""
        return SearchVector(
            *(self.column(name, language) for name in self.title_fields),
            config=qualified(text_search_configuration(language)),
        )


def vector_column(language: str) -> str:
    """The name of the search-vector column of `language`: `search_de`."""
    return language_column("search", language)


def searchable(
    *fields: tuple[str, str], untranslated: Iterable[str] = ()
) -> Callable[[type[models.Model]], type[models.Model]]:
    """Give a model its search-vector columns and indexes, one per language."""
    spec = SearchSpec(tuple(fields), frozenset(untranslated))
    if not spec.title_fields:
        raise ValueError("A searchable model needs at least one field weighted A.")

    def declare(model: type[models.Model]) -> type[models.Model]:
        model.search_spec = spec
        name = model._meta.model_name
        for language in language_codes():
            column_name = vector_column(language)
            model.add_to_class(
                column_name, SearchVectorColumn(expression=spec.vector(language))
            )
            model._meta.indexes += [
                GinIndex(fields=[column_name], name=f"{name}_{column_name}"),
                GinIndex(
                    spec.prefix_vector(language),
                    name=f"{name}_{language_column('prefix', language)}",
                ),
            ]
        # Migrations copy the indexes of a model whose Meta declares some; these
        # are declared here, for a Meta that may have none of its own.
        model._meta.original_attrs["indexes"] = model._meta.indexes
        return model

    return declare


def searchable_models() -> list[type[models.Model]]:
    """Every model declared with `searchable`."""
    return [model for model in apps.get_models() if getattr(model, "search_spec", None)]
