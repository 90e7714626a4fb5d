"""Repeated anonymous page views, answered ahead of the middleware stack.

The pages' side of the one cache of anonymous answers (core.http_cache), as
api.middleware is the API's: an anonymous GET or HEAD of a public page, feed,
sitemap or robots.txt is answered from the cache, filed with the content version
and used only while it is current, before the session, the user, CSRF and the
view run. The HTML rate limit (portal.ratelimit) is counted in the same cache
round trip, so a cached page costs one small query and one round trip.

"Anonymous" is decided without the session: no session cookie, no messages
cookie (a message waits to be shown), no Authorization header. Everything else
goes the usual way and is marked `private`. An answer is filed and shared only
if it is a complete 200 that set no cookie, did not use the CSRF token (a form
that posts) and did not say itself how it may be cached (a preview's
`no-store`, a 429); it gets an ETag (a digest of its body), the version's time
as Last-Modified, and `Cache-Control: public, max-age=0, s-maxage=N`: a browser
asks again each time (a 304 while nothing changed), a shared cache (the proxy,
a CDN) may answer for N seconds (PAGE_SHARED_MAX_AGE) and then revalidates
with the same validators, so a popular page costs the app one 304 per N
seconds, and a change shows after at most N. `no-cache` would say the same but
is not stored by nginx at all.

The security headers (CSP, Permissions-Policy, HSTS, nosniff…) are added by the
middleware in front of this one, to cached answers as to computed ones; those of
the middleware behind it (X-Frame-Options) are filed with the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from core import http_cache
from portal import ratelimit

# Entries hold a page with all its headers; the number retires those filed in
# an older shape.
RESPONSE_KEY_PREFIX = "page:response:1:"
#: Addresses of machines and staff: neither cached nor marked here.
EXEMPT_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/api/",
    "/health/",
    "/static/",
    "/media/",
    "/maps/",
    "/favicon.ico",
)
#: A page differs with these request headers besides its address and language:
#: htmx asks for the part of a page it swaps in (a facet's search answers only
#: the options of the element it targets).
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_HISTORY_RESTORE_REQUEST", "HTTP_HX_TARGET")
#: A shared page depends on the absence of a session: it says so.
VARY = ("Cookie",)


def anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


class PageCacheMiddleware:
    """Before SessionMiddleware: a hit needs no session, user, CSRF or view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or not anonymous(request)
            or not settings.PAGE_CACHE
        ):
            return _private(self.get_response(request))
        language = translation.get_language_from_request(request, check_path=True)
        found = ratelimit.budgets(request, _url_name(request, language))
        context, counts = http_cache.read_context(
            _cache_key(request, language), found.counters
        )
        if found.counters:
            # Counted here; the rate limit's own middleware leaves it.
            request.html_rate_counted = True
            with translation.override(language):
                refused = found.refusal(request, counts)
            if refused is not None:
                return refused
        cached = http_cache.cached_response(request, context)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if not _shareable(request, response):
            return _private(response)
        http_cache.validate(
            response,
            context,
            http_cache.content_etag(response.content),
            http_cache.shared_cache_control(),
            VARY,
        )
        if request.method == "GET":
            http_cache.file_response(request, response, context)
        return http_cache.not_modified(request, response, context)


def _url_name(request: HttpRequest, language: str) -> str | None:
    # Language-prefixed addresses resolve in their language only.
    with translation.override(language):
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None


def _cache_key(request: HttpRequest, language: str) -> str:
    return http_cache.request_key(
        RESPONSE_KEY_PREFIX,
        request,
        language,
        *(request.META.get(header, "")[:100] for header in HTMX_HEADERS),
    )


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        # A view that said how it may be cached (a preview's no-store, a 429,
        # a file kept a day) is left to say it.
        and not response.has_header("Cache-Control")
        # A cookie is someone's: the CSRF cookie of a form, a session begun.
        and not response.cookies
        # The CSRF token went into the page (Django notes it when it is asked
        # for): a form that posts holds it.
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and "*" not in response.get("Vary", "")
    )


def _private(response: HttpResponse) -> HttpResponse:
    """A page nobody else may be given: for a signed-in user, with a form's
    token, or an error. One that says how it may be cached is left to say it."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True)
        patch_vary_headers(response, VARY)
    return response
