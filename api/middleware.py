"""Repeated anonymous reads of the API, answered ahead of the middleware stack.

A cached answer needs no session, user, CSRF check, messages or URL-resolved
view: this middleware sits right after CORS (whose headers depend on each
request) and answers an anonymous read of a list or record from the cache
(api/caching.py) before any of those run. An answer it did not find, it lets the
view compute, hands the view the cache read it made (the generation and the
throttle count, one round trip), and files what comes back: the response as the
inner middleware left it, so that a cached answer has the computed one's headers.
The generation is read before the data, so an answer is never filed under a newer
generation than the data it was computed from.

"Anonymous" is decided without the session: no `Authorization` header and no
session cookie. A request with either goes the usual way, uncached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.exceptions import MethodNotAllowed

from api import caching
from api.languages import UnknownLanguage, response_language
from api.throttling import FixedWindowThrottle

PREFIX = "/api/v1/"
CACHED_ACTIONS = frozenset({"list", "retrieve"})


@dataclass(frozen=True)
class FrontRead:
    """What the middleware read for a request it passes on to the view."""

    context: caching.ReadContext
    #: The throttles that refuse the request (counted already).
    refused: list[FixedWindowThrottle]


class CachedReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view_class = self._cached_view(request)
        if view_class is None:
            return self.get_response(request)
        try:
            language = response_language(request)
        except UnknownLanguage:
            return self.get_response(request)  # The view answers 400.
        throttles = [
            (throttle, throttle.anonymous_key(request))
            for throttle in (cls() for cls in view_class.throttle_classes)
            if isinstance(throttle, FixedWindowThrottle)
        ]
        context, counts = caching.read_context(
            request,
            language,
            cacheable=True,
            counters={key: throttle.period() for throttle, key in throttles if key},
        )
        refused = [
            throttle
            for throttle, key in throttles
            if key and not throttle.allows(counts[key])
        ]
        if not refused:
            cached = caching.cached_response(request, context)
            if cached is not None:
                return cached
        request.api_front_read = FrontRead(context, refused)
        response = self.get_response(request)
        caching.file_response(request, response, context)
        return response

    @staticmethod
    def _cached_view(request: HttpRequest):
        """The API view of an anonymous read that may be cached, else None."""
        if (
            request.method not in ("GET", "HEAD")
            or not request.path_info.startswith(PREFIX)
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        view_class = getattr(match.func, "cls", None)
        actions = getattr(match.func, "actions", None) or {}
        if not getattr(view_class, "cached_reads", False):
            return None
        if actions.get(request.method.lower()) not in CACHED_ACTIONS and not (
            request.method == "HEAD" and actions.get("get") in CACHED_ACTIONS
        ):
            return None
        return view_class


# The methods some view of the portal answers.
KNOWN_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})


class UnknownMethodMiddleware:
    """405 for a method no view answers (TRACE, CONNECT, invented ones), on every
    address: in JSON under /api/, as Django's views answer it elsewhere. Views
    that take any method (sitemaps, feeds) would answer it with their content."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in KNOWN_METHODS:
            return self.get_response(request)
        allowed = _allowed_methods(request.path_info)
        if not request.path_info.startswith("/api/"):
            return HttpResponseNotAllowed(allowed)
        response = JsonResponse(
            {"detail": str(MethodNotAllowed(request.method).detail)}, status=405
        )
        response["Allow"] = ", ".join(allowed)
        return response


def _allowed_methods(path: str) -> list[str]:
    """What the view at `path` answers, as far as its class says; GET and HEAD
    for a view that is a function."""
    try:
        match = resolve(path)
    except Resolver404:
        return ["GET", "HEAD"]
    actions = getattr(match.func, "actions", None)
    if actions:  # A DRF viewset.
        methods = {method.upper() for method in actions}
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods | {"OPTIONS"})
    view_class = getattr(match.func, "view_class", None) or getattr(
        match.func, "cls", None
    )
    if view_class is None:
        return ["GET", "HEAD"]
    methods = {
        name.upper()
        for name in view_class.http_method_names
        if hasattr(view_class, name)
    }
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods & KNOWN_METHODS)
