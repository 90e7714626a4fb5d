"""Translated content on the public pages: which language a field is shown in.

django-modeltranslation shows the English text when a field has no translation in
the reader's language. The pages mark such text with `lang="en"` so that screen
readers pronounce it as English, and order lists by the text the reader sees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language, override
from modeltranslation.utils import build_localized_fieldname

FALLBACK_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def fallback_language(obj: models.Model, field: str) -> str | None:
    """The language `obj.field` is shown in, when it is not the reader's; else None."""
    language = active_language()
    if language == FALLBACK_LANGUAGE:
        return None
    if getattr(obj, build_localized_fieldname(field, language), None):
        return None
    if not getattr(obj, build_localized_fieldname(field, FALLBACK_LANGUAGE), None):
        return None
    return FALLBACK_LANGUAGE


def localised(field: str) -> models.Expression:
    """The text the reader sees for a translated field, for ordering by it."""
    language = active_language()
    english = F(build_localized_fieldname(field, FALLBACK_LANGUAGE))
    if language == FALLBACK_LANGUAGE:
        return english
    text = models.TextField()
    return Coalesce(
        NullIf(F(build_localized_fieldname(field, language)), Value("")),
        english,
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
