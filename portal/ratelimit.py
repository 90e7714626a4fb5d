"""A rate limit for anonymous public pages, searches above all.

A search costs the database far more than a record's page, so each client address
(core.http.client_address) has two budgets in fixed windows: every page
(`HTML_RATE_LIMIT`), and searches (`HTML_SEARCH_RATE_LIMIT`: the site search and
any list asked for with a `q`). Both are counted in the shared cache in one round
trip, and in each process while the cache does not answer (core.ratelimit). A
client over either gets a short page with 429 and Retry-After. Signed-in users,
the admin, the API (which has its own throttles) and the health check are not
counted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.http import client_address
from core.ratelimit import get_many_and_count, parse_rate

#: Paths of machines and staff, never counted here.
EXEMPT_PREFIXES = ("/api/", "/admin/", "/health/", "/static/", "/media/")
#: Views that search whatever their query.
SEARCH_VIEWS = frozenset({"search"})
#: Views that take a `q` but are cheap, asked as a visitor types: pages only.
TYPING_VIEWS = frozenset({"search-suggest"})


def is_search(request: HttpRequest, url_name: str | None) -> bool:
    if url_name in TYPING_VIEWS:
        return False
    return url_name in SEARCH_VIEWS or bool(request.GET.get("q", "").strip())


@dataclass(frozen=True)
class Budgets:
    """A request's rate-limit counters: each key with its window in seconds, to
    count in one cache round trip, and with its limit and the window's end."""

    counters: dict[str, int]
    limits: dict[str, tuple[int, float]]
    now: float

    def refusal(self, request: HttpRequest, counts: dict[str, int]):
        """The 429 for a client over any budget once counted, else None."""
        refused = [
            end for key, (number, end) in self.limits.items() if counts[key] > number
        ]
        if not refused:
            return None
        retry_after = max(1, math.ceil(max(refused) - self.now))
        response = HttpResponse(
            render_to_string("429.html", {"retry_after": retry_after}, request),
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response


def budgets(request: HttpRequest, url_name: str | None) -> Budgets:
    """The counters an anonymous view of the page at `url_name` counts."""
    address = client_address(request)
    rates = [("page", settings.HTML_RATE_LIMIT)]
    if is_search(request, url_name):
        rates.append(("search", settings.HTML_SEARCH_RATE_LIMIT))
    counters = {}
    limits = {}
    now = time.time()
    for scope, rate in rates:
        parsed = parse_rate(rate)
        if parsed is None:
            continue
        number, period = parsed
        window = int(now // period)
        key = f"ratelimit:html-{scope}:{address}:{window}"
        counters[key] = period
        limits[key] = (number, (window + 1) * period)
    return Budgets(counters, limits, now)


def counted(request: HttpRequest) -> bool:
    """Whether a request is exempt from the HTML rate limit by its address or
    method; an anonymous one that is not is counted by portal.caching."""
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(
        EXEMPT_PREFIXES
    )


class HtmlRateLimitMiddleware:
    """After AuthenticationMiddleware: it counts anonymous visitors only, those
    the page cache (portal.caching, which counts in its own cache round trip)
    did not count already: requests with a session cookie of no signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "html_rate_counted", False) or not counted(request):
            return None
        found = budgets(request, getattr(request.resolver_match, "url_name", None))
        # The user last: it costs queries where a session cookie came along.
        if not found.counters or request.user.is_authenticated:
            return None
        _values, counts = get_many_and_count([], found.counters)
        return found.refusal(request, counts)
