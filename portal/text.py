"""Markdown for the texts moderators write in the admin (the site pages).

CommonMark through markdown-it-py with raw HTML turned off: what a moderator
types as HTML is shown as text, and links to `javascript:` and the like are
refused by the parser's own link check. Images are off too: a site page has no
place to give their text alternative.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["image"])


def markdown_html(text: str) -> SafeString:
    """The text as HTML, safe to insert into a page under its own `h1`."""
    tokens = _MARKDOWN.parse(text or "")
    for token in tokens:
        # The page's title is its only h1; a "# " heading in the text is a section.
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return mark_safe(html)  # noqa: S308 - markdown-it escapes text; raw HTML is off
