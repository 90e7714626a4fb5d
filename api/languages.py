"""Which language an API response is written in.

`?lang=xx` wins, then the Accept-Language header, then English. Unlike the HTML
site, neither the language cookie nor the session is consulted: the same request
must give the same answer to every client, so that responses can be cached.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from core.languages import FALLBACK_LANGUAGE

LANGUAGE_PARAM = "lang"


class UnknownLanguage(ValueError):
    pass


def _supported(code: str) -> str | None:
    try:
        return get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def response_language(request: HttpRequest) -> str:
    """The language to answer `request` in; `UnknownLanguage` for a bad `?lang=`."""
    requested = request.GET.get(LANGUAGE_PARAM)
    if requested is not None:
        language = _supported(requested) if requested else None
        if language is None:
            raise UnknownLanguage(requested)
        return language
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:1000]):
        if code == "*":
            break
        language = _supported(code)
        if language is not None:
            return language
    return FALLBACK_LANGUAGE
