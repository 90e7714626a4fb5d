"""The API's side of the one cache of anonymous reads (core.http_cache).

What is the API's own: an answer depends on its language and the Accept header
as well as the address, leads its ETag with a record's version (for If-Match on
writes, api.preconditions), and a streamed answer (CSV) is validated without
being read. Reading the cache, filing, LocalAnswers and 304s are core's.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from core import http_cache
from core.http_cache import (  # noqa: F401 - the API's names for them
    LocalAnswers,
    ReadContext,
    cached_response,
    file_response,
    local_answers,
)

# Entries hold an answer with all its headers; the version retires those filed
# in an older shape.
RESPONSE_KEY_PREFIX = "api:response:4:"
# An answer differs with these request headers; Cookie: a session may sign a
# user in, whose answers are their own.
VARY = ("Accept", "Accept-Language", "Cookie")


def read_context(
    request: HttpRequest,
    language: str,
    *,
    cacheable: bool,
    counters: dict[str, int] | None = None,
) -> tuple[ReadContext, dict[str, int]]:
    """The request's context, and each of `counters` (a throttle's count, by key,
    with its window in seconds) counted one more (core.http_cache.read_context)."""
    key = _cache_key(request, language) if cacheable else None
    return http_cache.read_context(key, counters)


def _cache_key(request: HttpRequest, language: str) -> str:
    return http_cache.request_key(
        RESPONSE_KEY_PREFIX,
        request,
        language,
        request.META.get("HTTP_ACCEPT", "")[:500],
    )


def finish_response(
    request: HttpRequest, response: HttpResponse, context: ReadContext
) -> HttpResponse:
    """Add validators to a successful read, and answer 304 if unchanged; the
    middleware that read the cache files it (file_response)."""
    patch_vary_headers(response, VARY)
    if response.status_code != 200:
        return response
    if response.streaming:
        # A stream's content is not known in advance; its validator is the
        # version and the request, which change whenever the data could.
        varies = "\n".join(
            (
                request.get_full_path(),
                response.get("Content-Language", ""),
                request.META.get("HTTP_ACCEPT", "")[:500],
            )
        )
        digest = hashlib.blake2b(varies.encode(), digest_size=8).hexdigest()
        etag = f'W/"{context.generation:x}-{digest}"'
        return _conditional(request, response, context, etag)
    if hasattr(response, "render"):
        response.render()
    # A record's version (api.preconditions) leads, for If-Match on its writes.
    etag = http_cache.content_etag(
        response.content, getattr(response, "record_version", None)
    )
    return _conditional(request, response, context, etag)


def _conditional(
    request: HttpRequest, response: HttpResponse, context: ReadContext, etag: str
) -> HttpResponse:
    # Clients may keep a copy but must revalidate it: 304s are cheap. An
    # anonymous answer is shared as a page is (core.http_cache).
    return http_cache.conditional(
        request,
        response,
        context,
        etag,
        http_cache.shared_cache_control() if context.cache_key else "private, no-cache",
        VARY,
    )
