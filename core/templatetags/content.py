"""Template tags of the public pages."""

import functools
import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from lucide.templatetags.lucide import lucide

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
        html = paragraphs_and_lists(value)
        if marks:
            return format_html("<div {}>{}</div>", attributes, html)
        return html
    if marks:
        return format_html("<span {}>{}</span>", attributes, value)
    return conditional_escape(value)


@register.simple_tag
def icon(name: str, size: int = 24, **attributes: str) -> SafeString:
    """A Lucide icon, as the `lucide` tag draws it: drawn once per name, size and
    attributes (a list page has one per card, and drawing copies the SVG's tree)."""
    return _icon(name, size, tuple(sorted(attributes.items())))


@functools.lru_cache(maxsize=512)
def _icon(name: str, size: int, attributes: tuple[tuple[str, str], ...]) -> SafeString:
    return lucide(name, size=size, **dict(attributes))


def _translatable(obj: models.Model, field: str, language: str) -> bool:
    """Whether the text's provenance can be told from what was read: by the class,
    and only where the column was read (a list reads its records with `only()`;
    asking would load each one)."""
    loaded = obj.__dict__  # a concrete field not in it is deferred
    return (
        isinstance(obj, TranslationProvenance)
        and language_column(field, language) in loaded
        and "original_language" in loaded
        and field in translated_fields(type(obj))
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


# A line that is an item of a list, as editors and the seed documents type one.
_BULLET = re.compile(r"^\s*[-*•]\s+(?P<item>.*)$")


@register.filter(is_safe=True)
def paragraphs_and_lists(text: str) -> SafeString:
    """A plain text as HTML: blank lines part paragraphs, single line breaks stay,
    and lines that start with "- ", "* " or "• " become a list (`<ul>`); an indented
    line after an item continues it. Everything in the text is escaped."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    html = [
        _run_html(is_list, lines)
        for block in re.split(r"\n\s*\n", text)
        for is_list, lines in _runs(block.split("\n"))
    ]
    return mark_safe("".join(html))  # noqa: S308  (every piece is escaped)


def _runs(lines: list[str]) -> list[tuple[bool, list[list[str]]]]:
    """Consecutive lines grouped into paragraphs and lists: (is a list, its lines
    or its items, each item a list of lines)."""
    runs: list[tuple[bool, list[list[str]]]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        in_list = bool(runs) and runs[-1][0]
        if bullet:
            if not in_list:
                runs.append((True, []))
            runs[-1][1].append([bullet["item"].strip()])
        elif not line.strip():
            continue
        elif in_list and line[:1].isspace():
            runs[-1][1][-1].append(line.strip())
        else:
            if not runs or in_list:
                runs.append((False, [[]]))
            runs[-1][1][0].append(line.strip())
    return runs


def _run_html(is_list: bool, lines: list[list[str]]) -> SafeString:
    def joined(parts: list[str]) -> SafeString:
        return mark_safe("<br>".join(conditional_escape(p) for p in parts))  # noqa: S308

    if is_list:
        items = format_html_join("", "<li>{}</li>", ((joined(i),) for i in lines))
        return format_html("<ul>{}</ul>", items)
    return format_html("<p>{}</p>", joined(lines[0]))


@register.filter
def json_ld(data: dict | list) -> SafeString:
    """Data for a JSON `<script>` (JSON-LD, map markers), safe inside it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


@register.filter
def page_links(page) -> list:
    """The page numbers a pagination links, None for a gap ("…"): the first and
    last page and two on each side of this one, never one per page, which would
    grow with the number of records."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
    ]
