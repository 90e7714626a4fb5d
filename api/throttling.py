"""Throttling in the shared cache, cheap enough to apply to cached answers too.

DRF's own throttles keep a list of every request's time per client and rewrite it
on each request; these count requests in fixed windows instead: one small integer
per client and window, counted up in the same round trip that reads the cached
answer (api/caching.py). Refused requests count too. While the cache does not
answer, each process counts on its own (core.ratelimit).
"""

from __future__ import annotations

import time

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.ratelimit import get_many_and_count, parse_rate


class FixedWindowThrottle(BaseThrottle):
    scope = ""
    #: Whether it counts anonymous clients (who have no user).
    anonymous = False

    def __init__(self) -> None:
        self.window_end = time.time()

    def rate(self) -> tuple[int, int] | None:
        # Read on every request, so that settings overrides apply (tests).
        return parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))

    def applies_to(self, request) -> bool:
        raise NotImplementedError

    def cache_key(self, request) -> str | None:
        if not self.applies_to(request):
            return None
        return self._window_key(request)

    def anonymous_key(self, request) -> str | None:
        """The key for a request known to be anonymous, before any user is loaded."""
        return self._window_key(request) if self.anonymous else None

    def _window_key(self, request) -> str | None:
        rate = self.rate()
        if rate is None:
            return None
        period = rate[1]
        window = int(time.time() // period)
        self.window_end = (window + 1) * period
        return f"api:throttle:{self.scope}:{self.get_ident(request)}:{window}"

    def period(self) -> int:
        return self.rate()[1]

    def allows(self, count: int) -> bool:
        """Whether the window's `count`-th request, this one, is within the rate."""
        limit, _period = self.rate()
        return count <= limit

    def allow_request(self, request, view) -> bool:
        key = self.cache_key(request)
        if key is None:
            return True
        _values, counts = get_many_and_count([], {key: self.period()})
        return self.allows(counts[key])

    def wait(self) -> float:
        return max(1.0, self.window_end - time.time())


class AnonymousThrottle(FixedWindowThrottle):
    scope = "anon"
    anonymous = True

    def applies_to(self, request) -> bool:
        return not request.user.is_authenticated


class UserThrottle(FixedWindowThrottle):
    scope = "user"

    def applies_to(self, request) -> bool:
        return request.user.is_authenticated

    def get_ident(self, request) -> str:
        return str(request.user.pk)
