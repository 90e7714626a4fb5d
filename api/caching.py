"""Fast repeated reads that are never stale.

Rendered anonymous responses are cached with the content version current when
they were computed (core.generation: a row the database moves in the same
transaction as every change to public data), and served only while a fresh read
of that row says it is still current, so a change retires all of them at once:
nothing has to know which lists a record appears in, and nothing a cache keeps or
loses can bring back what the database no longer publishes. The version is one
small query per request; the cached answer and the client's throttle count are
read in one cache round trip, by api.middleware ahead of the rest of the stack; a
process that holds the answer itself (LocalAnswers) reads only the version. The
version's time doubles as the conservative Last-Modified of every response.

The version is read before the data, so an answer is never filed under a newer
version than the data it was computed from. A cache that does not answer
(core.cache) is a miss, and the answer is computed.
`settings.API_CACHE_TIMEOUT` bounds how long an entry lives in any case.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode

from core.generation import Version, current_version
from core.ratelimit import get_many_and_count

# Entries hold an answer with all its headers; the version retires those filed
# in an older shape.
RESPONSE_KEY_PREFIX = "api:response:3:"
# An answer differs with these request headers; Cookie: a session may sign a
# user in, whose answers are their own.
VARY = ("Accept", "Accept-Language", "Cookie")


@dataclass(frozen=True)
class ReadContext:
    """What a read depends on besides the data: read before the view runs."""

    version: Version
    cache_key: str | None
    #: The cached answer, if there is one of this version.
    entry: tuple | None = None

    @property
    def generation(self) -> int:
        return self.version.number

    @property
    def last_modified(self) -> int:
        return self.version.last_modified


def read_context(
    request: HttpRequest,
    language: str,
    *,
    cacheable: bool,
    counters: Mapping[str, int] | None = None,
) -> tuple[ReadContext, dict[str, int]]:
    """The request's context, and each of `counters` (a throttle's count, by key,
    with its window in seconds) counted one more: one query for the version, and
    one cache round trip.

    A cached answer is filed with the version it was computed in and is used only
    while that version is current.
    """
    version = current_version()
    generation = version.number
    key = _cache_key(request, language) if cacheable else None
    # An answer this process holds is not fetched again.
    held = local_answers.get(key) if key else None
    if held is not None and held[0] != generation:
        held = None
    values, counts = get_many_and_count(
        [key] if key and held is None else [], counters or {}
    )
    entry = held if held is not None else values.pop(key, None) if key else None
    if entry is not None and entry[0] != generation:
        entry = None
    if entry is not None and entry is not held:
        local_answers.put(key, entry)
    return ReadContext(version, key, entry), counts


class LocalAnswers:
    """The answers this process served last, beside the shared cache.

    A cached answer of a large list is tens or hundreds of kilobytes, which the
    shared cache would send again on every request: a process keeps the latest
    answer per cache key, in at most `max_bytes` (least recently used out first),
    and uses it only while its version is the database's, which every request
    reads. So it is never stale, and it expires with the shared cache.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.answers: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self.lock:
            held = self.answers.get(key)
            if held is None:
                return None
            expires, entry = held
            if expires < time.monotonic():
                self._remove(key)
                return None
            self.answers.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[1])
        if size > self.max_bytes:
            return
        expires = time.monotonic() + settings.API_CACHE_TIMEOUT
        with self.lock:
            self._remove(key)
            self.answers[key] = (expires, entry)
            self.size += size
            while self.size > self.max_bytes:
                self._remove(next(iter(self.answers)))

    def clear(self) -> None:
        with self.lock:
            self.answers.clear()
            self.size = 0

    def _remove(self, key: str) -> None:
        held = self.answers.pop(key, None)
        if held is not None:
            self.size -= len(held[1][1])


local_answers = LocalAnswers(settings.API_LOCAL_CACHE_BYTES)


def _cache_key(request: HttpRequest, language: str) -> str:
    # Host and scheme matter: responses hold absolute URLs.
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            _query(request),
            language,
            request.META.get("HTTP_ACCEPT", "")[:500],
        )
    )
    digest = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return f"{RESPONSE_KEY_PREFIX}{digest}"


def _query(request: HttpRequest) -> str:
    """The query string as the view reads it: parameters in order of name (their
    order does not matter), each one's values in the order given (the view reads
    the last: `?page=2&page=1` is page 1, `?page=1&page=2` page 2)."""
    return urlencode(
        [
            (name, value)
            for name in sorted(request.GET)
            for value in request.GET.getlist(name)
        ]
    )


def cached_response(request: HttpRequest, context: ReadContext) -> HttpResponse | None:
    if context.entry is None:
        return None
    _generation, content, headers = context.entry
    # Filed with all its headers (file_response), validators included, which
    # hold while the generation does.
    response = HttpResponse(content, headers=headers)
    return get_conditional_response(
        request,
        etag=headers["ETag"],
        last_modified=context.last_modified,
        response=response,
    )


def finish_response(
    request: HttpRequest, response: HttpResponse, context: ReadContext
) -> HttpResponse:
    """Add validators to a successful read, cache it, and answer 304 if unchanged."""
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
    etag = hashlib.blake2b(response.content, digest_size=16).hexdigest()
    # A record's version (api.preconditions) leads, for If-Match on its writes.
    version = getattr(response, "record_version", None)
    etag = f'"{version}-{etag}"' if version else f'"{etag}"'
    response = _conditional(request, response, context, etag)
    # Filed by the middleware that read the cache, once the answer is complete.
    response.api_cacheable = bool(context.cache_key) and response.status_code == 200
    return response


def file_response(
    request: HttpRequest, response: HttpResponse, context: ReadContext
) -> None:
    """Cache an answer the view marked cacheable, with its headers as they are."""
    if not getattr(response, "api_cacheable", False) or response.status_code != 200:
        return
    headers = dict(response.items())
    entry = (context.generation, response.content, headers)
    cache.set(context.cache_key, entry, timeout=settings.API_CACHE_TIMEOUT)
    local_answers.put(context.cache_key, entry)


def _conditional(
    request: HttpRequest, response: HttpResponse, context: ReadContext, etag: str
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(context.last_modified)
    # Clients may keep a copy but must revalidate it: 304s are cheap.
    response["Cache-Control"] = "no-cache" if context.cache_key else "private, no-cache"
    patch_vary_headers(response, VARY)
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=context.last_modified,
        response=response,
    )
