"""Template tags of the public pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.languages import fallback_language

register = template.Library()

# As in django.utils.html.json_script: nothing in the data can end the script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def tr(
    obj: models.Model, field: str, paragraphs: bool = False, words: int = 0
) -> SafeString:
    """A translated field, marked `lang="en"` when it falls back to English.

    `paragraphs=True` renders a text field's paragraphs (a `div`); otherwise the
    text stands inline (a `span` only when it needs a `lang`). `words` shortens it.
    """
    value = getattr(obj, field, "") or ""
    if words:
        value = Truncator(value).words(words)
    language = fallback_language(obj, field)
    if paragraphs:
        html = linebreaks_filter(value, autoescape=True)
        if language:
            return format_html('<div lang="{}">{}</div>', language, html)
        return html
    if language:
        return format_html('<span lang="{}">{}</span>', language, value)
    return conditional_escape(value)


@register.filter
def json_ld(data: dict | list) -> SafeString:
    """Data for a JSON `<script>` (JSON-LD, map markers), safe inside it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308
