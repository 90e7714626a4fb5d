"""Throttling in the shared cache, cheap enough to apply to cached answers too.

DRF's own throttles keep a list of every request's time per client and rewrite it
on each request; these count requests in fixed windows instead: one small integer
per client and window. Reading the count and writing it back is not atomic, so
clients racing each other may get a few requests more than the rate; the rate is a
guard against floods, not a quota.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class FixedWindowThrottle(BaseThrottle):
    scope = ""

    def __init__(self) -> None:
        self.window_end = time.time()

    def rate(self) -> tuple[int, int] | None:
        # Read on every request, so that settings overrides apply (tests).
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return None
        number, period = rate.split("/")
        return int(number), PERIODS[period[0]]

    def applies_to(self, request) -> bool:
        raise NotImplementedError

    def cache_key(self, request) -> str | None:
        rate = self.rate()
        if rate is None or not self.applies_to(request):
            return None
        period = rate[1]
        window = int(time.time() // period)
        self.window_end = (window + 1) * period
        return f"api:throttle:{self.scope}:{self.get_ident(request)}:{window}"

    def allow_count(self, key: str, count: int) -> bool:
        """Count one more request in the window if the rate allows it."""
        limit, period = self.rate()
        if count >= limit:
            return False
        cache.set(key, count + 1, timeout=period)
        return True

    def allow_request(self, request, view) -> bool:
        key = self.cache_key(request)
        return key is None or self.allow_count(key, cache.get(key, 0))

    def wait(self) -> float:
        return max(1.0, self.window_end - time.time())


class AnonymousThrottle(FixedWindowThrottle):
    scope = "anon"

    def applies_to(self, request) -> bool:
        return not request.user.is_authenticated


class UserThrottle(FixedWindowThrottle):
    scope = "user"

    def applies_to(self, request) -> bool:
        return request.user.is_authenticated

    def get_ident(self, request) -> str:
        return str(request.user.pk)
