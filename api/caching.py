"""Fast repeated reads that are never stale.

Every change to public data bumps one *generation* number kept in the cache (Redis
in production, shared by every web process). Rendered anonymous responses are
cached with the generation current when they were computed, and served only while
it is still current, so a change retires all of them at once: nothing has to know
which lists a record appears in. The generation, the cached answer and the
client's throttle count are read in one round trip, by api.middleware ahead of
the rest of the stack; a process that holds the answer itself (LocalAnswers)
reads only the generation. The generation is the time of
the last change in nanoseconds, so it doubles as the conservative Last-Modified of
every response.

The bump runs after the transaction commits: a reader that saw the new generation
can only have read the committed data. Signals cover saves, deletes and m2m changes
made through the ORM (the admin, services, the seed loader); code that writes with
`QuerySet.update()`, `bulk_create()` or raw SQL must call `bump_generation()`.
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
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core.generation import (
    GENERATION_KEY,
    bump_generation,
    current_generation,
    last_modified,
)

# Entries hold an answer with all its headers; the version retires those filed
# in an older shape.
RESPONSE_KEY_PREFIX = "api:response:2:"
# Apps whose models are published through the API; a change to any of their
# records (through models included) invalidates every cached response.
PUBLIC_APPS = frozenset({"regions", "potentials", "goodpractices", "core"})
# An answer differs with these request headers; Cookie: a session may sign a
# user in, whose answers are their own.
VARY = ("Accept", "Accept-Language", "Cookie")


def _changed(sender, using: str = "default", **kwargs) -> None:
    if sender._meta.app_label in PUBLIC_APPS:
        transaction.on_commit(bump_generation, using=using)


def connect_invalidation_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"api-cache-{signal!r}")


@dataclass(frozen=True)
class ReadContext:
    """What a read depends on besides the data: read before the view runs."""

    generation: int
    cache_key: str | None
    #: The cached answer, if there is one of this generation.
    entry: tuple | None = None

    @property
    def last_modified(self) -> int:
        return last_modified(self.generation)


def read_context(
    request: HttpRequest,
    language: str,
    *,
    cacheable: bool,
    counters: Mapping[str, int] | None = None,
) -> tuple[ReadContext, dict[str, int]]:
    """The request's context, and each of `counters` (a throttle's count, by key,
    with its window in seconds) counted one more: one cache round trip.

    A cached answer is filed with the generation it was computed in and is used
    only while that generation is current; both are read in the same MGET.
    """
    key = _cache_key(request, language) if cacheable else None
    # An answer this process holds is not fetched again: only the generation is.
    held = local_answers.get(key) if key else None
    values, counts = get_many_and_count(
        [GENERATION_KEY, *([key] if key and held is None else [])], counters or {}
    )
    generation = values.pop(GENERATION_KEY, None) or current_generation()
    entry = values.pop(key, None) if key and held is None else None
    if held is not None:
        entry = held if held[0] == generation else cache.get(key)
    if entry is not None and entry[0] != generation:
        entry = None
    if entry is not None and entry is not held:
        local_answers.put(key, entry)
    return ReadContext(generation, key, entry), counts


class LocalAnswers:
    """The answers this process served last, beside the shared cache.

    A cached answer of a large list is tens or hundreds of kilobytes, which the
    shared cache would send again on every request: a process keeps the latest
    answer per cache key, in at most `max_bytes` (least recently used out first),
    and uses it only while its generation is the shared one, which every request
    reads. So it is never staler than the shared cache, and it expires with it.
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


def get_many_and_count(
    keys: list[str], counters: Mapping[str, int]
) -> tuple[dict, dict[str, int]]:
    """The values of `keys`, and each counter counted one more (its new value; a
    new counter expires after its timeout in seconds). In one round trip where the
    cache can (core.cache.RedisCache)."""
    if hasattr(cache, "get_many_and_count"):
        return cache.get_many_and_count(keys, counters)
    values = cache.get_many(keys) if keys else {}
    counts = {}
    for key, timeout in counters.items():
        cache.add(key, 0, timeout=timeout)
        try:
            counts[key] = cache.incr(key)
        except ValueError:  # Expired in between.
            cache.set(key, 1, timeout=timeout)
            counts[key] = 1
    return values, counts


def _cache_key(request: HttpRequest, language: str) -> str:
    # Host and scheme matter: responses hold absolute URLs.
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            "&".join(sorted(request.GET.urlencode().split("&"))),
            language,
            request.META.get("HTTP_ACCEPT", "")[:500],
        )
    )
    digest = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return f"{RESPONSE_KEY_PREFIX}{digest}"


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
        # generation and the request, which change whenever the data could.
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
