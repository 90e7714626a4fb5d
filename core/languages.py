"""The portal's languages and its translated fields: the one place that knows both.

The languages are `settings.LANGUAGES`; English (`settings.LANGUAGE_CODE`, also
django-modeltranslation's default) is the source and the fallback of every
translated field. Which fields are translated is declared in each app's
`translation.py` (django-modeltranslation), which gives each one a column per
language (`title_en`, `title_de`, …); the functions here answer questions about
them, so that no other module asks modeltranslation directly.

On the public pages, a field without a translation in the reader's language shows
the English text, marked `lang="en"` for screen readers (`fallback_language`), and
lists are ordered by the text the reader sees (`localised`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language, override
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

FALLBACK_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def language_codes() -> list[str]:
    """The codes of the portal's languages, English first."""
    return [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    """The active language's code, or English for one the portal does not have."""
    code = (get_language() or FALLBACK_LANGUAGE).split("-")[0].lower()
    return code if code in language_codes() else FALLBACK_LANGUAGE


def with_fallback(language: str) -> list[str]:
    """`language`, then English: the languages a text is looked for in."""
    return list(dict.fromkeys([language, FALLBACK_LANGUAGE]))


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


# --- Which language a reader sees -------------------------------------------------


def fallback_language(obj: models.Model, field: str) -> str | None:
    """The language `obj.field` is shown in, when it is not the reader's; else None."""
    language = active_language()
    if language == FALLBACK_LANGUAGE:
        return None
    if getattr(obj, language_column(field, language), None):
        return None
    if not getattr(obj, language_column(field, FALLBACK_LANGUAGE), None):
        return None
    return FALLBACK_LANGUAGE


def localised(
    field: str, language: str | None = None, *, translated: bool = True
) -> models.Expression:
    """The text a reader of `language` (the active one) sees of a field: theirs,
    else English, else empty; an empty translation counts as none."""
    text = models.TextField()
    if not translated:
        return Coalesce(F(field), Value(""), output_field=text)
    first, *rest = [
        language_column(field, code)
        for code in with_fallback(language or active_language())
    ]
    return Coalesce(
        NullIf(F(first), Value("")),
        *(F(name) for name in rest),
        Value(""),
        output_field=text,
    )


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
