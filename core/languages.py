"""The portal's languages and its translated fields: the one place that knows both.

The languages are `settings.LANGUAGES`; English (`settings.LANGUAGE_CODE`, also
django-modeltranslation's default) is the source and the fallback of every
translated field. Which fields are translated is declared in each app's
`translation.py` (django-modeltranslation), which gives each one a column per
language (`title_en`, `title_de`, …); the functions here answer questions about
them, so that no other module asks modeltranslation directly.

A text is read in the reader's language, else in English, else in the record's
original language (`reading_order`), so that a case written only in German shows
its German text to a Polish reader rather than nothing. That one order serves the
model attribute (`obj.title`, through `follow_original_language`), the SQL of
lists, sorting and search snippets (`localised`), the API's rows and the
`lang` mark of the public pages (`fallback_language`). A record's original
language is a column on its row (`original_language`), so no order costs a query.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language, override
from modeltranslation.fields import NONE, TranslationFieldDescriptor
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

FALLBACK_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


# settings.LANGUAGES and the codes read from it, asked for hundreds of times a
# page: read again only when the setting is another object (a test's override).
_codes: tuple[object, list[str], dict[str, str]] = (None, [], {})


def _languages() -> tuple[list[str], dict[str, str]]:
    """The codes, and the active language's code for each `get_language()` seen."""
    global _codes
    languages = settings.LANGUAGES
    if _codes[0] is not languages:
        _codes = (languages, [code for code, _name in languages], {})
    return _codes[1], _codes[2]


def language_codes() -> list[str]:
    """The codes of the portal's languages, English first."""
    return list(_languages()[0])


def language_name(code: str) -> str:
    """The language's name in the reader's language: "German", "Deutsch"."""
    return str(dict(settings.LANGUAGES).get(code, code))


def active_language() -> str:
    """The active language's code, or English for one the portal does not have."""
    codes, active = _languages()
    asked = get_language() or FALLBACK_LANGUAGE
    code = active.get(asked)
    if code is None:
        code = asked.split("-")[0].lower()
        code = active[asked] = code if code in codes else FALLBACK_LANGUAGE
    return code


def with_fallback(language: str) -> list[str]:
    """`language`, then English: the languages every record is read in."""
    return list(dict.fromkeys([language, FALLBACK_LANGUAGE]))


def reading_order(language: str, original: str | None = None) -> list[str]:
    """The languages a text of a record is looked for in, first found first: the
    reader's, English, then the record's original language."""
    return list(dict.fromkeys([*with_fallback(language), *filter(None, [original])]))


#: The column that names the language a record was first written in.
ORIGINAL_LANGUAGE = "original_language"


@functools.cache
def has_original_language(model: type[models.Model]) -> bool:
    return any(field.name == ORIGINAL_LANGUAGE for field in model._meta.concrete_fields)


def loaded_original_language(obj: models.Model) -> str | None:
    """The record's original language if it was read with the row; never a query
    (a list that reads its records with `only()` falls back to English alone)."""
    return obj.__dict__.get(ORIGINAL_LANGUAGE) or None


# --- Translated fields ------------------------------------------------------------


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The names of `model`'s translated fields (`title`, `summary`…), or none."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def is_translated(model: type[models.Model], field: str) -> bool:
    return field in translated_fields(model)


def language_column(field: str, language: str) -> str:
    """The column that holds `field` in `language`: `title_de`."""
    return build_localized_fieldname(field, language)


def translated_columns(model: type[models.Model]) -> tuple[str, ...]:
    """`title_en`, `title_de`, … for every translated field of `model`."""
    return tuple(
        language_column(field, language)
        for field in translated_fields(model)
        for language in language_codes()
    )


def named_by(
    model: type[models.Model], *fields: str, path: str = "", **related: tuple
) -> list[str]:
    """The fields a page reads of a record it only names and links to, for
    `only()`: its slug, `fields` (a translated one in every language: the reader's
    may fall back) and what tells which language a text is in and whether it is
    reviewed, where `model` has them; and so for each record it points to in
    `related` (`category=("name",)`, read with `select_related`). A linked record
    read whole costs several times as much: the wide rows of every text in every
    language, and their columns' SQL."""
    own = {field.name for field in model._meta.concrete_fields}
    names = ["slug", *fields]
    names += [
        name for name in (ORIGINAL_LANGUAGE, "translation_provenance") if name in own
    ]
    names = [f"{path}{name}" for name in names]
    for name, shown in related.items():
        target = model._meta.get_field(name).related_model
        names += [f"{path}{name}", *named_by(target, *shown, path=f"{path}{name}__")]
    return names


def reading_only(queryset: models.QuerySet, fields: Sequence[str]) -> models.QuerySet:
    """`queryset` reading only `fields` (of `named_by`), joined to the records
    they reach and to no other; `queryset` itself when `fields` is empty (a
    service shared with the API, which reads whole records)."""
    if not fields:
        return queryset
    related = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return queryset.select_related(None).select_related(*related).only(*fields)


# --- Which language a reader sees -------------------------------------------------


def shown_language(obj: models.Model, field: str) -> str | None:
    """The language `obj.field` is shown in to the reader; None when it has no
    text in any language of `reading_order`."""
    for language in reading_order(active_language(), loaded_original_language(obj)):
        if getattr(obj, language_column(field, language), None):
            return language
    return None


def fallback_language(obj: models.Model, field: str) -> str | None:
    """The language `obj.field` is shown in, when it is not the reader's; else None."""
    language = shown_language(obj, field)
    return None if language == active_language() else language


class OriginalLanguageFallback(TranslationFieldDescriptor):
    """modeltranslation's descriptor of a translated field (`obj.title`), reading
    the record's own original language after the configured fallbacks."""

    def __get__(self, instance, owner):
        value = super().__get__(instance, owner)
        if instance is None or self.meaningful_value(value, self._undefined()):
            return value
        original = loaded_original_language(instance)
        if original is None or original in resolution_order(
            active_language(), self.fallback_languages
        ):
            return value
        text = getattr(instance, language_column(self.field.name, original), None)
        return text if self.meaningful_value(text, self._undefined()) else value

    def _undefined(self):
        if self.fallback_undefined is not NONE:
            return self.fallback_undefined
        return self.field.get_default()


def follow_original_language(model: type[models.Model]) -> None:
    """Let `model`'s translated fields fall back to the record's original language
    (after English). Called from the app's `translation.py`, once registered."""
    for name in translated_fields(model):
        current = model.__dict__.get(name)
        if isinstance(current, TranslationFieldDescriptor) and not isinstance(
            current, OriginalLanguageFallback
        ):
            descriptor = OriginalLanguageFallback(current.field)
            descriptor.__dict__.update(current.__dict__)
            setattr(model, name, descriptor)


class Localised(models.Expression):
    """The text a reader of `language` sees of `field`, in SQL (`localised`): it
    learns from the queried model whether records name an original language."""

    def __init__(self, field: str, language: str, *, translated: bool = True):
        super().__init__(output_field=models.TextField())
        self.name, self.language, self.translated = field, language, translated

    def resolve_expression(self, query=None, *args, **kwargs):
        text = models.TextField()
        if not self.translated:
            expression = Coalesce(F(self.name), Value(""), output_field=text)
            return expression.resolve_expression(query, *args, **kwargs)
        columns = [
            language_column(self.name, code) for code in with_fallback(self.language)
        ]
        # A field of a related record (`region__name`) keeps reader and English.
        if (
            query is not None
            and "__" not in self.name
            and has_original_language(query.model)
        ):
            columns.append(self._original_text())
        first, *rest = columns
        expression = Coalesce(
            NullIf(F(first), Value("")),
            *(NullIf(_expression(name), Value("")) for name in rest),
            Value(""),
            output_field=text,
        )
        return expression.resolve_expression(query, *args, **kwargs)

    def _original_text(self) -> models.Expression:
        return OriginalText(
            self.name,
            [
                code
                for code in language_codes()
                if code not in with_fallback(self.language)
            ],
        )


class OriginalText(models.Func):
    """`CASE original_language WHEN 'de' THEN name_de WHEN … END`: the text of a
    record in its original language, among `languages` (NULL for another).

    A simple CASE of columns rather than Django's `Case(When(original_language=…))`,
    whose conditions are filters to resolve: a search resolves dozens of these per
    request, and resolving the filters cost more than running the statement."""

    def __init__(self, field: str, languages: list[str]):
        self.languages = list(languages)
        super().__init__(
            F(ORIGINAL_LANGUAGE),
            *(F(language_column(field, code)) for code in self.languages),
            output_field=models.TextField(),
        )

    def as_sql(self, compiler, connection, **extra_context):
        if not self.languages:
            return "NULL", []
        original, *texts = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql, params = ["CASE", original[0]], [*original[1]]
        for code, (text, text_params) in zip(self.languages, texts, strict=True):
            sql += ["WHEN %s THEN", text]
            params += [code, *text_params]
        return " ".join([*sql, "END"]), params


def _expression(name: str | models.Expression) -> models.Expression:
    return F(name) if isinstance(name, str) else name


def localised(
    field: str, language: str | None = None, *, translated: bool = True
) -> models.Expression:
    """The text a reader of `language` (the active one) sees of a field: theirs,
    else English, else the record's original language (where its model names
    one), else empty; an empty translation counts as none."""
    return Localised(field, language or active_language(), translated=translated)


def path_in_language(path: str, language: str) -> str:
    """The same page in another language; that language's home if there is none."""
    # Resolve in the reader's language: the path carries its prefix.
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    with override(language):
        if match is None or match.url_name is None:
            return reverse("home")
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
