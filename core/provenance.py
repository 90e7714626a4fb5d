"""Where each translated text comes from: written in its language, translated and
reviewed, or translated and not yet reviewed.

A record keeps what is known in `translation_provenance` ({field: {language:
state}}); a text without an entry is the original in the record's original
language (`original_language` where the record has one, else English) and a
translation not yet reviewed in every other language. So a translation is never
taken for reviewed until someone says so, and reviewing one is an edit of the
record like any other (kept in its history).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.languages import (
    FALLBACK_LANGUAGE,
    language_codes,
    language_column,
    translated_fields,
)


class Provenance(models.TextChoices):
    ORIGINAL = "original", _("Written in this language")
    REVIEWED = "reviewed", _("Translated and reviewed")
    UNREVIEWED = "unreviewed", _("Translated, not yet reviewed")


def validate_provenance_shape(value) -> None:
    """{field: {language: state}}, with known languages and states."""
    if not isinstance(value, dict) or not all(
        isinstance(languages, dict) for languages in value.values()
    ):
        raise ValidationError(
            _("The provenance maps each field to its languages and their states.")
        )
    for languages in value.values():
        for language, state in languages.items():
            if language not in language_codes():
                raise ValidationError(
                    _("“%(language)s” is not a language of the portal."),
                    params={"language": language},
                )
            if state not in Provenance.values:
                raise ValidationError(
                    _("“%(state)s” is not a provenance: use one of %(states)s."),
                    params={"state": state, "states": ", ".join(Provenance.values)},
                )


def original_language(obj: models.Model) -> str:
    return getattr(obj, "original_language", "") or FALLBACK_LANGUAGE


def _recorded(obj: models.Model) -> dict:
    """What the record keeps, if it was read: a list that reads its records with
    `only()` gets the rule, rather than a query per record."""
    if "translation_provenance" not in obj.__dict__:  # deferred (or no such field)
        return {}
    return getattr(obj, "translation_provenance", None) or {}


def provenance(obj: models.Model, field: str, language: str) -> str | None:
    """The provenance of `obj.field` in `language`; None where it has no text."""
    if not getattr(obj, language_column(field, language), None):
        return None
    state = _recorded(obj).get(field, {}).get(language)
    if state:
        return state
    if language == original_language(obj):
        return Provenance.ORIGINAL
    return Provenance.UNREVIEWED


def provenance_map(obj: models.Model) -> dict[str, dict[str, str]]:
    """Every text of the record: {field: {language: provenance}}."""
    result: dict[str, dict[str, str]] = {}
    for field in translated_fields(type(obj)):
        states = {
            language: state
            for language in language_codes()
            if (state := provenance(obj, field, language))
        }
        if states:
            result[field] = states
    return result


def is_unreviewed(obj: models.Model, field: str, language: str) -> bool:
    return provenance(obj, field, language) == Provenance.UNREVIEWED
