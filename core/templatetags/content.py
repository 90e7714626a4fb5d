"""Template tags of the public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.languages import (
    active_language,
    fallback_language,
    language_column,
    path_in_language,
    translated_fields,
)
from core.models import TranslationProvenance
from core.provenance import is_unreviewed, original_language

register = template.Library()

# As in django.utils.html.json_script: nothing in the data can end the script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def tr(
    obj: models.Model, field: str, paragraphs: bool = False, words: int = 0
) -> SafeString:
    """A translated field, marked `lang="en"` when it falls back to English, and
    marked as such where it is a translation not yet reviewed.

    `paragraphs=True` renders a text field's paragraphs (a `div`); otherwise the
    text stands inline (a `span` only when it needs a mark). `words` shortens it.
    """
    value = getattr(obj, field, "") or ""
    if words:
        value = Truncator(value).words(words)
    language = fallback_language(obj, field)
    shown = language or active_language()
    marks = {}
    if value and _translatable(obj, field, shown) and is_unreviewed(obj, field, shown):
        marks = {"lang": shown, "class": "unreviewed-translation"}
    elif language:
        marks = {"lang": language}
    attributes = format_html_join(" ", '{}="{}"', marks.items())
    if paragraphs:
        html = linebreaks_filter(value, autoescape=True)
        if marks:
            return format_html("<div {}>{}</div>", attributes, html)
        return html
    if marks:
        return format_html("<span {}>{}</span>", attributes, value)
    return conditional_escape(value)


def _translatable(obj: models.Model, field: str, language: str) -> bool:
    """Whether the text's provenance can be told from what was read: by the class,
    and only where the column was read (a list reads its records with `only()`;
    asking would load each one)."""
    deferred = obj.get_deferred_fields()
    return (
        isinstance(obj, TranslationProvenance)
        and field in translated_fields(type(obj))
        and not {language_column(field, language), "original_language"} & deferred
    )


@register.inclusion_tag("includes/translation_notice.html", takes_context=True)
def translation_notice(context, obj: models.Model) -> dict:
    """A note above a record whose text on this page is a translation not yet
    reviewed, with a link to the page in the record's original language."""
    reader = active_language()
    unreviewed = [
        field
        for field in translated_fields(type(obj))
        if getattr(obj, field, "")
        and is_unreviewed(obj, field, fallback_language(obj, field) or reader)
    ]
    original = original_language(obj)
    request = context.get("request")
    return {
        "show": bool(unreviewed),
        "original": original,
        "original_url": path_in_language(request.path, original)
        if request and original != reader
        else None,
    }


@register.filter
def json_ld(data: dict | list) -> SafeString:
    """Data for a JSON `<script>` (JSON-LD, map markers), safe inside it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308
