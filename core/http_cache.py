"""Fast repeated reads that are never stale: one design for the pages and the API.

Rendered anonymous responses are cached with the content version current when
they were computed (core.generation: a row the database moves in the same
transaction as every change to public data), and served only while a fresh read
of that row says it is still current, so a change retires all of them at once:
nothing has to know which pages a record appears on, and nothing a cache keeps or
loses can bring back what the database no longer publishes. The version is one
small query per request; the cached answer and the client's rate-limit counts
are read in one cache round trip, by a middleware ahead of the rest of the stack
(api.middleware, portal.caching); a process that holds the answer itself
(LocalAnswers) reads only the version. The version's time doubles as the
conservative Last-Modified of every response; the ETag is a digest of the body.

The version is read before the data, so an answer is never filed under a newer
version than the data it was computed from. A cache that does not answer
(core.cache) is a miss, and the answer is computed. Keys hold the release (a
digest of the code, templates and translations), so a deployment never serves
what the previous one rendered. `settings.API_CACHE_TIMEOUT` bounds how long an
entry lives in any case.

An answer for a client that takes gzip is filed compressed (once, when it is
computed), beside the plain one: a cached answer is never compressed again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, urlencode
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from core.generation import Version, current_version
from core.ratelimit import get_many_and_count

# As Django's GZipMiddleware decides it.
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
#: Not worth compressing (GZipMiddleware's bound too).
MIN_COMPRESSED_BYTES = 200


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
    key: str | None, counters: Mapping[str, int] | None = None
) -> tuple[ReadContext, dict[str, int]]:
    """The context of a read filed under `key` (None: not cached), and each of
    `counters` (a rate limit's count, by key, with its window in seconds) counted
    one more: one query for the version, and one cache round trip.

    A cached answer is filed with the version it was computed in and is used only
    while that version is current.
    """
    version = current_version()
    generation = version.number
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


# --- Keys -------------------------------------------------------------------------

#: What a release's pages and answers are made of, below the project folder.
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".mo", ".json"})
RELEASE_SKIPPED = frozenset(
    {"tests", "bench", "media", "staticfiles", "backups", "node_modules"}
)


@once
def release() -> str:
    """What this process renders with: `settings.HTTP_CACHE_RELEASE` (an image's
    tag or commit), else a digest of the project's code, templates, translations
    and static manifest, read once per process. Processes of two deployments
    that share a cache never serve each other's answers."""
    if settings.HTTP_CACHE_RELEASE:
        return settings.HTTP_CACHE_RELEASE
    digest = hashlib.blake2b(digest_size=8)
    # Data, not code, wherever a deployment put it.
    skipped = {
        Path(folder).resolve()
        for folder in (
            settings.MEDIA_ROOT,
            settings.STATIC_ROOT,
            settings.BACKUP_DIR,
            settings.EMBEDDED_DATABASE_DIR,
        )
    }
    for path in sorted(_release_files(Path(settings.BASE_DIR), skipped)):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def _release_files(folder: Path, skipped: set[Path]) -> Iterable[Path]:
    for path in folder.iterdir():
        if path.name.startswith(".") or path.name in RELEASE_SKIPPED:
            continue
        if path.is_dir():
            if path.resolve() not in skipped:
                yield from _release_files(path, skipped)
        elif path.suffix in RELEASE_SUFFIXES:
            yield path


def cache_key(prefix: str, parts: Iterable[str]) -> str:
    """The key of an answer that depends on `parts` of the request."""
    text = "\n".join((release(), *parts))
    digest = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return f"{prefix}{digest}"


def request_key(prefix: str, request: HttpRequest, language: str, *varies: str) -> str:
    """The key of an anonymous answer to `request`: its address (scheme and host
    too: answers hold absolute URLs), the query as the view reads it, the
    language, what else the answer varies with (`varies`) and the encoding."""
    return cache_key(
        prefix,
        (
            request.scheme,
            request.get_host(),
            request.path,
            normalised_query(request),
            language,
            *varies,
            encoding_key(request),
        ),
    )


def normalised_query(request: HttpRequest) -> str:
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


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def encoding_key(request: HttpRequest) -> str:
    """The part of a key the client's Accept-Encoding decides."""
    return "gzip" if accepts_gzip(request) else ""


# --- Answers ----------------------------------------------------------------------


def cached_response(request: HttpRequest, context: ReadContext) -> HttpResponse | None:
    """The cached answer of the context, or 304 if the client has it already."""
    if context.entry is None:
        return None
    _generation, content, headers = context.entry
    # Filed with all its headers (file_response), validators included, which
    # hold while the generation does.
    return not_modified(request, HttpResponse(content, headers=headers), context)


def shared_cache_control() -> str:
    """An anonymous answer: a browser asks again each time (a 304 while nothing
    changed); a shared cache (the proxy, a CDN) may answer with it for
    PAGE_SHARED_MAX_AGE seconds, then revalidates. `no-cache` would say the same
    to browsers, but nginx does not store such an answer at all."""
    return f"public, max-age=0, s-maxage={settings.PAGE_SHARED_MAX_AGE}"


def content_etag(content: bytes, lead: str | None = None) -> str:
    etag = hashlib.blake2b(content, digest_size=16).hexdigest()
    return f'"{lead}-{etag}"' if lead else f'"{etag}"'


def validate(
    response: HttpResponse,
    context: ReadContext,
    etag: str,
    cache_control: str,
    vary: Iterable[str] = (),
) -> None:
    """Give `response` its validators and caching headers."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(context.last_modified)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, vary)


def not_modified(
    request: HttpRequest, response: HttpResponse, context: ReadContext
) -> HttpResponse:
    """`response`, or 304 if the client has it already (which carries the same
    caching headers, for a cache to refresh its copy with)."""
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=context.last_modified,
        response=response,
    )


def conditional(
    request: HttpRequest,
    response: HttpResponse,
    context: ReadContext,
    etag: str,
    cache_control: str,
    vary: Iterable[str] = (),
) -> HttpResponse:
    """`response` with its validators and caching headers, or 304."""
    validate(response, context, etag, cache_control, vary)
    return not_modified(request, response, context)


def compress(request: HttpRequest, response: HttpResponse) -> None:
    """Compress a complete answer for a client that takes gzip, as Django's
    GZipMiddleware would, but reproducibly (no random padding): it is filed and
    served again, and only answers without secrets are (anonymous, no CSRF
    token), so BREACH has nothing to guess."""
    if (
        response.streaming
        or response.status_code != 200
        or response.has_header("Content-Encoding")
        or len(response.content) < MIN_COMPRESSED_BYTES
    ):
        return
    patch_vary_headers(response, ("Accept-Encoding",))
    if not accepts_gzip(request):
        return
    compressed = compress_string(response.content)
    if len(compressed) >= len(response.content):
        return
    response.content = compressed
    response["Content-Length"] = str(len(compressed))
    # A strong ETag names the bytes: the compressed ones are another
    # representation of the same (RFC 9110, 8.8.1).
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response["ETag"] = "W/" + etag
    response["Content-Encoding"] = "gzip"


def file_response(
    request: HttpRequest, response: HttpResponse, context: ReadContext
) -> None:
    """Cache a complete 200 answer under the context's key, with its headers as
    they are, compressed first if the client takes gzip (the key says so)."""
    if (
        not context.cache_key
        or response.status_code != 200
        or response.streaming
        # Not finished (conditional()): no validator to answer 304 with.
        or not response.has_header("ETag")
    ):
        return
    compress(request, response)
    entry = (context.generation, response.content, dict(response.items()))
    cache.set(context.cache_key, entry, timeout=settings.API_CACHE_TIMEOUT)
    local_answers.put(context.cache_key, entry)
